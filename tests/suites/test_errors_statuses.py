"""suites/errors judges statuses by the profile's documented ones, and only by them.

The fault proofs of the suite are in ``tests/proofs``; these are the runs where the profile, not a
fault, decides: the plain OpenAI profile holds the Requesty-speaking mock to OpenAI's statuses, and
a profile that documents none gives a note, never a pass or a failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # runs a suite in a subprocess

SUITE = "errors"
SuiteRunner = Any  # the run_suite fixture of tests/conftest.py


def test_plain_openai_profile_holds_the_mock_to_openais_statuses(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    # The mock speaks Requesty (400 for an unknown model, error.code 401 for a wrong key), where
    # OpenAI documents 404 model_not_found and 401 invalid_api_key: the profile holds it to those.
    result.assert_failed("test_unknown_model_is_refused", contains="Expected HTTP 404, got HTTP 400")
    result.assert_failed("test_wrong_key_is_refused", contains="invalid_api_key")
    result.assert_only_failed({"test_unknown_model_is_refused", "test_wrong_key_is_refused"})


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
