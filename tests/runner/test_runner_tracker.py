"""One session's event stream split back into suites, and each suite's status when it ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatecheck.runner.child import ChildResult
from gatecheck.runner.last_failed import node_path
from gatecheck.runner.plan import Suite
from gatecheck.runner.suite_status import session_statuses
from gatecheck.runner.tracker import SessionTracker


def _phases(suite: str, name: str, index: int) -> list[dict[str, Any]]:
    data = {"id": f"{suite}::t::{name}", "index": index}
    return [
        {"event": "phase", "suite": suite, "nodeid": f"{suite}/t.py::{name}", "when": when,
         "outcome": "passed", "duration": 0.5, "gatecheck": data}
        for when in ("setup", "call", "teardown")
    ]  # fmt: skip


def _tracker() -> SessionTracker:
    tracker = SessionTracker.for_suites(["a", "b", "c"], "mock")
    for suite in ("a", "b", "c"):
        tracker.feed({"event": "collected", "suite": suite, "collected": 2, "selected": 2})
    return tracker


def test_events_reach_their_suite_and_say_when_suites_begin_and_end() -> None:
    tracker = _tracker()
    happened = [h for e in _phases("a", "one", 0) + _phases("a", "two", 1) for h in tracker.feed(e)]
    assert [h.kind for h in happened] == ["suite-started", "test-done", "test-done", "suite-done"]
    assert tracker.recorders["a"].finished() == 2 and tracker.recorders["b"].finished() == 0
    assert tracker.recorders["a"].duration() == 3.0


def test_records_keep_collection_order_whatever_order_tests_finish_in() -> None:
    tracker = _tracker()
    for event in _phases("a", "two", 1) + _phases("a", "one", 0):
        tracker.feed(event)
    assert [r["id"] for r in tracker.recorders["a"].records()] == ["a::t::one", "a::t::two"]


def test_a_crash_blames_the_suite_it_was_in_and_leaves_later_ones_not_run() -> None:
    tracker = _tracker()
    for event in _phases("a", "one", 0) + _phases("a", "two", 1) + _phases("b", "one", 2)[:2]:
        tracker.feed(event)
    statuses = session_statuses(tracker, ChildResult(-9, 1.0, []))
    assert statuses["a"] == ("passed", None)
    assert statuses["b"] == ("error", "the suite process was killed by signal 9")
    assert statuses["c"][0] == "not-run"


def test_a_session_that_dies_before_any_test_is_an_error_for_every_suite() -> None:
    statuses = session_statuses(_tracker(), ChildResult(4, 1.0, ["ERROR: bad option"]))
    assert {s for s, _ in statuses.values()} == {"error"}


def test_last_failed_ids_become_pytest_arguments(tmp_path: Path) -> None:
    suites = {"chat": Suite("chat", tmp_path / "chat")}
    assert node_path("chat::sub/test_a::test_x[p 1]", suites) == f"{tmp_path}/chat/sub/test_a.py::test_x[p 1]"
    assert node_path("chat::test_a", suites) == f"{tmp_path}/chat/test_a.py"
    assert node_path("gone::test_a::test_x", suites) is None
