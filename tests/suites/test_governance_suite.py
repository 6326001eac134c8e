"""suites/governance is honest: it passes on a clean mock, and each fault mode fails its scenario.

Each proof runs only the scenario the fault aims at (``-k``), in its own process against a mock
started with that fault, and asserts the failure names the defect; the clean runs show every
scenario passes without faults where the profile claims its capability, and is "not applicable"
where it does not.  All runs are queued when the module starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py
SUITE = "governance"


@dataclass(frozen=True)
class Proof:
    """A fault mode, the one scenario it must break, on which flavor, and what the failure says."""

    fault: str
    scenario: str
    profile: str
    says: tuple[str, ...]

    @property
    def args(self) -> tuple[str, ...]:
        return ("-k", self.scenario)


PROOFS = [
    Proof("guardrail-not-enforced", "test_guardrail_allowed_models_limit_the_key", "openrouter",
          ("guardrail allows only", "answered HTTP 200", "Expected: HTTP 403")),
    Proof("guardrail-limit-not-enforced", "test_guardrail_budget_refuses_with_402", "openrouter",
          ("guardrail has limit_usd", "answered HTTP 200", "Expected: HTTP 402")),
    Proof("guardrail-unassign-ignored", "test_unassigning_the_guardrail_restores_access", "openrouter",
          ("removed from the guardrail", "answered HTTP 403", "Expected: HTTP 200")),
    Proof("guardrail-update-ignored", "test_guardrail_crud_round_trip", "openrouter",
          ("Get does not return the guardrail's patched fields", "limit_usd: sent 7.5, got 5.0")),
    Proof("guardrail-assign-miscount", "test_assignment_counts_match_the_keys", "openrouter",
          ("assigned_count says 2 keys were assigned; the request assigned 1",)),
    Proof("access-list-ignored", "test_access_list_limits_the_key_to_its_models", "requesty",
          ("access list (allowed_models) holds only", "answered HTTP 200", "Expected: HTTP 403")),
    Proof("pkce-verifier-not-checked", "test_wrong_verifier_is_refused", "openrouter",
          ("Exchange with a wrong code_verifier answered HTTP 200", "(a new key, masked)")),
    Proof("pkce-code-reusable", "test_code_cannot_be_exchanged_twice", "openrouter",
          ("A second exchange of a used code answered HTTP 200",)),
    Proof("pkce-key-unusable", "test_pkce_exchange_gives_a_working_key", "openrouter",
          ("The key came from the PKCE exchange, yet a request", "answered HTTP 401")),
    Proof("credits-usage-stale", "test_credits_usage_grows_after_a_paid_request", "openrouter",
          ("Credits usage did not grow after a paid request", "0 before, 0 after")),
    Proof("credits-total-negative", "test_credits_report_a_consistent_balance", "openrouter",
          ("/data/total_credits is not a non-negative number", "-100")),
]  # fmt: skip
# what each flavor's profile claims of this suite: these must pass, everything else be not applicable
APPLICABLE = {
    "openrouter": {p.scenario for p in PROOFS if p.profile == "openrouter"},
    "requesty": {"test_access_list_limits_the_key_to_its_models"},
    "openai": set(),
}


@pytest.fixture(scope="module", autouse=True)
def _queue_every_run(run_suite: SuiteRunner) -> None:
    """Queue all of this module's runs at once (they run in the background, one per CPU)."""
    for profile in APPLICABLE:
        run_suite.submit(SUITE, profile=profile)
    for proof in PROOFS:
        run_suite.submit(SUITE, profile=proof.profile, faults=[proof.fault], extra_args=proof.args)


@pytest.mark.parametrize("profile", sorted(APPLICABLE))
def test_governance_suite_passes_or_is_not_applicable_on_a_clean_mock(
    run_suite: SuiteRunner, profile: str
) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_passed_or_not_applicable()
    assert result.passed == APPLICABLE[profile], result.outcomes


def test_every_scenario_has_a_proof(run_suite: SuiteRunner) -> None:
    scenarios = {o.name for o in run_suite(SUITE, profile="openai").outcomes}
    assert scenarios == {p.scenario for p in PROOFS}


@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.fault)
def test_fault_fails_its_scenario_naming_the_defect(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, profile=proof.profile, faults=[proof.fault], extra_args=proof.args)
    result.assert_failed(proof.scenario, contains=proof.says)
