"""suites/structured proves itself: clean mocks pass, on every bundled profile (each claims
structured outputs), and each fault mode fails exactly its scenario.

The two fault modes break disjoint scenarios, so they are proven together in one run.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "structured"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py
PROFILE = "openrouter"


class Proof(NamedTuple):
    """Fault ``fault`` fails each of ``scenarios`` with a message containing ``says``."""

    fault: str
    scenarios: frozenset[str]
    says: tuple[str, ...]


PROOFS = [
    Proof(
        "json-mode-invalid",
        frozenset({"test_json_object_mode_yields_json"}),
        ("Answer is not JSON although response_format asked for json_object",),
    ),
    Proof(
        "json-schema-violated",
        frozenset({"test_strict_json_schema_output_validates"}),
        ("does not match the schema", "'city' is a required property"),
    ),
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


@pytest.mark.parametrize("profile", CLEAN)
def test_clean_mock_passes_every_scenario(run_suite: SuiteRunner, profile: str) -> None:
    run_suite(SUITE, profile=profile).assert_all_passed()
