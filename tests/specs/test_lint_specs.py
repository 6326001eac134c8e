"""``lint``: every problem, located, in the source and in the contract document separately."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from gatecheck.errors import SpecLoadError, UnknownNameError
from gatecheck.specs.lint import Problem, lint

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "operationId": "getA",
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                    }
                },
            }
        }
    },
    "components": {"schemas": {"A": {"type": "object"}}},
}


def write(path: Path, data: Any) -> str:
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(DOC)
    change(document)
    return document


@pytest.mark.parametrize("name", ["requesty", "openrouter", "openai"])
def test_bundled_specs_are_clean_in_source_and_contract(name: str) -> None:
    report = lint(name)
    assert (report.target, report.checked, report.problems) == (name, ("source", "contract"), ())


def test_a_clean_user_file_checks_only_its_source(tmp_path: Path) -> None:
    report = lint(write(tmp_path / "ok.yaml", DOC))
    assert (report.checked, report.problems) == (("source",), ())


@pytest.mark.parametrize(
    ("change", "pointer", "message", "rule"),
    [
        (
            lambda d: d["components"]["schemas"]["A"].update(type="strin"),
            "/components/schemas/A/type",
            '"strin" is not one of "array", "boolean" or 5 other candidates',
            "JSON Schema 2020-12: /$defs/simpleTypes/enum",
        ),
        (
            lambda d: d["components"]["schemas"].clear(),
            "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
            "$ref '#/components/schemas/A' points to nothing in this document",
            "$ref",
        ),
        (
            lambda d: d["paths"]["/a"]["get"]["responses"]["200"].update(
                links={"L": {"operationId": "nope"}}
            ),
            "/paths/~1a/get/responses/200/links/L",
            "link names unknown operationId 'nope'",
            "link target exists",
        ),
        (
            lambda d: d["info"].pop("title"),
            "/info",
            '"title" is a required property',
            "OpenAPI 3.1 schema: /$defs/info/required",
        ),
        (
            lambda d: d["components"]["schemas"]["A"].update(type="number", exclusiveMinimum=True),
            "/components/schemas/A/exclusiveMinimum",
            'true is not of type "number"',
            "JSON Schema 2020-12: /properties/exclusiveMinimum/type",
        ),
        (
            lambda d: d["components"]["schemas"]["A"].update(
                properties={"m": {"type": "string", "enum": ["auto"], "default": ["auto"]}}
            ),
            "/components/schemas/A/properties/m/default",
            "['auto'] is not one of ['auto']",
            "default must match its schema: enum",
        ),
        (
            lambda d: d["paths"]["/b"].update(d["paths"]["/a"]),
            "/paths/~1b/get/operationId",
            "operationId 'getA' is also used at /paths/~1a/get/operationId",
            "operationId is unique",
        ),
    ],
    ids=[
        "schema-keyword",
        "dangling-ref",
        "link-target",
        "missing-field",
        "exclusive-minimum",
        "default",
        "duplicate-operation-id",
    ],
)
def test_problems_are_located_by_json_pointer_with_the_rule_broken(
    tmp_path: Path, change: Any, pointer: str, message: str, rule: str
) -> None:
    path = write(tmp_path / "bad.yaml", broken(lambda d: (d["paths"].setdefault("/b", {}), change(d))))
    report = lint(path)
    assert Problem("error", f"{path} (source) #{pointer}", message, rule, pointer) in report.problems
    assert report.errors == report.problems


def test_a_value_in_a_message_is_shortened_never_dumped(tmp_path: Path) -> None:
    big = {f"field{i}": {"type": "string", "description": "x" * 50} for i in range(40)}
    path = write(tmp_path / "bad.yaml", broken(lambda d: d["paths"]["/a"].update(get=big)))
    for problem in lint(path).problems:
        assert len(problem.message) < 250 and problem.pointer is not None, problem


def test_a_missing_operation_id_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "w.yaml", broken(lambda d: d["paths"]["/a"]["get"].pop("operationId")))
    report = lint(path)
    assert report.errors == ()
    assert report.warnings == (
        Problem(
            "warning",
            f"{path} (source) #/paths/~1a/get",
            "operation has no operationId",
            "operationId",
            "/paths/~1a/get",
        ),
    )


def test_a_lap_syntax_error_is_a_problem_at_file_line_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.lap", "@lap v0.3\n@api X\n@endpoint GET /a\n@returns(200) {a: str\n@end\n")
    report = lint(path)
    assert report.checked == ()
    assert report.problems == (
        Problem("error", f"{path}:4:15", "unterminated '{' opened at line 4 column 15"),
    )
    assert str(report.problems[0]) == f"{path}:4:15: error: unterminated '{{' opened at line 4 column 15"


def test_a_document_that_is_not_openapi_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", {"swagger": "2.0"})
    (problem,) = lint(path).problems
    assert problem.location == path and "Swagger 2.0" in problem.message


def test_an_overlay_that_no_longer_fits_is_a_contract_problem(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    write(folder / "openapi.yaml", DOC)
    overlay = {
        "overlay": "1.0.0",
        "info": {"title": "t", "version": "1"},
        "actions": [{"target": "$.components.schemas.Gone", "update": {"type": "object"}}],
    }
    write(folder / "overlay.yaml", overlay)
    meta = {"name": "mine", "title": "M", "version": "1", "format": "openapi", "source": "openapi.yaml"}
    write(folder / "spec.yaml", {**meta, "overlay": "overlay.yaml"})
    report = lint(str(folder))
    assert report.checked == ("source",)
    (problem,) = report.problems
    assert problem.location == f"{folder} (contract)"
    assert "action 1 (target $.components.schemas.Gone): selects nothing" in problem.message


def test_a_contract_that_breaks_a_valid_source(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    write(folder / "openapi.yaml", DOC)
    overlay = {
        "overlay": "1.0.0",
        "info": {"title": "t", "version": "1"},
        "actions": [{"target": "$.components.schemas", "remove": True}],
    }
    write(folder / "overlay.yaml", overlay)
    meta = {"name": "mine", "title": "M", "version": "1", "format": "openapi", "source": "openapi.yaml"}
    write(folder / "spec.yaml", {**meta, "overlay": "overlay.yaml"})
    report = lint(str(folder))
    assert report.checked == ("source", "contract")
    assert [p.location.split(" #")[0] for p in report.problems] == [f"{folder} (contract)"]


def test_unreadable_input_is_raised_not_reported(tmp_path: Path) -> None:
    with pytest.raises(SpecLoadError, match="does not exist"):
        lint(str(tmp_path / "missing.yaml"))
    with pytest.raises(SpecLoadError, match="invalid YAML"):
        lint(write(tmp_path / "bad.yaml", "a: [\n"))
    with pytest.raises(UnknownNameError):
        lint("nope")
