"""Record every suite verdict of ``gatecheck run`` against the clean mock and against each fault.

Run by hand before and after a change to the mock or the suites, then compare the two files:
a refactoring that changes behaviour shows up as a differing verdict.  Each fault is run on the
profile and suites that must catch it (the plan), so the whole record takes minutes, not hours::

    python bench/fault_verdicts.py --out before.json [--plan plan.json] [--workers 2]
    python bench/fault_verdicts.py --compare before.json after.json

A plan maps ``fault@profile`` to suite names; without ``--plan`` it is read from the fault
registry's proofs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

CLEAN = {"clean@requesty": ["*"], "clean@openrouter": ["*"]}


def _registry_plan() -> dict[str, list[str]]:
    from gatecheck.mock.faults import FAULTS

    plan: dict[str, set[str]] = {}
    for mode in FAULTS.values():
        for proof in mode.proofs:
            plan.setdefault(f"{mode.name}@{proof.profile}", set()).add(proof.suite)
    return {key: sorted(suites) for key, suites in plan.items()}


def _verdicts(results: Path) -> dict[str, list[Any]]:
    tests = json.loads(results.read_text(encoding="utf-8"))["tests"]
    out = {}
    for test in tests:
        failure = test.get("failure") or {}
        out[test["id"]] = [test["outcome"], failure.get("title") if isinstance(failure, dict) else None]
    return out


def _run(key: str, suites: list[str], workdir: Path) -> dict[str, list[Any]]:
    fault, profile = key.split("@")
    gatecheck = Path(sys.executable).with_name("gatecheck")
    args = [str(gatecheck), "run", "--mock-flavor", profile, "--seed", "1", "--report-dir", str(workdir)]
    if fault != "clean":
        args += ["--mock-fault", fault]
    if suites != ["*"]:
        args += ["--suites", ",".join(suites)]
    subprocess.run(args, capture_output=True, text=True, timeout=900, check=False)
    found = sorted(workdir.glob("2*/results.json"))
    return _verdicts(found[-1]) if found else {"<no results.json>": ["error", None]}


def record(plan: dict[str, list[str]], out: Path, workers: int) -> None:
    jobs = {**CLEAN, **plan}
    with (
        tempfile.TemporaryDirectory(prefix="fault-verdicts-") as tmp,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        futures = {
            key: pool.submit(_run, key, suites, Path(tmp) / f"{n:03d}")
            for n, (key, suites) in enumerate(jobs.items())
        }
        record = {key: future.result() for key, future in futures.items()}
    out.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(record)} runs recorded in {out}")


def compare(before: Path, after: Path) -> int:
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    differences = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key, {}), new.get(key, {})
        for test in sorted(set(a) | set(b)):
            if a.get(test) != b.get(test):
                differences += 1
                print(f"{key} {test}: {a.get(test)} -> {b.get(test)}")
    print(f"{differences} differing verdicts over {len(set(old) | set(new))} runs")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--plan", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--compare", nargs=2, type=Path)
    ns = parser.parse_args()
    if ns.compare:
        return compare(*ns.compare)
    plan = json.loads(ns.plan.read_text(encoding="utf-8")) if ns.plan else _registry_plan()
    record(plan, ns.out, ns.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
