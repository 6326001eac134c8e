"""suites/headers proves itself: clean mocks pass, and each fault mode fails exactly its scenario.

The faults break disjoint points (refusing analytics headers, echoing them into error messages,
the default model, the EU base URL); the echo scenario needs only some error, so refusing the
headers does not hide the echo.  One mock runs with all of them on; each proof asserts its
scenario failed naming its defect, and the run asserts nothing else failed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "headers"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

ACCEPTED = "test_analytics_headers_are_accepted"
NOT_ECHOED = "test_analytics_headers_are_not_echoed_into_errors"
DEFAULT_MODEL = "test_omitted_model_is_served_by_the_default_model"
EU = "test_eu_base_url_serves_the_same_api"


class Proof(NamedTuple):
    """Fault ``fault`` fails ``scenario`` with a message containing ``says``."""

    fault: str
    scenario: str
    says: tuple[str, ...]


PROOFS = [
    Proof("analytics-headers-refused", ACCEPTED, ("analytics headers is not served", "HTTP 400")),
    Proof("headers-echoed-in-errors", NOT_ECHOED, ("Error answer echoes the analytics headers",)),
    Proof(
        "default-model-ignored",
        DEFAULT_MODEL,
        ("not served by the default model", "model: 'openai/gpt-4o-mini'", "model: 'openai/gpt-4o'"),
    ),
    Proof("eu-region-unserved", EU, ("The EU base URL does not serve the API", "HTTP 404", "/eu/v1/models")),
]
FAULTS = tuple(sorted(p.fault for p in PROOFS))

#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in ("requesty", "openrouter", "openai")] + [
    (SUITE, "requesty", FAULTS)
]


@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.fault)
def test_fault_fails_its_scenario(run_suite: SuiteRunner, proof: Proof) -> None:
    run_suite(SUITE, faults=FAULTS).assert_failed(proof.scenario, contains=proof.says)


def test_faults_fail_nothing_else(run_suite: SuiteRunner) -> None:
    run_suite(SUITE, faults=FAULTS).assert_only_failed({p.scenario for p in PROOFS})


@pytest.mark.parametrize(
    ("profile", "not_claimed"),
    [
        ("requesty", set()),
        ("openrouter", {DEFAULT_MODEL, EU}),
        ("openai", {ACCEPTED, NOT_ECHOED, DEFAULT_MODEL, EU}),
    ],
)
def test_clean_mock_passes_every_applicable_scenario(
    run_suite: SuiteRunner, profile: str, not_claimed: set[str]
) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    assert result.skipped == not_claimed
    for name in not_claimed:
        result.assert_skipped(name, contains=f"not applicable: profile {profile} does not claim")
