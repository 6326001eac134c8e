"""Long chains are handed out first and ``after_all`` tests last; reports keep collection order."""

from __future__ import annotations

import json

import pytest

SUITE = """
import pytest

def test_a(): pass

@pytest.mark.after_all
def test_judge(): pass

def test_b(): pass

@pytest.mark.long_chain
def test_chain(): pass

def test_c(): pass
"""


def test_long_chains_run_first_and_after_all_last(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE)
    events = pytester.path / "events.jsonl"
    result = pytester.runpytest(
        "-p", "gatecheck.runner.events", "-p", "no:cacheprovider", "-v", f"--gatecheck-events={events}"
    )
    ran = [line.split("::")[1].split()[0] for line in result.outlines if "PASSED" in line]
    assert ran == ["test_chain", "test_a", "test_b", "test_c", "test_judge"], result.outlines
    # the reports' order is the collection order, whatever order the tests were handed out in
    indices: dict[str, int] = {}
    for line in events.read_text().splitlines():
        event = json.loads(line)
        index = (event.get("gatecheck") or {}).get("index")
        if event.get("event") == "phase" and index is not None:
            indices[event["nodeid"].split("::")[1]] = index
    assert sorted(indices, key=indices.__getitem__) == [
        "test_a",
        "test_judge",
        "test_b",
        "test_chain",
        "test_c",
    ]


CHAINS = """
import os
import pathlib

import pytest


@pytest.mark.long_chain
@pytest.mark.parametrize("n", range(3))
def test_chain(n):
    pathlib.Path(os.environ["NOTES"], f"chain{n}").write_text(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.parametrize("n", range(9))
def test_quick(n):
    pass
"""


def test_under_xdist_each_long_chain_starts_on_a_worker_of_its_own(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """xdist's ``load`` sends each worker two consecutive tests first: without the dealt first
    round, chain0 and chain1 would both go to the first worker, one after the other."""
    pytester.makepyfile(test_chains=CHAINS)
    notes = pytester.mkdir("notes")
    monkeypatch.setenv("NOTES", str(notes))
    result = pytester.runpytest_subprocess("-n", "3", "--dist", "load", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=12)
    workers = {path.name: path.read_text() for path in notes.iterdir()}
    assert len(workers) == 3 and len(set(workers.values())) == 3, workers
