"""The run's private work folder, and the sweep that removes the ones killed runs left behind.

The folder holds the session's raw files (events, pytest's JUnit, allure-pytest's results, the
budget, and, through ``TMPDIR``, every temp file of the suite process: the mock's database, the
rate-limit ledger).  The suite process masks secrets before writing, so the folder holds none
while it exists; a run removes it on every exit path it gets to run, and the next run removes
what a ``kill -9`` left.

Which folders are stale is decided by a lock, not by a pid: a pid can be reused, or belong to
another container's pid namespace sharing ``/tmp``; an ``flock`` is released by the kernel when
the last process holding it dies.  The run and its suite process hold it (the descriptor is
inherited), and a folder is published under its final name only once it is locked, so the sweep
never sees a live run's folder unlocked.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, so no sweep; removal on exit still holds
    fcntl = None  # type: ignore[assignment]

__all__ = ["PREFIX", "UNLOCKED_GRACE_S", "WorkDir", "sweep_stale"]

#: Every run's work folder is ``<temp>/gatecheck-run-<pid>-<random>``; the pid is for people.
PREFIX = "gatecheck-run-"
_LOCK = ".owner.lock"
#: A folder without a lock file (left by a gatecheck from before the lock) is swept only once
#: it is this old, so a live run of an older version never loses its folder to a newer one.
UNLOCKED_GRACE_S = 24 * 3600.0


def _try_lock(handle: IO[str]) -> bool:
    """Whether this process now holds ``handle``'s lock (False: someone alive holds it)."""
    if fcntl is None:
        return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@dataclass
class WorkDir:
    """A locked private folder; :meth:`remove` deletes it and releases the lock."""

    path: Path
    _lock: IO[str] | None

    @classmethod
    def create(cls) -> WorkDir:
        """Sweep stale folders, then make, lock and publish a new one (mode 0700)."""
        sweep_stale()
        root = Path(tempfile.gettempdir())
        building = Path(tempfile.mkdtemp(prefix=f".{PREFIX}", dir=root))
        lock = (building / _LOCK).open("w", encoding="utf-8")
        _try_lock(lock)
        final = root / f"{PREFIX}{os.getpid()}-{secrets.token_hex(8)}"
        building.rename(final)  # atomic: the sweep sees the folder locked or not at all
        return cls(final, lock)

    @property
    def lock_fd(self) -> int | None:
        """The lock's descriptor, for the suite process to inherit (it holds the lock as well)."""
        return self._lock.fileno() if self._lock is not None else None

    @property
    def temp(self) -> Path:
        """``TMPDIR`` for the suite process: its temp files go where the sweep finds them."""
        folder = self.path / "tmp"
        folder.mkdir(exist_ok=True)
        return folder

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def sweep_stale(root: Path | None = None) -> list[Path]:
    """Remove work folders under ``root`` (the temp folder) whose owners are all dead; what went."""
    removed = []
    for folder in sorted((root or Path(tempfile.gettempdir())).glob(PREFIX + "*")):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            if not (folder / _LOCK).is_file() and time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_S:
                continue  # no lock to ask: an older gatecheck's run, perhaps live; only old ones go
            with (folder / _LOCK).open("a", encoding="utf-8") as lock:
                if not _try_lock(lock):
                    continue  # a run (or its suite process) still holds it
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # gone meanwhile, or not ours to judge
        removed.append(folder)
    return removed
