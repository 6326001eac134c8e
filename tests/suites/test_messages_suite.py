"""suites/messages proves itself: the clean OpenRouter mock passes, each fault mode fails exactly
its scenarios, and profiles without the Messages API (Requesty, plain OpenAI) skip the suite.

The fault modes break disjoint scenarios, so they are proven together in one run (one mock):
each proof checks that its scenarios failed naming its defect, and the run that nothing else
failed.  ``test_grouped_faults_break_disjoint_scenarios`` keeps the group honest.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "messages"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py
PROFILE = "openrouter"  # the one bundled profile that claims 'messages'


class Proof(NamedTuple):
    """Fault ``fault`` fails each of ``scenarios`` with a message containing ``says``."""

    fault: str
    scenarios: frozenset[str]
    says: tuple[str, ...]


PROOFS = [
    Proof(
        "messages-content-not-blocks",
        frozenset({"test_message_has_the_documented_shape"}),
        ("content is not a list of content blocks",),
    ),
    Proof(
        "messages-bad-stop-reason",
        frozenset(
            {"test_stop_reason_is_max_tokens_when_cut_short", "test_stop_reason_is_end_turn_when_complete"}
        ),
        ("stop_reason is '",),
    ),
    Proof(
        "messages-missing-usage", frozenset({"test_usage_reports_input_and_output_tokens"}), ("usage: None",)
    ),
    Proof(
        "messages-events-out-of-order",
        frozenset({"test_stream_events_follow_the_documented_order"}),
        ("(message_stop) is out of order", "message_delta"),
    ),
]
FAULTS = tuple(p.fault for p in PROOFS)

#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in ("openrouter", "requesty", "openai")] + [
    (SUITE, PROFILE, FAULTS)
]


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


@pytest.mark.parametrize("profile", ["requesty", "openai"])
def test_profiles_without_messages_skip_the_suite(run_suite: SuiteRunner, profile: str) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    assert not result.passed
    for name in result.skipped:
        result.assert_skipped(name, contains=f"not applicable: profile {profile} does not claim 'messages'")
