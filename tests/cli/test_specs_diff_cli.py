"""`gatecheck specs diff` classifies a vendor's change and gates on breaking ones."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from gatecheck.cli import _attach, cli

ROOT = Path(__file__).parents[2]


def _run(*args: str) -> tuple[int, str]:
    _attach()
    result = CliRunner().invoke(cli, list(args), terminal_width=100, color=False)
    return result.exit_code, result.output


def test_identical_specs_have_no_changes_and_exit_0() -> None:
    code, output = _run("specs", "diff", "requesty", "requesty")
    assert code == 0, output


def test_a_removed_operation_and_a_new_required_field_are_breaking(tmp_path: Path) -> None:
    document = yaml.safe_load((ROOT / "specs/requesty/openapi.yaml").read_text())
    del document["paths"]["/organization/usage"]
    document["components"]["schemas"]["CreateChatCompletionRequest"]["required"].append("model")
    newer = tmp_path / "requesty-next.yaml"
    newer.write_text(yaml.safe_dump(document))
    code, output = _run(
        "specs",
        "diff",
        str(ROOT / "specs/requesty/openapi.yaml"),
        str(newer),
        "--json",
        str(tmp_path / "changes.json"),
    )
    assert code == 1, output
    assert "/organization/usage" in output and "model" in output
    assert (tmp_path / "changes.json").read_text().count('"breaking": true') >= 2


def test_unknown_spec_is_exit_2_with_the_known_names() -> None:
    code, output = _run("specs", "diff", "requesty", "nope")
    assert code == 2 and "unknown spec" in output


def test_ctrl_c_is_exit_130_not_a_failure_verdict(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Click would print 'Aborted!' and exit 1, which CI reads as conformance failures."""
    from gatecheck.specs import registry

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(registry, "available", interrupted)
    monkeypatch.setattr("gatecheck.cli.specs.available", interrupted)
    code, output = _run("specs", "list")
    assert code == 130 and "interrupted" in output


def test_an_internal_error_is_exit_2_in_one_line_never_a_breaking_verdict(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def crash(*_args: object) -> None:
        raise KeyError("400")

    monkeypatch.setattr("gatecheck.reports.specdiff.diff_specs", crash)
    code, output = _run("specs", "diff", "requesty", "requesty")
    assert code == 2
    assert output.count("\n") == 1 and "internal error KeyError: '400'" in output


def test_json_dash_prints_only_the_json(tmp_path: Path) -> None:
    document = yaml.safe_load((ROOT / "specs/requesty/openapi.yaml").read_text())
    del document["paths"]["/organization/usage"]
    newer = tmp_path / "next.yaml"
    newer.write_text(yaml.safe_dump(document))
    code, output = _run("specs", "diff", str(ROOT / "specs/requesty/openapi.yaml"), str(newer), "--json", "-")
    assert code == 1
    assert json.loads(output) == [
        {
            "operation": "GET /organization/usage",
            "location": "GET /organization/usage",
            "kind": "operation-removed",
            "breaking": True,
            "message": "operation removed",
        }
    ]


def test_the_output_starts_with_a_summary_by_operation(tmp_path: Path) -> None:
    code, output = _run("specs", "diff", "requesty", "openai")
    assert code == 1
    head = output.split("## Breaking")[0]
    assert "| operation | breaking | non-breaking |" in head and head.count("\n") < 40


def test_the_official_openrouter_document_against_the_bundled_one(real_specs: Path) -> None:
    code, output = _run("specs", "diff", "openrouter", str(real_specs / "openrouter-openapi.yaml"), "--raw")
    assert code == 1, output
    assert "### POST /chat/completions" in output and "Traceback" not in output
