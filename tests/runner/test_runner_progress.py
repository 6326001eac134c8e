"""Progress and the summary table: plain text, fixed columns, no colour (snapshot-stable)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from gatecheck.redact import Redactor
from gatecheck.reports.outcomes import count
from gatecheck.runner.child import run_child
from gatecheck.runner.progress import Progress, interactive_stream, summary_table

TABLE = """\
suite             status   tests passed failed error inconcl. not run baselined fixed skipped  n/a    time
----------------------------------------------------------------------------------------------------------
contract          failed      12      9      2     0        0       0         1     0       0    0    3.2s
streaming         error        0      0      0     0        0       0         0     0       0    0       -
----------------------------------------------------------------------------------------------------------
total                         12      9      2     0        0       0         1     0       0    0    4.0s"""


def test_the_summary_table_snapshot() -> None:
    contract = count(["passed"] * 9 + ["failed"] * 2 + ["baselined"])
    results = {
        "run": {"duration_s": 4.0},
        "summary": {"counts": contract},
        "suites": [
            {"name": "contract", "status": "failed", "counts": contract, "duration_s": 3.2},
            {"name": "streaming", "status": "error", "counts": count([]), "duration_s": None},
        ],
    }
    assert summary_table(results) == TABLE


def test_ci_logs_get_one_line_per_suite_event_terminals_a_redrawn_line() -> None:
    log = io.StringIO()
    progress = Progress(log, interactive=False)
    progress.start("errors", 1, 2)
    progress.update("errors", {"passed": 3})
    progress.finish("errors", "failed", {"passed": 3, "failed": 1, "not-applicable": 2}, 1.25)
    assert log.getvalue().splitlines() == [
        "[1/2] errors           running",
        "[1/2] errors           failed  3 passed  1 failed  2 n/a    1.2s",
    ]
    tty = io.StringIO()
    live = Progress(tty, interactive=True)
    live.start("errors", 1, 1)
    live.update("errors", {"passed": 2}, done=2, total=8)
    live.finish("errors", "passed", {"passed": 8}, 1.0)
    live.close()
    drawn = tty.getvalue()
    assert "2/8" in drawn and "2 passed" in drawn and "ETA" in drawn  # the live bar
    assert "[1/1] errors           passed  8 passed    1.0s" in drawn  # printed above it, and kept


def test_ci_true_means_plain_lines_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("CI", "true")
    assert not interactive_stream(Terminal())
    monkeypatch.setenv("CI", "")
    assert interactive_stream(Terminal()) and not interactive_stream(io.StringIO())


def test_a_child_s_output_is_logged_redacted_and_its_events_arrive_whole(tmp_path: Path) -> None:
    script = (
        "import json, sys, time\n"
        "events = open(sys.argv[1], 'a')\n"
        "events.write(json.dumps({'event': 'start'}) + '\\n'); events.flush()\n"
        'events.write(\'{"event": "fin\'); events.flush(); time.sleep(0.3)\n'
        "events.write('ish\"}\\n'); events.flush()\n"
        "print('token sekret-value-123 leaked')\n"
        "sys.exit(3)\n"
    )
    seen: list[dict] = []
    events, log = tmp_path / "events.jsonl", tmp_path / "logs" / "child.log"
    result = run_child(
        [sys.executable, "-c", script, str(events)],
        env={},
        events=events,
        log_path=log,
        redactor=Redactor(["sekret-value-123"]),
        on_event=seen.append,
    )
    assert result.exit_code == 3
    assert seen == [{"event": "start"}, {"event": "finish"}]
    assert log.read_text() == "token [REDACTED] leaked\n"
    assert result.log_tail == ["token [REDACTED] leaked"]
