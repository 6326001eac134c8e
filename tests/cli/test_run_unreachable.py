"""An unreachable target stops the run at once, with exit 2, a readable line and reports.

Run as a real subprocess of the installed ``gatecheck`` script: this is what a CI job sees.  No
wall clock is asserted: the first failed connection must end the run (no suite runs, no retries),
and the subprocess timeout bounds a run that would hang instead.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

GATECHECK = Path(sys.executable).with_name("gatecheck")
KEY = "sk-unreach-0123456789abcdef"


def _gatecheck(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | {"GATECHECK_API_KEY": KEY}
    return subprocess.run(
        [str(GATECHECK), "run", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port whose listener never accepts: connections open, and nothing ever answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def _reports(tmp_path: Path) -> tuple[dict, str, str]:
    latest = tmp_path / "reports" / "latest"
    return (
        json.loads((latest / "results.json").read_text()),
        (latest / "summary.md").read_text(),
        (latest / "junit.xml").read_text(),
    )


def test_connection_refused_exits_2_before_any_suite_and_says_so(tmp_path: Path) -> None:
    done = _gatecheck(tmp_path, "--target", "http://127.0.0.1:9/v1")
    assert done.returncode == 2
    assert "gatecheck: error: target http://127.0.0.1:9/v1 is unreachable (ConnectError" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr and KEY not in done.stdout + done.stderr
    results, summary, junit = _reports(tmp_path)
    assert results["run"]["error"]["kind"] == "target-unreachable"
    assert results["run"]["verdict"] == "error" and results["tests"] == []
    assert "is unreachable" in summary and 'type="gatecheck.target-unreachable"' in junit


def test_a_silent_target_times_out_after_the_given_timeout(tmp_path: Path, silent_port: int) -> None:
    done = _gatecheck(tmp_path, "--target", f"http://127.0.0.1:{silent_port}/v1", "--timeout", "1")
    assert done.returncode == 2
    assert "did not answer within 1 s" in done.stderr
    results, _, _ = _reports(tmp_path)
    assert results["run"]["error"]["kind"] == "target-unreachable"
