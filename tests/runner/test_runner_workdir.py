"""The run's work folder: locked while any owner lives, swept by the next run once all are dead."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gatecheck.runner.workdir import PREFIX, UNLOCKED_GRACE_S, WorkDir, sweep_stale

_OWNER = """
import sys, time
from gatecheck.runner.workdir import WorkDir
work = WorkDir.create()
(work.path / "raw.junit.xml").write_text("raw")
print(work.path, flush=True)
time.sleep(120)
"""


@pytest.fixture(autouse=True)
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own temp folder, for this process and the owners it starts."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    return tmp_path


def test_a_live_runs_folder_is_kept_and_its_own_removal_is_complete(private_temp: Path) -> None:
    """A new run's folder is named for the sweep, private, locked: a sweep leaves it alone"""
    work = WorkDir.create()
    assert work.path.parent == private_temp and work.path.name.startswith(PREFIX)
    assert work.path.stat().st_mode & 0o077 == 0
    assert sweep_stale() == []
    assert work.path.is_dir()
    work.remove()
    assert list(private_temp.iterdir()) == []


def test_a_killed_owners_folder_is_swept_by_the_next_run(private_temp: Path) -> None:
    """kill -9 leaves the folder; it stays while the owner lives and goes with the next run"""
    owner = subprocess.Popen([sys.executable, "-c", _OWNER], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        left = Path(owner.stdout.readline().strip())
        assert (left / "raw.junit.xml").is_file()
        assert sweep_stale() == [] and left.is_dir()  # alive: never touched
    finally:
        os.kill(owner.pid, signal.SIGKILL)
        owner.communicate()
    assert left.is_dir()  # nothing ran on the way out
    fresh = WorkDir.create()  # a new run sweeps first
    assert not left.exists()
    assert fresh.path.is_dir()
    fresh.remove()


def test_a_folder_without_a_lock_is_swept_only_once_it_is_old(private_temp: Path) -> None:
    """A folder an older gatecheck made (no lock file) may be a live run: kept until a day old"""
    recent, old = private_temp / f"{PREFIX}recent", private_temp / f"{PREFIX}old"
    for folder in (recent, old):
        folder.mkdir()
        (folder / "session-1.junit.xml").write_text("raw")
    past = old.stat().st_mtime - UNLOCKED_GRACE_S - 3600
    os.utime(old, (past, past))
    assert sweep_stale() == [old]
    assert recent.is_dir() and not old.exists()
