"""Which suite covers which capability, and which profile claims it: the README's matrix.

Computed, never hand-kept: profiles come from their registry and coverage from the
``capability("...")`` markers in ``suites/`` (read with ``ast``, so nothing is imported or run).
A test keeps the README's table equal to :func:`capability_matrix`'s output.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from gatecheck._paths import project_dir
from gatecheck.profiles import CAPABILITIES, available, get_profile

__all__ = ["capability_matrix", "suite_coverage"]

MOCK_FLAVORS = ("requesty", "openrouter")


def _markers(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "capability"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def suite_coverage(suites: Path | None = None) -> dict[str, list[str]]:
    """``{capability: [suite, ...]}`` from the markers of every test module under ``suites/``."""
    root = suites or project_dir("suites")
    coverage: dict[str, set[str]] = defaultdict(set)
    for module in sorted(root.glob("*/test_*.py")):
        for capability in _markers(ast.parse(module.read_text(encoding="utf-8"))):
            coverage[capability].add(module.parent.name)
    return {name: sorted(suites) for name, suites in sorted(coverage.items())}


def capability_matrix(suites: Path | None = None) -> str:
    """The capability x profile table in Markdown, with the covering suites and mock support."""
    profiles = [get_profile(name) for name in available()]
    coverage = suite_coverage(suites)
    by_flavor = {p.name: p for p in profiles if p.name in MOCK_FLAVORS}
    header = ["capability", "what it means", *(p.name for p in profiles), "suites", "built-in mock"]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, meaning in CAPABILITIES.items():
        claims = ["yes" if p.claims(name) else "no" for p in profiles]
        flavors = [flavor for flavor, p in by_flavor.items() if p.claims(name)]
        mock = ", ".join(flavors) if flavors else "no"
        covered = ", ".join(f"`{s}`" for s in coverage.get(name, [])) or "contract only"
        rows.append(f"| `{name}` | {meaning} | " + " | ".join(claims) + f" | {covered} | {mock} |")
    return "\n".join(rows) + "\n"
