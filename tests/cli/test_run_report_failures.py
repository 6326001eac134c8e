"""A run whose reports cannot be written ends with exit 2 and one line, and results.json says so.

The disk filling up mid-run is simulated in-process (the suites still run in their own
process): from the first report file on, every new file fails with ENOSPC, as on a full disk.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from test_run_helpers import gatecheck, make_home

from gatecheck.reports import atomic

pytestmark = pytest.mark.slow  # each runs a suite in a subprocess


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GATECHECK_HOME", str(make_home(tmp_path / "home")))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _only_run(root: Path) -> Path:
    (run_dir,) = [p for p in root.iterdir() if p.is_dir() and p.name[:1].isdigit()]
    return run_dir


def _said(stderr: str) -> list[str]:
    """What gatecheck said on stderr beside the progress lines (which a terminal redraws)."""
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("gatecheck:")]


def _latest(root: Path) -> Path:
    link = root / "latest"
    return link.resolve() if link.exists() else root / (root / "LATEST").read_text().strip()


def test_a_history_path_that_is_a_file_ends_the_run_with_exit_2(home: Path) -> None:
    reports = home / "reports"
    reports.mkdir()
    (reports / "history").write_text("a file where the history folder goes\n")
    outcome = gatecheck("run", "--suites", "chat", "--report-dir", str(reports))
    assert outcome.exit_code == 2
    (line,) = _said(outcome.stderr)
    assert line.startswith("gatecheck: error: cannot write ") and "history" in line
    run_dir = _only_run(reports)
    results = json.loads((run_dir / "results.json").read_text())
    assert results["run"]["status"] == "error" and results["run"]["exit_code"] == 2
    assert results["run"]["error"]["kind"] == "report-write"
    assert all(suite["status"] != "running" for suite in results["suites"])
    assert _latest(reports) == run_dir.resolve()  # results.json is final: latest may point at it


def test_a_disk_that_fills_up_mid_run_ends_it_with_exit_2_and_results_say_so(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = atomic._replace
    written: list[Path] = []

    def filling_disk(path: Path, data: bytes) -> None:
        if written:  # the first report file still fits; nothing new does after it
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        real(path, data)

    monkeypatch.setattr(atomic, "_replace", filling_disk)
    reports = home / "reports"
    outcome = gatecheck("run", "--suites", "chat", "--report-dir", str(reports))
    assert outcome.exit_code == 2
    (line,) = _said(outcome.stderr)
    assert line.startswith("gatecheck: error: cannot write ") and line.endswith("No space left on device")
    run_dir = _only_run(reports)
    assert written == [run_dir / "results.json"]
    results = json.loads((run_dir / "results.json").read_text())  # rewritten in place, compact
    assert results["run"]["status"] == "error" and results["run"]["exit_code"] == 2
    assert results["run"]["error"]["kind"] == "report-write"
    assert "No space left on device" in results["run"]["error"]["message"]
    assert all(suite["status"] != "running" for suite in results["suites"])
