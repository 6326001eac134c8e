"""suites/streaming proves itself: clean mocks pass, and each fault mode fails exactly its scenario."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from gatecheck.mock.faults import FAULTS

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "streaming"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py


class Proof(NamedTuple):
    """Fault ``fault`` on a ``profile`` mock fails ``scenario`` with a message containing ``says``;
    ``fails`` is every scenario of the suite that may fail with it (exactly those do)."""

    fault: str
    scenario: str
    says: tuple[str, ...]
    fails: frozenset[str] = frozenset()
    profile: str = "requesty"

    @property
    def id(self) -> str:
        return f"{self.fault}@{self.profile}"


# Scenarios that judge the whole chunk sequence: a stream whose payloads are not JSON fails them all.
_CHUNK_SCENARIOS = frozenset(
    {
        "test_every_data_payload_is_json",
        "test_first_chunk_announces_the_assistant_role",
        "test_chunk_identity_is_constant",
        "test_one_finish_reason_on_the_last_chunk",
        "test_usage_chunk_comes_once_before_done",
        "test_streamed_deltas_match_the_plain_answer",
        "test_streamed_tool_calls_reassemble",
    }
)

PROOFS = [
    Proof(
        "wrong-content-type",
        "test_stream_is_served_as_event_stream",
        ("text/event-stream", "application/json"),
    ),
    Proof("data-not-json", "test_every_data_payload_is_json", ("is not a JSON object",), _CHUNK_SCENARIOS),
    Proof(
        "comment-as-data",
        "test_comments_stay_comments",
        ("Comment sent as data", "OPENROUTER PROCESSING"),
        _CHUNK_SCENARIOS,
        profile="openrouter",
    ),
    Proof(
        "no-done-sentinel",
        "test_done_sentinel_ends_the_stream",
        ("no [DONE] sentinel",),
        frozenset({"test_usage_chunk_comes_once_before_done"}),
    ),
    Proof(
        "content-after-done",
        "test_done_sentinel_ends_the_stream",
        ("continues after [DONE]",),
        frozenset({"test_usage_chunk_comes_once_before_done"}),
    ),
    Proof("role-missing", "test_first_chunk_announces_the_assistant_role", ("lacks role: assistant",)),
    Proof("chunk-id-changes", "test_chunk_identity_is_constant", ("Chunk id changes",)),
    Proof("finish-reason-twice", "test_one_finish_reason_on_the_last_chunk", ("exactly one finish_reason",)),
    Proof("usage-chunk-has-choices", "test_usage_chunk_comes_once_before_done", ("choices: []",)),
    Proof("duplicate-usage-chunk", "test_usage_chunk_comes_once_before_done", ("2 usage chunks",)),
    Proof("omit-usage-cost", "test_usage_chunk_comes_once_before_done", ("usage.cost is missing",)),
    Proof("buffered-stream", "test_stream_is_not_buffered", ("buffered", "1 reads")),
    Proof("deltas-differ", "test_streamed_deltas_match_the_plain_answer", ("differs from the non-streamed",)),
    Proof("stream-tool-call-no-index", "test_streamed_tool_calls_reassemble", ("has no index",)),
    Proof(
        "error-as-200",
        "test_failure_before_first_byte_is_an_http_error",
        ("answered HTTP 200",),
    ),
    Proof(
        "stream-cut-no-error-event",
        "test_failure_mid_stream_ends_with_an_error_event",
        ("does not end with an error event",),
    ),
]

CLEAN = ["requesty", "openrouter", "openai"]


#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in CLEAN] + [
    (SUITE, proof.profile, (proof.fault,)) for proof in PROOFS if proof.fault in FAULTS
]


def _pending(proof: Proof) -> pytest.MarkDecorator:
    return pytest.mark.xfail(
        proof.fault not in FAULTS,
        reason=f"fault mode {proof.fault} is not in the mock's registry yet",
        run=False,
        strict=True,
    )


@pytest.mark.parametrize("proof", [pytest.param(p, id=p.id, marks=_pending(p)) for p in PROOFS])
def test_fault_fails_its_scenario(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, profile=proof.profile, faults=[proof.fault])
    result.assert_failed(proof.scenario, contains=proof.says)
    result.assert_only_failed({proof.scenario} | proof.fails)


@pytest.mark.parametrize("profile", ["requesty", "openrouter"])
def test_clean_mock_passes_every_applicable_scenario(run_suite: SuiteRunner, profile: str) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    for name in result.skipped:
        result.assert_skipped(name, contains="not applicable")


def test_processing_comments_apply_only_where_claimed(run_suite: SuiteRunner) -> None:
    run_suite(SUITE, profile="openrouter").assert_passed("test_comments_stay_comments")
    run_suite(SUITE, profile="requesty").assert_skipped(
        "test_comments_stay_comments", contains="not applicable"
    )


def test_plain_openai_profile_skips_vendor_extensions(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    result.assert_all_passed(allow_skips=True)
    result.assert_skipped("test_comments_stay_comments", contains="does not claim 'processing-comments'")
