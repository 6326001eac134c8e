"""suites/responses proves itself: clean mocks pass, and each fault mode fails exactly its scenario.

The suite's fault modes break disjoint scenarios, so they are proven together, in one run (one
mock) per group: each proof checks that its scenario failed naming its defect, and the run that
nothing else failed.  ``test_grouped_faults_break_disjoint_scenarios`` keeps the groups honest.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "responses"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py


class Proof(NamedTuple):
    """Fault ``fault`` fails each of ``scenarios`` with a message containing ``says``; ``also``
    are scenarios that rely on the same point and fail with it."""

    fault: str
    scenarios: frozenset[str]
    says: tuple[str, ...]
    also: frozenset[str] = frozenset()
    profile: str = "requesty"

    @property
    def fails(self) -> frozenset[str]:
        return self.scenarios | self.also


_STRUCTURED = "test_json_schema_format_shapes_the_output_text"

PROOFS = [
    Proof(
        "responses-missing-output",
        frozenset({"test_response_object_has_the_documented_shape"}),
        ("has no message in output",),
        frozenset({_STRUCTURED}),  # its JSON is read from the non-streamed output
    ),
    Proof(
        "responses-no-completed-event",
        frozenset({"test_stream_opens_with_created_and_closes_with_completed"}),
        ("does not close with one response.completed",),
    ),
    Proof(
        "responses-events-out-of-order",
        frozenset({"test_stream_events_are_numbered_and_in_order"}),
        ("(response.output_text.delta) is out of order", "before response.output_text.done"),
    ),
    Proof(
        "responses-delta-dropped",
        frozenset({"test_text_deltas_join_into_the_final_output_text"}),
        ("Text deltas do not join",),
    ),
    Proof(
        "responses-bad-function-args",
        frozenset({"test_streamed_function_call_events_arrive_in_order"}),
        ("arguments are not valid JSON",),
    ),
    Proof(
        "responses-schema-ignored",
        frozenset({_STRUCTURED}),
        ("Output text is not JSON", "text.format"),
        profile="openrouter",  # apart from responses-missing-output, which empties its answer
    ),
]


def _groups() -> dict[str, list[Proof]]:
    groups: dict[str, list[Proof]] = {}
    for proof in PROOFS:
        groups.setdefault(proof.profile, []).append(proof)
    return groups


GROUPS = _groups()
CLEAN = ["requesty", "openrouter", "openai"]

#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in CLEAN] + [
    (SUITE, profile, tuple(p.fault for p in proofs)) for profile, proofs in GROUPS.items()
]


def _grouped_run(run_suite: SuiteRunner, profile: str) -> Any:
    return run_suite(SUITE, profile=profile, faults=[p.fault for p in GROUPS[profile]])


def test_grouped_faults_break_disjoint_scenarios() -> None:
    for proofs in GROUPS.values():
        targets = [name for proof in proofs for name in proof.fails]
        assert len(targets) == len(set(targets)), targets


@pytest.mark.parametrize("proof", [pytest.param(p, id=f"{p.fault}@{p.profile}") for p in PROOFS])
def test_fault_fails_its_scenarios(run_suite: SuiteRunner, proof: Proof) -> None:
    result = _grouped_run(run_suite, proof.profile)
    for scenario in proof.scenarios:
        result.assert_failed(scenario, contains=proof.says)
    result.assert_only_failed({name for p in GROUPS[proof.profile] for name in p.fails})


@pytest.mark.parametrize("profile", ["requesty", "openrouter"])
def test_clean_mock_passes_every_scenario(run_suite: SuiteRunner, profile: str) -> None:
    run_suite(SUITE, profile=profile).assert_all_passed()


def test_plain_openai_profile_has_no_responses_api(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    result.assert_all_passed(allow_skips=True)
    assert not result.passed
    for name in result.skipped:
        result.assert_skipped(name, contains="not applicable: profile openai does not claim 'responses'")
