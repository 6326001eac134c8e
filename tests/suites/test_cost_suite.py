"""suites/cost proves itself: clean mocks pass, and each fault mode fails exactly its scenarios."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from gatecheck.mock.faults import FAULTS

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "cost"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

_CATALOG = "test_cost_matches_the_catalog_price"
_SPEND = frozenset({"test_key_usage_grows_by_the_request_cost", "test_org_usage_grows_by_the_request_cost"})
_ADDS_UP, _BOUND = "test_chat_usage_adds_up", "test_chat_max_tokens_bounds_the_billed_tokens"
_CUT, _STREAM_BOUND = "test_chat_answer_cut_by_max_tokens_says_length", "test_streamed_chat_obeys_max_tokens"
#: Token-count scenarios that apply wherever chat, streaming and embeddings are claimed.
_TOKEN_COUNTS = frozenset({_ADDS_UP, _BOUND, _CUT, _STREAM_BOUND, "test_embeddings_usage_adds_up"})


class Proof(NamedTuple):
    """Fault ``fault`` fails each of ``scenarios`` with a message containing ``says``; exactly
    ``scenarios`` and ``also`` (scenarios that rely on the same point) fail."""

    fault: str
    scenarios: frozenset[str]
    says: tuple[str, ...]
    also: frozenset[str] = frozenset()
    profile: str = "requesty"


PROOFS = [
    Proof(
        "omit-usage-cost",
        frozenset({"test_answer_reports_usage_cost", "test_stream_usage_chunk_reports_cost"}),
        ("usage.cost is missing",),
        _SPEND | {_CATALOG, "test_embeddings_report_usage"},
    ),
    Proof("wrong-cost", frozenset({_CATALOG}), ("disagrees with", "catalog price"), _SPEND),
    Proof(
        "wrong-cost",
        frozenset({_CATALOG, "test_generation_stats_agree_with_usage"}),
        ("usage.cost disagrees with",),
        profile="openrouter",
    ),
    Proof(
        "no-usage-on-embeddings",
        frozenset({"test_embeddings_report_usage"}),
        ("lacks token usage",),
        frozenset({"test_embeddings_usage_adds_up"}),
    ),
    Proof("usage-not-recorded", _SPEND, ("grow", "within 1 s")),
    Proof("usage-total-mismatch", frozenset({_ADDS_UP, _BOUND}), ("usage.total_tokens", "does not add up")),
    Proof("max-tokens-ignored", frozenset({_BOUND, _STREAM_BOUND}), ("max_tokens ignored", "5 allowed")),
    Proof("finish-reason-not-length", frozenset({_CUT}), ("finish_reason 'stop'", "'length'")),
    Proof(
        "negative-token-count",
        frozenset({_ADDS_UP, _BOUND, _CUT}),
        ("usage.prompt_tokens", "not a non-negative integer"),
        frozenset({f"{_CATALOG}[plain]"}),  # the cost, right for the true counts, disagrees with the reported
    ),
    Proof(
        "fractional-token-count",
        frozenset({_ADDS_UP, _BOUND, _CUT}),
        ("usage.completion_tokens", "not a non-negative integer", ".5"),
        frozenset({f"{_CATALOG}[plain]"}),
    ),
]

CLEAN = ["requesty", "openrouter", "openai"]


#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in CLEAN] + [
    (SUITE, proof.profile, (proof.fault,)) for proof in PROOFS if proof.fault in FAULTS
]


def _param(proof: Proof) -> Any:
    pending = pytest.mark.xfail(
        proof.fault not in FAULTS,
        reason=f"fault mode {proof.fault} is not in the mock's registry yet",
        run=False,
        strict=True,
    )
    return pytest.param(proof, id=f"{proof.fault}@{proof.profile}", marks=pending)


@pytest.mark.parametrize("proof", [_param(p) for p in PROOFS])
def test_fault_fails_its_scenarios(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, profile=proof.profile, faults=[proof.fault])
    for scenario in proof.scenarios:
        result.assert_failed(scenario, contains=proof.says)
    result.assert_only_failed(proof.scenarios | proof.also)


@pytest.mark.parametrize(
    ("profile", "not_claimed"),
    [
        ("requesty", {"test_generation_stats_agree_with_usage"}),
        ("openrouter", set(_SPEND)),
    ],
)
def test_clean_mock_passes_every_applicable_scenario(
    run_suite: SuiteRunner, profile: str, not_claimed: set[str]
) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    assert result.skipped == not_claimed
    for name in not_claimed:
        result.assert_skipped(name, contains="not applicable")


def test_plain_openai_profile_has_no_cost_to_check(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    result.assert_all_passed(allow_skips=True)
    assert result.passed == {"test_embeddings_report_usage"} | _TOKEN_COUNTS
    for name in result.skipped:
        result.assert_skipped(name, contains="not applicable: profile openai does not claim")
