"""suites/fallbacks is honest: it passes on a clean mock, and each fault mode fails its scenario.

Each proof runs only the scenario the fault aims at (``-k``), in its own process against a mock
started with that fault, and asserts the failure names the defect; the clean runs show every
scenario passes without faults.  All runs are queued when the module starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py
SUITE = "fallbacks"
FLAVORS = ("requesty", "openrouter")


@dataclass(frozen=True)
class Proof:
    """A fault mode, the one scenario it must break, on which flavor, and what the failure says."""

    fault: str
    scenario: str
    profile: str
    says: tuple[str, ...]
    cases: str = ""  # a further -k filter on the scenario's cases

    @property
    def args(self) -> tuple[str, ...]:
        return ("-k", f"{self.scenario} and {self.cases}" if self.cases else self.scenario)


#: The timeout case waits out the mock's upstream timeout per provider; the clean runs cover it.
SKIP_SLOW = "not timeout"
BILLED = "test_fallback_is_billed_at_the_answering_models_price"
PROOFS = [
    Proof("no-fallback", "test_failing_primary_falls_back", "requesty",
          ("failed", "and no fallback answered", "Expected: HTTP 200 from the next candidate"), SKIP_SLOW),
    Proof("wrong-model-reported", "test_failing_primary_falls_back", "openrouter",
          ("Fallback answer names openai/gpt-4o-mini instead of the fallback model",), SKIP_SLOW),
    Proof("fallback-cost-at-primary-price", BILLED, "requesty",
          ("Fallback answer is billed at the primary model's price",)),
    Proof("fallback-ignores-allow-fallbacks", "test_fallbacks_switched_off_return_the_error", "openrouter",
          ("Fallbacks off and the provider failed, yet the answer is HTTP 200",)),
    Proof("error-as-200", "test_all_candidates_failing_is_an_error", "openrouter",
          ("Every candidate failed, yet the answer is HTTP 200",)),
    Proof("bad-error-envelope", "test_all_candidates_failing_is_an_error", "requesty",
          ("Error body is not JSON",)),
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _queue_every_run(run_suite: SuiteRunner) -> None:
    """Queue all of this module's runs at once (they run in the background, one per CPU)."""
    for profile in (*FLAVORS, "openai"):
        run_suite.submit(SUITE, profile=profile)
    for proof in PROOFS:
        run_suite.submit(SUITE, profile=proof.profile, faults=[proof.fault], extra_args=proof.args)


@pytest.mark.parametrize("profile", FLAVORS)
def test_fallbacks_suite_passes_on_a_clean_mock(run_suite: SuiteRunner, profile: str) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_passed_or_not_applicable()


def test_fallbacks_suite_is_not_applicable_to_a_plain_openai_server(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    result.assert_all_not_applicable()


@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.fault)
def test_fault_fails_its_scenario_naming_the_defect(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, profile=proof.profile, faults=[proof.fault], extra_args=proof.args)
    result.assert_failed(proof.scenario, contains=proof.says)
