"""Wall time and peak memory of a full ``gatecheck run`` against each hostile server, default limits.

Run by hand from the repository root (``.venv/bin/python bench/bench_hostile.py [MODE ...]``);
prints a Markdown table.  Every suite runs (no ``--suites``, no ``--timeout``), with the
``openai`` profile, against the loopback servers of ``tests/hostile/hostile_servers.py`` (a
gzip bomb of 1 GiB, as in issue 16's table).  The issue's aim: every row under 60 s and 300 MB.
Peak RSS is that of the largest process of the run (``RUSAGE_CHILDREN`` of a wrapper process).

``--budgets`` instead runs every suite against the built-in mock behind a counting proxy, as a
real target, with request and token budgets, in one process and with workers, and prints the
requests that reached the proxy next to what the run's budget says it charged.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))

from counting_proxy import counting_proxy  # noqa: E402
from hostile_run import run_gatecheck  # noqa: E402
from hostile_servers import MODES, hostile_server  # noqa: E402

from gatecheck.mock.server import MockServer  # noqa: E402
from gatecheck.mock.settings import MockSettings  # noqa: E402

BUDGETS = (
    ("--max-requests", "30"),
    ("--max-requests", "30", "-n", "2"),
    ("--max-requests", "30", "--concurrency", "8"),
    ("--max-tokens", "300"),
    ("--max-tokens", "2000"),
    ("--max-tokens", "2000", "--concurrency", "8"),
)


def budgets() -> None:
    print("| budget | requests at the proxy | charged requests / tokens | refused | not run | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    settings = MockSettings(flavor="requesty")
    with MockServer(settings) as server:
        prefix = server.base_url.removeprefix(server.root_url)
        for flags in BUDGETS:
            with tempfile.TemporaryDirectory() as folder, counting_proxy(server.root_url) as (url, seen):
                run = run_gatecheck(
                    Path(folder), url + prefix, "--profile", "requesty", *flags, key=settings.api_key
                )
                results = run.results
            spent = results["run"].get("budget") or {}
            not_run = sum(t["outcome"] == "not-run" for t in results["tests"])
            print(
                f"| `{' '.join(flags)}` | {len(seen)} | {spent.get('requests')} / {spent.get('tokens')} "
                f"| {spent.get('refused')} | {not_run} | {run.measured.exit_code} |"
            )


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
    if sys.argv[1:] == ["--budgets"]:
        budgets()
    else:
        main(sys.argv[1:] or [m for m in MODES if m != "echo-key"])
