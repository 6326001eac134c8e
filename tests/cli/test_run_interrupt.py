"""A run stopped midway (Ctrl-C, or CI cancelling with SIGTERM) still leaves reports saying so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_run_helpers import CHAT_SUITE, make_home

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess


def _slow_suite(started: Path) -> str:
    """A suite whose one test says it has started (it creates ``started``), then waits."""
    return (
        "import pathlib, time\n\n"
        "def test_waits():\n"
        '    """Takes its time."""\n'
        f"    pathlib.Path({str(started)!r}).touch()\n"
        "    time.sleep(60)\n"
    )


def test_sigterm_stops_the_suite_and_the_reports_say_interrupted(tmp_path: Path) -> None:
    started = tmp_path / "slow-test-started"
    home = make_home(
        tmp_path / "home",
        {"a-chat": {"test_chat.py": CHAT_SUITE}, "b-slow": {"test_slow.py": _slow_suite(started)}},
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | {"GATECHECK_HOME": str(home)}
    gatecheck = Path(sys.executable).with_name("gatecheck")
    proc = subprocess.Popen(
        [str(gatecheck), "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = tmp_path / "reports" / "latest"
    for _ in range(1200):  # a bound (two minutes), not a threshold: the test normally starts in seconds
        if started.exists() or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert started.exists(), "the slow suite's test never started"
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "gatecheck: interrupted" in stderr and "Traceback" not in stderr
    results = json.loads((log / "results.json").read_text())
    assert results["run"]["status"] == "interrupted" and results["run"]["error"]["kind"] == "interrupted"
    suites = {s["name"]: s["status"] for s in results["suites"]}
    assert suites["a-chat"] == "passed"  # what finished before the signal is kept
    assert "interrupted" in (log / "summary.md").read_text()
