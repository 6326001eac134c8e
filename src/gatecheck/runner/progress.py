"""Live progress while suites run, and the summary table at the end.

On a terminal a live bar (rich) shows the run's tests done, counts, elapsed time and ETA; in CI
logs (not a TTY, or ``CI=true``), where redraws make a mess, a line is printed when each suite
starts and ends.  No colour, fixed columns: the plain output is stable enough to snapshot.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TextIO

from gatecheck.reports.outcomes import LABELS, OUTCOMES

__all__ = ["Progress", "summary_table"]

_SHORT = tuple((key, LABELS.get(key, key)) for key in OUTCOMES if key not in ("baselined", "fixed"))


def _counts_text(counts: Mapping[str, int]) -> str:
    return (
        "  ".join(f"{counts.get(key, 0)} {label}" for key, label in _SHORT if counts.get(key, 0)) or "0 done"
    )


def interactive_stream(stream: TextIO) -> bool:
    """A live display only on a real terminal, and never under CI (logs keep every redraw)."""
    return stream.isatty() and os.environ.get("CI", "").lower() not in ("true", "1")


class Progress:
    """Reports suite progress to ``stream`` (stderr, so stdout stays the summary).

    Interactive: a rich live bar over every test of the run (counts, elapsed, ETA), with a line
    printed above it as each suite ends.  Otherwise plain lines, one when a suite starts and one
    when it ends, which read well in CI logs.
    """

    def __init__(self, stream: TextIO, *, interactive: bool | None = None) -> None:
        self.stream = stream
        self.interactive = interactive_stream(stream) if interactive is None else interactive
        self._prefixes: dict[str, str] = {}
        self._live: Any = None
        self._task: Any = None

    def _line(self, text: str) -> None:
        if self._live is not None:
            self._live.console.print(text, markup=False, highlight=False)
            return
        self.stream.write(text + "\n")
        self.stream.flush()

    def _bar(self) -> Any:
        if self._live is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as LiveBar

            console = Console(file=self.stream, force_terminal=True, no_color=True)
            self._live = LiveBar(
                TextColumn("{task.description:<16}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self._live.start()
            self._task = self._live.add_task("starting", total=None, counts="")
        return self._live

    def start(self, suite: str, index: int, total: int) -> None:
        self._prefixes[suite] = prefix = f"[{index}/{total}] {suite:<16}"
        if self.interactive:
            self._bar().update(self._task, description=suite)
        else:
            self._line(f"{prefix} running")

    def update(
        self, suite: str, counts: Mapping[str, int], *, done: int | None = None, total: int | None = None
    ) -> None:
        """The live bar's state: the suite running, its counts, tests done of the run's total."""
        if not self.interactive or suite not in self._prefixes:
            return
        bar, text = self._bar(), _counts_text(counts)
        bar.update(self._task, description=suite, counts=text, completed=done, total=total)

    def finish(self, suite: str, status: str, counts: Mapping[str, int], duration: float) -> None:
        prefix = self._prefixes.get(suite, suite)
        shown = LABELS.get(status, status)
        self._line(f"{prefix} {shown:<7} {_counts_text(counts)}  {duration:5.1f}s")

    def close(self) -> None:
        """Take the live bar off the terminal (the summary follows)."""
        if self._live is not None:
            self._live.stop()
            self._live = None

    def note(self, text: str) -> None:
        self._line(text)


_TABLE = (
    ("suite", 18),
    ("status", 8),
    ("tests", 6),
    ("passed", 7),
    ("failed", 7),
    *((LABELS.get(key, key), max(5, len(LABELS.get(key, key)) + 1)) for key in OUTCOMES[2:]),
    ("time", 8),
)
_KEYS = OUTCOMES


def summary_table(results: Mapping[str, Any]) -> str:
    """The per-suite table printed at the end of a run (plain text, fixed width)."""
    head = "".join(
        name.ljust(width) if i < 2 else name.rjust(width) for i, (name, width) in enumerate(_TABLE)
    )
    lines = [head.rstrip(), "-" * len(head)]
    rows = [
        (s["name"], LABELS.get(s["status"], s["status"]), s["counts"], s.get("duration_s"))
        for s in results["suites"]
    ]
    summary = results["summary"]
    total_time = results["run"].get("duration_s")
    for name, status, counts, duration in [*rows, ("total", "", summary["counts"], total_time)]:
        if name == "total":
            lines.append("-" * len(head))
        values = [str(sum(counts.values())), *(str(counts[k]) for k in _KEYS)]
        time_text = f"{duration:.1f}s" if duration is not None else "-"
        cells = [name[:17].ljust(18), status.ljust(8)]
        cells += [v.rjust(w) for v, (_, w) in zip([*values, time_text], _TABLE[2:], strict=True)]
        lines.append("".join(cells).rstrip())
    return "\n".join(lines)
