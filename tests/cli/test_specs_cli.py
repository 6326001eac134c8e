"""``gatecheck specs list|show|lint`` through click's runner, at a fixed width and without colour."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from gatecheck.cli import cli
from gatecheck.cli.specs import specs
from gatecheck.specs.oas import iter_operations
from gatecheck.specs.validation import validate_openapi

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def app() -> click.Group:
    # What gatecheck.cli.main does at start-up; adding the same command again is a no-op.
    cli.add_command(specs)
    return cli


def run(app: click.Group, *args: str) -> Result:
    return CliRunner(env={"NO_COLOR": "1"}).invoke(app, ["specs", *args], terminal_width=100, color=False)


def test_list(app: click.Group) -> None:
    result = run(app, "list")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "NAME        VERSION  OPS  TITLE                           PROVENANCE\n"
        "openai      1.0      3    Plain OpenAI-compatible server  000_b6ba2196e0d4bef2.txt (2026-11-24)\n"
        "openrouter  1.0.0    39   OpenRouter API                  003_c49cfe1897ffd489.txt (2026-11-24)\n"
        "requesty    1.0      10   Requesty Router API             000_b6ba2196e0d4bef2.txt (2026-11-24)\n"
    )


@pytest.mark.parametrize(("name", "count"), [("openrouter", 39), ("requesty", 10), ("openai", 3)])
def test_show_prints_a_valid_openapi_31_document(app: click.Group, name: str, count: int) -> None:
    result = run(app, "show", name, "--format", "openapi")
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(result.stdout)
    assert document["openapi"] == "3.1.0"
    assert len(list(iter_operations(document))) == count
    assert validate_openapi(document, label=name) == ()
    assert "&id" not in result.stdout  # no YAML anchors: readable and diffable


def test_show_json(app: click.Group) -> None:
    result = run(app, "show", "requesty", "--output-format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["components"]["schemas"]["ChatCompletionChunk"]


def test_show_raw_prints_the_vendor_document(app: click.Group) -> None:
    result = run(app, "show", "requesty", "--raw")
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == yaml.safe_load((ROOT / "specs/requesty/openapi.yaml").read_text())


def test_show_raw_lap_is_the_vendor_file_byte_for_byte(app: click.Group) -> None:
    result = run(app, "show", "openrouter", "--raw", "--format", "lap")
    assert result.exit_code == 0
    assert result.stdout == (ROOT / "specs/openrouter/openrouter.lap").read_text(encoding="utf-8")


def test_show_lap_of_a_lap_file_round_trips(app: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "mine.lap"
    path.write_text("@lap v0.3\n@api Mine\n@version 1\n@endpoint GET /a\n@returns(200) {a: str}\n@end\n")
    result = run(app, "show", str(path), "--format", "lap")
    assert result.exit_code == 0, result.output
    assert "@endpoint GET /a" in result.stdout


def test_show_lap_of_what_lap_cannot_say_explains_the_way_out(app: click.Group) -> None:
    result = run(app, "show", "openrouter", "--format", "lap")
    assert result.exit_code == 2
    assert result.stderr.startswith("gatecheck: error: this document cannot be written as LAP (")
    assert "use --format openapi, or --raw for the vendor's own LAP" in result.stderr


def test_show_unknown_name(app: click.Group) -> None:
    result = run(app, "show", "nope")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "gatecheck: error: unknown spec 'nope'; known: openai, openrouter, requesty\n"


def test_show_malformed_yaml(app: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("openapi: 3.1.0\npaths: {\n")
    result = run(app, "show", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"gatecheck: error: {path}:3:1: invalid YAML: ")
    assert "Traceback" not in result.output


def test_lint_all_bundled(app: click.Group) -> None:
    result = run(app, "lint")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "openai: ok (checked: source, contract)\n"
        "openrouter: ok (checked: source, contract)\n"
        "requesty: ok (checked: source, contract)\n"
        "3 spec(s) linted: 0 error(s), 0 warning(s)\n"
    )


def test_lint_problems_exit_1(app: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"openapi": "3.1.0", "info": {"version": "1"}, "paths": {}}))
    result = run(app, "lint", str(path))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}: 1 problem(s) (checked: source)\n"
        f'  {path} (source) #/info: error: "title" is a required property'
        " [OpenAPI 3.1 schema: /$defs/info/required]\n"
        "1 spec(s) linted: 1 error(s), 0 warning(s)\n"
    )


def test_lint_lap_syntax_error_shows_file_line_column(app: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "bad.lap"
    path.write_text("@lap v0.3\n@api X\nhello\n")
    result = run(app, "lint", str(path))
    assert result.exit_code == 1
    assert f"  {path}:3:1: error: " in result.stdout


def test_lint_unreadable_input_exits_2_after_linting_the_rest(app: click.Group, tmp_path: Path) -> None:
    result = run(app, "lint", str(tmp_path / "missing.yaml"), "requesty")
    assert result.exit_code == 2
    assert result.stderr == f"gatecheck: error: {tmp_path / 'missing.yaml'}: does not exist\n"
    assert result.stdout.endswith(
        "requesty: ok (checked: source, contract)\n1 spec(s) linted: 0 error(s), 0 warning(s)\n"
    )


def test_lint_warnings_fail_only_when_strict(app: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    operation = {"responses": {"200": {"description": "OK"}}}
    path.write_text(
        yaml.safe_dump(
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": operation}}}
        )
    )
    assert run(app, "lint", str(path)).exit_code == 0
    strict = run(app, "lint", "--strict", str(path))
    assert strict.exit_code == 1
    assert "warning: operation has no operationId" in strict.stdout
