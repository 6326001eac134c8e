"""Fallbacks: a failing primary is replaced by the next candidate, named and billed as such."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.check_ids import (
    FALLBACK_COST,
    FALLBACK_EXHAUSTED_STATUS,
    FALLBACK_MODEL_REPORTED,
    FALLBACK_SERVED,
    FALLBACK_SWITCHED_OFF,
)
from gatecheck.checks.cost import COST_TOLERANCE, check_usage_cost, expected_cost
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.scenario import describe, error_text, model_record

if TYPE_CHECKING:
    import httpx

    from conftest import Answer, Fallbacks  # the fixture's types, for readers and type checkers only

pytestmark = pytest.mark.capability("fallbacks")

#: The mock cuts a stream before its first token only when there is a stream to cut.
STREAMED_TRIGGERS = frozenset({"cut-before-first-token"})


def _served_by_secondary(fallbacks: Fallbacks, answer: Answer, why: str) -> None:
    """The answer is a 200 whose ``model`` (every chunk's, when streamed) names the secondary."""
    if not answer.ok:
        fallbacks.setup_missing(answer.status, answer.message)
        raise ContractViolation(
            f"{why}, and no fallback answered",
            expected=f"HTTP 200 from the next candidate, {fallbacks.secondary}",
            received=answer.described,
            check=FALLBACK_SERVED,
            operation=fallbacks.chat_op,
        )
    wrong = sorted({model for model in answer.models if model != fallbacks.secondary}) or (
        [] if answer.models else ["(no model field)"]
    )
    if wrong:
        raise ContractViolation(
            f"Fallback answer names {', '.join(wrong)} instead of the fallback model",
            expected=f"model: {fallbacks.secondary} (the candidate that answered)",
            received=f"model: {', '.join(wrong)}",
            check=FALLBACK_MODEL_REPORTED,
            operation=fallbacks.chat_op,
        )


def test_failing_primary_falls_back(fallbacks: Fallbacks, trigger: str) -> None:
    """When the primary model fails, the next candidate answers and the answer names it"""
    fallbacks.fail(trigger, models=[fallbacks.primary])
    answer = fallbacks.ask(fallbacks.route("fallback"), stream=trigger in STREAMED_TRIGGERS)
    _served_by_secondary(fallbacks, answer, f"The primary {fallbacks.primary} failed ({trigger})")


def _cost_at(client: httpx.Client, fallbacks: Fallbacks, model: str, usage: dict[str, Any]) -> float:
    """What the answer's tokens cost at ``model``'s price in the target's own catalog."""
    tokens = [
        usage.get(k) if isinstance(usage.get(k), int) else 0 for k in ("prompt_tokens", "completion_tokens")
    ]
    return expected_cost(model_record(client, fallbacks.profile, model), *tokens, fallbacks.profile)


@pytest.mark.capability("usage-cost")
def test_fallback_is_billed_at_the_answering_models_price(fallbacks: Fallbacks, client: httpx.Client) -> None:
    """A fallback answer's usage.cost is at the price of the model that answered, not the primary's"""
    fallbacks.fail(fallbacks.default_trigger, models=[fallbacks.primary])
    answer = fallbacks.ask(fallbacks.route("fallback"))
    _served_by_secondary(fallbacks, answer, f"The primary {fallbacks.primary} failed")
    cost = check_usage_cost(answer.usage, operation=fallbacks.chat_op)
    wanted = _cost_at(client, fallbacks, fallbacks.secondary, answer.usage)
    if COST_TOLERANCE.allows(cost, wanted):
        return
    # a real target's stand-in primary may have no catalog price; the mock's always has one
    at_primary = fallbacks.control is not None and COST_TOLERANCE.allows(
        cost, _cost_at(client, fallbacks, fallbacks.primary, answer.usage)
    )
    raise ContractViolation(
        "Fallback answer is billed at the primary model's price"
        if at_primary
        else "Fallback answer's usage.cost disagrees with the answering model's price",
        expected=f"{wanted:.10g} USD {COST_TOLERANCE}, the tokens at {fallbacks.secondary}'s catalog price",
        received=f"usage.cost: {cost:.10g} USD" + (f", {fallbacks.primary}'s price" if at_primary else ""),
        check=FALLBACK_COST,
        operation=fallbacks.chat_op,
    )


@pytest.mark.usefixtures("needs_injection")
def test_fallbacks_switched_off_return_the_error(fallbacks: Fallbacks) -> None:
    """With fallbacks switched off for a request, the failing provider's error is returned"""
    switch = fallbacks.spec.get("without_fallbacks")
    if not switch:
        pytest.skip(f"not applicable: profile {fallbacks.profile.name} has no per-request fallback switch")
    provider = fallbacks.spec["pinned_provider"]
    fallbacks.fail("500", models=[fallbacks.primary], provider=provider)
    response = fallbacks.post({"model": fallbacks.primary, **switch})
    if response.status_code < 400:
        raise ContractViolation(
            f"Fallbacks off and the provider failed, yet the answer is HTTP {response.status_code}",
            expected=f"an error status with an envelope: {provider}, the one provider allowed, failed",
            received=describe(response),
            check=FALLBACK_SWITCHED_OFF,
            operation=fallbacks.chat_op,
        )
    check_error_envelope(response, operation=fallbacks.chat_op)


def test_all_candidates_failing_is_an_error(fallbacks: Fallbacks) -> None:
    """When every candidate fails, the answer is an error status with an envelope, never a 200"""
    fallbacks.fail("500", models=fallbacks.chain("exhausted"))
    response = fallbacks.post(fallbacks.route("exhausted"))
    statuses = fallbacks.spec.get("exhausted_statuses") or [502, 503]
    if response.status_code not in statuses:
        fallbacks.setup_missing(response.status_code, error_text(response))
        raise ContractViolation(
            f"Every candidate failed, yet the answer is HTTP {response.status_code}",
            expected=f"HTTP {' or '.join(map(str, statuses))} with an error envelope",
            received=describe(response),
            check=FALLBACK_EXHAUSTED_STATUS,
            operation=fallbacks.chat_op,
        )
    check_error_envelope(response, operation=fallbacks.chat_op)
