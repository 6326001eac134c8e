"""Merge several results.json into one: the shards of a run, or runs against several targets.

Shards of one target fold into one target, their tests side by side; different targets stay
apart, and the merged matrix becomes target x capability.  A test that appears twice (the same
shard uploaded twice, a re-run) keeps its worst outcome, so merging never hides a failure.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gatecheck import __version__
from gatecheck.reports.allure import ALLURE_DIR
from gatecheck.reports.outcomes import FAILING, GATING, PASSING, count, exit_code
from gatecheck.reports.results import SCHEMA_VERSION, finalize

__all__ = ["copy_allure", "merge_results"]

_SUITE_RANK = {
    "error": 6,
    "empty": 5,
    "running": 4,
    "failed": 3,
    "passed": 2,
    "not-applicable": 1,
    "not-run": 0,
}


def _rank(outcome: str) -> int:
    return 3 if outcome in GATING else 2 if outcome in FAILING else 1 if outcome in PASSING else 0


def _target_key(target: dict[str, Any]) -> str:
    return json.dumps({k: target[k] for k in ("label", "url", "profile", "mock")}, sort_keys=True)


def _candidate_ids(target: dict[str, Any]) -> Iterator[str]:
    """Readable ids first: two mock runs with different faults are told apart by their faults."""
    label = target["label"]
    yield label
    if target.get("mock"):
        yield f"{label} [faults: {', '.join(target['mock']['faults']) or 'none'}]"
    yield f"{label} [{target['profile']}]"
    yield from (f"{label} #{n}" for n in itertools.count(2))


def _targets(inputs: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Merged targets, and for each input a map from its target ids to merged ids."""
    merged: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    maps = []
    for results in inputs:
        mapping = {}
        for target in results["targets"]:
            key = _target_key(target)
            if key not in merged:
                new_id = next(c for c in _candidate_ids(target) if c not in used)
                used.add(new_id)
                merged[key] = {**target, "id": new_id}
            mapping[target["id"]] = merged[key]["id"]
        maps.append(mapping)
    return list(merged.values()), maps


def _merge_suite(into: dict[str, Any], suite: dict[str, Any]) -> None:
    if _SUITE_RANK[suite["status"]] > _SUITE_RANK[into["status"]]:
        into["status"] = suite["status"]
    into["collected"] = (
        max(into["collected"] or 0, suite["collected"] or 0)
        if suite["collected"] is not None
        else into["collected"]
    )
    into["selected"] = (into["selected"] or 0) + (suite["selected"] or 0)
    into["duration_s"] = round((into["duration_s"] or 0) + (suite["duration_s"] or 0), 3)
    codes = [c for c in (into["exit_code"], suite["exit_code"]) if c is not None]
    into["exit_code"] = max(codes, key=lambda c: (c not in (0, 1), c)) if codes else None
    errors = [e for e in (into["error"], suite["error"]) if e]
    into["error"] = "; ".join(dict.fromkeys(errors)) or None


def _shapes(inputs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, dict[str, Any]] = {}
    for results in inputs:
        for operation, shape in results["shapes"].items():
            entry = merged.setdefault(
                operation, {"samples": 0, "observed": {}, "documented": None, "undocumented": []}
            )
            entry["samples"] += shape["samples"]
            for path, types in shape["observed"].items():
                entry["observed"][path] = sorted(set(entry["observed"].get(path, [])) | set(types))
            entry["documented"] = (
                entry["documented"] if entry["documented"] is not None else shape["documented"]
            )
            entry["undocumented"] = sorted(set(entry["undocumented"]) | set(shape["undocumented"]))
    for entry in merged.values():
        entry["observed"] = dict(sorted(entry["observed"].items()))
        entry["never_seen"] = [p for p in entry["documented"] or [] if p not in entry["observed"]]
    return merged


def _baseline(inputs: Sequence[dict[str, Any]], test_ids: set[str]) -> dict[str, Any] | None:
    baselines = [r["baseline"] for r in inputs if r["baseline"]]
    if not baselines:
        return None
    stale = set.intersection(*(set(b["stale"]) for b in baselines)) - test_ids
    return {
        "path": baselines[0]["path"],
        "entries": max(b["entries"] for b in baselines),
        "stale": sorted(stale),
    }


