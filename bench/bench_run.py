"""How long ``gatecheck run`` takes: the main job, and a full run against a gateway 300 ms away.

Run by hand (``.venv/bin/python bench/bench_run.py``); it prints a table and asserts nothing.
Three runs, side by side:

- the main job: ``gatecheck run``, every suite against the built-in mock;
- the mock behind ``bench/latency_proxy.py`` adding 300 ms to every answer, as a real target
  (``--target URL``, writes allowed), with ``--concurrency 1``;
- the same with the default concurrency for a real target.

For the proxied runs, the requests sent and the most in flight are counted at the proxy, where
no gatecheck code can miscount them.  Each row also gives the CPU seconds (user + system) of
gatecheck's process tree (the CLI, its pytest session, any xdist workers; the proxy and the mock
it fronts run in this process and are not counted): on a shared machine they are far steadier
than wall time, which depends on how much CPU the other tenants leave.  ``--delay``, ``--suites``
and ``--only`` narrow it down.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from latency_proxy import LatencyProxy

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings

GATECHECK = str(Path(sys.executable).with_name("gatecheck"))


@dataclass
class Row:
    name: str
    wall_s: float
    cpu_s: float
    exit_code: int
    failing: list[str]
    requests: int | None = None
    max_in_flight: int | None = None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _gatecheck(args: list[str], env: dict[str, str]) -> tuple[float, float, int, list[str]]:
    """Wall time, CPU seconds, exit code and the failing tests' ids (a slow run that fails is no
    benchmark)."""
    started, cpu = time.monotonic(), _children_cpu()
    with tempfile.TemporaryDirectory(prefix="bench-run-") as reports:
        done = subprocess.run(
            [GATECHECK, "run", "--seed", "7", "--report-dir", reports, *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=1800,
            check=False,
        )
        wall, cpu = time.monotonic() - started, _children_cpu() - cpu
        results = json.loads((Path(reports) / "latest" / "results.json").read_text())
    failing = [t["id"] for t in results["tests"] if t["outcome"] in ("failed", "error")]
    return wall, cpu, done.returncode, failing


def _proxied(name: str, delay: float, suites: list[str], extra: list[str]) -> Row:
    settings = MockSettings(flavor="requesty")
    with MockServer(settings) as mock, LatencyProxy(mock.root_url, delay=delay) as proxy:
        env = {**os.environ, "BENCH_KEY": settings.api_key, "BENCH_ADMIN_KEY": settings.admin_key}
        args = ["--target", proxy.url + settings.prefix, "--profile", "requesty", "--allow-writes"]
        args += ["--api-key-env", "BENCH_KEY", "--management-key-env", "BENCH_ADMIN_KEY"]
        args += ["--max-requests", "100000", "--max-tokens", "100000000"]
        args += [w for s in suites for w in ("--suites", s)]
        wall, cpu, code, failing = _gatecheck(args + extra, env)
        return Row(name, wall, cpu, code, failing, proxy.stats.requests, proxy.stats.max_in_flight)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.3, help="seconds the proxy adds per answer")
    parser.add_argument("--suites", action="append", default=[], help="limit the runs to these suites")
    parser.add_argument("--only", choices=("main", "c1", "default"), action="append", help="run only these")
    options = parser.parse_args()
    only = set(options.only or ("main", "c1", "default"))
    rows = []
    if "main" in only:
        args = [w for s in options.suites for w in ("--suites", s)]
        rows.append(Row("main job (built-in mock)", *_gatecheck(args, dict(os.environ))))
    label = f"mock + {int(options.delay * 1000)} ms proxy"
    if "c1" in only:
        extra = ["--concurrency", "1"]
        rows.append(_proxied(f"{label}, --concurrency 1", options.delay, options.suites, extra))
    if "default" in only:
        rows.append(_proxied(f"{label}, default concurrency", options.delay, options.suites, []))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'run':<44} {'wall s':>7} {'CPU s':>6} {'exit':>4} {'requests':>8} {'max in flight':>13}")
    for row in rows:
        requests = "-" if row.requests is None else str(row.requests)
        in_flight = "-" if row.max_in_flight is None else str(row.max_in_flight)
        figures = f"{row.wall_s:7.1f} {row.cpu_s:6.1f} {row.exit_code:>4}"
        print(f"{row.name:<44} {figures} {requests:>8} {in_flight:>13}")
    for row in rows:
        for test_id in row.failing:
            print(f"  {row.name}: failing {test_id}")


if __name__ == "__main__":
    main()
