"""The spec registry: names, user files and spec folders, and every bad input a user can hand it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from gatecheck.errors import LapSyntaxError, SpecInvalidError, SpecLoadError, UnknownNameError
from gatecheck.specs.registry import available, find_spec, load_spec

MINIMAL_30: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Mine", "version": "7"},
    "paths": {
        "/ping": {
            "get": {
                "operationId": "ping",
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {}}}}},
            }
        }
    },
}
OVERLAY = {
    "overlay": "1.0.0",
    "info": {"title": "mine", "version": "1"},
    "actions": [{"target": "$.paths['/ping'].get", "update": {"summary": "Ping"}}],
}
LAP = "@lap v0.3\n@api Lapped\n@version 2\n@endpoint GET /a\n@returns(200) {a: str}\n@end\n"


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def spec_folder(root: Path, folder_name: str = "mine", **meta: Any) -> Path:
    folder = root / folder_name
    write(folder / "openapi.yaml", MINIMAL_30)
    write(folder / "overlay.yaml", OVERLAY)
    fields = {
        "name": folder_name,
        "title": "My API",
        "version": "7",
        "format": "openapi",
        "source": "openapi.yaml",
        "overlay": "overlay.yaml",
        "provenance": {"seed": "none"},
    }
    write(folder / "spec.yaml", {**fields, **meta})
    return folder


def test_bundled_names_come_from_the_specs_folders() -> None:
    assert [info.name for info in available()] == ["openai", "openrouter", "requesty"]
    assert all(info.bundled and info.provenance["seed"] for info in available())


def test_an_unknown_bare_name_lists_the_known_ones() -> None:
    with pytest.raises(
        UnknownNameError, match="unknown spec 'requesti'; known: openai, openrouter, requesty"
    ):
        load_spec("requesti")


def test_load_spec_returns_a_copy_each_time() -> None:
    first = load_spec("requesty")
    first.document["paths"].clear()
    first.raw["paths"].clear()
    second = load_spec("requesty")
    assert second.operation_count == 10 and second.raw["paths"]


def test_a_user_openapi_30_file_is_used_as_written(tmp_path: Path) -> None:
    spec = load_spec(str(write(tmp_path / "mine.yaml", MINIMAL_30)))
    assert (spec.name, spec.title, spec.version, spec.format) == ("mine", "Mine", "7", "openapi")
    assert spec.document == spec.raw == MINIMAL_30
    assert spec.provenance == {"source": str(tmp_path / "mine.yaml")}


def test_a_user_json_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({**MINIMAL_30, "openapi": "3.1.0"}), encoding="utf-8")
    assert load_spec(str(path)).document["openapi"] == "3.1.0"


def test_a_user_lap_file_is_compiled(tmp_path: Path) -> None:
    spec = load_spec(str(write(tmp_path / "mine.lap", LAP)))
    assert (spec.format, spec.title, spec.document["openapi"]) == ("lap", "Lapped", "3.1.0")
    assert list(spec.document["paths"]) == ["/a"]


def test_a_user_spec_folder_loads_like_a_bundled_spec(tmp_path: Path) -> None:
    spec = load_spec(str(spec_folder(tmp_path)))
    assert (spec.name, spec.title, spec.provenance) == ("mine", "My API", {"seed": "none"})
    assert spec.document["paths"]["/ping"]["get"]["summary"] == "Ping"
    assert "summary" not in spec.raw["paths"]["/ping"]["get"]


def test_a_changed_file_is_not_served_from_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "mine.yaml", MINIMAL_30)
    assert load_spec(str(path)).title == "Mine"
    write(path, {**MINIMAL_30, "info": {"title": "Renamed", "version": "7"}})
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_spec(str(path)).title == "Renamed"


def test_yaml_dates_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text(
        yaml.safe_dump({**MINIMAL_30, "info": {"title": "D", "version": "x"}}) + "x-date: 2024-01-01\n"
    )
    assert load_spec(str(path)).document["x-date"] == "2024-01-01"


def test_bundled_specs_can_live_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec_folder(tmp_path / "specs", "alpha")
    monkeypatch.setenv("GATECHECK_HOME", str(tmp_path))
    assert [info.name for info in available()] == ["alpha"]
    assert load_spec("alpha").operation_count == 1


# ----------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecLoadError, match=r"nope\.yaml: does not exist"):
        load_spec(str(tmp_path / "nope.yaml"))


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", "openapi: 3.1.0\ninfo:\n  title: [unclosed\n")
    with pytest.raises(
        SpecLoadError, match=r"bad\.yaml:4:1: invalid YAML: (did not find )?expected ',' or ']'"
    ):
        load_spec(str(path))


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '{\n  "openapi": "3.1.0",\n}\n')
    with pytest.raises(SpecLoadError, match=r"bad\.json:3:1: invalid JSON"):
        load_spec(str(path))


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("", "empty"), ("just text\n", "a str")]
)
def test_a_document_must_be_a_mapping(tmp_path: Path, text: str, kind: str) -> None:
    with pytest.raises(SpecLoadError, match=f"must be a mapping at the top level, but the file is {kind}"):
        load_spec(str(write(tmp_path / "x.yaml", text)))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SpecLoadError, match=r"latin1\.yaml: is not UTF-8 text"):
        load_spec(str(path))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"info": {}}, "not an OpenAPI document: no top-level 'openapi' field$"),
        ({"swagger": "2.0"}, r"Swagger 2\.0: convert it to OpenAPI 3 first"),
        ({"openapi": "3.2.0"}, r"OpenAPI 3\.2\.0 is not supported; use 3\.0\.x or 3\.1\.x"),
    ],
)
def test_not_openapi(tmp_path: Path, document: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecInvalidError, match=message):
        load_spec(str(write(tmp_path / "x.yaml", document)))


def _with_ping_schema(tmp_path: Path, schema: dict[str, Any], version: str = "3.0.3") -> Path:
    broken = json.loads(json.dumps(MINIMAL_30)) | {"openapi": version}
    broken["paths"]["/ping"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = schema
    return write(tmp_path / "broken.yaml", broken)


def test_an_unrepairable_problem_marks_the_operations_reaching_it(tmp_path: Path) -> None:
    path = _with_ping_schema(tmp_path, {"type": "strin"})
    spec = load_spec(str(path))
    pointer = "/paths/~1ping/get/responses/200/content/application~1json/schema/type"
    assert spec.level == "degraded" and [p.pointer for p in spec.problems] == [pointer]
    assert spec.broken["GET /ping"].startswith(f"spec problem at #{pointer}: ")


def test_strict_refuses_any_problem_saying_where_and_how_to_see_all(tmp_path: Path) -> None:
    path = _with_ping_schema(tmp_path, {"type": "strin"})
    with pytest.raises(SpecInvalidError) as caught:
        load_spec(str(path), strict=True)
    message = str(caught.value)
    assert "#/paths/~1ping/get/responses/200/content/application~1json/schema" in message
    assert f"run 'gatecheck specs lint {path.resolve()}'" in message


def test_a_repairable_problem_is_repaired_in_the_tested_copy_only(tmp_path: Path) -> None:
    path = _with_ping_schema(tmp_path, {"type": "number", "minimum": 0, "exclusiveMinimum": True}, "3.1.0")
    spec = load_spec(str(path))
    assert (spec.level, spec.broken, spec.problems) == ("repaired", {}, ())
    ((problem, how),) = spec.repaired
    assert problem.pointer and problem.pointer.endswith("/exclusiveMinimum")
    assert how == "3.0 form read as exclusiveMinimum: 0"
    media = spec.document["paths"]["/ping"]["get"]["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == {"type": "number", "exclusiveMinimum": 0}
    raw = spec.raw["paths"]["/ping"]["get"]["responses"]["200"]["content"]["application/json"]
    assert raw["schema"]["exclusiveMinimum"] is True
    with pytest.raises(SpecInvalidError, match="--strict"):
        load_spec(str(path), strict=True)


def test_lap_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.lap", "@lap v0.3\n@api X\n@endpoint GET /a\n@returns(200) {a: str\n@end\n")
    with pytest.raises(LapSyntaxError) as caught:
        load_spec(str(path))
    assert (caught.value.line, caught.value.column) == (4, 15)
    assert str(caught.value).startswith(f"{path.resolve()}:4:15: ")


def test_unknown_file_type(tmp_path: Path) -> None:
    with pytest.raises(
        SpecLoadError, match=r"x\.txt: unknown spec file type; expected \.yaml, \.yml, \.json or \.lap"
    ):
        load_spec(str(tmp_path / "x.txt"))


def test_a_folder_without_metadata(tmp_path: Path) -> None:
    with pytest.raises(SpecLoadError, match=r"a spec folder needs a spec\.yaml"):
        find_spec(str(tmp_path))


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"name": "other"}, "name 'other' must match its folder name 'mine'"),
        ({"format": "swagger"}, "field 'format' must be 'openapi' or 'lap'"),
        ({"version": 7}, "field 'version' must be a non-empty string"),
        ({"overlay": {"a": 1}}, "field 'overlay' must be a file name or a list"),
        ({"provenance": "today"}, "field 'provenance' must be a mapping"),
    ],
)
def test_bad_metadata(tmp_path: Path, meta: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecInvalidError, match=message):
        find_spec(str(spec_folder(tmp_path, **meta)))


def test_an_overlay_that_no_longer_fits_its_source(tmp_path: Path) -> None:
    folder = spec_folder(tmp_path)
    write(folder / "openapi.yaml", {**MINIMAL_30, "paths": {"/pong": MINIMAL_30["paths"]["/ping"]}})
    with pytest.raises(
        SpecInvalidError, match=r"overlay\.yaml: action 1 \(target \$\.paths\['/ping'\]\.get\)"
    ):
        load_spec(str(folder))


def test_a_stray_folder_among_bundled_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "specs" / "junk").mkdir(parents=True)
    monkeypatch.setenv("GATECHECK_HOME", str(tmp_path))
    with pytest.raises(SpecLoadError, match=r"junk/spec\.yaml: does not exist"):
        available()


@pytest.mark.parametrize(
    ("schema", "repaired"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "string", "enum": ["a"], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        (
            {"allOf": [{"type": "object"}], "nullable": True},
            {"anyOf": [{"allOf": [{"type": "object"}]}, {"type": "null"}]},
        ),
    ],
    ids=["type", "enum", "no-type"],
)
def test_nullable_in_a_31_document_is_a_warning_repaired_as_30_meant(
    tmp_path: Path, schema: dict[str, Any], repaired: dict[str, Any]
) -> None:
    path = _with_ping_schema(tmp_path, schema, "3.1.0")
    spec = load_spec(str(path))
    media = spec.document["paths"]["/ping"]["get"]["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == repaired and spec.level == "repaired"
    ((problem, _how),) = spec.repaired
    assert problem.severity == "warning" and problem.pointer is not None
    assert problem.pointer.endswith("/schema/nullable")
