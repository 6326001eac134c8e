"""One pytest session holds every suite of a run; this splits its event stream back into suites.

Each event names its suite (the events plugin knows which suite folder holds each test), so the
reports keep one record set, one status and one log per suite although a single process ran
them all.  :meth:`SessionTracker.feed` also says what changed (a suite began, a test ended, a
suite ended), which is what the live progress and the per-suite logs are driven by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gatecheck.runner.records import SuiteRecorder

__all__ = ["Happening", "SessionTracker"]


@dataclass(frozen=True)
class Happening:
    """Something the event changed: ``kind`` is ``suite-started``, ``test-done`` or ``suite-done``."""

    kind: str
    suite: str
    nodeid: str | None = None


@dataclass
class SessionTracker:
    """The state of the run's one session: a recorder per suite, fed event by event."""

    recorders: dict[str, SuiteRecorder]
    started: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    exitstatus: int | None = None

    @classmethod
    def for_suites(cls, names: list[str], target: str) -> SessionTracker:
        return cls({name: SuiteRecorder(name, target) for name in names})

    def feed(self, event: dict[str, Any]) -> list[Happening]:
        kind = event.get("event")
        if kind in ("start", "finish"):
            for recorder in self.recorders.values():
                recorder.feed(event)
            if kind == "finish":
                self.exitstatus = int(event.get("exitstatus", -1))
            return []
        if kind == "shapes":  # session-wide; every recorder's shapes are pooled at the end
            next(iter(self.recorders.values())).feed(event)
            return []
        recorder = self.recorders.get(str(event.get("suite")))
        if recorder is None:
            return []
        recorder.feed(event)
        happened = []
        name = recorder.suite
        if kind in ("phase", "collect_error") and name not in self.started:
            self.started.append(name)
            happened.append(Happening("suite-started", name))
        if kind == "phase" and event.get("when") in ("teardown", "???"):
            happened.append(Happening("test-done", name, str(event.get("nodeid"))))
        if self._complete(recorder) and name not in self.done:
            self.done.append(name)
            happened.append(Happening("suite-done", name))
        return happened

    @staticmethod
    def _complete(recorder: SuiteRecorder) -> bool:
        return recorder.selected is not None and recorder.finished() >= recorder.selected > 0

    def current(self) -> str | None:
        """The suite begun last and not finished: where a crash would have happened."""
        running = [name for name in self.started if name not in self.done]
        return running[-1] if running else None

    def finished_tests(self) -> int:
        return sum(recorder.finished() for recorder in self.recorders.values())

    def selected_tests(self) -> int | None:
        """Tests the session will run, once every suite has been collected."""
        counts = [recorder.selected for recorder in self.recorders.values()]
        return None if any(c is None for c in counts) else sum(c or 0 for c in counts)
