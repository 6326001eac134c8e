"""LAP -> OpenAPI 3.1: where each field goes, what each type becomes, and that the result validates."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from gatecheck.specs.lap import compile_lap
from gatecheck.specs.lap.naming import operation_id, reason_phrase

HEADER = "@lap v0.3\n@api Demo API\n@base https://demo.test/v1\n@version 2.1.0\n@auth Bearer bearer\n"


def compiled(body: str, header: str = HEADER) -> dict[str, Any]:
    spec = compile_lap(header + body + "@end\n")
    validate(spec)
    return spec


def operation(body: str, path: str, method: str) -> dict[str, Any]:
    return compiled(body)["paths"][path][method]


def response_schema(fields: str) -> dict[str, Any]:
    op = operation(f"@endpoint GET /x\n@returns(200) {fields}\n", "/x", "get")
    return op["responses"]["200"]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/chat/completions", "postChatCompletions"),
        ("GET", "/keys/{hash}", "getKeysByHash"),
        ("POST", "/guardrails/{id}/assignments/keys/remove", "postGuardrailsByIdAssignmentsKeysRemove"),
        ("GET", "/models/{author}/{slug}/endpoints", "getModelsByAuthorBySlugEndpoints"),
        ("DELETE", "/api_keys/{key_id}", "deleteApiKeysByKeyId"),
        ("GET", "/", "get"),
    ],
)
def test_operation_ids(method: str, path: str, expected: str) -> None:
    assert operation_id(method, path) == expected


def test_document_header_and_components() -> None:
    spec = compiled("@group keys\n@endpoint GET /keys\n@returns(200)\n@endgroup\n")
    assert spec["openapi"] == "3.1.0"
    assert spec["info"] == {"title": "Demo API", "version": "2.1.0"}
    assert spec["servers"] == [{"url": "https://demo.test/v1"}]
    assert spec["security"] == [{"bearerAuth": []}]
    assert spec["components"]["securitySchemes"] == {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    assert spec["tags"] == [{"name": "keys"}]
    assert spec["paths"]["/keys"]["get"]["tags"] == ["keys"]


def test_no_base_no_auth_no_group() -> None:
    spec = compiled("@endpoint GET /x\n@returns(200)\n", header="@lap v0.3\n@api A\n@version 1\n")
    assert "servers" not in spec and "security" not in spec and "tags" not in spec
    assert "securitySchemes" not in spec["components"]
    assert "tags" not in spec["paths"]["/x"]["get"]


def test_get_fields_are_query_parameters_and_path_parameters_are_typed() -> None:
    op = operation(
        "@endpoint GET /g/{id}/{slug}\n"
        "@required {id: str(uuid), q: int}\n"
        "@optional {page: int=1}\n"
        "@returns(200)\n",
        "/g/{id}/{slug}",
        "get",
    )
    assert op["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "q", "in": "query", "required": True, "schema": {"type": "integer"}},
        {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "default": 1}},
    ]
    assert "requestBody" not in op


def test_post_fields_form_a_json_body() -> None:
    op = operation(
        "@endpoint POST /k/{id}\n"
        "@required {id: str, name: str}\n"
        "@optional {limit: num(double)}\n"
        "@returns(201)\n",
        "/k/{id}",
        "post",
    )
    assert [p["name"] for p in op["parameters"]] == ["id"]
    assert op["requestBody"] == {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "limit": {"type": "number", "format": "double"},
                    },
                    "required": ["name"],
                }
            }
        },
    }


def test_body_with_only_optional_fields_is_optional_and_no_fields_means_no_body() -> None:
    patch = operation(
        "@endpoint PATCH /k/{h}\n@required {h: str}\n@optional {name: str}\n", "/k/{h}", "patch"
    )
    assert patch["requestBody"]["required"] is False
    assert "required" not in patch["requestBody"]["content"]["application/json"]["schema"]
    post = operation("@endpoint POST /k/{h}\n@required {h: str}\n@errors {410}\n", "/k/{h}", "post")
    assert "requestBody" not in post


@pytest.mark.parametrize(
    ("lap", "schema"),
    [
        ("str", {"type": "string"}),
        ("int", {"type": "integer"}),
        ("bool=false", {"type": "boolean", "default": False}),
        ("num(double)", {"type": "number", "format": "double"}),
        ("any", {}),
        ("map", {"type": "object"}),
        ("[str]", {"type": "array", "items": {"type": "string"}}),
        ("str(a/b)=b", {"type": "string", "enum": ["a", "b"], "default": "b"}),
        ("str(date-time)", {"type": "string", "format": "date-time"}),
        ("str(auto)", {"type": "string", "enum": ["auto"]}),
        ("[map]?", {"type": ["array", "null"], "items": {"type": "object"}}),
        ("str(a/b)?", {"type": ["string", "null"], "enum": ["a", "b", None]}),
        (
            "map{id!: str, v: map}",
            {
                "type": "object",
                "properties": {"id": {"type": "string"}, "v": {"type": "object"}},
                "required": ["id"],
            },
        ),
    ],
)
def test_request_types(lap: str, schema: dict[str, Any]) -> None:
    op = operation(f"@endpoint POST /x\n@optional {{f: {lap}}}\n", "/x", "post")
    assert op["requestBody"]["content"]["application/json"]["schema"]["properties"]["f"] == schema


def test_nullable_enum_admits_null_and_only_its_values() -> None:
    validator = Draft202012Validator(response_schema("{m: str(a/b)?}"))
    assert validator.is_valid({"m": None}) and validator.is_valid({"m": "a"})
    assert not validator.is_valid({"m": "c"})


def test_response_fields_are_required_unless_nullable_at_every_depth() -> None:
    schema = response_schema("{id: str, fp: str?, usage: map?{total: int, detail: int?}, keep!: int?}")
    assert schema["required"] == ["id", "keep"]
    assert schema["properties"]["fp"] == {"type": ["string", "null"]}
    usage = schema["properties"]["usage"]
    assert (usage["type"], usage["required"]) == (["object", "null"], ["total"])
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"id": "x", "keep": None, "usage": {"total": 1}})
    assert not validator.is_valid({"id": "x", "keep": None, "usage": {"detail": 1}})
    assert not validator.is_valid({"id": "x"})


def test_returns_without_body_and_errors_use_the_shared_envelope() -> None:
    op = operation("@endpoint GET /x\n@returns(200)\n@errors {529, 400, 524}\n", "/x", "get")
    assert list(op["responses"]) == ["200", "400", "524", "529"]
    assert op["responses"]["200"] == {"description": "OK"}
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    assert op["responses"]["400"] == {
        "description": "Bad Request",
        "content": {"application/json": {"schema": ref}},
    }
    assert op["responses"]["524"]["description"] == reason_phrase(524) == "A Timeout Occurred"
    assert reason_phrase(299) == "HTTP 299"


def test_error_envelope_schema() -> None:
    envelope = Draft202012Validator(compiled("")["components"]["schemas"]["ErrorResponse"])
    assert envelope.is_valid({"error": {"message": "no credits", "code": 402, "metadata": {"a": 1}}})
    assert envelope.is_valid({"error": {"message": "rate limited", "code": "rate_limit"}})
    assert not envelope.is_valid({"error": {"code": 402}})
    assert not envelope.is_valid({"message": "flat"})


def test_endpoint_without_responses_still_validates() -> None:
    assert operation("@endpoint DELETE /x\n", "/x", "delete")["responses"] == {
        "default": {"description": "No responses documented in the LAP source"}
    }


def test_compiled_documents_share_no_mutable_state() -> None:
    first = compiled("")
    first["components"]["schemas"]["ErrorResponse"]["required"].append("oops")
    assert compiled("")["components"]["schemas"]["ErrorResponse"]["required"] == ["error"]
