"""``results.json``: the one machine-readable record of a run, and the source of every other report.

Markdown, HTML, JUnit post-processing, baselines, drift and merge all read this structure, so it
is validated against ``results.schema.json`` both when written and when read back: a report
never disagrees with its schema, and an old or foreign file fails with a clear message instead of
a KeyError deep in a renderer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from gatecheck import files
from gatecheck.errors import UsageError
from gatecheck.reports.atomic import overwrite_in_place, write_json
from gatecheck.reports.causes import root_causes
from gatecheck.reports.outcomes import NO_CAPABILITY, capability_status, count, pass_rate

__all__ = [
    "RESULTS_FILE",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "ResultsFileError",
    "finalize",
    "load_results",
    "resolve_results_path",
    "schema",
    "validate",
    "write_results",
]

SCHEMA_VERSION = "1.1"
SCHEMA_PATH = Path(__file__).with_name("results.schema.json")
RESULTS_FILE = "results.json"


class ResultsFileError(UsageError):
    """A results.json (or a run folder said to hold one) cannot be used."""


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of results.json (draft 2020-12)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _problems(results: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(results), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {error.message}")
    return problems


def validate(results: Any) -> None:
    """Raise if ``results`` breaks the schema: a bug in gatecheck when we wrote it, so say so."""
    if problems := _problems(results):
        raise ValueError("results do not match results.schema.json: " + "; ".join(problems[:5]))


def resolve_results_path(path: str | Path) -> Path:
    """A run folder (``reports/latest`` included) or a results.json file, as the file's path."""
    path = Path(path)
    if path.is_dir() and not (path / RESULTS_FILE).exists() and (path / "LATEST").is_file():
        # no symlinks on this system: LATEST holds the newest run folder's name
        name = files.read_text(path / "LATEST", error=ResultsFileError).strip()
        if not name or "\x00" in name or Path(name).name != name:
            raise ResultsFileError(f"{path / 'LATEST'}: does not hold a run folder's name")
        path = path / name
    candidate = path / RESULTS_FILE if path.is_dir() else path
    if not candidate.is_file():
        where = f"no {RESULTS_FILE} in {path}" if path.is_dir() else f"{path} does not exist"
        raise ResultsFileError(f"{where}; pass a run folder such as reports/latest, or a {RESULTS_FILE} file")
    return candidate


def load_results(path: str | Path) -> dict[str, Any]:
    """Read and validate a results.json (given as a file or as its run folder)."""
    file = resolve_results_path(path)
    data = files.load_json(file, error=ResultsFileError)
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith("1."):
        raise ResultsFileError(
            f"{file} has schema_version {version!r}; this gatecheck reads 1.x "
            "(rerun, or use a matching gatecheck)"
        )
    if problems := _problems(data):
        raise ResultsFileError(f"{file} does not match results.schema.json: " + "; ".join(problems[:3]))
    return data


def _matrix(tests: list[dict[str, Any]], targets: list[str]) -> list[dict[str, Any]]:
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for test in tests:
        for capability in test["capabilities"] or [NO_CAPABILITY]:
            cells[(test["target"], capability)].append(test["outcome"])
    order = {t: i for i, t in enumerate(targets)}
    matrix = []
    for (target, capability), outcomes in sorted(
        cells.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][1] == NO_CAPABILITY, kv[0][1])
    ):
        counts = count(outcomes)
        matrix.append(
            {
                "target": target,
                "capability": capability,
                "status": capability_status(counts),
                "counts": counts,
            }
        )
    return matrix


def finalize(results: dict[str, Any]) -> dict[str, Any]:
    """Recompute everything derived from ``tests``: per-suite counts, the summary and the matrix."""
    order = {t["id"]: i for i, t in enumerate(results["targets"])}
    suites = {(s["target"], s["name"]): i for i, s in enumerate(results["suites"])}
    results["tests"].sort(
        key=lambda t: (order.get(t["target"], 0), suites.get((t["target"], t["suite"]), 0), t["id"])
    )
    tests = results["tests"]
    by_suite: dict[tuple[str, str], list[str]] = defaultdict(list)
    for test in tests:
        by_suite[(test["target"], test["suite"])].append(test["outcome"])
    for suite in results["suites"]:
        suite["counts"] = count(by_suite.get((suite["target"], suite["name"]), []))
    totals = count(test["outcome"] for test in tests)
    results["summary"] = {"total": len(tests), "counts": totals, "pass_rate": pass_rate(totals)}
    results["matrix"] = _matrix(tests, [t["id"] for t in results["targets"]])
    results["causes"] = root_causes(tests)
    return results


def write_results(run_dir: Path, results: dict[str, Any], *, in_place: bool = False) -> Path:
    """Validate and atomically write ``run_dir/results.json``.

    ``in_place``: rewrite the existing file, compact, when the disk takes no new one (see
    :func:`~gatecheck.reports.atomic.overwrite_in_place`).
    """
    validate(results)
    path = run_dir / RESULTS_FILE
    if in_place:
        overwrite_in_place(path, json.dumps(results, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    else:
        write_json(path, results)
    return path
