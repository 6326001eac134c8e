"""``--operations`` selection, the cut-down document, and the generic profile of a spec without one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gatecheck.checks.safety import classify
from gatecheck.config import load_config
from gatecheck.errors import SpecInvalidError, UsageError
from gatecheck.profiles.generic import generic_profile
from gatecheck.runner.plan import RunOptions, build_plan
from gatecheck.specs.registry import load_spec
from gatecheck.specs.select import parse_selection, select_operations, subset
from gatecheck.specs.validation import validate_openapi


def _body(*fields: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {f: {"type": "string"} for f in fields}}
    return {"content": {"application/json": {"schema": schema}}}


def _op(op_id: str, tags: list[str], body: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": op_id, "tags": tags, "responses": {"200": {"description": "ok"}}}
    if body:
        op["requestBody"] = body
    return op


DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Mine", "version": "1"},
    "paths": {
        "/v2/generate": {"post": _op("generate", ["Chat"], _body("model", "messages", "stream", "tools"))},
        "/v2/threads": {"post": _op("thread", ["Chat"], _body("messages"))},
        "/v2/vectors": {"post": _op("vectors", ["Embeddings"], _body("model", "input", "dimensions"))},
        "/v2/models": {"get": _op("listModels", ["Models"])},
        "/v2/keys": {"post": _op("createKey", ["Keys"], _body("name", "limit"))},
        "/v2/keys/{id}": {"delete": _op("deleteKey", ["Keys"])},
    },
}


@pytest.mark.parametrize(
    ("items", "chosen"),
    [
        (["POST /v2/generate"], {("POST", "/v2/generate")}),
        (["* /v2/keys*"], {("POST", "/v2/keys"), ("DELETE", "/v2/keys/{id}")}),
        (["listmodels"], {("GET", "/v2/models")}),
        (["chat"], {("POST", "/v2/generate"), ("POST", "/v2/threads")}),
        (parse_selection(["embeddings, GET /v2/models"]), {("POST", "/v2/vectors"), ("GET", "/v2/models")}),
    ],
    ids=["method-path", "glob", "operation-id", "tag", "comma-separated"],
)
def test_operations_are_selected_by_path_glob_operation_id_or_tag(
    items: list[str], chosen: set[tuple[str, str]]
) -> None:
    assert select_operations(DOC, items) == chosen


def test_an_item_that_matches_nothing_is_a_usage_error_naming_the_tags() -> None:
    with pytest.raises(UsageError, match=r"--operations 'POST /nope' matches no operation.*tags: Chat"):
        select_operations(DOC, ["POST /nope"])


def test_the_cut_down_document_keeps_only_what_the_operations_reach() -> None:
    document = load_spec("requesty").document
    small = subset(document, {("POST", "/chat/completions")})
    assert list(small["paths"]) == ["/chat/completions"]
    assert "CreateApiKeyRequest" not in small["components"]["schemas"]
    assert "ChatCompletionChunk" in small["components"]["schemas"]
    assert validate_openapi(small, label="small") == ()


def test_the_generic_profile_reads_endpoints_off_request_schemas_not_paths() -> None:
    profile = generic_profile(DOC, "mine.yaml")
    assert profile.name == "generic" and profile.spec == "mine.yaml"
    assert dict(profile.paths) == {
        "chat": "/v2/generate",
        "embeddings": "/v2/vectors",
        "models": "/v2/models",
    }
    assert profile.capabilities == {"chat", "streaming", "tools", "embeddings", "models"}


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("POST", "/v2/generate", "inference"),
        ("POST", "/v2/vectors", "inference"),
        ("POST", "/v2/keys", "write"),
        ("DELETE", "/v2/keys/{id}", "write"),
        ("GET", "/v2/models", "read"),
    ],
)
def test_inference_is_recognised_by_the_request_schema(method: str, path: str, kind: str) -> None:
    operation = DOC["paths"][path][method.lower()]
    assert classify(method, path, generic_profile(DOC, "mine.yaml"), operation, DOC) == kind
    # and with a profile that lists none of these paths, as POST /responses was before
    assert classify(method, path, load_profile_openai(), operation, DOC) == kind


def load_profile_openai():  # type: ignore[no-untyped-def]
    from gatecheck.profiles import get_profile

    return get_profile("openai")


def test_run_with_spec_and_no_profile_reports_the_generic_profile(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(DOC))
    plan = build_plan(RunOptions(spec=str(path), operations="chat", suites=["contract"]), load_config())
    assert plan.spec_arg == str(path.resolve()) and plan.target.profile.name == "generic"
    with pytest.raises(UsageError, match="matches no operation"):
        build_plan(RunOptions(spec=str(path), operations="nope"), load_config())


def test_run_with_spec_and_a_profile_keeps_the_profile(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(DOC))
    plan = build_plan(RunOptions(spec=str(path), mock_flavor="openrouter"), load_config())
    assert plan.target.profile.name == "openrouter" and plan.target.profile.spec == str(path.resolve())


def test_strict_refuses_a_spec_with_problems_before_anything_runs(tmp_path: Path) -> None:
    broken = {
        **DOC,
        "components": {"schemas": {"A": {"type": "number", "minimum": 0, "exclusiveMinimum": True}}},
    }
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(broken))
    build_plan(RunOptions(spec=str(path)), load_config())  # repaired: loads
    with pytest.raises(SpecInvalidError, match="--strict"):
        build_plan(RunOptions(spec=str(path), strict=True), load_config())
