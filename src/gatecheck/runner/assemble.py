"""Build results.json's parts from a plan and the suites' records.

Kept apart from the process handling in :mod:`gatecheck.runner.session` so that each piece is
a plain function over data, testable without starting anything.
"""

from __future__ import annotations

import platform
import secrets
from datetime import UTC, datetime
from typing import Any

import pytest

from gatecheck import __version__
from gatecheck.errors import GatecheckError
from gatecheck.reports import shapes as shape_tools
from gatecheck.reports.outcomes import HARNESS_ERROR, TARGET_FAILED, count
from gatecheck.reports.results import SCHEMA_VERSION
from gatecheck.runner.plan import RunOptions, RunPlan
from gatecheck.verdicts import NOT_APPLICABLE

__all__ = [
    "error_kind",
    "new_results",
    "new_run_id",
    "shapes_section",
    "spec_versions",
    "suite_entry",
    "suite_verdict",
    "target_entry",
    "timestamp",
]


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id(moment: datetime | None = None) -> str:
    """UTC timestamp plus a short random suffix: sortable, and unique when shards start together."""
    moment = moment or datetime.now(UTC)
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def new_results(run_id: str, started: datetime, options: RunOptions) -> dict[str, Any]:
    """The skeleton written before anything runs: a run that dies still has this much."""
    return {
        "schema_version": SCHEMA_VERSION,
        "run": {
            "id": run_id,
            "status": "running",
            "verdict": "pending",
            "exit_code": None,
            "started": timestamp(started),
            "finished": None,
            "duration_s": None,
            "gatecheck_version": __version__,
            "python_version": platform.python_version(),
            "pytest_version": pytest.__version__,
            "command": list(options.command),
            "seed": options.seed,
            "shard": None,
            "workers": options.workers,
            "suites_requested": list(options.suites or []),
            "error": None,
        },
        "targets": [],
        "specs": [],
        "suites": [],
        "tests": [],
        "summary": {"total": 0, "counts": count([]), "pass_rate": None},
        "matrix": [],
        "baseline": None,
        "shapes": {},
    }


def target_entry(plan: RunPlan) -> dict[str, Any]:
    target = plan.target
    mock: dict[str, Any] | None = None
    if target.is_mock:
        mock = {"flavor": target.profile.mock_flavor, "faults": list(plan.faults)}
        if every := plan.options.mock_rate_limit_every:
            mock["rate_limit"] = {
                "every": every,
                "retry_after": plan.options.mock_retry_after_form or "seconds",
            }
    return {
        "id": target.label,
        "label": target.label,
        "url": target.url or "built-in mock",
        "profile": target.profile.name,
        "mock": mock,
    }


def spec_versions(plan: RunPlan) -> list[dict[str, str]]:
    """The spec the profile names, from the specs registry when it can say (never fatal)."""
    try:
        from gatecheck.specs.registry import find_spec

        info = find_spec(plan.target.profile.spec)
    except (ImportError, GatecheckError, OSError, ValueError):
        return [{"name": plan.target.profile.spec, "version": "unknown"}]
    return [
        {
            "name": info.name,
            "version": info.version or "unknown",
            "title": info.title,
            "source": info.source_path.name,
        }
    ]


def suite_entry(name: str, target: str) -> dict[str, Any]:
    return {
        "name": name,
        "target": target,
        "status": "not-run",
        "collected": None,
        "selected": None,
        "exit_code": None,
        "duration_s": None,
        "error": None,
        "counts": count([]),
    }


def suite_verdict(tests: list[dict[str, Any]]) -> str:
    """A finished suite's status from its tests: ``failed`` (the target's fault) outranks ``error``
    (gatecheck could not judge), and a suite none of whose tests judged the target is
    ``not-applicable`` when every test was, never ``passed``."""
    seen = {t["outcome"] for t in tests}
    if TARGET_FAILED in seen:
        return "failed"
    if HARNESS_ERROR in seen:
        return "error"
    if seen == {NOT_APPLICABLE}:
        return NOT_APPLICABLE
    return "passed"


def _spec_document(plan: RunPlan) -> dict[str, Any] | None:
    try:
        from gatecheck.specs.registry import load_spec

        return load_spec(plan.target.profile.spec).document
    except (ImportError, GatecheckError, OSError, ValueError):
        return None


def shapes_section(plan: RunPlan, snapshots: list[dict[str, Any]]) -> dict[str, Any]:
    """Observed shapes per operation, keyed by the spec's template when the spec knows the path."""
    merged = shape_tools.merge_snapshots(snapshots)
    if not merged:
        return {}
    document = _spec_document(plan)
    grouped: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, tuple[str, str] | None] = {}
    for operation, shape in merged.items():
        found = shape_tools.find_operation(document, operation) if document else None
        key = f"{found[0]} {found[1]}" if found else operation
        grouped.setdefault(key, []).append({key: shape})
        keys[key] = found
    section = {}
    for key, parts in grouped.items():
        shape = shape_tools.merge_snapshots(parts)[key]
        found = keys[key]
        documented = shape_tools.documented_paths(document, *found) if document and found else None
        section[key] = {
            "samples": shape["samples"],
            "observed": shape["observed"],
            **shape_tools.compare(shape["observed"], documented),
        }
    return section


def error_kind(exc: GatecheckError) -> str:
    """A short, stable name for a harness error (results.json run.error.kind)."""
    from gatecheck.errors import (
        BudgetExhausted,
        ReportWriteError,
        RunTimeExceeded,
        SpecError,
        TargetError,
        UsageError,
    )
    from gatecheck.limits import TargetNotAnswering

    for cls, kind in (
        (ReportWriteError, "report-write"),
        (TargetNotAnswering, "target-not-answering"),
        (RunTimeExceeded, "max-duration"),
        (TargetError, "target-unreachable"),
        (SpecError, "spec"),
        (UsageError, "usage"),
        (BudgetExhausted, "budget"),
    ):
        if isinstance(exc, cls):
            return kind
    return "harness"
