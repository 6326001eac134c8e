"""The official OpenAI and OpenRouter documents: linted with every problem located, and loaded.

Both are real, imperfect documents (``../shared/real-specs/README.md``); gatecheck must say where
each problem is and go on testing the rest, not refuse them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gatecheck.cli import _attach, cli
from gatecheck.specs.lint import lint
from gatecheck.specs.registry import load_spec

# name: (operations, errors, of which exclusiveMinimum: true, warnings: 3.0's nullable in 3.1)
FACTS = {"openai": (288, 13, 7, 111), "openrouter": (97, 1, 1, 0)}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_problem_is_located_by_json_pointer_with_its_rule(real_specs: Path, name: str) -> None:
    report = lint(str(real_specs / f"{name}-openapi.yaml"))
    _, errors, exclusive, warnings = FACTS[name]
    assert len(report.errors) == errors, "\n".join(map(str, report.errors))
    assert len(report.warnings) == warnings
    for problem in report.problems:
        assert problem.pointer and problem.pointer.startswith(("/components/", "/paths/")), problem
        assert problem.location.endswith(f"#{problem.pointer}") and problem.rule, problem
        assert len(problem.message) < 250, problem
    assert sum(p.pointer.endswith("/exclusiveMinimum") for p in report.errors if p.pointer) == exclusive


@pytest.mark.parametrize("name", sorted(FACTS))
def test_it_loads_with_every_problem_repaired_and_no_operation_lost(real_specs: Path, name: str) -> None:
    spec = load_spec(str(real_specs / f"{name}-openapi.yaml"))
    assert (spec.level, dict(spec.broken)) == ("repaired", {})
    operations, errors, _, warnings = FACTS[name]
    assert (spec.operation_count, len(spec.repaired)) == (operations, errors + warnings)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FACTS))
def test_specs_show_prints_it(real_specs: Path, name: str) -> None:
    _attach()
    result = CliRunner().invoke(cli, ["specs", "show", str(real_specs / f"{name}-openapi.yaml")])
    assert result.exit_code == 0, result.output
    assert "\nopenapi: 3.1" in "\n" + result.stdout
    assert "loaded repaired" in result.stderr
