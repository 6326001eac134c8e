"""``logs/<suite>.log``: one line per finished test of the suite, with the failure text under it.

The session's raw pytest output (``logs/session.log``) interleaves every suite; these per-suite
logs are cut from the events instead, so each says what its suite did, in the order it happened.
"""

from __future__ import annotations

from pathlib import Path

from gatecheck.redact import Redactor
from gatecheck.runner.records import SuiteRecorder, fold_phases

__all__ = ["SuiteLogs"]


class SuiteLogs:
    """Appends to ``folder/<suite>.log``; every line passes the run's redactor."""

    def __init__(self, folder: Path, redactor: Redactor) -> None:
        self.folder, self.redactor = folder, redactor
        folder.mkdir(parents=True, exist_ok=True)

    def _append(self, suite: str, text: str) -> None:
        with (self.folder / f"{suite}.log").open("a", encoding="utf-8") as log:
            log.write(self.redactor.text(text))

    def started(self, suite: str) -> None:
        self._append(suite, f"suite {suite}: started\n")

    def test_done(self, recorder: SuiteRecorder, nodeid: str) -> None:
        state = recorder.tests.get(nodeid)
        if state is None:
            return
        _, outcome, failure, reason = fold_phases(state.phases)
        test_id = next((e["gatecheck"]["id"] for e in state.phases.values() if e.get("gatecheck")), nodeid)
        line = f"{outcome.upper():<15} {test_id}" + (f"  ({reason})" if reason else "") + "\n"
        if failure:
            line += "".join(f"    {row}\n" for row in str(failure.get("message", "")).splitlines())
        self._append(recorder.suite, line)

    def finished(self, suite: str, status: str, error: str | None) -> None:
        self._append(suite, f"suite {suite}: {status}" + (f": {error}" if error else "") + "\n")
