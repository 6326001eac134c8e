"""What a request cost is what the gateway accounts: generation stats, key and organisation usage.

Real gateways account asynchronously, so reads are polled (``accounting_timeout``: up to the
run's ``settle`` limit, 20 s unless ``--limit settle=S``, on a real gateway) before a missing
record counts as a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from gatecheck.check_ids import (
    GENERATION_COST,
    GENERATION_STATUS,
    GENERATION_TOKENS,
    SPEND_GROWTH,
    SPEND_REPORT,
    SPEND_REPORT_STATUS,
)
from gatecheck.checks.cost import COST_TOLERANCE, check_cost_consistent, check_usage_cost, is_number
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import (
    CreatedKey,
    chat_request,
    create_key,
    delete_key,
    eventually,
    expect_status,
    json_object,
    json_pointer,
    operation,
    require,
)

pytestmark = pytest.mark.capability("usage-cost")

# The generation record's fields, as OpenRouter documents them (seed 003, GET /generation);
# only profiles claiming generation-stats reach them.
GENERATION_FIELDS = {
    "cost": "data.total_cost",
    "prompt": "data.tokens_prompt",
    "completion": "data.tokens_completion",
}


def _priced_request(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> tuple[httpx.Response, dict]:
    response = client.post(chat_path, json=chat_request(profile))
    expect_status(response, 200, chat_op)
    answer = json_object(response, chat_op)
    check_usage_cost(answer.get("usage"), operation=chat_op)
    return response, answer


@pytest.mark.capability("generation-stats")
def test_generation_stats_agree_with_usage(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str, accounting_timeout: float
) -> None:
    """GET generation reports the same tokens and cost as the answer's usage"""
    response, answer = _priced_request(client, profile, chat_path, chat_op)
    generation_id = response.headers.get("x-generation-id") or str(answer.get("id"))
    path = profile.path("generation")
    op = operation("GET", path)
    usage = answer["usage"]

    def agrees() -> None:
        reply = client.get(path, params={"id": generation_id})
        expect_status(reply, 200, op, check=GENERATION_STATUS)
        record = json_object(reply, op)
        for name, usage_field in (("prompt", "prompt_tokens"), ("completion", "completion_tokens")):
            counted = require(record, GENERATION_FIELDS[name], operation=op, check=GENERATION_TOKENS)
            if counted != usage.get(usage_field):
                raise ContractViolation(
                    f"Generation {GENERATION_FIELDS[name]} disagrees with usage.{usage_field}",
                    expected=f"{usage.get(usage_field)!r} (the answer's usage.{usage_field})",
                    received=f"{GENERATION_FIELDS[name]}: {counted!r}",
                    check=GENERATION_TOKENS,
                    operation=op,
                )
        total = require(record, GENERATION_FIELDS["cost"], operation=op, check=GENERATION_COST)
        check_cost_consistent(
            usage["cost"], total if is_number(total) else float("nan"), operation=op, where="usage.cost",
            basis=f"{GENERATION_FIELDS['cost']} of generation {generation_id}",
        )  # fmt: skip

    eventually(agrees, accounting_timeout)


@dataclass(frozen=True)
class SpendReport:
    """Where a spend in USD is read: a path and the JSON pointer of the number in its answer."""

    path: str
    pointer: str

    @property
    def op(self) -> str:
        return operation("GET", self.path)


def _key_spend(profile: Profile, key_id: str) -> SpendReport:
    usage = (profile.keys or {}).get("usage")
    if not usage:
        pytest.skip(f"not applicable: profile {profile.name} does not say where a key's spend is read")
    return SpendReport(profile.path(usage["path"], id=key_id), usage["spend_pointer"])


def _org_spend(profile: Profile) -> SpendReport:
    # Requesty's organisation usage answers the same UsageReport as its key usage (seed 000), so
    # the spend sits where the profile's key usage says.
    return SpendReport(
        profile.path("org_usage"), (profile.keys or {}).get("usage", {}).get("spend_pointer", "")
    )


def _spent(management_client: httpx.Client, report: SpendReport) -> float:
    response = management_client.get(report.path)
    expect_status(response, 200, report.op, check=SPEND_REPORT_STATUS)
    body = json_object(response, report.op, check=SPEND_REPORT)
    try:
        value = json_pointer(body, report.pointer)
    except KeyError:
        value = None
    if not is_number(value):
        raise ContractViolation(
            f"Spend at {report.pointer} is missing or not a number",
            expected=f"{report.pointer}: the spend in USD, as a number",
            received=body,
            check=SPEND_REPORT,
            operation=report.op,
        )
    return float(value)


def _grows_by(
    management_client: httpx.Client, report: SpendReport, before: float, cost: float, *, exact: bool
) -> None:
    """The spend is ``before + cost`` (or at least that, where others may spend meanwhile)."""
    after = _spent(management_client, report)
    if exact:
        check_cost_consistent(
            after - before, cost, operation=report.op, where=f"growth of the spend at {report.pointer}",
            basis="the request's usage.cost",
        )  # fmt: skip
    elif after - before < cost - COST_TOLERANCE.absolute - COST_TOLERANCE.relative * cost:
        raise ContractViolation(
            "Spend did not grow by the request's cost",
            expected=f"{report.pointer} to grow by at least {cost:.10g} USD (the request's usage.cost)",
            received=f"{report.pointer}: {before:.10g} before, {after:.10g} after",
            check=SPEND_GROWTH,
            operation=report.op,
        )


@pytest.fixture
def fresh_key(management_client: httpx.Client, profile: Profile) -> Iterator[CreatedKey]:
    """A key of its own, so its spend grows by exactly what the scenario spends."""
    key = create_key(management_client, profile, name="gatecheck cost accounting")
    yield key
    delete_key(management_client, profile, key.id)


@pytest.mark.writes
@pytest.mark.capability("key-management")
@pytest.mark.capability("key-usage")
def test_key_usage_grows_by_the_request_cost(
    gateway: Gateway,
    profile: Profile,
    management_client: httpx.Client,
    fresh_key: CreatedKey,
    chat_path: str,
    chat_op: str,
    accounting_timeout: float,
) -> None:
    """The calling key's spend grows by the request's usage.cost"""
    report = _key_spend(profile, fresh_key.id)
    before = _spent(management_client, report)
    with gateway.client(key=fresh_key.value) as client:
        _, answer = _priced_request(client, profile, chat_path, chat_op)
    cost = answer["usage"]["cost"]
    eventually(lambda: _grows_by(management_client, report, before, cost, exact=True), accounting_timeout)


@pytest.mark.capability("org-usage")
def test_org_usage_grows_by_the_request_cost(
    client: httpx.Client,
    profile: Profile,
    management_client: httpx.Client,
    chat_path: str,
    chat_op: str,
    accounting_timeout: float,
) -> None:
    """The organisation's spend grows by at least the request's usage.cost"""
    report = _org_spend(profile)
    before = _spent(management_client, report)
    _, answer = _priced_request(client, profile, chat_path, chat_op)
    cost = answer["usage"]["cost"]
    eventually(lambda: _grows_by(management_client, report, before, cost, exact=False), accounting_timeout)
