"""The fault registry is complete: every fault has a proof, every scenario a fault that breaks it.

Static checks over ``gatecheck.mock.faults`` and the sources of ``suites/`` and the mock, so a
fault added without a proof, a scenario added without a fault, or a fault the mock never
consults fails here in a second, before any suite runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gatecheck.check_ids import CHECK_IDS
from gatecheck.mock import faults
from gatecheck.mock.faults import FAULTS, FaultMode

ROOT = Path(__file__).resolve().parents[2]
SUITES = ROOT / "suites"
MOCK = ROOT / "src" / "gatecheck" / "mock"
#: Suites whose scenarios are generated (schemathesis), so faults name failure keys instead.
GENERATED = {"contract"}
#: Scenarios that landed before a fault mode breaking them: known gaps, listed so that none is
#: added silently (each needs a fault in mock/faults.py; the test fails once one is proven).
UNPROVEN: set[tuple[str, str]] = set()


def _scenarios(suite: str) -> set[str]:
    """The test functions defined in ``suites/<suite>``, read from the source."""
    names = set()
    for path in (SUITES / suite).rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    return names


SCENARIO_SUITES = sorted(p.name for p in SUITES.iterdir() if p.is_dir() and any(p.rglob("test_*.py")))


def test_every_fault_has_a_proof() -> None:
    assert [name for name, mode in FAULTS.items() if not mode.proofs] == []


@pytest.mark.parametrize("suite", [s for s in SCENARIO_SUITES if s not in GENERATED])
def test_every_scenario_is_caught_under_some_fault(suite: str) -> None:
    caught = {
        name.split("[")[0]
        for mode in FAULTS.values()
        for p in mode.proofs
        if p.suite == suite
        for name in (*p.catches, *p.also)
    }
    known = {name for where, name in UNPROVEN if where == suite}
    assert sorted(_scenarios(suite) - caught) == sorted(known), "scenarios no fault mode is shown to break"


def test_proofs_name_real_suites_and_scenarios() -> None:
    for mode in FAULTS.values():
        for proof in mode.proofs:
            assert proof.suite in SCENARIO_SUITES, (mode.name, proof.suite)
            if proof.suite not in GENERATED:
                missing = {name.split("[")[0] for name in (*proof.catches, *proof.also)}
                assert missing <= _scenarios(proof.suite), (mode.name, missing - _scenarios(proof.suite))
                assert proof.says, f"{mode.name}: a scenario proof must say what the failure reads"
            else:
                checks = [key.rpartition("::")[2] for key in proof.catches if "::" in key]
                assert len(checks) == len(proof.catches), (mode.name, proof.catches)
                assert all(CHECK_IDS.info(check).kind == "contract" for check in checks), (mode.name, checks)


def test_each_constant_is_named_after_its_fault() -> None:
    constants = {k: v for k, v in vars(faults).items() if isinstance(v, FaultMode)}
    assert {k: v.name for k, v in constants.items()} == {
        v.name.upper().replace("-", "_"): v.name for v in constants.values()
    }


def test_the_mock_consults_every_fault_by_its_constant() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in MOCK.rglob("*.py") if p.name != "faults.py")
    unused = [name for name in FAULTS if name.upper().replace("-", "_") not in source]
    assert unused == [], "fault modes with no behaviour in the mock"
    quoted = [name for name in FAULTS if f'"{name}"' in source]
    assert quoted == [], "the mock names these faults by string; import their constants instead"
