"""The pieces answers are made of: token counting, schema instances, deterministic generation."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.generation import FunctionTool, Spec, generate
from gatecheck.mock.inference.instances import SchemaProblem, check_schema, instance

SCHEMAS: list[dict[str, Any]] = [
    {"type": "object", "properties": {}},
    {"type": "string", "minLength": 12, "maxLength": 20},
    {"type": "string", "pattern": "^[0-9]+$"},
    {"type": "string", "format": "email"},
    {"type": "integer", "exclusiveMinimum": 7, "multipleOf": 5},
    {"type": "number", "minimum": -3.5, "maximum": -1},
    {"type": ["null", "boolean"]},
    {"const": {"fixed": [1, 2]}},
    {"type": "array", "items": {"type": "integer"}, "minItems": 3, "uniqueItems": True},
    {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": False},
    {"oneOf": [{"type": "string", "maxLength": 0, "minLength": 1}, {"type": "integer"}]},
    {"anyOf": [{"type": "null"}, {"type": "string"}]},
    {
        "allOf": [
            {"type": "object", "required": ["a"]},
            {"properties": {"a": {"type": "integer", "minimum": 2}}},
        ]
    },
    {
        "type": "object",
        "required": ["node"],
        "properties": {"node": {"$ref": "#/$defs/node"}},
        "$defs": {
            "node": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
        },
    },
    {
        "type": "object",
        "properties": {"x": {"type": "string"}, "y": {"type": "string"}},
        "minProperties": 2,
        "additionalProperties": False,
    },
    {"type": "object", "required": ["tags"], "additionalProperties": {"type": "integer"}},
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(i) for i in range(len(SCHEMAS))])
def test_instance_is_valid_and_deterministic(schema: dict[str, Any]) -> None:
    value = instance(schema)
    jsonschema.Draft202012Validator(schema).validate(value)
    assert instance(schema) == value


def test_invalid_schemas_are_reported() -> None:
    with pytest.raises(SchemaProblem):
        check_schema({"type": "wat"})
    with pytest.raises(SchemaProblem):
        check_schema(["not", "a", "schema"])
    check_schema({"type": "object"})


@pytest.mark.parametrize("text", ["", "hello", "Hello, world!  How are   you?\n\tfine", "naïve café 12345 ✓"])
def test_pieces_partition_the_text(text: str) -> None:
    assert "".join(tokens.pieces(text)) == text
    assert tokens.count(text) == len(tokens.pieces(text))


def test_generation_is_deterministic_and_bounded() -> None:
    spec = Spec(key="k", question="What now?", prompt_tokens=5, seed=1)
    first = generate(spec)
    assert generate(spec) == first
    assert generate(Spec(key="k", question="What now?", prompt_tokens=5, seed=2)).text != first.text
    assert 60 <= first.completion_tokens <= 140 and first.finish_reason == "stop"
    cut = generate(Spec(key="k", question="What now?", prompt_tokens=5, seed=1, max_tokens=7))
    assert cut.finish_reason == "length" and cut.completion_tokens == 7 and first.text.startswith(cut.text)


def test_tool_choice_rules() -> None:
    tool = FunctionTool("f", {"type": "object", "properties": {}})
    base = {"key": "k", "question": "q", "prompt_tokens": 1, "tools": (tool,)}
    assert generate(Spec(**base)).tool_calls  # auto with a fresh question: call
    assert not generate(Spec(**base, tool_output="done")).tool_calls  # auto after a result: answer
    assert generate(Spec(**base, tool_output="done", tool_choice="required")).tool_calls
    assert not generate(Spec(**base, tool_choice="none")).tool_calls
