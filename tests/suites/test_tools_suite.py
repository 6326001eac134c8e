"""suites/tools proves itself: clean mocks pass, each fault mode fails exactly its scenario, and
web search applies only where the profile claims it.

The fault modes break disjoint scenarios, so they are proven together in one run (one mock):
each proof checks that its scenario failed naming its defect, and the run that nothing else
failed.  ``test_grouped_faults_break_disjoint_scenarios`` keeps the group honest.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "tools"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py
PROFILE = "requesty"  # claims web-search, so every scenario of the suite applies
WEB_SEARCH = "test_web_search_answer_cites_its_sources"


class Proof(NamedTuple):
    """Fault ``fault`` fails each of ``scenarios`` with a message containing ``says``."""

    fault: str
    scenarios: frozenset[str]
    says: tuple[str, ...]


PROOFS = [
    Proof(
        "tool-choice-ignored",
        frozenset({"test_forced_tool_choice_calls_the_named_function"}),
        ("tool_choice named get_weather but the answer calls get_time",),
    ),
    Proof(
        "tool-args-invalid",
        frozenset({"test_tool_call_arguments_match_the_function_parameters"}),
        ("do not match the function's parameters", "is a required property"),
    ),
    Proof(
        "wrong-finish-reason-for-tools",
        frozenset({"test_tool_call_finishes_with_tool_calls"}),
        ("An answer with tool_calls finishes with 'stop'",),
    ),
    Proof(
        "tool-result-rejected",
        frozenset({"test_tool_result_continues_the_conversation"}),
        ("A conversation with a tool result was refused", "HTTP 400"),
    ),
    Proof("web-search-no-citations", frozenset({WEB_SEARCH}), ("cites no sources",)),
]
FAULTS = tuple(p.fault for p in PROOFS)
CLEAN = ["requesty", "openrouter", "openai"]

#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in CLEAN] + [(SUITE, PROFILE, FAULTS)]


def test_grouped_faults_break_disjoint_scenarios() -> None:
    targets = [name for proof in PROOFS for name in proof.scenarios]
    assert len(targets) == len(set(targets)), targets


@pytest.mark.parametrize("proof", [pytest.param(p, id=p.fault) for p in PROOFS])
def test_fault_fails_its_scenarios(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, profile=PROFILE, faults=FAULTS)
    for scenario in proof.scenarios:
        result.assert_failed(scenario, contains=proof.says)
    result.assert_only_failed({name for p in PROOFS for name in p.scenarios})


def test_clean_mock_passes_every_scenario(run_suite: SuiteRunner) -> None:
    run_suite(SUITE, profile=PROFILE).assert_all_passed()


@pytest.mark.parametrize("profile", ["openrouter", "openai"])
def test_web_search_applies_only_where_claimed(run_suite: SuiteRunner, profile: str) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    assert result.skipped == {WEB_SEARCH}
    result.assert_skipped(WEB_SEARCH, contains=f"profile {profile} does not claim 'web-search'")
