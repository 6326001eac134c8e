"""SIGTERM at random points of a real run against the built-in mock: the record is always whole.

Each try starts ``gatecheck run`` (three real suites, about eight seconds here) in its own
session with a private TMPDIR, waits for a readiness marker (the run's first results.json),
then sends SIGTERM after a seeded random delay: to the process, or once to its whole process
group as CI does.  Whatever the point, afterwards:

- results.json is valid against its schema, says how the run ended (never ``running``, no
  suite ``running``) and records the process's real exit code;
- ``latest`` points at a run whose results.json is final;
- nothing is left in the TMPDIR (the mock's sqlite files, the work folder) and no process of
  the run is still alive.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gatecheck.reports.results import load_results

pytestmark = [
    pytest.mark.slow,  # five real runs against the mock
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the run's processes in /proc"),
]

SUITES = "errors,models,headers"
#: One try per stretch of a run (seconds after the readiness marker; the first try's before it):
#: before it begins, the first suite, mid-run, the last suite, the final reports and after.
WINDOWS = [(0.0, 2.5), (0.0, 1.5), (1.5, 4.0), (4.0, 6.5), (6.5, 10.0)]
GROUP_TRY = 2  # the try that signals the whole process group
BOUND_S = 120  # bounds, not thresholds: a run takes seconds, an interrupted one less


def _run_dirs(reports: Path) -> set[Path]:
    return (
        {p for p in reports.iterdir() if p.is_dir() and p.name[:1].isdigit()} if reports.exists() else set()
    )


def _started(reports: Path, before: set[Path]) -> bool:
    """The readiness marker: the new run's first results.json (the run is planned, the suites start)."""
    return any((d / "results.json").exists() for d in _run_dirs(reports) - before)


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + BOUND_S
    while not condition() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (
                    text.encode() in (entry / "cmdline").read_bytes()
                    or text.encode() in (entry / "environ").read_bytes()
                ):
                    found.append(int(entry.name))
            except OSError:  # gone meanwhile, or not ours to read
                continue
    return found


def _latest(reports: Path) -> Path:
    link = reports / "latest"
    return link.resolve() if link.exists() else reports / (reports / "LATEST").read_text().strip()


def _start(tmp: Path, reports: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | {"TMPDIR": str(tmp)}
    gatecheck = Path(sys.executable).with_name("gatecheck")
    return subprocess.Popen(
        [str(gatecheck), "run", "--suites", SUITES, "--report-dir", str(reports)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so killpg reaches only this run
    )


def _check_try(number: int, proc: subprocess.Popen[str], before: set[Path], reports: Path, tmp: Path) -> str:
    _, stderr = proc.communicate(timeout=BOUND_S)
    assert "Traceback" not in stderr, stderr
    new = _run_dirs(reports) - before
    if proc.returncode == -signal.SIGTERM:
        # killed by the default action before `gatecheck run` took the signal over: nothing begun
        assert not new, f"try {number}: killed by SIGTERM after the run folder was made"
        return "killed before start"
    (run_dir,) = new
    results = load_results(run_dir)  # validated against results.schema.json
    run = results["run"]
    assert run["exit_code"] == proc.returncode, f"try {number}: results say {run['exit_code']}: {stderr}"
    assert run["status"] != "running"
    assert (run["status"] == "interrupted") == (proc.returncode == 130), f"try {number}: {run['status']}"
    assert [s["name"] for s in results["suites"] if s["status"] == "running"] == []
    latest = load_results(_latest(reports))
    assert latest["run"]["status"] != "running"
    return str(run["status"])


def test_sigterm_at_random_points_leaves_a_whole_record(tmp_path: Path) -> None:
    rng = random.Random(16)
    reports = tmp_path / "reports"
    seen = []
    for number, (low, high) in enumerate(WINDOWS):
        tmp = tmp_path / f"tmp-{number}"
        tmp.mkdir()
        before = _run_dirs(reports)
        proc = _start(tmp, reports)
        if number:  # the first try signals before the run has even begun
            _wait_for(lambda old=before: _started(reports, old), proc)
        delay = rng.uniform(low, high)
        time.sleep(delay)
        if number == GROUP_TRY:
            os.killpg(proc.pid, signal.SIGTERM)
        elif proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        seen.append((round(delay, 2), _check_try(number, proc, before, reports, tmp)))
        deadline = time.monotonic() + BOUND_S
        while _processes_mentioning(str(tmp)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_mentioning(str(tmp)) == [], f"try {number}: a process of the run survived"
        assert sorted(p.name for p in tmp.iterdir()) == [], f"try {number}: temp files left"
    print("delay, outcome per try:", seen)
