"""The account's credits: what was bought and what was used, as numbers a client can subtract.

OpenRouter's balance is ``total_credits - total_usage`` (seed 003: both doubles, in USD): both
are sums of money, so neither may be negative, and usage is paid from credits, so it cannot
exceed them.  Usage grows as requests are billed; real gateways account asynchronously, so the
growth is polled for (``accounting_timeout``), and only a lower bound is checked, since other
clients of the same account may spend meanwhile.
"""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import (
    CREDITS_BALANCE,
    CREDITS_BODY,
    CREDITS_NUMBERS,
    CREDITS_STATUS,
    CREDITS_USAGE_GROWTH,
    PAID_REQUEST,
)
from gatecheck.checks.cost import COST_TOLERANCE, check_usage_cost, is_number
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, eventually, expect_status, json_object, json_pointer, operation

pytestmark = pytest.mark.capability("credits")


def _spec(profile: Profile) -> dict[str, Any]:
    found = (profile.governance or {}).get("credits")
    if not found:
        pytest.skip(f"not applicable: profile {profile.name} describes no governance.credits")
    return dict(found)


def _credits(management_client: httpx.Client, profile: Profile) -> tuple[float, float]:
    """(total_credits, total_usage) from the credits endpoint; each must be a finite number >= 0."""
    spec = _spec(profile)
    op = operation("GET", profile.paths[spec["path"]])
    response = management_client.get(profile.path(spec["path"]))
    expect_status(response, 200, op, check=CREDITS_STATUS)
    body = json_object(response, op, check=CREDITS_BODY)
    values = []
    for pointer in (spec["total_pointer"], spec["usage_pointer"]):
        try:
            value = json_pointer(body, pointer)
        except KeyError:
            value = None
        if not is_number(value) or not math.isfinite(value) or value < 0:
            raise ContractViolation(
                f"Credits field {pointer} is not a non-negative number",
                expected=f"{pointer}: a finite number of USD >= 0",
                received=body,
                check=CREDITS_NUMBERS,
                operation=op,
            )
        values.append(float(value))
    return values[0], values[1]


def test_credits_report_a_consistent_balance(management_client: httpx.Client, profile: Profile) -> None:
    """GET credits reports credits and usage as non-negative numbers, usage within credits"""
    total, used = _credits(management_client, profile)
    if used > total + COST_TOLERANCE.absolute:
        spec = _spec(profile)
        raise ContractViolation(
            "Credits used exceed the credits bought",
            expected=f"{spec['usage_pointer']} <= {spec['total_pointer']} (usage is paid from credits)",
            received=f"{spec['usage_pointer']}: {used:.10g}, {spec['total_pointer']}: {total:.10g}",
            check=CREDITS_BALANCE,
            operation=operation("GET", profile.paths[spec["path"]]),
        )


def test_credits_usage_grows_after_a_paid_request(
    management_client: httpx.Client,
    client: httpx.Client,
    profile: Profile,
    chat_path: str,
    chat_op: str,
    accounting_timeout: float,
) -> None:
    """GET credits total_usage grows by at least the cost of a request just made"""
    spec = _spec(profile)
    _, before = _credits(management_client, profile)
    response = client.post(chat_path, json=chat_request(profile))
    expect_status(response, 200, chat_op, check=PAID_REQUEST)
    cost = None
    if profile.claims("usage-cost"):
        cost = check_usage_cost(json_object(response, chat_op).get("usage"), operation=chat_op)
    # without a reported cost, any growth will do; with one, the growth may fall short only by rounding
    floor = 0.0 if cost is None else cost - COST_TOLERANCE.absolute - COST_TOLERANCE.relative * cost

    def grown() -> None:
        _, after = _credits(management_client, profile)
        if after <= before or after - before < floor:
            raise ContractViolation(
                "Credits usage did not grow after a paid request",
                expected=f"{spec['usage_pointer']} to grow by "
                + (
                    f"at least {cost:.10g} USD (the request's usage.cost)" if cost is not None else "its cost"
                ),
                received=f"{spec['usage_pointer']}: {before:.10g} before, {after:.10g} after",
                check=CREDITS_USAGE_GROWTH,
                operation=operation("GET", profile.paths[spec["path"]]),
            )

    eventually(grown, accounting_timeout)
