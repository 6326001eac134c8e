"""Run the selected suites in one pytest session; after a crash, one more for the suites left.

One session pays interpreter start-up, plugin imports and the built-in mock once for the whole
run.  It is still a child process: if a suite kills it (``os._exit``, a segfault), the suite it
was in is reported as the error, and the suites it never reached run in a fresh session, so
one broken suite never hides the others' results.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gatecheck.reports.allure import ALLURE_DIR
from gatecheck.runner import assemble
from gatecheck.runner.child import ChildResult, run_child
from gatecheck.runner.command import child_env, pytest_argv
from gatecheck.runner.junit_split import split_junit
from gatecheck.runner.plan import Suite
from gatecheck.runner.progress import Progress
from gatecheck.runner.records import SuiteRecorder
from gatecheck.runner.suite_logs import SuiteLogs
from gatecheck.runner.suite_status import publish_allure, session_statuses
from gatecheck.runner.tracker import SessionTracker

if TYPE_CHECKING:
    from gatecheck.runner.session import _Run

__all__ = ["run_sessions"]

_NORMAL_EXITS = (0, 1, 5)


def _exitfirst_stop(exitfirst: bool, result: ChildResult) -> ChildResult:
    """The stop ``-x`` asked for, as pytest reports it without workers (exit 1, tests failed).

    Under pytest-xdist a session that ``-x`` stopped ends as interrupted (exit 2, "Interrupted:
    stopping after 1 failures"), which would otherwise read as a crash of the session.
    """
    stopped = any("stopping after" in line for line in result.log_tail)
    return replace(result, exit_code=1) if exitfirst and result.exit_code == 2 and stopped else result


class _Session:
    """One pytest process over ``suites``: events to recorders, logs, progress and checkpoints."""

    def __init__(self, run: _Run, progress: Progress, suites: list[Suite], number: int) -> None:
        assert run.plan is not None
        self.run, self.plan, self.progress, self.suites = run, run.plan, progress, suites
        self.number = number
        self.target_id = run.results["targets"][0]["id"]
        self.tracker = SessionTracker.for_suites([s.name for s in suites], self.target_id)
        self.logs = SuiteLogs(run.run_dir / "logs", run.redactor)
        self.entries = {s["name"]: s for s in run.results["suites"]}
        self.index = {s.name: i for i, s in enumerate(self.plan.suites, start=1)}

    def on_event(self, event: dict[str, Any]) -> None:
        for happening in self.tracker.feed(event):
            recorder = self.tracker.recorders[happening.suite]
            if happening.kind == "suite-started":
                self.entries[happening.suite]["status"] = "running"
                self.logs.started(happening.suite)
                self.progress.start(happening.suite, self.index[happening.suite], len(self.plan.suites))
            elif happening.kind == "test-done" and happening.nodeid:
                self.logs.test_done(recorder, happening.nodeid)
            elif happening.kind == "suite-done":
                broken = bool(recorder.collect_errors)
                self._settle(
                    happening.suite, "error" if broken else assemble.suite_verdict(recorder.records()), None
                )
                self.run.checkpoint()

    def on_tick(self) -> None:
        current = self.tracker.current()
        if current is not None:
            counts = self.tracker.recorders[current].progress()
            self.progress.update(
                current, counts, done=self.tracker.finished_tests(), total=self.tracker.selected_tests()
            )

    def _settle(self, name: str, status: str, error: str | None, exit_code: int | None = None) -> None:
        recorder = self.tracker.recorders[name]
        self.entries[name].update(
            status=status,
            error=error,
            exit_code=exit_code,
            duration_s=round(recorder.duration(), 3),
            collected=recorder.collected,
            selected=recorder.selected,
        )
        if name not in self.tracker.started:  # never began (the session ended first): say so anyway
            self.progress.start(name, self.index[name], len(self.plan.suites))
        self.progress.finish(name, status, recorder.progress(), recorder.duration())
        self.logs.finished(name, status, error)

    def execute(self) -> ChildResult:
        work, tag = self.run.work, f"session-{self.number}"
        events, junit, allure_dir = work / f"{tag}.events.jsonl", work / f"{tag}.junit.xml", work / "allure"
        budget = self.run.budget.path if self.run.budget else None
        argv = pytest_argv(
            self.plan, self.suites, events=events, junit=junit, allure_dir=allure_dir, budget=budget
        )
        try:
            result = run_child(
                argv,
                env=child_env(self.plan.limits, tmp=self.run.workdir.temp),
                keep_fds=(self.run.workdir.lock_fd,),
                deadline=self.run.deadline,
                events=events,
                log_path=self.run.run_dir / "logs" / f"{tag}.log",
                redactor=self.run.redactor,
                on_event=self.on_event,
                on_tick=self.on_tick,
            )
        except KeyboardInterrupt:
            for name in [n for n in self.tracker.recorders if n in self.tracker.done]:
                # what finished before the signal keeps its verdict in the interrupted run's reports
                self._settle(name, assemble.suite_verdict(self.tracker.recorders[name].records()), None)
            raise
        result = _exitfirst_stop(self.plan.selection.exitfirst, result)
        for name, (status, error) in session_statuses(self.tracker, result).items():
            if status == "not-run" and result.exit_code not in _NORMAL_EXITS:
                continue  # left for the next session
            if name in self.tracker.done:
                self.entries[name].update(status=status, error=error, exit_code=result.exit_code)
            else:
                self._settle(name, status, error, result.exit_code)
        self._junit_parts(junit)
        return result

    def unreached(self, result: ChildResult) -> list[Suite]:
        """Suites a crashed session never began, when it did get somewhere (else retrying is futile)."""
        if result.exit_code in _NORMAL_EXITS or not self.tracker.started:
            return []
        return [s for s in self.suites if self.entries[s.name]["status"] == "not-run"]

    def _junit_parts(self, junit: Path) -> None:
        recorders = self.tracker.recorders
        parts = split_junit(
            junit,
            {name: [t["nodeid"] for t in r.records()] for name, r in recorders.items()},
            {name: r.duration() for name, r in recorders.items()},
            self.run.work / f"session-{self.number}",
        )
        for name, path in parts.items():
            self.run.junit_parts[(self.target_id, name)] = path


def _keep(run: _Run, recorders: dict[str, SuiteRecorder]) -> None:
    """Put ``recorders`` in the run, in plan order, replacing any earlier session's for the same suite."""
    assert run.plan is not None
    mine = {r.suite: r for r in run.recorders} | recorders
    run.recorders[:] = [mine[s.name] for s in run.plan.suites if s.name in mine]


def run_sessions(run: _Run, progress: Progress) -> None:
    """Run every suite of the plan; one session, plus one per crash that left suites unreached."""
    assert run.plan is not None
    pending, number = list(run.plan.suites), 1
    while pending:
        session = _Session(run, progress, pending, number)
        _keep(run, session.tracker.recorders)
        result = session.execute()
        pending, number = session.unreached(result), number + 1
        if run.budget is not None and run.budget.tripped:
            pending = []  # the target stopped answering: another session would only wait again
    if run.plan.selection.narrowed:  # a suite that -k or --lf picked nothing from is not in the run
        drop = {r.suite for r in run.recorders if r.collected and not r.selected}
        run.results["suites"] = [s for s in run.results["suites"] if s["name"] not in drop]
        run.recorders[:] = [r for r in run.recorders if r.suite not in drop]
    publish_allure(run.work / "allure", run.run_dir / ALLURE_DIR, run.redactor)
