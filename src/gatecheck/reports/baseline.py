"""Baselines: failures a team has looked at and accepted, so they stop failing the gate.

A baseline lists stable test ids (``suite::module::test[param]``) with a reason.  Baselined
failures are still reported, as *baselined*; a baselined test that now passes is *fixed*, a hint
to shrink the baseline.  Ids, never message text, so a reworded assertion does not un-baseline a
failure and a different failure of an accepted test is still the same accepted test.

File format (YAML or JSON)::

    version: 1
    failures:
      - id: errors::test_envelope::test_plain_text_error
        reason: vendor answers plain text; ticket OPS-12

A bare list of such entries, or of plain id strings, is accepted too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gatecheck import files
from gatecheck.errors import UsageError
from gatecheck.reports.atomic import write_text
from gatecheck.reports.outcomes import FAILING, GATING

__all__ = [
    "Baseline",
    "BaselineError",
    "apply_baseline",
    "baseline_from_results",
    "load_baseline",
    "write_baseline",
]


class BaselineError(UsageError):
    """A baseline file is missing or malformed."""


@dataclass(frozen=True)
class Baseline:
    """Accepted failure ids with their reasons."""

    entries: dict[str, str] = field(default_factory=dict)
    path: str = ""


def _entries(data: Any, path: Path) -> dict[str, str]:
    items = data.get("failures", data.get("accepted")) if isinstance(data, dict) else data
    if items is None:
        items = []
    if not isinstance(items, list):
        raise BaselineError(f"baseline {path}: expected a list of failures (see 'gatecheck baseline update')")
    entries: dict[str, str] = {}
    for index, item in enumerate(items):
        if isinstance(item, str):
            entries[item] = ""
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            entries[item["id"]] = str(item.get("reason") or "")
        else:
            raise BaselineError(
                f"baseline {path}: entry {index + 1} needs an 'id' (a stable test id) and a 'reason'"
            )
    return entries


def load_baseline(path: str | Path) -> Baseline:
    """Read a YAML or JSON baseline; every problem names the file and the entry."""
    path = Path(path)
    data = files.load_data(
        path,
        what="baseline",
        error=BaselineError,
        missing_hint="create one with 'gatecheck baseline update --from reports/latest'",
    )
    return Baseline(_entries(data, path), str(path))


def apply_baseline(tests: list[dict[str, Any]], baseline: Baseline | None) -> list[str]:
    """Mark accepted failures *baselined* and accepted tests that pass *fixed*; return stale ids."""
    if baseline is None:
        return []
    seen = set()
    for test in tests:
        reason = baseline.entries.get(test["id"])
        if reason is None:
            continue
        seen.add(test["id"])
        if test["outcome"] in GATING:
            test["outcome"], test["baseline_reason"] = "baselined", reason
        elif test["outcome"] == "passed":
            test["outcome"], test["baseline_reason"] = "fixed", reason
    return sorted(set(baseline.entries) - seen)


def baseline_from_results(results: dict[str, Any], previous: Baseline | None = None) -> dict[str, str]:
    """The baseline that would make ``results`` pass: every failing id, keeping earlier reasons."""
    run_id = results["run"]["id"]
    kept = previous.entries if previous else {}
    entries = {}
    for test in sorted(results["tests"], key=lambda t: t["id"]):
        if test["outcome"] in FAILING:
            title = (test.get("failure") or {}).get("title") or test["title"]
            entries[test["id"]] = (
                kept.get(test["id"]) or test.get("baseline_reason") or f"accepted from run {run_id}: {title}"
            )
    return entries


def write_baseline(path: str | Path, entries: dict[str, str]) -> None:
    """Write entries as YAML (or JSON for a .json path), sorted, atomically."""
    path = Path(path)
    items = [{"id": key, "reason": entries[key]} for key in sorted(entries)]
    if path.suffix.lower() == ".json":
        text = json.dumps({"version": 1, "failures": items}, indent=2) + "\n"
    else:
        header = (
            "# gatecheck baseline: accepted failures by stable test id (see 'gatecheck baseline update')\n"
        )
        text = header + yaml.safe_dump(
            {"version": 1, "failures": items}, sort_keys=False, allow_unicode=True, width=100
        )
    write_text(path, text)
