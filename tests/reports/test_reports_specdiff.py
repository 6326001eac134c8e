"""Spec diff: each kind of change found, and classified breaking or not by direction."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gatecheck.reports.specdiff import Change, diff_specs, has_breaking, render_markdown, to_json

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
    assert text.startswith("# Spec diff: v1 -> v2\n\n1 breaking, 1 non-breaking")
    assert "- `GET /models` (operation-removed): operation removed" in text
    assert to_json(changes)[0] == {
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
