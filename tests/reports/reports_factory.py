"""Small, valid results.json documents for the report tests (no pytest run needed)."""

from __future__ import annotations

import copy
from typing import Any

from gatecheck.reports.outcomes import count
from gatecheck.reports.results import SCHEMA_VERSION, finalize, validate

MOCK = {
    "id": "mock",
    "label": "mock",
    "url": "built-in mock",
    "profile": "requesty",
    "mock": {"flavor": "requesty", "faults": []},
}


def record(
    test_id: str,
    outcome: str = "passed",
    *,
    capabilities: tuple[str, ...] = (),
    duration: float = 0.01,
    failure: dict[str, Any] | None = None,
    metrics: dict[str, float] | None = None,
    operation: str | None = None,
    target: str = "mock",
    skip_reason: str | None = None,
) -> dict[str, Any]:
    suite, rest = test_id.split("::", 1)
    module, _, name = rest.partition("::")
    if outcome in ("failed", "error", "baselined") and failure is None:
        failure = {"kind": "assertion", "title": f"{name} broke", "message": f"{name} broke"}
    return {
        "id": test_id,
        "nodeid": f"suites/{suite}/{module}.py::{name}",
        "suite": suite,
        "target": target,
        "title": f"{name} works.",
        "outcome": outcome,
        "capabilities": list(capabilities),
        "operation": operation,
        "duration_s": duration,
        "failure": failure,
        "skip_reason": skip_reason
        if skip_reason or outcome not in ("skipped", "not-applicable")
        else "not applicable: no",
        "metrics": metrics or {},
        "properties": {},
        "baseline_reason": "accepted" if outcome in ("baselined", "fixed") else None,
    }


def results(
    tests: list[dict[str, Any]],
    *,
    run_id: str = "20260101T000000Z-aaaaaa",
    targets: list[dict[str, Any]] | None = None,
    verdict: str = "pass",
    error: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A finalized, schema-valid results document holding ``tests``."""
    targets = copy.deepcopy(targets or [MOCK])
    suites = sorted({(t["target"], t["suite"]) for t in tests})
    doc = {
        "schema_version": SCHEMA_VERSION,
        "run": {
            "id": run_id,
            "status": "complete",
            "verdict": verdict,
            "exit_code": {"pass": 0, "fail": 1}.get(verdict, 2),
            "started": "2026-01-01T00:00:00Z",
            "finished": "2026-01-01T00:00:10Z",
            "duration_s": 10.0,
            "gatecheck_version": "0.1.0",
            "command": ["gatecheck", "run"],
            "seed": 1,
            "shard": None,
            "error": error,
        },
        "targets": targets,
        "specs": [{"name": "requesty", "version": "1.0"}],
        "suites": [
            {
                "name": suite,
                "target": target,
                "status": "passed",
                "collected": 1,
                "selected": 1,
                "exit_code": 0,
                "duration_s": 1.0,
                "error": None,
                "counts": count([]),
            }
            for target, suite in suites
        ],
        "tests": copy.deepcopy(tests),
        "summary": {"total": 0, "counts": count([]), "pass_rate": None},
        "matrix": [],
        "baseline": None,
        "shapes": {},
    }
    finalize(doc)
    validate(doc)
    return doc
