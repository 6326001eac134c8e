"""Folding pytest's phases into one outcome per test, as reports need them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import requests

from gatecheck.check_ids import STATUS, CheckId
from gatecheck.errors import HarnessBug, TargetUnreachable, UsageError
from gatecheck.failures import ContractViolation
from gatecheck.reports.outcomes import exit_code
from gatecheck.runner.assemble import suite_verdict
from gatecheck.runner.events import failure_info, fault_kind
from gatecheck.runner.records import SuiteRecorder, fold_phases


def _phase(when: str, outcome: str, **extra: Any) -> dict[str, Any]:
    return {
        "event": "phase",
        "nodeid": "t.py::test_x",
        "when": when,
        "outcome": outcome,
        "duration": 0.5,
        **extra,
    }


PASSED = {
    "setup": _phase("setup", "passed"),
    "call": _phase("call", "passed"),
    "teardown": _phase("teardown", "passed"),
}


@pytest.mark.parametrize(
    ("phases", "expected"),
    [
        (PASSED, ("passed", "passed")),
        ({**PASSED, "call": _phase("call", "failed", longrepr="E   assert 1 == 2")}, ("failed", "failed")),
        (
            {**PASSED, "setup": _phase("setup", "failed", longrepr="E   RuntimeError: boom")},
            ("error", "error"),
        ),
        ({**PASSED, "teardown": _phase("teardown", "failed", longrepr="E   OSError")}, ("error", "error")),
        (
            {
                "setup": _phase(
                    "setup", "skipped", skip_reason="not applicable: profile x does not claim 'pkce'"
                )
            },
            ("skipped", "not-applicable"),
        ),
        ({"setup": _phase("setup", "skipped", skip_reason="needs a management key")}, ("skipped", "skipped")),
        ({**PASSED, "call": _phase("call", "skipped", wasxfail="known bug")}, ("xfailed", "skipped")),
        ({**PASSED, "call": _phase("call", "passed", wasxfail="known bug")}, ("xpassed", "passed")),
        (  # xdist: the worker died while running the test; gatecheck's crash, never the target's
            {"setup": _phase("setup", "passed"), "???": _phase("???", "failed", longrepr="worker crashed")},
            ("error", "error"),
        ),
        ({"setup": _phase("setup", "passed")}, ("error", "error")),  # set up, never finished: not a pass
        (  # a check raised inside gatecheck: gatecheck's fault, whatever the phase
            {**PASSED, "call": _phase("call", "failed", gatecheck={"failure": {"kind": "harness"}})},
            ("failed", "error"),
        ),
        (  # the target broke while a fixture prepared the test: the target's fault
            {**PASSED, "setup": _phase("setup", "failed", gatecheck={"failure": {"kind": "contract"}})},
            ("error", "failed"),
        ),
        (
            {**PASSED, "call": _phase("call", "failed", gatecheck={"failure": {"kind": "transport"}})},
            ("failed", "failed"),
        ),
    ],
)
def test_phases_fold_into_one_outcome(phases: dict[str, dict[str, Any]], expected: tuple[str, str]) -> None:
    assert fold_phases(phases)[:2] == expected


def test_a_failure_message_is_the_explanation_lines_and_the_traceback_is_kept() -> None:
    longrepr = (
        "def test_x():\n>       assert status == 200\nE       assert 500 == 200\nE        +  where ...\n\n"
        "t.py:3: AssertionError"
    )
    _, _, failure, _ = fold_phases({**PASSED, "call": _phase("call", "failed", longrepr=longrepr)})
    assert failure is not None
    assert failure["title"] == "assert 500 == 200"
    assert failure["message"] == "assert 500 == 200\n+  where ..."
    assert failure["traceback"] == longrepr


def test_the_recorder_keeps_the_largest_collection_and_splits_properties() -> None:
    recorder = SuiteRecorder("chat", "mock")
    for event in (
        {"event": "collected", "collected": 4, "selected": 2},
        {"event": "collected", "collected": 4, "selected": 2},
        {
            **_phase("call", "passed"),
            "user_properties": [
                ["capability", "chat"],
                ["ttft_ms", 12],
                ["ok", True],
                ["model", "gpt"],
                ["operation", "POST /chat/completions"],
            ],
            "gatecheck": {"id": "chat::t::test_x", "title": "X works.", "capabilities": ["chat"]},
        },
        _phase("teardown", "passed"),
    ):
        recorder.feed(event)
    assert (recorder.collected, recorder.selected) == (4, 2)
    (record,) = recorder.records()
    assert record["metrics"] == {"ttft_ms": 12}
    assert record["properties"] == {"ok": "True", "model": "gpt"}
    assert record["operation"] == "POST /chat/completions" and record["duration_s"] == 1.0
    assert recorder.progress()["passed"] == 1


def test_a_failed_subtest_explains_its_parents_failure() -> None:
    """pytest 9 reports 'contains 1 failed subtest' on the parent; the subtest says why."""
    recorder = SuiteRecorder("contract", "mock")
    base = {"event": "phase", "nodeid": "s.py::t"}
    recorder.feed({**base, "when": "setup", "outcome": "passed"})
    detail = {
        "failure": {"kind": "assertion", "title": "Undocumented status code", "message": "Received: 400"}
    }
    recorder.feed({**base, "when": "subtest", "outcome": "failed", "longrepr": "...", "gatecheck": detail})
    recorder.feed({**base, "when": "subtest", "outcome": "failed", "longrepr": "second"})
    recorder.feed({**base, "when": "call", "outcome": "failed", "longrepr": "contains 1 failed subtest"})
    _, outcome, failure, _ = fold_phases(recorder.tests["s.py::t"].phases)
    assert outcome == "failed"
    assert failure is not None and failure["title"] == "Undocumented status code"
    assert failure["message"] == "Received: 400"


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (ContractViolation("t", expected="e", received="r", check=STATUS), "contract"),
        (ContractViolation("t", expected="e", received="r", check=CheckId("no-such-check")), "harness"),
        (AssertionError("assert 1 == 2"), "assertion"),
        (httpx.ReadTimeout("slow"), "transport"),
        (TargetUnreachable("down"), "transport"),
        (requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead"), "transport"),
        (ExceptionGroup("two", [requests.ConnectionError("reset"), KeyError("a")]), "transport"),
        (KeyError("choices"), "harness"),
        (HarnessBug("contract check x", ValueError("bad")), "harness"),
        (UsageError("bad flag"), "harness"),
        (ExceptionGroup("two", [KeyError("a"), AssertionError("b")]), "assertion"),
        (ExceptionGroup("two", [KeyError("a"), TypeError("b")]), "harness"),
    ],
)
def test_whose_fault_an_exception_is(exc: BaseException, kind: str) -> None:
    assert fault_kind(exc) == kind
    info = failure_info(exc)
    assert info["kind"] == kind
    if kind == "harness" and not isinstance(exc, UsageError):
        assert "not the gateway's" in info["title"]


def test_a_violation_under_an_unregistered_check_id_is_a_harness_error() -> None:
    exc = ContractViolation("Answer is odd", expected="e", received="r", check=CheckId("stauts"))
    info = failure_info(exc)
    assert info["kind"] == "harness"
    assert "'stauts' is not registered" in info["title"] and "Answer is odd" in info["title"]
    assert fold_phases({"call": _phase("call", "failed", gatecheck={"failure": info})})[1] == "error"


def test_outcomes_rank_target_failures_above_harness_errors() -> None:
    assert exit_code(["passed", "not-applicable"]) == 0
    assert exit_code(["passed", "error"]) == 2
    assert exit_code(["error", "failed"]) == 1
    assert suite_verdict([{"outcome": "error"}, {"outcome": "passed"}]) == "error"
    assert suite_verdict([{"outcome": "error"}, {"outcome": "failed"}]) == "failed"
    assert suite_verdict([{"outcome": "not-applicable"}] * 2) == "not-applicable"
    assert suite_verdict([{"outcome": "not-applicable"}, {"outcome": "skipped"}]) == "passed"
