"""Turn one suite's event stream into test records for results.json.

pytest reports each test in up to three phases (setup, call, teardown); a report wants one
outcome per test.  :class:`SuiteRecorder` folds the phases as they arrive, so the same object
serves the live progress line and, at the end, the records.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gatecheck.reports.outcomes import OUTCOMES
from gatecheck.verdicts import outcome_of_skip

__all__ = ["TARGET_FAULTS", "SuiteRecorder", "fold_phases"]

_MESSAGE_LIMIT = 4000


@dataclass
class _TestState:
    nodeid: str
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return "teardown" in self.phases or "???" in self.phases


def _collection_index(state: _TestState) -> float:
    for event in state.phases.values():
        index = (event.get("gatecheck") or {}).get("index")
        if isinstance(index, int):
            return index
    return math.inf  # an event from an older plugin: after the indexed ones, in arrival order


def _message(longrepr: str, fallback: str) -> str:
    """The explanation lines of a pytest failure ('E   ...'), which say expected versus received."""
    lines = [line[1:].strip() for line in longrepr.splitlines() if line.startswith("E ")]
    text = "\n".join(line for line in lines if line) or fallback
    return text[:_MESSAGE_LIMIT]


def _failure(event: dict[str, Any], kind_default: str) -> dict[str, Any]:
    data = dict((event.get("gatecheck") or {}).get("failure") or {})
    longrepr = event.get("longrepr") or ""
    data.setdefault("kind", kind_default)
    if not data.get("title"):
        first = next((ln for ln in _message(longrepr, "").splitlines() if ln), "")
        data["title"] = first[:300] or f"{event.get('when', 'test')} failed"
    if data.get("kind") == "contract":
        data["message"] = (
            f"{data['title']}\nExpected: {data.get('expected', '')}\nReceived: {data.get('received', '')}"
        )
    else:
        data["message"] = data.get("message") or _message(longrepr, data["title"])
    if longrepr:
        data["traceback"] = longrepr
    return data


#: A test that was set up and never reported its call: its process ended while it ran.
_NEVER_FINISHED = {
    "kind": "harness",
    "title": "the test never finished: the session's process ended while it ran",
    "message": "the test never finished: the session's process ended while it ran (see the suite's error)",
}
#: Failure kinds (``runner.events.fault_kind``) that are the target's fault, in any phase.
TARGET_FAULTS = frozenset({"contract", "assertion", "transport"})


def fold_phases(phases: dict[str, dict[str, Any]]) -> tuple[str, str, dict[str, Any] | None, str | None]:
    """``(pytest_outcome, outcome, failure, skip_reason)`` for one test's phase events.

    The outcome says whose fault it was, whatever the phase: ``failed`` when the target answered
    wrongly or broke its connection (a fixture preparing the test included), ``error`` when
    gatecheck could not judge (its own code raised, or a harness error); see README "Exit codes".
    """
    crashed = phases.get("???")
    if crashed is not None:  # xdist: the worker process died while running the test
        lines = [line.strip() for line in str(crashed.get("longrepr") or "").splitlines() if line.strip()]
        said = lines[-1] if lines else "no output"  # "worker 'gw1' crashed while running '...'"
        title = f"the test's process died while it ran ({said})"[:300]
        return "error", "error", {"kind": "harness", "title": title, "message": title}, None
    for when in ("call", "setup", "teardown"):
        event = phases.get(when)
        if event and event.get("outcome") == "failed":
            call = when == "call"
            failure = _failure(
                (phases.get("subtest") or event) if call else event, "assertion" if call else "exception"
            )
            outcome = "failed" if failure.get("kind") in TARGET_FAULTS else "error"
            return ("failed" if call else "error"), outcome, failure, None
    setup: dict[str, Any] = phases.get("setup") or {}
    if setup.get("outcome") == "passed" and "call" not in phases:
        return "error", "error", dict(_NEVER_FINISHED), None
    called: dict[str, Any] = phases.get("call") or {}
    if called.get("wasxfail") is not None and called.get("outcome") == "skipped":
        return "xfailed", "skipped", None, f"expected failure: {called.get('wasxfail') or 'xfail'}"
    if called.get("wasxfail") is not None and called.get("outcome") == "passed":
        return "xpassed", "passed", None, None
    for when in ("setup", "call"):
        event = phases.get(when)
        if event and event.get("outcome") == "skipped":
            reason = event.get("skip_reason") or "skipped"
            return "skipped", outcome_of_skip(reason), None, reason
    return "passed", "passed", None, None


def _properties(pairs: list[list[Any]]) -> tuple[dict[str, float], dict[str, str], str | None]:
    metrics: dict[str, float] = {}
    props: dict[str, str] = {}
    operation = None
    for name, value in (p for p in pairs if len(p) == 2):
        name = str(name)
        if name == "capability":
            continue
        if name == "operation" and isinstance(value, str):
            operation = value
        elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            metrics[name] = value
        else:
            props[name] = str(value)[:500]
    return metrics, props, operation


@dataclass
class SuiteRecorder:
    """The state of one suite's process, fed event by event."""

    suite: str
    target: str
    collected: int | None = None
    selected: int | None = None
    exitstatus: int | None = None
    started: bool = False
    tests: dict[str, _TestState] = field(default_factory=dict)
    collect_errors: list[dict[str, Any]] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)

    def feed(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "start":
            self.started = True
        elif kind == "collected":
            # every xdist worker reports the same collection; keep the largest, never add up
            self.collected = max(self.collected or 0, int(event.get("collected", 0)))
            self.selected = max(self.selected or 0, int(event.get("selected", 0)))
        elif kind == "phase":
            state = self.tests.setdefault(event["nodeid"], _TestState(event["nodeid"]))
            when = str(event.get("when"))
            if when == "subtest":  # keep the first failed subtest: it explains its parent's failure
                if event.get("outcome") == "failed" and "subtest" not in state.phases:
                    state.phases[when] = event
            else:
                state.phases[when] = event
        elif kind == "collect_error":
            self.collect_errors.append(event)
        elif kind == "shapes":
            self.shapes.append(event.get("shapes") or {})
        elif kind == "finish":
            self.exitstatus = int(event.get("exitstatus", -1))

    def progress(self) -> Counter[str]:
        """Outcomes of the tests finished so far (before baselines)."""
        counts: Counter[str] = Counter({name: 0 for name in OUTCOMES})
        for state in self.tests.values():
            if state.done:
                counts[fold_phases(state.phases)[1]] += 1
        return counts

    def _record(self, state: _TestState) -> dict[str, Any]:
        pytest_outcome, outcome, failure, skip_reason = fold_phases(state.phases)
        info: dict[str, Any] = {}
        pairs: list[list[Any]] = []
        for event in state.phases.values():
            info.update(
                {k: v for k, v in (event.get("gatecheck") or {}).items() if k not in ("failure", "index")}
            )
            pairs = event.get("user_properties") or pairs
        metrics, props, operation = _properties(pairs)
        if operation is None and failure and failure.get("operation"):
            operation = failure["operation"]
        return {
            "id": info.get("id") or f"{self.suite}::{state.nodeid}",
            "nodeid": state.nodeid,
            "suite": self.suite,
            "target": self.target,
            "title": info.get("title") or state.nodeid.rsplit("::", 1)[-1],
            "outcome": outcome,
            "pytest_outcome": pytest_outcome,
            "capabilities": list(info.get("capabilities") or []),
            "operation": operation,
            "duration_s": round(sum(float(e.get("duration") or 0.0) for e in state.phases.values()), 6),
            "failure": failure,
            "skip_reason": skip_reason,
            "metrics": metrics,
            "properties": props,
            "baseline_reason": None,
        }

    def _collect_error_record(self, event: dict[str, Any]) -> dict[str, Any]:
        failure = _failure({**event, "gatecheck": None}, "collection")
        failure["title"] = f"could not collect {event['nodeid']}: {failure['title']}"[:300]
        return {
            "id": event.get("id") or f"{self.suite}::{event['nodeid']}",
            "nodeid": event["nodeid"],
            "suite": self.suite,
            "target": self.target,
            "title": f"collect {event['nodeid']}",
            "outcome": "error",
            "pytest_outcome": "error",
            "capabilities": [],
            "operation": None,
            "duration_s": 0.0,
            "failure": failure,
            "skip_reason": None,
            "metrics": {},
            "properties": {},
            "baseline_reason": None,
        }

    def finished(self) -> int:
        """How many of the suite's tests have finished (all phases reported)."""
        return sum(1 for state in self.tests.values() if state.done)

    def duration(self) -> float:
        """Seconds the suite's tests took, phase by phase (its share of a shared session)."""
        phases = (event for state in self.tests.values() for event in state.phases.values())
        return sum(float(event.get("duration") or 0.0) for event in phases)

    def records(self) -> list[dict[str, Any]]:
        """One record per test that reached at least one phase, plus one per collection error.

        In collection order, whatever order the tests finished in (under xdist that depends on
        the number of workers), so reports do not depend on concurrency.
        """
        ordered = sorted(self.tests.values(), key=_collection_index)
        tests = [self._record(s) for s in ordered]
        return tests + [self._collect_error_record(e) for e in self.collect_errors]
