"""Every fault mode fails exactly the scenarios its registry entry names, with the text it names.

One test per proof of :data:`gatecheck.mock.faults.FAULTS`: the proof's suite runs in its own
process against a mock with that one fault on; the scenarios the proof ``catches`` must fail
with every text of ``says``, its ``also`` scenarios fail with them, and nothing else fails.
For the contract suite the proof names failure keys (``operation::check``).  ``-k FAULT-NAME``
runs the proofs of one fault and nothing else.
"""

from __future__ import annotations

from typing import Any

import pytest

from gatecheck.mock.faults import FAULTS, FaultMode, Proof
from suite_runs import SuiteRunner

pytestmark = pytest.mark.slow

CASES = [(mode, proof) for mode in FAULTS.values() for proof in mode.proofs]


def _id(case: tuple[FaultMode, Proof]) -> str:
    mode, proof = case
    return f"{mode.name}:{proof.suite}:{proof.profile}"  # -k takes none of @ / = ( )


def _args(proof: Proof) -> tuple[str, ...]:
    """The run's own options: the contract suite checks only what the proof names, once."""
    if proof.suite != "contract":
        return proof.args
    checks = sorted({key.rsplit("::", 1)[1] for key in proof.catches})
    examples = () if "--examples" in proof.args else ("--examples", "1")
    return (*proof.args, "--contract-checks", ",".join(checks), *examples)


def planned_run(params: dict[str, Any]) -> tuple[str, str, tuple[str, ...], tuple[str, ...]] | None:
    """The suite run a selected proof needs (queued by conftest.py as soon as collection ends)."""
    case = params.get("case")
    if case is None:
        return None
    mode, proof = case
    return proof.suite, proof.profile, (mode.name,), _args(proof)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_fault_fails_exactly_what_must_catch_it(
    run_suite: SuiteRunner, case: tuple[FaultMode, Proof]
) -> None:
    mode, proof = case
    result = run_suite(proof.suite, profile=proof.profile, faults=[mode.name], extra_args=_args(proof))
    if proof.suite == "contract":
        assert result.returncode == 1, result
        assert set(proof.catches) <= result.failure_keys, result
        assert "Reproduce with:" in result.output and "curl -X" in result.output
        assert "Replay this run with --gatecheck-seed" in result.output
        return
    for scenario in proof.catches:
        result.assert_failed(scenario, contains=proof.says)
    result.assert_only_failed({*proof.catches, *proof.also})
