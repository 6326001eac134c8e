"""Wall time and peak memory of a full ``gatecheck run`` against each hostile server, default limits.

Run by hand from the repository root (``.venv/bin/python bench/bench_hostile.py [MODE ...]``);
prints a Markdown table.  Every suite runs (no ``--suites``, no ``--timeout``), with the
``openai`` profile, against the loopback servers of ``tests/hostile/hostile_servers.py`` (a
gzip bomb of 1 GiB, as in issue 16's table).  The issue's aim: every row under 60 s and 300 MB.
Peak RSS is that of the largest process of the run (``RUSAGE_CHILDREN`` of a wrapper process).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))

from hostile_run import run_gatecheck  # noqa: E402
from hostile_servers import MODES, hostile_server  # noqa: E402


def main(modes: list[str]) -> None:
    print("| server | exit | wall s | peak RSS MB | requests it saw | how the run ended |")
    print("|---|---:|---:|---:|---:|---|")
    for mode in modes:
        with tempfile.TemporaryDirectory() as folder:
            with hostile_server(mode, bomb_size=1 << 30) as (url, counter):
                run = run_gatecheck(Path(folder), url, "--profile", "openai")
            last = next(
                (line for line in reversed(run.measured.stdout.splitlines()) if "gatecheck:" in line), ""
            )
            said = last.split("gatecheck:", 1)[-1].strip()[:110]
            m = run.measured
            print(
                f"| {mode} | {m.exit_code} | {m.wall_s:.1f} | {m.peak_rss_mb:.0f} | {len(counter)} | {said} |"
            )


if __name__ == "__main__":
    main(sys.argv[1:] or [m for m in MODES if m != "echo-key"])
