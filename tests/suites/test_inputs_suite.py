"""suites/inputs proves itself: clean mocks pass, and each fault mode fails exactly its scenarios.

The part faults touch different part types (PDFs, images, a type no flavor knows), so one mock
runs with all of them on; each proof asserts its scenarios failed naming the defect, and the run
asserts nothing else failed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "inputs"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

PDF = frozenset({"test_pdf_as_base64_is_accepted", "test_pdf_by_url_is_accepted"})
IMAGE = "test_image_part_is_accepted"
UNSUPPORTED = "test_unsupported_part_type_is_refused_by_name"


class Proof(NamedTuple):
    """Fault ``fault`` fails each of ``scenarios`` with a message containing ``says``."""

    fault: str
    scenarios: frozenset[str]
    says: tuple[str, ...]


PROOFS = [
    Proof("pdf-refused", PDF, ("input_file part", "is not accepted", "'input_file' is not supported")),
    Proof("image-refused", frozenset({IMAGE}), ("An image_url part is not accepted", "HTTP 400")),
    Proof(
        "unsupported-part-accepted",
        frozenset({UNSUPPORTED}),
        ("'gatecheck_hologram' content part is not refused", "HTTP 200"),
    ),
]
FAULTS = tuple(sorted(p.fault for p in PROOFS))

#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in ("requesty", "openrouter", "openai")] + [
    (SUITE, "requesty", FAULTS)
]


@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.fault)
def test_fault_fails_its_scenarios(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, faults=FAULTS)
    for scenario in proof.scenarios:
        result.assert_failed(scenario, contains=proof.says)


def test_faults_fail_nothing_else(run_suite: SuiteRunner) -> None:
    run_suite(SUITE, faults=FAULTS).assert_only_failed(set().union(*(p.scenarios for p in PROOFS)))


@pytest.mark.parametrize(
    ("profile", "not_claimed"),
    [("requesty", set()), ("openrouter", set(PDF)), ("openai", PDF | {IMAGE})],
)
def test_clean_mock_passes_every_applicable_scenario(
    run_suite: SuiteRunner, profile: str, not_claimed: set[str]
) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    assert result.skipped == not_claimed
    for name in not_claimed:
        result.assert_skipped(name, contains=f"not applicable: profile {profile} does not claim")
    result.assert_passed(UNSUPPORTED)
