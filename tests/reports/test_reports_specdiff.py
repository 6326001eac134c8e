"""Spec diff: each kind of change found, and classified breaking or not by direction."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gatecheck.reports.specdiff import Change, diff_specs, has_breaking, to_json
from gatecheck.reports.specdiff_render import render_markdown

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/chat/completions": {
            "post": {
                "parameters": [{"name": "trace", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChatRequest"}}}
                },
                "responses": {
                    "200": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Chat"}}}
                    }
                },
            }
        },
        "/models": {"get": {"responses": {"200": {"description": "ok"}}}},
    },
    "components": {
        "schemas": {
            "ChatRequest": {
                "type": "object",
                "required": ["messages"],
                "properties": {
                    "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                    "temperature": {"type": "number"},
                    "service_tier": {"enum": ["auto", "default"]},
                },
            },
            "Message": {
                "type": "object",
                "properties": {"role": {"enum": ["user", "system"]}, "content": {"type": "string"}},
            },
            "Chat": {
                "allOf": [
                    {
                        "type": "object",
                        "required": ["id", "usage"],
                        "properties": {"id": {"type": "string"}, "usage": {"type": "object"}},
                    },
                    {
                        "properties": {
                            "finish_reason": {"enum": ["stop", "length"]},
                            "cost": {"type": "number"},
                        }
                    },
                ]
            },
        }
    },
}


def _changed(edit: Any) -> list[Change]:
    new = copy.deepcopy(BASE)
    edit(new)
    return diff_specs(BASE, new)


def _kinds(changes: list[Change]) -> set[tuple[str, str, bool]]:
    return {(c.location, c.kind, c.breaking) for c in changes}


def test_identical_specs_have_no_changes() -> None:
    assert diff_specs(BASE, copy.deepcopy(BASE)) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: s["paths"].pop("/models"), ("GET /models", "operation-removed", True)),
        (
            lambda s: s["paths"].update({"/rerank": {"post": {"responses": {}}}}),
            ("POST /rerank", "operation-added", False),
        ),
        (
            lambda s: s["paths"]["/chat/completions"]["post"]["parameters"].clear(),
            ("POST /chat/completions parameter query:trace", "parameter-removed", True),
        ),
        (
            lambda s: s["paths"]["/chat/completions"]["post"]["parameters"].append(
                {"name": "x", "in": "header", "required": True}
            ),
            ("POST /chat/completions parameter header:x", "parameter-added", True),
        ),
        (
            lambda s: s["paths"]["/chat/completions"]["post"]["parameters"][0].update(required=True),
            ("POST /chat/completions parameter query:trace", "required-changed", True),
        ),
        (
            lambda s: s["components"]["schemas"]["ChatRequest"]["required"].append("temperature"),
            ("POST /chat/completions request.temperature", "required-changed", True),
        ),
        (
            lambda s: s["components"]["schemas"]["ChatRequest"]["properties"].update(
                model={"type": "string"}
            ),
            ("POST /chat/completions request.model", "field-added", False),
        ),
        (
            lambda s: s["components"]["schemas"]["ChatRequest"]["properties"]["temperature"].update(
                type="integer"
            ),
            ("POST /chat/completions request.temperature", "type-changed", True),
        ),
        (
            lambda s: s["components"]["schemas"]["ChatRequest"]["properties"]["temperature"].update(
                type=["number", "null"]
            ),
            ("POST /chat/completions request.temperature", "type-changed", False),
        ),
        (
            lambda s: s["components"]["schemas"]["Message"]["properties"]["role"]["enum"].remove("system"),
            ("POST /chat/completions request.messages[].role", "enum-value-removed", True),
        ),
        (
            lambda s: s["components"]["schemas"]["ChatRequest"]["properties"]["service_tier"]["enum"].append(
                "flex"
            ),
            ("POST /chat/completions request.service_tier", "enum-value-added", False),
        ),
        (
            lambda s: s["components"]["schemas"]["Chat"]["allOf"][1]["properties"].pop("cost"),
            ("POST /chat/completions response 200.cost", "field-removed", True),
        ),
        (
            lambda s: s["components"]["schemas"]["Chat"]["allOf"][0]["required"].remove("usage"),
            ("POST /chat/completions response 200.usage", "required-changed", True),
        ),
        (
            lambda s: s["components"]["schemas"]["Chat"]["allOf"][1]["properties"]["finish_reason"][
                "enum"
            ].append("tool_calls"),
            ("POST /chat/completions response 200.finish_reason", "enum-value-added", False),
        ),
        (
            lambda s: s["components"]["schemas"]["Chat"]["allOf"][1]["properties"]["cost"].update(
                type=["number", "null"]
            ),
            ("POST /chat/completions response 200.cost", "type-changed", True),
        ),
        (
            lambda s: s["paths"]["/models"]["get"]["responses"].pop("200"),
            ("GET /models response 200", "response-removed", True),
        ),
    ],
)
def test_each_change_is_found_and_classified(edit: Any, expected: tuple[str, str, bool]) -> None:
    assert _kinds(_changed(edit)) == {expected}


def test_renderings() -> None:
    changes = _changed(lambda s: (s["paths"].pop("/models"), s["paths"].update({"/rerank": {"post": {}}})))
    assert has_breaking(changes)
    text = render_markdown(changes, old_label="v1", new_label="v2")
    assert text.startswith("# Spec diff: v1 -> v2\n\n1 breaking, 1 non-breaking in 2 operation(s)")
    assert "### GET /models\n- `(the operation)` (operation-removed): operation removed" in text
    assert to_json(changes)[0] == {
        "operation": "GET /models",
        "location": "GET /models",
        "kind": "operation-removed",
        "breaking": True,
        "message": "operation removed",
    }


def test_a_recursive_schema_terminates() -> None:
    old = copy.deepcopy(BASE)
    old["components"]["schemas"]["Message"]["properties"]["reply"] = {"$ref": "#/components/schemas/Message"}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Message"]["properties"]["content"]["type"] = "array"
    assert ("POST /chat/completions request.messages[].content", "type-changed", True) in _kinds(
        diff_specs(old, new)
    )


# ---------------------------------------------------------------- crafted pairs, one per rule

CHAT = ("paths", "/chat/completions", "post")


def _op(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/chat/completions"]["post"]


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["components"]["schemas"]


def _with_error_response(spec: dict[str, Any]) -> dict[str, Any]:
    _op(spec)["responses"]["400"] = {
        "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {}}}}}
    }
    return spec


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda s: _op(s)["responses"].update({"201": _op(s)["responses"].pop("200")}),
            {
                ("POST /chat/completions response 200", "response-removed", True),
                ("POST /chat/completions response 201", "response-added", False),
            },
        ),
        (
            lambda s: _schemas(s)["ChatRequest"].update(
                required=["messages", "model"],
                properties={**_schemas(s)["ChatRequest"]["properties"], "model": {"type": "string"}},
            ),
            {("POST /chat/completions request.model", "field-added", True)},
        ),
        (
            lambda s: _schemas(s)["ChatRequest"]["properties"].update(
                service_tier={"anyOf": [{"const": "auto"}]}
            ),
            {("POST /chat/completions request.service_tier", "enum-value-removed", True)},
        ),
        (
            lambda s: _op(s)["requestBody"].update(required=True),
            {("POST /chat/completions request", "required-changed", True)},
        ),
        (
            lambda s: _schemas(s)["Chat"]["allOf"][0]["properties"].update(id={"type": "integer"}),
            {("POST /chat/completions response 200.id", "type-changed", True)},
        ),
    ],
    ids=["status-changed", "new-required-field", "anyof-const-value-removed", "body-required", "retyped"],
)
def test_each_rule_on_a_crafted_pair(edit: Any, expected: set[tuple[str, str, bool]]) -> None:
    assert _kinds(_changed(edit)) == expected


def test_a_dropped_error_response_is_noted_not_a_crash() -> None:
    old = _with_error_response(copy.deepcopy(BASE))
    changes = diff_specs(old, BASE)
    assert _kinds(changes) == {("POST /chat/completions response 400", "response-removed", False)}
    assert changes[0].message == "error response no longer documented"


def test_status_codes_written_as_numbers_match_those_written_as_strings() -> None:
    old = _with_error_response(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    _op(new)["responses"] = {int(k): v for k, v in _op(new)["responses"].items()}
    assert diff_specs(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"enum": ["none", "auto"]}, {"anyOf": [{"const": "none"}, {"const": "auto"}]}),
        (
            {"type": "string", "enum": ["none", "auto"]},
            {"oneOf": [{"type": "string", "const": "none"}, {"const": "auto"}]},
        ),
        ({"type": ["string", "null"]}, {"type": "string", "nullable": True}),
        ({"type": "string", "nullable": True}, {"anyOf": [{"type": "string"}, {"type": "null"}]}),
        (
            {"enum": ["a", None], "type": ["string", "null"]},
            {"type": "string", "nullable": True, "enum": ["a"]},
        ),
        ({"$ref": "#/components/schemas/Message"}, "inline Message"),
        (
            {"type": "object", "properties": {"x": {"type": "integer"}}},
            {"allOf": [{"properties": {"x": {"type": "integer"}}}]},
        ),
    ],
    ids=[
        "enum-vs-anyof-const",
        "enum-vs-oneof-const",
        "type-null-vs-nullable",
        "nullable-vs-anyof-null",
        "null-in-enum",
        "ref-vs-inline",
        "allof-wrapper",
    ],
)
def test_equivalent_spellings_are_not_changes(old: Any, new: Any) -> None:
    before, after = copy.deepcopy(BASE), copy.deepcopy(BASE)
    if new == "inline Message":
        new = copy.deepcopy(_schemas(BASE)["Message"])
    for spec, schema in ((before, old), (after, new)):
        _schemas(spec)["ChatRequest"]["properties"]["tool_choice"] = schema
        _schemas(spec)["Chat"]["allOf"][1]["properties"]["tool_choice"] = copy.deepcopy(schema)
    assert diff_specs(before, after) == []
    assert diff_specs(after, before) == []


def test_a_30_document_and_its_31_rewrite_have_no_changes() -> None:
    old = copy.deepcopy(BASE) | {"openapi": "3.0.3"}
    _schemas(old)["ChatRequest"]["properties"]["temperature"] = {
        "type": "number",
        "nullable": True,
        "minimum": 0,
        "exclusiveMinimum": True,
    }
    new = copy.deepcopy(BASE)
    _schemas(new)["ChatRequest"]["properties"]["temperature"] = {
        "type": ["number", "null"],
        "exclusiveMinimum": 0,
    }
    assert diff_specs(old, new) == []


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s.update(paths=["not", "a", "mapping"]),
        lambda s: _op(s).update(responses="nope", parameters={"a": 1}, requestBody=[]),
        lambda s: _op(s)["responses"].update({"200": {"$ref": "#/nowhere"}}),
        lambda s: _schemas(s).update(ChatRequest={"$ref": "#/components/schemas/ChatRequest"}),
        lambda s: _schemas(s)["ChatRequest"].update(properties=[1, 2], required="messages", enum=7, type=3),
        lambda s: s["paths"].update({"/x": {"get": None, "parameters": [None, {"name": 3}]}}),
    ],
    ids=["paths-list", "wrong-types", "dangling-ref", "self-ref", "garbage-keywords", "nulls"],
)
def test_malformed_documents_never_raise(mangle: Any) -> None:
    bad = copy.deepcopy(BASE)
    mangle(bad)
    diff_specs(BASE, bad)
    diff_specs(bad, BASE)
    assert diff_specs(bad, copy.deepcopy(bad)) == []
