"""How one suite's process ended, in report terms; and its allure results, moved into place.

pytest's exit code alone is not enough: a suite that collected nothing exits 5 (or 0), a shard
that drew none of a suite's tests exits 5 too, a crash exits with a signal.  Each becomes a
suite status (passed, failed, error, empty) with a one-line reason taken from the process's
own output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from gatecheck.redact import Redactor
from gatecheck.reports.scrub import scrub_tree
from gatecheck.runner.assemble import suite_verdict
from gatecheck.runner.child import ChildResult
from gatecheck.runner.records import SuiteRecorder
from gatecheck.runner.tracker import SessionTracker

__all__ = ["exit_reason", "publish_allure", "session_statuses", "suite_status"]

_NORMAL_EXITS = (0, 1, 5)  # tests passed, tests failed, nothing selected


def exit_reason(code: int, tail: list[str]) -> str:
    """One line saying why a suite process ended abnormally, taken from its own output."""
    for marker in ("Exit: ", "ERROR: ", "INTERNALERROR> "):
        lines = [line for line in tail if marker in line]
        if lines:
            reason = lines[-1].split(marker, 1)[1].strip().strip("!").strip()
            return f"pytest exited with code {code}: {reason}"
    if code < 0:
        return f"the suite process was killed by signal {-code}"
    last = next((line for line in reversed(tail) if line.strip()), "no output")
    return f"pytest exited with code {code}: {last.strip()[:300]}"


def suite_status(recorder: SuiteRecorder, result: ChildResult) -> tuple[str, str | None]:
    """``(status, reason)`` for a finished suite process; the reason is None when all went normally."""
    code = result.exit_code
    if recorder.collect_errors:
        first = recorder.collect_errors[0]["nodeid"]
        return "error", f"{len(recorder.collect_errors)} file(s) could not be collected (first: {first})"
    if code == 5 and recorder.collected:
        return "passed", None  # every test of the suite fell into other shards
    if code == 5 or (code in (0, 1) and not recorder.collected):
        return "empty", "the suite collected no tests: a suite that tests nothing is an error, not a pass"
    if code not in (0, 1):
        return "error", exit_reason(code, result.log_tail)
    return suite_verdict(recorder.records()), None


def _normal_status(recorder: SuiteRecorder) -> tuple[str, str | None]:
    if not recorder.collected:
        return "empty", "the suite collected no tests: a suite that tests nothing is an error, not a pass"
    if recorder.selected and not recorder.tests:
        return "not-run", "the run stopped (-x) before this suite began"
    return suite_verdict(recorder.records()), None  # selected 0: every test fell into other shards


def session_statuses(tracker: SessionTracker, result: ChildResult) -> dict[str, tuple[str, str | None]]:
    """``{suite: (status, reason)}`` for the suites of one session, in the tracker's order.

    When the session ended abnormally, the suite it was in gets the error and suites it never
    reached are ``not-run``; suites that had finished keep their verdict.  A session that died
    before any test ran (a bad option, an unreachable target) is an error for every suite.
    """
    statuses: dict[str, tuple[str, str | None]] = {}
    normal = result.exit_code in _NORMAL_EXITS
    reason = None if normal else exit_reason(result.exit_code, result.log_tail)
    culprit = tracker.current()
    for name, recorder in tracker.recorders.items():
        if recorder.collect_errors:
            statuses[name] = suite_status(recorder, result)
        elif normal:
            statuses[name] = _normal_status(recorder)
        elif not tracker.started or name == culprit:
            statuses[name] = "error", reason
        elif name in tracker.done:
            statuses[name] = suite_verdict(recorder.records()), None
        elif culprit is None and name not in tracker.started:
            culprit = name  # the session died between suites: the next one takes the blame
            statuses[name] = "error", reason
        else:
            statuses[name] = "not-run", f"the session stopped before this suite ran: {reason}"
    return statuses


def publish_allure(source: Path, target: Path, redactor: Redactor) -> None:
    """Move a suite's allure-pytest results into the run folder, redacted on the way."""
    if not source.is_dir():
        return
    scrub_tree(source, redactor)
    target.mkdir(parents=True, exist_ok=True)
    for file in source.iterdir():
        if file.is_file():
            shutil.move(str(file), target / file.name)
