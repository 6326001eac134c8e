"""A suite run forked from the fork server gives the same verdicts as a new interpreter.

The proofs and clean runs fork their runs (``tests/fork_server.py``) to save each run's
start-up.  A sample of them runs again here as plain ``python -m pytest`` processes: a faulted
scenario suite, a faulted contract suite, and every scenario suite at once on a clean mock.
Each case, its outcome and its failure keys, and the exit code must be the same both ways.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_clean_runs import planned_run as clean_run
from test_fault_proofs import CASES
from test_fault_proofs import planned_run as proof_run

from suite_runs import RunKey, SuiteResult, SuiteRunner, run_suite_in

pytestmark = pytest.mark.slow

Plan = tuple[str, str, tuple[str, ...], tuple[str, ...]]


def _first_proof(suite: str) -> Plan:
    plan = next(proof_run({"case": case}) for case in CASES if case[1].suite == suite)
    assert plan is not None
    return plan


SAMPLE: dict[str, Plan] = {
    "streaming-fault": _first_proof("streaming"),
    "errors-fault": _first_proof("errors"),
    "contract-fault": _first_proof("contract"),
    "every-scenario-suite-clean": clean_run({"profile": "requesty"}) or ("", "", (), ()),
}


def planned_run(params: dict[str, Any]) -> Plan | None:
    """The forked run a selected comparison needs (the proofs and clean runs share it)."""
    name = params.get("sample")
    return SAMPLE[name] if name else None


def _verdicts(result: SuiteResult) -> tuple[int, list[tuple[str, str, str, frozenset[str]]]]:
    cases = sorted((o.classname, o.name, o.outcome, o.keys) for o in result.outcomes)
    return result.returncode, cases


@pytest.mark.parametrize("sample", SAMPLE)
def test_a_forked_run_gives_the_verdicts_of_a_new_interpreter(
    run_suite: SuiteRunner, sample: str, tmp_path: Path
) -> None:
    if not run_suite.forks:
        pytest.skip("the fork server is switched off (GATECHECK_TESTS_NO_FORK) or fork is unavailable")
    suite, profile, faults, args = SAMPLE[sample]
    key: RunKey = SuiteRunner.key(suite, profile, faults, args)
    forked = run_suite(suite, profile=profile, faults=key[2], extra_args=key[3])
    plain = run_suite_in(tmp_path, suite, profile=profile, faults=key[2], extra_args=key[3])
    assert forked.outcomes, forked.output[-3000:]
    outputs = f"forked:\n{forked.output[-3000:]}\nplain:\n{plain.output[-3000:]}"
    assert _verdicts(forked) == _verdicts(plain), outputs
