"""suites/rerank proves itself: the clean OpenRouter mock passes, and each fault fails its scenario.

The ranking faults break disjoint points (order, indices, top_n, usage), and the top_n scenario
compares the documents chosen, not their order or numbering, so one mock runs with all of them
on; each proof asserts its scenario failed naming its defect, and the run asserts nothing else
failed.  Only OpenRouter claims rerank.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "rerank"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py


class Proof(NamedTuple):
    """Fault ``fault`` fails ``scenario`` with a message containing ``says``."""

    fault: str
    scenario: str
    says: tuple[str, ...]


PROOFS = [
    Proof("rerank-unsorted", "test_results_are_sorted_by_relevance", ("not sorted by relevance",)),
    Proof(
        "rerank-index-off-by-one",
        "test_result_indices_point_into_the_documents",
        ("do not point into the documents", "index = 4: no such document"),
    ),
    Proof("top-n-ignored", "test_top_n_is_honoured", ("top_n: 2 is not honoured", "4 results")),
    Proof("no-usage-on-rerank", "test_rerank_usage_is_reported", ("Rerank answer lacks usage",)),
]
FAULTS = tuple(sorted(p.fault for p in PROOFS))
SCENARIOS = {p.scenario for p in PROOFS}

#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in ("requesty", "openrouter", "openai")] + [
    (SUITE, "openrouter", FAULTS)
]


@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.fault)
def test_fault_fails_its_scenario(run_suite: SuiteRunner, proof: Proof) -> None:
    run_suite(SUITE, profile="openrouter", faults=FAULTS).assert_failed(proof.scenario, contains=proof.says)


def test_faults_fail_nothing_else(run_suite: SuiteRunner) -> None:
    run_suite(SUITE, profile="openrouter", faults=FAULTS).assert_only_failed(SCENARIOS)


def test_clean_openrouter_mock_passes_every_scenario(run_suite: SuiteRunner) -> None:
    run_suite(SUITE, profile="openrouter").assert_all_passed()


@pytest.mark.parametrize("profile", ["requesty", "openai"])
def test_profiles_without_rerank_skip_the_suite(run_suite: SuiteRunner, profile: str) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    assert result.skipped == SCENARIOS
    for name in SCENARIOS:
        result.assert_skipped(name, contains=f"not applicable: profile {profile} does not claim 'rerank'")
