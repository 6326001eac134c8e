"""Stable test ids and deterministic sharding.

A test's id is ``suite::module::test[param]`` (the module path relative to the suite folder,
without ``.py``).  It does not depend on where the project is checked out or which folder pytest
chose as rootdir, and never on message text, so baselines, drift and shards agree across
machines.  Shards hash that id, so every machine splits the same tests the same way.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from gatecheck.errors import UsageError

__all__ = ["Shard", "in_shard", "parse_shard", "stable_id"]

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"2/4"`` as a Shard; anything else is a usage error that shows the expected form."""
    match = _SHARD.match(text or "")
    if not match:
        raise UsageError(f"--shard must look like I/N (for example 1/4), not {text!r}")
    index, total = int(match.group(1)), int(match.group(2))
    if total < 1 or not 1 <= index <= total:
        raise UsageError(f"--shard {text}: I must be between 1 and N, and N at least 1")
    return Shard(index, total)


def in_shard(test_id: str, shard: Shard | None) -> bool:
    """Whether ``test_id`` belongs to ``shard`` (always, without sharding)."""
    if shard is None or shard.count == 1:
        return True
    digest = hashlib.sha256(test_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shard.count == shard.index - 1


def stable_id(suite: str, suite_dir: Path | None, path: Path, nodeid: str) -> str:
    """The id of the test (or collected file) at ``path`` with pytest ``nodeid``."""
    rel: Path | None = None
    if suite_dir is not None:
        try:
            rel = path.resolve().relative_to(suite_dir.resolve())
        except ValueError:
            rel = None
    module = (rel or Path(path.name)).with_suffix("").as_posix()
    rest = nodeid.split("::", 1)[1] if "::" in nodeid else ""
    return f"{suite}::{module}" + (f"::{rest}" if rest else "")
