"""A suite process's ending, in report words, with the reason taken from its own output."""

from __future__ import annotations

import pytest

from gatecheck.runner.child import ChildResult
from gatecheck.runner.records import SuiteRecorder
from gatecheck.runner.suite_status import exit_reason, suite_status


@pytest.mark.parametrize(
    ("code", "tail", "reason"),
    [
        (
            2,
            ["!!!!! _pytest.outcomes.Exit: gatecheck: target x is unreachable: ConnectError !!!!!"],
            "pytest exited with code 2: gatecheck: target x is unreachable: ConnectError",
        ),
        (
            4,
            ["ERROR: usage: pytest [options]", "ERROR: gatecheck: unknown profile 'nope'"],
            "pytest exited with code 4: gatecheck: unknown profile 'nope'",
        ),
        (
            3,
            ["INTERNALERROR> Traceback", "INTERNALERROR> KeyError: 'x'"],
            "pytest exited with code 3: KeyError: 'x'",
        ),
        (-9, [], "the suite process was killed by signal 9"),
        (13, ["collected 2 items", ""], "pytest exited with code 13: collected 2 items"),
    ],
)
def test_abnormal_endings_are_explained_in_one_line(code: int, tail: list[str], reason: str) -> None:
    assert exit_reason(code, tail) == reason


def _recorder(collected: int | None, *outcomes: str) -> SuiteRecorder:
    recorder = SuiteRecorder("s", "mock", collected=collected, selected=collected)
    for n, outcome in enumerate(outcomes):
        recorder.feed({"event": "phase", "nodeid": f"t.py::test_{n}", "when": "call", "outcome": outcome})
    return recorder


@pytest.mark.parametrize(
    ("recorder", "code", "status"),
    [
        (_recorder(2, "passed", "passed"), 0, "passed"),
        (_recorder(2, "passed", "failed"), 1, "failed"),
        (_recorder(0), 5, "empty"),
        (_recorder(None), 0, "empty"),
        (_recorder(3), 5, "passed"),  # collected, but this shard drew none of them
        (_recorder(2, "passed"), 2, "error"),
    ],
)
def test_statuses(recorder: SuiteRecorder, code: int, status: str) -> None:
    assert suite_status(recorder, ChildResult(code, 1.0, []))[0] == status
