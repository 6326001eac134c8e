"""suites/ stays collectable as one tree: `pytest suites` must not stop at an import clash."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

SUITES = Path(__file__).parents[2] / "suites"


def test_test_module_names_are_unique_across_suites() -> None:
    names = Counter(path.name for path in SUITES.glob("*/test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []


def test_every_scenario_has_a_docstring_title() -> None:
    """A scenario's docstring is its report title; one missing makes a report row unreadable."""
    import ast

    missing = []
    for module in SUITES.glob("*/test_*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("test_")
                and not ast.get_docstring(node)
            ):
                missing.append(f"{module.relative_to(SUITES)}::{node.name}")
    assert missing == []
