"""suites/embeddings proves itself: clean mocks pass, and each fault mode fails exactly its scenario.

The vector faults break disjoint points (order, length, the ``dimensions`` field, NaN, the input
forms, usage), and the order scenario compares vectors over their finite elements only, so one
mock runs with all of them on; each proof asserts its scenario failed naming its defect, and the
run asserts nothing else failed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "embeddings"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

DIMENSIONS_PARAM = "test_dimensions_parameter_is_honoured"


class Proof(NamedTuple):
    """Fault ``fault`` fails ``scenario`` with a message containing ``says``."""

    fault: str
    scenario: str
    says: tuple[str, ...]


PROOFS = [
    Proof("embeddings-out-of-order", "test_one_vector_per_input_in_input_order", ("not the first input's",)),
    Proof(
        "wrong-embedding-dimension",
        "test_vectors_have_the_models_dimension",
        ("not 1536-dimensional", "1535"),
    ),
    Proof("dimensions-ignored", DIMENSIONS_PARAM, ("dimensions: 256 is ignored", "[1536, 1536]")),
    Proof("nan-in-embedding", "test_vectors_are_finite_numbers", ("not finite numbers", "= nan")),
    Proof("no-usage-on-embeddings", "test_embedding_usage_is_reported", ("lacks token usage", "usage: None")),
    Proof(
        "string-input-refused",
        "test_string_and_array_inputs_are_both_accepted",
        ("A string input is not served",),
    ),
    Proof("empty-input-accepted", "test_empty_input_is_refused", ("is not refused with 400", "HTTP 200")),
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


@pytest.mark.parametrize("profile", ["requesty", "openrouter"])
def test_clean_mock_passes_every_scenario(run_suite: SuiteRunner, profile: str) -> None:
    run_suite(SUITE, profile=profile).assert_all_passed()


def test_plain_openai_profile_skips_the_dimensions_field(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    result.assert_all_passed(allow_skips=True)
    assert result.skipped == {DIMENSIONS_PARAM}
    result.assert_skipped(DIMENSIONS_PARAM, contains="not applicable: profile openai names no embedding")
