"""Redact files that other tools wrote into a run folder (allure-pytest results, pytest's JUnit).

gatecheck's own writers redact as they write; third-party plugins do not know our secrets, so
their output is passed through the run's redactor afterwards, in place and atomically.
"""

from __future__ import annotations

from pathlib import Path

from gatecheck.redact import Redactor
from gatecheck.reports.atomic import write_text

__all__ = ["scrub_file", "scrub_tree"]

_MAX_BYTES = 64 * 1024 * 1024  # a bigger attachment is not text anyone reads; leave it alone


def scrub_file(path: Path, redactor: Redactor) -> bool:
    """Redact one UTF-8 file in place; binary files are left alone.  True if it changed."""
    if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
        return False
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    cleaned = redactor.text(text)
    if cleaned == text:
        return False
    write_text(path, cleaned)
    return True


def scrub_tree(root: Path, redactor: Redactor) -> int:
    """Redact every text file under ``root``; returns how many changed."""
    if not root.exists():
        return 0
    return sum(scrub_file(path, redactor) for path in sorted(root.rglob("*")))
