"""The key API as the lifecycle scenarios use it, with every created key deleted afterwards.

:class:`KeyApi` reads ``profile.keys`` for where fields, paths and the key value sit, so the
scenarios name no vendor.  Every key it creates is deleted again when the module ends, even
after a failure, so a real account is left as it was found.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import (
    KEY_DISABLE_STATUS,
    KEY_GET_BODY,
    KEY_GET_STATUS,
    KEY_SET_LIMIT_STATUS,
    KEY_USAGE_BODY,
    KEY_USAGE_STATUS,
    CheckId,
)
from gatecheck.checks.cost import is_number
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.redact import default_redactor
from gatecheck.scenario import (
    CreatedKey,
    chat_request,
    create_key,
    delete_key,
    expect_status,
    json_object,
    json_pointer,
    operation,
    settle_timeout,
)

#: Lets a person recognise (and delete) keys a killed run left behind.
NAME_PREFIX = "gatecheck-"
#: The check each key change's status is judged under, by the ``profile.keys`` action.
_CHANGE_STATUS: dict[str, CheckId] = {"set_limit": KEY_SET_LIMIT_STATUS, "disable": KEY_DISABLE_STATUS}


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with ``Z`` and whole seconds, as both vendors document expiries."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_moment(value: Any) -> datetime | None:
    """A date-time field as an aware datetime; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def ahead(seconds: float) -> datetime:
    """``seconds`` from now, rounded up to a whole second so the expiry sent is not earlier."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=math.ceil(seconds) + 1)


@dataclass(repr=False)
class KeyApi:
    """Create, read, change and delete keys, and call inference with them, per ``profile.keys``."""

    gateway: Gateway
    admin: httpx.Client
    settle_timeout: float  # how long accounting may lag an answer
    created: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        # tracebacks print fixture values: never let the gateway's keys reach a report
        return f"KeyApi(profile={self.profile.name!r}, created={len(self.created)} keys)"

    @property
    def profile(self) -> Profile:
        return self.gateway.profile

    @property
    def spec(self) -> dict[str, Any]:
        assert self.profile.keys is not None, "key-management is claimed but the profile has no keys section"
        return dict(self.profile.keys)

    @property
    def expiry_lead(self) -> float:
        """How far ahead an expiring key's expiry is set: a real target may refuse one that is past
        when the request arrives (``profile.keys.expiry_lead_seconds``).  The mock takes any, so
        the next whole second will do: its expiry check waits under a second, not two or three."""
        if self.gateway.is_mock:
            return 0.0
        return float(self.spec.get("expiry_lead_seconds", 2))

    @property
    def expiry_grace(self) -> float:
        """How long after its expiry a key may still be accepted: real targets may cache keys
        (``profile.keys.expiry_grace_seconds``); the mock checks expiry on every request."""
        if self.gateway.is_mock:
            return self.settle_timeout
        return float(self.spec.get("expiry_grace_seconds", self.settle_timeout))

    def op(self, method: str, endpoint: str = "key") -> str:
        """The operation label with the path template (``GET /api-keys/{id}``): stable across runs."""
        return operation(method, self.profile.paths[endpoint])

    def vendor_field(self, logical: str) -> str | None:
        """The vendor's name for a key record field (``expiry`` -> ``expires_at``); None: absent."""
        return (self.spec.get("fields") or {}).get(logical)

    # -- management ------------------------------------------------------------------------

    @staticmethod
    def new_name() -> str:
        return NAME_PREFIX + secrets.token_hex(4)

    def create(self, name: str | None = None, **fields: Any) -> CreatedKey:
        """A new key (random recognisable name unless given); ``fields`` by logical name (limit...)."""
        key = create_key(self.admin, self.profile, name=name or self.new_name(), **fields)
        self.created.append(key.id)
        default_redactor.add(key.value)
        return key

    def expiry_in(self, seconds: float) -> str:
        """An expiry ``seconds`` from now, as the create request sends it."""
        return iso(ahead(seconds))

    @staticmethod
    def seconds_until(moment: str) -> float:
        """Seconds from now until a date-time string this API produced (negative once past)."""
        parsed = parse_moment(moment)
        assert parsed is not None, f"not a date-time: {moment!r}"
        return (parsed - datetime.now(UTC)).total_seconds()

    @staticmethod
    def same_moment(a: Any, b: Any) -> bool:
        """Two date-time strings name the same second (formats and offsets may differ)."""
        first, second = parse_moment(a), parse_moment(b)
        return first is not None and second is not None and abs((first - second).total_seconds()) <= 1

    def get(self, key_id: str) -> httpx.Response:
        return self.admin.get(self.profile.path("key", id=key_id))

    def record(self, key_id: str) -> dict[str, Any]:
        """The key record of ``GET key``, where ``profile.keys.record`` points."""
        op = self.op("GET")
        response = self.get(key_id)
        expect_status(response, 200, op, check=KEY_GET_STATUS)
        body = json_object(response, op, check=KEY_GET_BODY)
        try:
            record = json_pointer(body, self.spec.get("record") or "")
        except KeyError:
            record = None
        if not isinstance(record, dict):
            raise ContractViolation(
                "Key record is missing from the get answer",
                expected=f"the key record at JSON pointer {self.spec.get('record')!r}",
                received=body,
                check=KEY_GET_BODY,
                operation=op,
            )
        return record

    def delete(self, key_id: str) -> httpx.Response:
        return delete_key(self.admin, self.profile, key_id)

    def spend(self, key_id: str) -> float:
        """The key's spend in USD, from the endpoint ``profile.keys.usage`` names."""
        usage = self.spec.get("usage")
        if not usage:
            pytest.skip(f"not applicable: profile {self.profile.name} names no endpoint for a key's spend")
        op = self.op("GET", usage["path"])
        response = self.admin.get(self.profile.path(usage["path"], id=key_id))
        expect_status(response, 200, op, check=KEY_USAGE_STATUS)
        body = json_object(response, op, check=KEY_USAGE_BODY)
        try:
            spend = json_pointer(body, usage["spend_pointer"])
        except KeyError:
            spend = None
        if not is_number(spend) or not math.isfinite(spend):
            raise ContractViolation(
                "Key spend is missing or not a number",
                expected=f"a number of USD at JSON pointer {usage['spend_pointer']}",
                received=body,
                check=KEY_USAGE_BODY,
                operation=op,
            )
        return float(spend)

    def change(self, action: str, key_id: str, body: dict[str, Any]) -> httpx.Response:
        """Send ``profile.keys[action]`` (``set_limit``, ``disable``) for ``key_id``."""
        status_check = _CHANGE_STATUS[action]
        endpoint = self.spec.get(action)
        if not endpoint:
            pytest.skip(f"not applicable: profile {self.profile.name} has no {action} endpoint for keys")
        path = self.profile.path(endpoint["path"], id=key_id)
        response = self.admin.request(endpoint["method"], path, json=body)
        op = operation(endpoint["method"], self.profile.paths[endpoint["path"]])
        expect_status(response, (200, 204), op, check=status_check)
        return response

    def set_limit(self, key_id: str, limit: float) -> httpx.Response:
        """Change a key's spend limit, through the endpoint and field ``profile.keys.set_limit`` names."""
        field_name = (self.spec.get("set_limit") or {}).get("field", "limit")
        return self.change("set_limit", key_id, {field_name: limit})

    def cleanup(self) -> list[str]:
        """Delete every key created; the ids the target would not confirm gone."""
        gone = {self.spec.get("delete_status", 200), self.spec.get("missing_status", 404)}
        left = []
        for key_id in self.created:
            try:
                if self.delete(key_id).status_code not in gone:
                    left.append(key_id)
            except httpx.HTTPError:
                left.append(key_id)
        self.created.clear()
        return left

    # -- inference -------------------------------------------------------------------------

    @property
    def chat_op(self) -> str:
        return operation("POST", self.profile.path("chat"))

    def infer(self, key: str) -> httpx.Response:
        """One small chat request made with ``key``."""
        with self.gateway.client(key=key) as client:
            response = client.post(self.profile.path("chat"), json=chat_request(self.profile))
            response.read()
            return response


@pytest.fixture(scope="module")
def keys(gateway: Gateway) -> Iterator[KeyApi]:
    """The key API with the management key; every key made through it is deleted at module end."""
    if not gateway.management_key:
        pytest.skip("needs a management key: export one and name it with --management-key-env")
    settle = settle_timeout(gateway.is_mock)  # real gateways lag (accounting, caches)
    with gateway.client(key=gateway.management_key) as admin:
        api = KeyApi(gateway, admin, settle)
        yield api
        if left := api.cleanup():
            pytest.fail(f"gatecheck could not delete the key(s) it created: {', '.join(left)}")
