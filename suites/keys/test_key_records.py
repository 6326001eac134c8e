"""What the key API keeps and tells: the value only once, the fields as set, 404 once gone."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.check_ids import (
    KEY_CREATE_BODY,
    KEY_DELETE_MISSING,
    KEY_DELETE_STATUS,
    KEY_GET_FIELDS,
    KEY_GET_STATUS,
    KEY_LIST_STATUS,
    KEY_VALUE_LEAKED,
)
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.scenario import describe, expect_status

if TYPE_CHECKING:
    from conftest import KeyApi  # the fixture's type, for readers and type checkers only

pytestmark = [pytest.mark.capability("key-management"), pytest.mark.writes]

#: What the field scenario sets; each is sent only where the profile maps it to a vendor field.
SETTINGS: dict[str, Any] = {"limit": 1.5, "labels": ["gatecheck", "lifecycle"]}
EXPIRY_SECONDS = 30 * 86400


def _refuse_leak(text: str, value: str, where: str, op: str) -> None:
    if value in text:
        raise ContractViolation(
            f"Key value returned again by {where}",
            expected=f"the key value only in the create answer, never in {where}",
            received=f"the {where} answer contains the key value created moments before (masked)",
            check=KEY_VALUE_LEAKED,
            operation=op,
        )


def test_key_value_is_returned_only_on_creation(keys: KeyApi) -> None:
    """A key's value is returned when it is created and never by get or list"""
    key = keys.create()
    if not key.value.strip():
        raise ContractViolation(
            "Created key has an empty value",
            expected=f"the key value at JSON pointer {keys.spec['value_pointer']}",
            received=key.record,
            check=KEY_CREATE_BODY,
            operation=keys.op("POST", keys.spec["create"]["path"]),
        )
    got = keys.get(key.id)
    expect_status(got, 200, keys.op("GET"), check=KEY_GET_STATUS)
    _refuse_leak(got.text, key.value, "get", keys.op("GET"))
    listed = keys.admin.get(keys.profile.path("keys"))
    expect_status(listed, 200, keys.op("GET", "keys"), check=KEY_LIST_STATUS)
    _refuse_leak(listed.text, key.value, "list", keys.op("GET", "keys"))


def _differs(keys: KeyApi, logical: str, sent: Any, received: Any) -> bool:
    if logical == "limit":
        return not (isinstance(received, int | float) and math.isclose(received, sent, abs_tol=1e-9))
    if logical == "labels":
        return not (isinstance(received, list) and sorted(map(str, received)) == sorted(sent))
    if logical == "expiry":
        return not keys.same_moment(received, sent)
    return received != sent


def test_get_returns_what_was_set(keys: KeyApi) -> None:
    """Get returns the name, limit, labels and expiry a key was created with"""
    wanted = {**SETTINGS, "expiry": keys.expiry_in(EXPIRY_SECONDS)}
    sent = {logical: value for logical, value in wanted.items() if keys.vendor_field(logical)}
    name = keys.new_name()
    key = keys.create(name, **sent)
    record = keys.record(key.id)
    problems, checked = [], []
    for logical, value in {"name": name, **sent}.items():
        vendor = keys.vendor_field(logical) or logical
        checked.append(vendor)
        if _differs(keys, logical, value, record.get(vendor)):
            problems.append(f"{vendor}: sent {value!r}, got {record.get(vendor, '(absent)')!r}")
    if problems:
        raise ContractViolation(
            "Get does not return the fields the key was created with",
            expected=f"{', '.join(checked)} as sent",
            received="; ".join(problems),
            check=KEY_GET_FIELDS,
            operation=keys.op("GET"),
        )


def _unknown_id(like: str) -> str:
    """An id shaped like a real one (length, separators), so only its absence is tested."""
    return re.sub(r"[0-9A-Za-z]", "0", like)


def test_deleting_again_or_an_unknown_id_is_404(keys: KeyApi) -> None:
    """Deleting a key a second time, or a key id that never existed, answers 404"""
    key = keys.create()
    op = keys.op("DELETE")
    expect_status(keys.delete(key.id), keys.spec.get("delete_status", 200), op, check=KEY_DELETE_STATUS)
    missing = keys.spec.get("missing_status", 404)
    for what, response in (
        ("A second delete of the same key", keys.delete(key.id)),
        ("Deleting an unknown key id", keys.delete(_unknown_id(key.id))),
    ):
        if response.status_code != missing:
            raise ContractViolation(
                f"{what} answered HTTP {response.status_code}",
                expected=f"HTTP {missing} with an error envelope: there is no such key to delete",
                received=describe(response),
                check=KEY_DELETE_MISSING,
                operation=op,
            )
        check_error_envelope(response, operation=op)
