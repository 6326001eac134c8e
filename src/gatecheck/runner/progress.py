"""Live progress while suites run, and the summary table at the end.

On a terminal one line is redrawn in place (suite, counts so far, elapsed time); in CI logs,
where carriage returns make a mess, a line is printed when each suite starts and ends.  No
colour, fixed columns: the output is stable enough to snapshot.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, TextIO

from gatecheck.reports.outcomes import LABELS, OUTCOMES

__all__ = ["Progress", "summary_table"]

_SHORT = tuple((key, LABELS.get(key, key)) for key in OUTCOMES if key not in ("baselined", "fixed"))
_REDRAW = 0.25


def _counts_text(counts: Mapping[str, int]) -> str:
    return (
        "  ".join(f"{counts.get(key, 0)} {label}" for key, label in _SHORT if counts.get(key, 0)) or "0 done"
    )


class Progress:
    """Reports suite progress to ``stream`` (stderr, so stdout stays the summary)."""

    def __init__(self, stream: TextIO, *, interactive: bool | None = None) -> None:
        self.stream = stream
        self.interactive = stream.isatty() if interactive is None else interactive
        self._last_draw = 0.0
        self._width = 0

    def _write_line(self, text: str) -> None:
        if self.interactive:
            self.stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, suite: str, index: int, total: int) -> None:
        self._prefix = f"[{index}/{total}] {suite:<16}"
        self._started = time.monotonic()
        if self.interactive:
            self._write_line(f"{self._prefix} starting")
        else:
            self._write_line(f"{self._prefix} running")

    def update(self, counts: Mapping[str, int], *, force: bool = False) -> None:
        if not self.interactive:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < _REDRAW:
            return
        self._last_draw = now
        self._write_line(f"{self._prefix} {_counts_text(counts)}  {now - self._started:5.1f}s")

    def finish(self, status: str, counts: Mapping[str, int], duration: float) -> None:
        self._write_line(f"{self._prefix} {status:<7} {_counts_text(counts)}  {duration:5.1f}s")
        if self.interactive:
            self.stream.write("\n")
            self._width = 0
        self.stream.flush()

    def note(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


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
    rows = [(s["name"], s["status"], s["counts"], s.get("duration_s")) for s in results["suites"]]
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
