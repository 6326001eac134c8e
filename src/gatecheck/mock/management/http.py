"""Request parsing for management handlers: bearer token, JSON body, typed fields, query params.

Every way a client can get a body wrong ends here as a 400 envelope naming the field
(``param``), never as a 500: a fuzzer sending ``{"limit": "ten"}`` learns what was wrong.
Unknown body fields are ignored, as both vendors do.  Parameters and bodies are first held to
the contract (:mod:`gatecheck.mock.contract`: a 400 for anything it refuses); what it allows
is read leniently here: a page out of range is served as the nearest one, and a flag the spec
types as a plain string is true for "true", "1" or "yes".
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from starlette.requests import Request

from gatecheck.mock.contract import check_body
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.store.periods import parse_time

__all__ = ["Body", "bearer", "query_bool", "query_date", "query_int", "query_str"]

_MISSING: Any = object()
_LARGEST = 2**63 - 1  # sqlite's largest INTEGER: an offset past it pages past everything anyway


def bearer(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``; None when absent or another scheme."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _bad(param: str, message: str) -> MockHTTPError:
    return MockHTTPError(400, f"{param}: {message}", param=param)


class Body:
    """A request's JSON object with typed getters; each raises 400 for a wrong type.

    ``null`` is a wrong type for every field: the bundled contracts declare them non-null, and a
    mock that accepted null would fail their negative tests.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    async def of(cls, request: Request) -> Body:
        """The request's body (an empty one reads as ``{}``), held to its operation's contract."""
        raw = await request.body()
        data: Any = {}
        if raw.strip():
            try:
                data = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise MockHTTPError(400, "request body is not valid JSON") from None
            if not isinstance(data, dict):
                raise MockHTTPError(400, "request body must be a JSON object")
        check_body(request, data)
        return cls(data)

    def has(self, name: str) -> bool:
        return name in self.data

    def _get(self, name: str, required: bool) -> Any:
        """The raw value, ``_MISSING`` when absent; 400 when required and absent, or null."""
        value = self.data.get(name, _MISSING)
        if value is _MISSING and required:
            raise _bad(name, "is required")
        if value is None:
            raise _bad(name, "must not be null")
        return value

    def string(
        self, name: str, *, required: bool = False, default: Any = None, nonempty: bool = False
    ) -> Any:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or (nonempty and not value.strip()):
            raise _bad(name, "must be a non-empty string" if nonempty else "must be a string")
        return value

    def number(self, name: str, *, required: bool = False, default: Any = None, minimum: float = 0.0) -> Any:
        """A finite number >= ``minimum``."""
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _bad(name, "must be a number")
        if value < minimum:
            raise _bad(name, f"must be at least {minimum:g}")
        return float(value)

    def boolean(self, name: str, *, default: Any = None) -> Any:
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            raise _bad(name, "must be true or false")
        return value

    def strings(self, name: str, *, required: bool = False, default: Any = None) -> Any:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _bad(name, "must be an array of strings")
        return list(value)

    def choice(self, name: str, choices: Sequence[str], *, default: Any = None) -> Any:
        value = self.string(name, default=_MISSING)
        if value is _MISSING:
            return default
        if value not in choices:
            raise _bad(name, f"must be one of {', '.join(choices)}")
        return value

    def moment(self, name: str, *, default: Any = None) -> Any:
        """An ISO 8601 date-time as an aware UTC datetime."""
        value = self.string(name, default=_MISSING)
        if value is _MISSING:
            return default
        try:
            return parse_time(value)
        except (ValueError, OverflowError):
            raise _bad(name, "must be an ISO 8601 date-time") from None


def query_str(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value if value else None


def query_int(
    request: Request, name: str, *, default: int, minimum: int = 0, maximum: int | None = None
) -> int:
    """An integer query parameter; 400 when it is not one.  A page the contract allows but the
    store cannot serve (``offset=-1``, ``limit=1000``, ``offset=2**64``) is clamped to the
    nearest one it can: the schemas state no range, so none of these is a bad request."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(name, "must be an integer") from None
    return min(max(value, minimum), _LARGEST if maximum is None else maximum)


def query_bool(request: Request, name: str, *, default: bool) -> bool:
    """A flag the vendor types as a plain string: "true"/"1"/"yes" are true, anything else false."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in ("true", "1", "yes")


def query_date(request: Request, name: str) -> date | None:
    raw = query_str(request, name)
    if raw is None:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise _bad(name, "must be a date as YYYY-MM-DD") from None
