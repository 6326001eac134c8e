"""Reading and checking request bodies: bad input is always a 4xx naming the field, never a 5xx.

Handlers read fields through :class:`Fields`, which knows the JSON path of what it reads, so
every error message says exactly which field is wrong and why (``'messages[2].content' must be
a string or an array``), as the vendors' own validators do.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from starlette.requests import Request

from gatecheck.mock.errors import MockHTTPError

__all__ = ["Fields", "MalformedJSON", "bad", "read_json"]


def bad(path: str, message: str) -> NoReturn:
    """Abort with 400 naming ``path``."""
    raise MockHTTPError(400, f"'{path}' {message}" if path else message, param=path or None)


class MalformedJSON(MockHTTPError):
    """The body is not JSON at all; the one error ``wrong-status-on-bad-json`` turns into a 500."""


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    """The body as a JSON object; 413 past ``limit`` bytes, 400 for anything not an object."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise MockHTTPError(413, f"request body is larger than {limit} bytes")
    raw = await request.body() if declared.isdigit() else await _read_chunked(request, limit)
    if not raw.strip():
        bad("", "request body is empty; expected a JSON object")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MalformedJSON(400, f"request body is not valid JSON: {str(exc)[:200]}") from None
    if not isinstance(data, dict):
        bad("", f"request body must be a JSON object, not {_kind(data)}")
    return data


async def _read_chunked(request: Request, limit: int) -> bytes:
    """A body without Content-Length, read piece by piece so a huge one is refused early."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise MockHTTPError(413, f"request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


class Fields:
    """Typed, path-aware access to one JSON object."""

    def __init__(self, data: dict[str, Any], path: str = "") -> None:
        self.data = data
        self.path = path

    def at(self, name: str | int) -> str:
        """The JSON path of a member, for messages."""
        if isinstance(name, int):
            return f"{self.path}[{name}]"
        return f"{self.path}.{name}" if self.path else name

    def value(self, name: str, *, required: bool = False) -> Any:
        """A member of any type; None when absent.  An explicit ``null`` is a 400: neither
        vendor's spec marks a request field nullable, so null is not "absent", it is wrong."""
        if name not in self.data:
            if required:
                bad(self.at(name), "is required")
            return None
        value = self.data[name]
        if value is None:
            bad(self.at(name), "must not be null")
        return value

    def string(self, name: str, *, required: bool = False, nonempty: bool = False) -> str | None:
        value = self.value(name, required=required)
        if value is not None and not isinstance(value, str):
            bad(self.at(name), f"must be a string, not {_kind(value)}")
        if nonempty and value is not None and not value.strip():
            bad(self.at(name), "must not be empty")
        return value

    def integer(self, name: str, *, minimum: int | None = None, required: bool = False) -> int | None:
        value = self.value(name, required=required)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            bad(self.at(name), f"must be an integer, not {_kind(value)}")
        if minimum is not None and value < minimum:
            bad(self.at(name), f"must be at least {minimum}")
        return value

    def number(self, name: str, low: float | None = None, high: float | None = None) -> float | None:
        value = self.value(name)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            bad(self.at(name), f"must be a number, not {_kind(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            bad(self.at(name), f"must be between {low:g} and {high:g}")
        return value

    def boolean(self, name: str) -> bool | None:
        value = self.value(name)
        if value is not None and not isinstance(value, bool):
            bad(self.at(name), f"must be a boolean, not {_kind(value)}")
        return value

    def array(self, name: str, *, required: bool = False, nonempty: bool = False) -> list[Any] | None:
        value = self.value(name, required=required)
        if value is not None and not isinstance(value, list):
            bad(self.at(name), f"must be an array, not {_kind(value)}")
        if nonempty and value is not None and not value:
            bad(self.at(name), "must not be empty")
        return value

    def mapping(self, name: str, *, required: bool = False) -> Fields | None:
        value = self.value(name, required=required)
        if value is None:
            return None
        if not isinstance(value, dict):
            bad(self.at(name), f"must be an object, not {_kind(value)}")
        return Fields(value, self.at(name))

    def child(self, name: str) -> Fields:
        """A required member object."""
        value = self.mapping(name, required=True)
        assert value is not None  # required=True raised otherwise
        return value

    def optional(self, name: str) -> Fields:
        """An optional member object; empty when absent, so callers need no None checks."""
        return self.mapping(name) or Fields({}, self.at(name))

    def strings(self, name: str) -> list[str] | None:
        """An optional array of strings (``stop``, ``models``, ``provider.order``)."""
        items = self.array(name)
        for i, item in enumerate(items or []):
            if not isinstance(item, str):
                bad(f"{self.at(name)}[{i}]", f"must be a string, not {_kind(item)}")
        return items

    def each(self, name: str, items: list[Any]) -> list[Fields]:
        """The members of an array of objects, each as Fields."""
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                bad(f"{self.at(name)}[{i}]", f"must be an object, not {_kind(item)}")
            out.append(Fields(item, f"{self.at(name)}[{i}]"))
        return out
