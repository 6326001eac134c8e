"""suites/keys is honest: it passes on a clean mock, and each fault mode fails its scenario.

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
SUITE = "keys"


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
    Proof("key-value-in-get", "test_key_value_is_returned_only_on_creation", "requesty",
          ("Key value returned again by get",)),
    Proof("get-ignores-set-fields", "test_get_returns_what_was_set", "openrouter",
          ("Get does not return the fields the key was created with", "limit")),
    Proof("delete-twice-200", "test_deleting_again_or_an_unknown_id_is_404", "requesty",
          ("A second delete of the same key answered HTTP 200",)),
    Proof("usage-not-recorded", "test_new_key_can_infer_and_is_billed", "requesty",
          ("spend does not show the request it made",)),
    Proof("stale-limit-remaining", "test_limit_remaining_is_limit_minus_spend", "openrouter",
          ("limit_remaining ignores what the key has spent",)),
    Proof("limit-not-enforced", "test_limit_below_spend_refuses_inference", "openrouter",
          ("limit is below its spend", "answered HTTP 200", "Expected: HTTP 402")),
    Proof("expired-key-still-valid", "test_expired_key_is_refused", "requesty",
          ("Key expired at", "answered HTTP 200", "Expected: HTTP 401")),
    Proof("disabled-key-still-valid", "test_disabled_key_is_refused", "openrouter",
          ("Key is disabled, yet inference answered HTTP 200",)),
    Proof("deleted-key-still-valid", "test_deleted_key_is_refused", "requesty",
          ("Key was deleted, yet inference answered HTTP 200",)),
    Proof("management-key-can-infer", "test_management_key_cannot_infer", "openrouter",
          ("A management key called inference, yet inference answered HTTP 200",)),
]  # fmt: skip
FLAVORS = ("requesty", "openrouter")


@pytest.fixture(scope="module", autouse=True)
def _queue_every_run(run_suite: SuiteRunner) -> None:
    """Queue all of this module's runs at once (they run in the background, one per CPU)."""
    for profile in (*FLAVORS, "openai"):
        run_suite.submit(SUITE, profile=profile)
    for proof in PROOFS:
        run_suite.submit(SUITE, profile=proof.profile, faults=[proof.fault], extra_args=proof.args)


@pytest.mark.parametrize("profile", FLAVORS)
def test_keys_suite_passes_on_a_clean_mock(run_suite: SuiteRunner, profile: str) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_passed_or_not_applicable()


def test_keys_suite_is_not_applicable_to_a_plain_openai_server(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    result.assert_all_not_applicable()


@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.fault)
def test_fault_fails_its_scenario_naming_the_defect(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, profile=proof.profile, faults=[proof.fault], extra_args=proof.args)
    result.assert_failed(proof.scenario, contains=proof.says)
