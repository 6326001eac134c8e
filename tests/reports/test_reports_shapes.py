"""Response shapes: field paths of bodies, of schemas, and the difference between the two."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gatecheck.reports import shapes

SPEC = {
    "openapi": "3.1.0",
    "paths": {
        "/models": {"get": {"responses": {"200": {"$ref": "#/components/responses/Models"}}}},
        "/keys/{id}": {
            "get": {
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Key"}}}}
                }
            }
        },
        "/keys/usage": {
            "get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
    },
    "components": {
        "responses": {
            "Models": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Model"}}
                            },
                        }
                    }
                }
            }
        },
        "schemas": {
            "Model": {
                "allOf": [
                    {
                        "type": "object",
                        "properties": {"id": {"type": "string"}, "name": {"type": ["string", "null"]}},
                    },
                    {
                        "properties": {
                            "pricing": {"type": "object", "additionalProperties": {"type": "number"}},
                            "parent": {"$ref": "#/components/schemas/Model"},
                        }
                    },
                ]
            },
            "Key": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "limit": {"type": "number", "nullable": True}},
            },
        },
    },
}


@pytest.fixture(autouse=True)
def clean_recorder() -> Iterator[None]:
    shapes.reset()
    yield
    shapes.reset()


def test_field_paths_name_every_field_with_its_types() -> None:
    body = {
        "id": "x",
        "choices": [{"index": 0, "delta": {"content": "hi"}}, {"index": 1, "delta": {"content": None}}],
        "n": 1.5,
        "ok": True,
    }
    assert shapes.field_paths(body) == {
        "choices": "array",
        "choices[]": "object",
        "choices[].delta": "object",
        "choices[].delta.content": "null|string",
        "choices[].index": "integer",
        "id": "string",
        "n": "number",
        "ok": "boolean",
    }


def test_recorded_shapes_merge_across_bodies_and_processes() -> None:
    shapes.record_shape("GET /models", {"data": [{"id": "a"}]})
    shapes.record_shape("GET /models", {"data": [{"id": "b", "extra": 1}]})
    first = shapes.snapshot()
    assert first["GET /models"]["samples"] == 2
    assert first["GET /models"]["observed"]["data[].extra"] == ["integer"]
    merged = shapes.merge_snapshots(
        [first, {"GET /models": {"samples": 1, "observed": {"data[].id": ["null"]}}}]
    )
    assert merged["GET /models"]["samples"] == 3 and merged["GET /models"]["observed"]["data[].id"] == [
        "null",
        "string",
    ]


def test_schema_paths_resolve_refs_allof_and_recursion() -> None:
    documented = shapes.documented_paths(SPEC, "GET", "/models")
    assert documented is not None
    assert documented["data[].name"] == ["null", "string"]
    assert "data[].pricing.*" in documented  # free-form keys
    assert "data[].parent.*" in documented  # a recursive ref: anything below it is documented
    assert shapes.documented_paths(SPEC, "GET", "/keys/{id}")["limit"] == ["null", "number"]
    assert shapes.documented_paths(SPEC, "POST", "/models") is None


@pytest.mark.parametrize(
    ("observed", "expected"),
    [
        ("GET /models", ("GET", "/models")),
        ("GET /api/v1/models?limit=2", ("GET", "/models")),
        ("GET /v1/keys/abc123", ("GET", "/keys/{id}")),
        ("GET /v1/keys/usage", ("GET", "/keys/usage")),  # a literal segment beats a template
        ("DELETE /v1/keys/abc", None),
        ("GET /nothing", None),
    ],
)
def test_observed_paths_find_their_spec_operation(observed: str, expected: tuple[str, str] | None) -> None:
    assert shapes.find_operation(SPEC, observed) == expected


def test_compare_lists_undocumented_and_never_seen_fields() -> None:
    documented = shapes.documented_paths(SPEC, "GET", "/models")
    observed = {
        "data": ["array"],
        "data[]": ["object"],
        "data[].id": ["string"],
        "data[].pricing.prompt": ["number"],
        "data[].parent.parent.id": ["string"],
        "data[].region": ["string"],
    }
    result = shapes.compare(observed, documented)
    assert result["undocumented"] == ["data[].region"]
    assert "data[].name" in result["never_seen"] and "data[].pricing.*" not in result["never_seen"]
    assert shapes.compare(observed, None) == {"documented": None, "undocumented": [], "never_seen": []}
