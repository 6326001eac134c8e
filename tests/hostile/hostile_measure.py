"""Run a command and report its exit code, wall time and the peak RSS of its process tree.

Run as a script (``python hostile_measure.py OUT_JSON -- CMD...``) in its own process, so the peak it
reads (``RUSAGE_CHILDREN``: the largest process among all waited-for descendants) is this
command's alone, not that of every test before it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Measured", "measure"]


@dataclass(frozen=True)
class Measured:
    exit_code: int
    wall_s: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def measure(argv: list[str], *, env: dict[str, str], cwd: Path, timeout: float) -> Measured:
    """Run ``argv`` through this script; a run past ``timeout`` is killed and fails the test."""
    out = cwd / "measured.json"
    wrapper = [sys.executable, __file__, str(out), "--", *argv]
    proc = subprocess.run(wrapper, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    data = json.loads(out.read_text())
    return Measured(data["exit_code"], data["wall_s"], data["peak_rss_mb"], proc.stdout, proc.stderr)


if __name__ == "__main__":
    target, argv = Path(sys.argv[1]), sys.argv[sys.argv.index("--") + 1 :]
    started = time.monotonic()
    code = subprocess.run(argv).returncode
    wall = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    target.write_text(
        json.dumps({"exit_code": code, "wall_s": round(wall, 2), "peak_rss_mb": round(peak, 1)})
    )
