"""Atomic file writes: a reader (CI, a browser, a tailing user) never sees half a report.

Every report file is written to a temporary sibling and moved into place with ``os.replace``,
which is atomic on POSIX and Windows when both names are on one filesystem.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gatecheck.errors import ReportWriteError

__all__ = ["overwrite_in_place", "write_bytes", "write_json", "write_text"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, creating parent folders as needed.

    Any OS failure (disk full, a folder where the file goes, no permission) is a
    :class:`~gatecheck.errors.ReportWriteError` naming the file: exit 2 and one line, never a
    traceback that CI would read as the gateway's fault.
    """
    try:
        _replace(path, data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ReportWriteError(f"cannot write {path}: {reason}") from None


def _replace(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes 0600; reports are for reading
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with UTF-8 ``text`` atomically."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, data: Any) -> None:
    """Replace ``path`` with pretty, key-sorted JSON (stable diffs between runs)."""
    write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def overwrite_in_place(path: Path, data: bytes) -> None:
    """Rewrite the existing ``path`` in place: the last resort when the disk takes no new file.

    Not atomic, so only for the one record that must not go on saying ``running`` after a full
    disk ended the run; truncating first frees the old blocks for the (smaller, compact) new text.
    """
    try:
        with path.open("r+b") as handle:
            handle.truncate(0)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise ReportWriteError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
