"""How much longer a run takes when the gateway rate-limits a share of requests, and whether the
extra time is the waits Retry-After asked for (and nothing else).

Run by hand (not part of the test suite):

    .venv/bin/python bench/bench_rate_limits.py [--suites errors,cost,streaming] [--every 5]
        [--form seconds|date] [--rounds 1]

For each suite it runs ``pytest suites/<suite>`` against a fresh mock twice: clean, and with
``--mock-rate-limit-every N`` (every Nth inference request answered 429 + Retry-After first).
It prints wall time of both, the difference, the retries and seconds waited that the tests
recorded (``rate_limit_retries`` / ``rate_limit_wait_s``, read from legacy-family JUnit
properties), and whether the verdicts were the same.  The difference minus the waits is what
the retries cost beyond waiting (the repeated requests themselves).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = [
    arg
    for name in ("allure_pytest", "hypothesispytest", "schemathesis", "xdist")
    for arg in ("-p", f"no:{name}")
]


def run(suite: str, extra: list[str], workdir: Path) -> tuple[float, dict[str, str], int, float]:
    """(wall seconds, verdict per test, retries, seconds waited) of one suite run."""
    junit = workdir / f"{suite}-{len(extra)}.xml"
    args = [sys.executable, "-m", "pytest", str(ROOT / "suites" / suite), "-q", "-p", "no:cacheprovider"]
    args += [*PLUGINS, f"--junitxml={junit}", "-o", "junit_family=legacy", *extra]
    started = time.perf_counter()
    subprocess.run(args, cwd=workdir, capture_output=True, text=True, timeout=900, check=False)
    wall = time.perf_counter() - started
    verdicts: dict[str, str] = {}
    retries, waited = 0, 0.0
    for case in ET.parse(junit).getroot().iter("testcase"):
        kind = next((k for k in ("failure", "error", "skipped") if case.find(k) is not None), "passed")
        verdicts[case.get("name", "")] = kind
        for prop in case.iter("property"):
            if prop.get("name") == "rate_limit_retries":
                retries += int(prop.get("value", "0"))
            elif prop.get("name") == "rate_limit_wait_s":
                waited += float(prop.get("value", "0"))
    return wall, verdicts, retries, waited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", default="errors,cost,streaming,responses")
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--form", choices=("seconds", "date"), default="seconds")
    parser.add_argument("--rounds", type=int, default=1)
    options = parser.parse_args()
    limited = [f"--mock-rate-limit-every={options.every}", f"--mock-retry-after-form={options.form}"]
    print(f"every {options.every}. inference request answered 429, Retry-After as {options.form}")
    heads = ("clean s", "limited s", "extra s", "retries", "waited s")
    print(f"{'suite':<12} " + " ".join(f"{h:>10}" for h in heads) + "  verdicts")
    with tempfile.TemporaryDirectory(prefix="gatecheck-bench-rl-") as tmp:
        for _ in range(options.rounds):
            for suite in options.suites.split(","):
                clean_wall, clean, _, _ = run(suite, [], Path(tmp))
                wall, verdicts, retries, waited = run(suite, limited, Path(tmp))
                same = (
                    "same"
                    if verdicts == clean
                    else f"DIFFER: {sorted(set(verdicts.items()) ^ set(clean.items()))}"
                )
                extra = wall - clean_wall
                figures = (f"{clean_wall:.1f}", f"{wall:.1f}", f"{extra:.1f}", str(retries), f"{waited:.1f}")
                print(f"{suite:<12} " + " ".join(f"{f:>10}" for f in figures) + f"  {same}")


if __name__ == "__main__":
    main()
