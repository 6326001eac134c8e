"""suites/errors proves itself: clean mocks pass, and each fault mode fails exactly its scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest

from gatecheck.mock.faults import FAULTS

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "errors"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

_BAD_REQUESTS = frozenset(
    {"test_malformed_json_is_refused", "test_missing_messages_is_refused", "test_unknown_model_is_refused"}
)
_NO_KEY = frozenset({"test_missing_key_is_refused", "test_wrong_key_is_refused"})
#: The 429 asked for on purpose, and every 429 of the run (judged last).
_RETRY_AFTER = frozenset(
    {
        "test_rate_limited_answer_carries_retry_after",
        "test_every_rate_limited_answer_of_the_run_carries_retry_after",
    }
)


class Proof(NamedTuple):
    """Fault ``fault`` fails each of ``scenarios`` with a message containing ``says``; no other
    scenario of the suite fails."""

    fault: str
    scenarios: frozenset[str]
    says: tuple[str, ...]
    profile: str = "requesty"


PROOFS = [
    Proof("auth-not-enforced", _NO_KEY, ("Expected HTTP 401, got HTTP 200",)),
    Proof(
        "bad-error-envelope",
        _NO_KEY | _BAD_REQUESTS | {"test_rate_limited_answer_carries_retry_after"},
        ("Error body is not JSON", "text/plain"),
    ),
    Proof("wrong-status-on-bad-json", frozenset({"test_malformed_json_is_refused"}), ("got HTTP 500",)),
    Proof("missing-messages-accepted", frozenset({"test_missing_messages_is_refused"}), ("got HTTP 200",)),
    Proof("unknown-model-200", frozenset({"test_unknown_model_is_refused"}), ("got HTTP 200",)),
    Proof("vague-error-messages", _BAD_REQUESTS, ("does not name the problem",)),
    Proof("no-retry-after", _RETRY_AFTER, ("429 answer lacks Retry-After", "with no Retry-After")),
    Proof("retry-after-negative", _RETRY_AFTER, ("Retry-After is negative", "'-5'")),
    Proof("retry-after-not-a-number", _RETRY_AFTER, ("neither delay-seconds nor an HTTP-date", "'soon'")),
    Proof(
        "inference-key-manages",
        frozenset({"test_inference_key_cannot_manage_keys"}),
        ("Expected HTTP 401 or HTTP 403, got HTTP 200",),
    ),
    Proof(
        "inference-key-manages",
        frozenset({"test_inference_key_cannot_manage_keys"}),
        ("Expected HTTP 401 or HTTP 403, got HTTP 200",),
        profile="openrouter",
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
    result.assert_only_failed(proof.scenarios)


@pytest.mark.parametrize("profile", ["requesty", "openrouter"])
def test_clean_mock_passes_every_scenario(run_suite: SuiteRunner, profile: str) -> None:
    run_suite(SUITE, profile=profile).assert_all_passed()


def test_plain_openai_profile_skips_vendor_extensions(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    # The mock speaks Requesty (400 for an unknown model, error.code 401 for a wrong key), where
    # OpenAI documents 404 model_not_found and 401 invalid_api_key: the profile holds it to those.
    result.assert_failed("test_unknown_model_is_refused", contains="Expected HTTP 404, got HTTP 400")
    result.assert_failed("test_wrong_key_is_refused", contains="invalid_api_key")
    result.assert_only_failed({"test_unknown_model_is_refused", "test_wrong_key_is_refused"})
    result.assert_skipped("test_inference_key_cannot_manage_keys", contains="not applicable")
    result.assert_skipped("test_rate_limited_answer_carries_retry_after", contains="not applicable")
    result.assert_skipped(
        "test_every_rate_limited_answer_of_the_run_carries_retry_after", contains="answered no 429"
    )
    assert result.skipped == {"test_inference_key_cannot_manage_keys"} | _RETRY_AFTER


def test_a_vendor_silent_on_a_status_gives_a_note_not_a_pass(run_suite: SuiteRunner, tmp_path: Path) -> None:
    """Without documented statuses, a refusal is judged for everything but its status, then inconclusive."""
    source = (Path(__file__).parents[2] / "src/gatecheck/profiles/requesty.yaml").read_text()
    silent = tmp_path / "silent.yaml"
    silent.write_text(source.split("\nerrors:")[0] + "\n")
    result = run_suite(SUITE, profile=str(silent))
    for name in (
        "test_unknown_model_is_refused",
        "test_missing_messages_is_refused",
        "test_wrong_key_is_refused",
    ):
        result.assert_skipped(name, contains=("inconclusive", "states no documented status", "HTTP 4"))
    assert result.failed == set()