def _run(inputs: Sequence[dict[str, Any]], command: list[str]) -> dict[str, Any]:
    runs = [r["run"] for r in inputs]
    started = min(r["started"] for r in runs)
    finished = [r["finished"] for r in runs if r["finished"]]
    seeds = {r["seed"] for r in runs}
    errors = [f"{r['id']}: {r['error']['message']}" for r in runs if r["error"]]
    statuses = {r["status"] for r in runs}
    status = next((s for s in ("running", "interrupted", "error") if s in statuses), "complete")
    moment = datetime.now(UTC)
    return {
        "id": f"{moment:%Y%m%dT%H%M%SZ}-merged",
        "status": status,
        "verdict": "pending",
        "exit_code": None,
        "started": started,
        "finished": max(finished) if finished else None,
        "duration_s": round(sum(r["duration_s"] or 0 for r in runs), 3),
        "gatecheck_version": __version__,
        "command": command,
        "seed": seeds.pop() if len(seeds) == 1 else None,
        "shard": None,
        "merged_from": [r["id"] for r in runs],
        "error": {"kind": "merged-errors", "message": "; ".join(errors)} if errors else None,
    }


def merge_results(inputs: Sequence[dict[str, Any]], command: list[str] | None = None) -> dict[str, Any]:
    """One results document from several; its verdict is what ``gatecheck run`` would have said."""
    if not inputs:
        raise ValueError("nothing to merge")
    targets, maps = _targets(inputs)
    suites: dict[tuple[str, str], dict[str, Any]] = {}
    tests: dict[tuple[str, str], dict[str, Any]] = {}
    specs: dict[tuple[str, str], dict[str, Any]] = {}
    for results, mapping in zip(inputs, maps, strict=True):
        for suite in results["suites"]:
            key = (mapping[suite["target"]], suite["name"])
            if key not in suites:
                suites[key] = {
                    **suite,
                    "target": key[0],
                    "selected": 0,
                    "duration_s": 0.0,
                    "error": None,
                    "status": "not-run",
                }
            _merge_suite(suites[key], suite)
        for test in results["tests"]:
            merged = {**test, "target": mapping[test["target"]]}
            key = (merged["target"], test["id"])
            if key not in tests or _rank(merged["outcome"]) > _rank(tests[key]["outcome"]):
                tests[key] = merged
        for spec in results["specs"]:
            specs.setdefault((spec["name"], spec["version"]), spec)
    out = {
        "schema_version": SCHEMA_VERSION,
        "run": _run(inputs, command or ["gatecheck", "report", "merge"]),
        "targets": targets,
        "specs": list(specs.values()),
        "suites": list(suites.values()),
        "tests": list(tests.values()),
        "summary": {"total": 0, "counts": count([]), "pass_rate": None},
        "matrix": [],
        "baseline": _baseline(inputs, {t["id"] for t in tests.values()}),
        "shapes": _shapes(inputs),
    }
    finalize(out)
    # Tests that gatecheck could not judge (run error "harness", suites in error with no reason)
    # weigh through exit_code, so a failure elsewhere still makes the merged run exit 1.
    error = out["run"]["error"]
    broken = (error and error.get("kind") != "harness") or any(
        s["status"] in ("error", "empty") and s["error"] for s in out["suites"]
    )
    code = 2 if broken else exit_code(t["outcome"] for t in out["tests"])
    out["run"].update(exit_code=code, verdict={0: "pass", 1: "fail"}.get(code, "error"))
    if broken and not out["run"]["error"]:
        bad = [
            f"suite {s['name']}: {s['error'] or s['status']}"
            for s in out["suites"]
            if s["status"] in ("error", "empty") and s["error"]
        ]
        out["run"]["error"] = {"kind": "suite-error", "message": "; ".join(bad)}
    elif code == 2 and not out["run"]["error"]:
        errors = sum(1 for t in out["tests"] if t["outcome"] == "error")
        out["run"]["error"] = {"kind": "harness", "message": f"{errors} test(s) could not be judged"}
    return out


def copy_allure(sources: Sequence[Path], output: Path) -> int:
    """Copy every input's allure-results into ``output/allure-results`` (file names are UUIDs)."""
    target = output / ALLURE_DIR
    copied = 0
    for source in sources:
        folder = source / ALLURE_DIR
        if not folder.is_dir():
            continue
        target.mkdir(parents=True, exist_ok=True)
        for file in folder.iterdir():
            if file.is_file() and file.name not in ("environment.properties", "categories.json"):
                shutil.copy2(file, target / file.name)
                copied += 1
    return copied
