"""Who a key lets in: a new key infers and is billed; limits, expiry, disabling and deletion stop it."""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import TYPE_CHECKING

import pytest

from gatecheck.check_ids import (
    KEY_DELETE_STATUS,
    KEY_DELETED,
    KEY_DELETED_GET,
    KEY_DISABLED,
    KEY_EXPIRED,
    KEY_LIMIT,
    KEY_LIMIT_REMAINING,
    KEY_USAGE_ATTRIBUTED,
    MANAGEMENT_KEY_INFERENCE,
    NEW_KEY_INFERENCE,
    CheckId,
)
from gatecheck.checks.cost import COST_TOLERANCE, check_usage_cost
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.scenario import describe, eventually, expect_status, json_object

if TYPE_CHECKING:
    from conftest import KeyApi  # the fixture's type, for readers and type checkers only

pytestmark = pytest.mark.capability("key-management")

LIMIT = 1.0  # USD: far above what the scenarios spend, until one lowers it on purpose


def _served(keys: KeyApi, key: str) -> float | None:
    """Infer once with ``key``, which must be served; the answer's usage.cost when it has one."""
    response = keys.infer(key)
    expect_status(response, 200, keys.chat_op, check=NEW_KEY_INFERENCE, title="A valid key was refused")
    if not keys.profile.claims("usage-cost"):
        return None
    return check_usage_cost(json_object(response, keys.chat_op).get("usage"), operation=keys.chat_op)


def _refused(
    keys: KeyApi,
    key: str,
    statuses: int | Collection[int],
    *,
    why: str,
    check: CheckId,
    timeout: float | None = None,
) -> None:
    """Inference with ``key`` is refused with ``statuses`` and an envelope, within ``timeout``."""

    def attempt() -> None:
        response = keys.infer(key)
        title = f"{why}, yet inference answered HTTP {response.status_code}"
        expect_status(response, statuses, keys.chat_op, check=check, title=title)
        check_error_envelope(response, operation=keys.chat_op)

    eventually(attempt, keys.settle_timeout if timeout is None else timeout)


def _spent(keys: KeyApi, key_id: str, at_least: float) -> float:
    """The key's spend once it shows at least ``at_least`` USD (accounting may lag the answer)."""

    def attempt() -> float:
        spend = keys.spend(key_id)
        if spend < at_least or spend <= 0:
            raise ContractViolation(
                "Key's spend does not show the request it made",
                expected=f"the key's own spend >= {at_least:.10g} USD (the usage.cost of its request)",
                received=f"spend {spend:.10g} USD",
                check=KEY_USAGE_ATTRIBUTED,
                operation=keys.op("GET", keys.spec["usage"]["path"]),  # spend() skipped if absent
            )
        return spend

    return eventually(attempt, keys.settle_timeout)


@pytest.mark.writes
def test_new_key_can_infer_and_is_billed(keys: KeyApi) -> None:
    """A new key can call inference and the request's cost is attributed to that key"""
    key = keys.create(limit=LIMIT)
    cost = _served(keys, key.value)
    _spent(keys, key.id, (cost or 0.0) * (1 - COST_TOLERANCE.relative))


@pytest.mark.writes
def test_limit_remaining_is_limit_minus_spend(keys: KeyApi) -> None:
    """A key's limit_remaining is its limit minus what it has spent"""
    remaining_field = keys.spec.get("limit_remaining")
    if not remaining_field:
        pytest.skip(f"not applicable: profile {keys.profile.name} reports no remaining limit on keys")
    key = keys.create(limit=LIMIT)
    cost = _served(keys, key.value)
    spend = _spent(keys, key.id, (cost or 0.0) * (1 - COST_TOLERANCE.relative))
    remaining = keys.record(key.id).get(remaining_field)
    # compared as "what the remaining limit says was spent", so the tolerance scales with the spend
    if not isinstance(remaining, int | float) or not COST_TOLERANCE.allows(LIMIT - remaining, spend):
        raise ContractViolation(
            f"{remaining_field} ignores what the key has spent",
            expected=f"{remaining_field} = limit {LIMIT:g} - spend {spend:.10g} = {LIMIT - spend:.10g} USD",
            received=f"{remaining_field}: {remaining!r}",
            check=KEY_LIMIT_REMAINING,
            operation=keys.op("GET"),
        )


@pytest.mark.writes
def test_limit_below_spend_refuses_inference(keys: KeyApi) -> None:
    """Lowering a key's limit below what it has spent makes inference answer 402"""
    key = keys.create(limit=LIMIT)
    cost = _served(keys, key.value)
    spend = _spent(keys, key.id, (cost or 0.0) * (1 - COST_TOLERANCE.relative))
    keys.set_limit(key.id, spend / 2)
    _refused(keys, key.value, 402, why=f"Key's limit is below its spend of {spend:.10g} USD", check=KEY_LIMIT)


@pytest.mark.writes
def test_expired_key_is_refused(keys: KeyApi) -> None:
    """A key past its expiry is refused with 401"""
    expiry = keys.expiry_in(keys.expiry_lead)
    key = keys.create(expiry=expiry)
    time.sleep(max(0.0, keys.seconds_until(expiry)) + 0.1)
    _refused(
        keys, key.value, 401, why=f"Key expired at {expiry}", check=KEY_EXPIRED, timeout=keys.expiry_grace
    )


@pytest.mark.writes
@pytest.mark.capability("key-disable")
def test_disabled_key_is_refused(keys: KeyApi) -> None:
    """A disabled key is refused with 401"""
    key = keys.create()
    keys.change("disable", key.id, dict(keys.spec["disable"].get("body") or {}))
    _refused(keys, key.value, 401, why="Key is disabled", check=KEY_DISABLED)


@pytest.mark.writes
def test_deleted_key_is_refused(keys: KeyApi) -> None:
    """A deleted key is refused with 401 and reads as 404"""
    key = keys.create()
    deleted = keys.delete(key.id)
    expect_status(deleted, keys.spec.get("delete_status", 200), keys.op("DELETE"), check=KEY_DELETE_STATUS)
    _refused(keys, key.value, 401, why="Key was deleted", check=KEY_DELETED)
    got = keys.get(key.id)
    missing = keys.spec.get("missing_status", 404)
    if got.status_code != missing:
        raise ContractViolation(
            f"Deleted key still reads as HTTP {got.status_code}",
            expected=f"HTTP {missing}: the key no longer exists",
            received=describe(got),
            check=KEY_DELETED_GET,
            operation=keys.op("GET"),
        )


@pytest.mark.capability("management-key-separation")
def test_management_key_cannot_infer(keys: KeyApi) -> None:
    """A management key is refused on inference"""
    assert keys.gateway.management_key is not None  # the fixture skips without one
    statuses = keys.spec.get("management_inference_statuses") or (401, 403)
    why = "A management key called inference"
    _refused(keys, keys.gateway.management_key, statuses, why=why, check=MANAGEMENT_KEY_INFERENCE)
