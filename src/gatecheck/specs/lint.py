"""Lint a spec: the vendor source and, separately, the document with the contract layer applied.

Both are checked because they fail for different people: a problem in the source means the
vendor's document (or our rebuild of it) is wrong, a problem only in the contract means our
overlay is.  Unlike ``load_spec``, lint does not stop at the first problem.

What counts as what: a file that cannot be read at all (missing, not UTF-8, not YAML/JSON) raises
SpecLoadError, since nothing can be said about it; a LAP syntax error is a lint problem located
at ``file:line:column``, because finding those is what linting a LAP file is for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gatecheck.errors import LapSyntaxError, SpecInvalidError
from gatecheck.specs.compose import apply_overlays, read_source
from gatecheck.specs.oas import iter_operations
from gatecheck.specs.pointers import pointer
from gatecheck.specs.registry import SpecInfo, find_spec
from gatecheck.specs.validation import Problem, validate_openapi

__all__ = ["LintReport", "Problem", "lint"]


@dataclass(frozen=True)
class LintReport:
    """Problems found in one spec; ``checked`` names the documents that could be examined."""

    target: str
    checked: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def lint(name_or_path: str) -> LintReport:
    """Lint a bundled spec by name, a spec folder, or an OpenAPI/LAP file."""
    info = find_spec(name_or_path)
    label = info.label
    try:
        raw = read_source(info.source_path, info.format)
    except LapSyntaxError as exc:
        return LintReport(label, (), (Problem("error", f"{exc.file}:{exc.line}:{exc.column}", exc.reason),))
    except SpecInvalidError as exc:
        return LintReport(label, (), (Problem("error", str(info.source_path), _without_prefix(exc, info)),))
    problems = [*_check(raw, f"{label} (source)")]
    checked = ["source"]
    if info.overlay_paths:
        try:
            document = apply_overlays(raw, info.overlay_paths)
        except SpecInvalidError as exc:
            problems.append(Problem("error", f"{label} (contract)", str(exc)))
        else:
            problems.extend(_check(document, f"{label} (contract)"))
            checked.append("contract")
    return LintReport(label, tuple(checked), tuple(problems))


def _check(document: Mapping[str, Any], label: str) -> list[Problem]:
    problems = list(validate_openapi(document, label=label))
    for method, path, operation in iter_operations(document):
        if not operation.get("operationId"):
            # Links, reports and baselines name operations by operationId.
            where = pointer(("paths", path, method.lower()))
            problems.append(
                Problem("warning", f"{label} #{where}", "operation has no operationId", "operationId", where)
            )
    return problems


def _without_prefix(exc: SpecInvalidError, info: SpecInfo) -> str:
    return str(exc).removeprefix(f"{info.source_path}: ")
