"""Drift: what changed between two runs of gatecheck, judged by stable test ids.

Tests are compared by id (and target, for merged multi-target reports), never by message text:
a reworded assertion is not drift, a test that used to pass and now fails is.  Four lists of
outcome changes, each test in at most one:

- **newly failing**: failing now (failed, error or baselined), not failing before (or absent);
- **newly passing**: passing now, failing before;
- **still failing**: failing in both;
- **other changes**: any other change of outcome (passed -> not applicable, new or removed tests).

Plus timing changes beyond a relative threshold, capability (matrix) changes, and response
shape changes.  A regression (the drift command exits 1) is a newly failing test; a capability
can only go from passing to failing through one, so capabilities are listed, not counted again.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import median
from typing import Any

from gatecheck.reports.metrics import TIMINGS, series
from gatecheck.reports.outcomes import FAILING, PASSING

__all__ = ["ABSENT", "compute_drift"]

ABSENT = "absent"


def _keyed(results: Mapping[str, Any], by_target: bool) -> dict[str, Mapping[str, Any]]:
    return {(f"{t['target']} :: {t['id']}" if by_target else t["id"]): t for t in results["tests"]}


def _run_info(results: Mapping[str, Any]) -> dict[str, Any]:
    run = results["run"]
    return {
        "run_id": run["id"],
        "started": run["started"],
        "verdict": run["verdict"],
        "targets": [t["label"] for t in results["targets"]],
        "pass_rate": results["summary"]["pass_rate"],
    }


def _entry(key: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, Any]:
    test = new or old or {}
    failure = (new or {}).get("failure") or {}
    return {
        "key": key,
        "id": test.get("id", key),
        "suite": test.get("suite", ""),
        "title": test.get("title", ""),
        "old": old["outcome"] if old else ABSENT,
        "new": new["outcome"] if new else ABSENT,
        "failure": failure.get("title"),
    }


def _outcomes(
    old: dict[str, Mapping[str, Any]], new: dict[str, Mapping[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {
        "newly_failing": [],
        "newly_passing": [],
        "still_failing": [],
        "other_changes": [],
    }
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        was = before["outcome"] if before else ABSENT
        now = after["outcome"] if after else ABSENT
        if now in FAILING:
            group = "still_failing" if was in FAILING else "newly_failing"
        elif now in PASSING and was in FAILING:
            group = "newly_passing"
        elif was != now and not (was in PASSING and now in PASSING):
            group = "other_changes"
        else:
            continue
        groups[group].append(_entry(key, before, after))
    return groups


def _change(old: float, new: float) -> float:
    return (new - old) / old if old else float("inf")


def _timing(kind: str, key: str, metric: str, old: float, new: float) -> dict[str, Any]:
    return {
        "kind": kind,
        "key": key,
        "metric": metric,
        "old": round(old, 3),
        "new": round(new, 3),
        "change": round(_change(old, new), 4),
    }


def _metric_medians(results: Mapping[str, Any]) -> dict[tuple[str, str], float]:
    return {
        (operation, metric): median(values)
        for metric in TIMINGS
        for operation, values in series(results["tests"], metric).items()
    }


def _timings(
    old_tests: dict, new_tests: dict, old: Mapping, new: Mapping, threshold: float, floor_ms: float
) -> list[dict]:
    changes = []
    for key in sorted(set(old_tests) & set(new_tests)):
        a, b = old_tests[key]["duration_s"] * 1000, new_tests[key]["duration_s"] * 1000
        if max(a, b) >= floor_ms and abs(_change(a, b)) > threshold:
            changes.append(_timing("test", key, "duration_ms", a, b))
    old_m, new_m = _metric_medians(old), _metric_medians(new)
    for key in sorted(set(old_m) & set(new_m)):
        a, b = old_m[key], new_m[key]
        if max(a, b) >= floor_ms and abs(_change(a, b)) > threshold:
            changes.append(_timing("operation", key[0], f"median {key[1]}", a, b))
    return changes


def _capabilities(old: Mapping[str, Any], new: Mapping[str, Any], by_target: bool) -> list[dict[str, Any]]:
    def cells(results: Mapping[str, Any]) -> dict[str, str]:
        return {
            (f"{c['target']} :: {c['capability']}" if by_target else c["capability"]): c["status"]
            for c in results["matrix"]
        }

    before, after = cells(old), cells(new)
    return [
        {"capability": key, "old": before.get(key, "not-run"), "new": after.get(key, "not-run")}
        for key in sorted(set(before) | set(after))
        if before.get(key, "not-run") != after.get(key, "not-run")
    ]


def _shapes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    changes = []
    for operation in sorted(set(old["shapes"]) | set(new["shapes"])):
        a = old["shapes"].get(operation) or {"observed": {}, "undocumented": [], "never_seen": []}
        b = new["shapes"].get(operation) or {"observed": {}, "undocumented": [], "never_seen": []}
        entry = {
            "operation": operation,
            "undocumented": list(b["undocumented"]),
            "never_seen": list(b["never_seen"]),
            "new_undocumented": sorted(set(b["undocumented"]) - set(a["undocumented"])),
            "newly_never_seen": sorted(set(b["never_seen"]) - set(a["never_seen"])),
            "appeared": sorted(set(b["observed"]) - set(a["observed"])) if a["observed"] else [],
            "disappeared": sorted(set(a["observed"]) - set(b["observed"])) if b["observed"] else [],
        }
        if any(entry[k] for k in ("undocumented", "never_seen", "appeared", "disappeared")):
            changes.append(entry)
    return changes


def compute_drift(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    timing_threshold: float = 0.5,
    timing_floor_ms: float = 50.0,
) -> dict[str, Any]:
    """Everything that changed from ``old`` to ``new`` (two results.json documents)."""
    by_target = len(old["targets"]) > 1 or len(new["targets"]) > 1
    old_tests, new_tests = _keyed(old, by_target), _keyed(new, by_target)
    groups = _outcomes(old_tests, new_tests)
    capabilities = _capabilities(old, new, by_target)
    return {
        "old": _run_info(old),
        "new": _run_info(new),
        **groups,
        "timings": _timings(old_tests, new_tests, old, new, timing_threshold, timing_floor_ms),
        "timing_threshold": timing_threshold,
        "capabilities": capabilities,
        "shapes": _shapes(old, new),
        "regressions": len(groups["newly_failing"]),
    }
