"""A run stopped midway (Ctrl-C, or CI cancelling with SIGTERM) still leaves reports saying so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_run_helpers import CHAT_SUITE, make_home

SLOW_SUITE = "import time\n\ndef test_waits():\n    '''Takes its time.'''\n    time.sleep(60)\n"


def test_sigterm_stops_the_suite_and_the_reports_say_interrupted(tmp_path: Path) -> None:
    home = make_home(
        tmp_path / "home", {"a-chat": {"test_chat.py": CHAT_SUITE}, "b-slow": {"test_slow.py": SLOW_SUITE}}
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
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(tmp_path.glob("reports/*/logs/b-slow.log")):
        time.sleep(0.1)
    time.sleep(1.0)  # inside the slow test by now
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "gatecheck: interrupted" in stderr and "Traceback" not in stderr
    results = json.loads((log / "results.json").read_text())
    assert results["run"]["status"] == "interrupted" and results["run"]["error"]["kind"] == "interrupted"
    suites = {s["name"]: s["status"] for s in results["suites"]}
    assert suites["a-chat"] == "passed"  # what finished before the signal is kept
    assert "interrupted" in (log / "summary.md").read_text()
