"""Per-event stream validation: which event, which field, [DONE] and comments as the spec says."""

from __future__ import annotations

import copy
import json

import pytest
from contract_spec_fixtures import SPEC, sse

from gatecheck.checks.sse_events import (
    capture_from_body,
    check_event_schemas,
    event_schema,
    json_path,
    wrap_chunk_schemas,
)
from gatecheck.failures import ContractViolation
from gatecheck.specs.registry import load_spec

GOOD = json.dumps({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}}]})


def _capture(body: str):  # type: ignore[no-untyped-def]
    return capture_from_body(
        body.encode(),
        operation="POST /chat/completions",
        status=200,
        headers={"content-type": "text/event-stream"},
    )


def test_the_chunk_schema_and_terminator_come_from_the_spec() -> None:
    chat = event_schema(SPEC, "/chat/completions", "post")
    messages = event_schema(SPEC, "/messages", "post")
    assert chat is not None and chat.terminator == "[DONE]" and chat.validator is not None
    assert messages is not None and messages.terminator is None
    assert event_schema(SPEC, "/models", "get") is None


@pytest.mark.parametrize("name", ["requesty", "openrouter"])
def test_the_bundled_chat_streams_declare_a_chunk_schema_and_done(name: str) -> None:
    schema = event_schema(load_spec(name).document, "/chat/completions", "post")
    assert schema is not None and schema.terminator == "[DONE]" and schema.validator is not None


def test_a_valid_stream_with_comments_and_done_passes() -> None:
    schema = event_schema(SPEC, "/chat/completions", "post")
    assert schema is not None
    check_event_schemas(_capture(sse(GOOD, GOOD, "[DONE]", comments=("OPENROUTER PROCESSING",))), schema)


def test_a_violation_names_the_event_and_the_field() -> None:
    schema = event_schema(SPEC, "/chat/completions", "post")
    assert schema is not None
    bad = json.dumps({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": -1, "delta": {}}]})
    with pytest.raises(ContractViolation) as caught:
        check_event_schemas(_capture(sse(GOOD, bad, "[DONE]", comments=("keep-alive",))), schema)
    violation = caught.value
    assert violation.check == "stream-event-schema"
    assert violation.details == {"event": 1, "field": "$.choices[0].index"}
    assert "Event 1" in violation.title and "$.choices[0].index" in violation.title
    assert violation.key == "POST /chat/completions::stream-event-schema"


def test_refs_inside_the_chunk_schema_resolve_against_the_spec() -> None:
    schema = event_schema(SPEC, "/chat/completions", "post")
    assert schema is not None
    bad = json.dumps(
        {"id": "c1", "object": "chat.completion.chunk", "choices": [], "usage": {"cost": "free"}}
    )
    with pytest.raises(ContractViolation, match=r"\$\.usage"):
        check_event_schemas(_capture(sse(GOOD, bad, "[DONE]")), schema)


def test_data_that_is_not_json_is_reported_by_index() -> None:
    schema = event_schema(SPEC, "/chat/completions", "post")
    assert schema is not None
    with pytest.raises(ContractViolation, match="Event 1 data is not a JSON object") as caught:
        check_event_schemas(_capture(sse(GOOD, "{'single': 'quotes'}", "[DONE]")), schema)
    assert caught.value.check == "stream-data-json"


def test_json_paths_read_like_jq() -> None:
    assert json_path([]) == "$"
    assert (
        json_path(["choices", 0, "delta", "tool_calls", 2, "index"])
        == "$.choices[0].delta.tool_calls[2].index"
    )


# ---------------------------------------------------------------- the three conventions

CHUNK = {
    "type": "object",
    "required": ["id", "choices"],
    "properties": {"id": {"type": "string"}, "choices": {"type": "array"}, "data": {"type": "array"}},
}
ENVELOPE = {
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "data": {
            "anyOf": [
                {"const": "[DONE]"},
                {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {"$ref": "#/components/schemas/Chunk"},
                },
            ]
        },
    },
}


def _document(media: dict) -> dict:  # type: ignore[type-arg]
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/chat": {"post": {"responses": {"200": {"$ref": "#/components/responses/Stream"}}}}},
        "components": {
            "schemas": {"Chunk": CHUNK},
            "responses": {"Stream": {"description": "s", "content": {"text/event-stream": media}}},
        },
    }


CONVENTIONS = {
    "chunk": _document({"schema": {"$ref": "#/components/schemas/Chunk"}}),
    "contentSchema": _document({"schema": ENVELOPE}),
    "itemSchema": _document({"itemSchema": ENVELOPE}),
    "data": _document(
        {
            "schema": {"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Chunk"}}},
            "x-speakeasy-sse-sentinel": "[DONE]",
        }
    ),
}


@pytest.mark.parametrize("convention", sorted(CONVENTIONS))
def test_each_convention_validates_every_event_against_the_chunk_schema(convention: str) -> None:
    schema = event_schema(CONVENTIONS[convention], "/chat", "post")
    assert schema is not None and schema.convention == convention
    good = json.dumps({"id": "a", "choices": []})
    check_event_schemas(_capture(f"data: {good}\n\ndata: {good}\n\ndata: [DONE]\n\n"), schema)
    with pytest.raises(ContractViolation) as caught:
        check_event_schemas(_capture(f"data: {good}\n\ndata: {json.dumps({'id': 'a'})}\n\n"), schema)
    assert caught.value.details == {"event": 1, "field": "$"}
    assert "'choices' is a required property" in str(caught.value)


def test_a_chunk_with_a_data_field_of_its_own_is_not_taken_for_the_envelope() -> None:
    assert event_schema(CONVENTIONS["chunk"], "/chat", "post").convention == "chunk"  # type: ignore[union-attr]


def test_a_chunk_schema_is_wrapped_for_schemathesis_without_touching_shared_components() -> None:
    document = copy.deepcopy(CONVENTIONS["chunk"])
    shared = copy.deepcopy(document["components"])
    wrap_chunk_schemas(document, "/chat", "post")
    assert document["components"] == shared
    schema = event_schema(document, "/chat", "post")
    assert schema is not None and schema.convention == "contentSchema"
    assert schema.terminator is None  # [DONE] is tolerated, not demanded where the spec never said it
    check_event_schemas(
        _capture(f"data: {json.dumps({'id': 'a', 'choices': []})}\n\ndata: [DONE]\n\n"), schema
    )
    for convention in ("contentSchema", "itemSchema"):
        before = copy.deepcopy(CONVENTIONS[convention])
        wrap_chunk_schemas(before, "/chat", "post")
        assert before == CONVENTIONS[convention]


def test_the_official_openai_chat_stream_is_read_as_chunks(real_specs) -> None:  # type: ignore[no-untyped-def]
    spec = load_spec(str(real_specs / "openai-openapi.yaml")).document
    schema = event_schema(spec, "/chat/completions", "post")
    assert schema is not None and schema.convention == "chunk"
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": []}
    check_event_schemas(_capture(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n"), schema)


def test_in_a_union_of_event_types_the_failure_names_the_field_of_the_matching_type() -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/r": {
                "post": {
                    "responses": {
                        "200": {
                            "description": "s",
                            "content": {
                                "text/event-stream": {
                                    "schema": {"anyOf": [_typed("a", "x"), _typed("b", "y")]}
                                }
                            },
                        }
                    }
                }
            }
        },
    }
    schema = event_schema(document, "/r", "post")
    assert schema is not None and schema.convention == "chunk"
    with pytest.raises(ContractViolation) as caught:
        check_event_schemas(_capture('data: {"type": "b", "y": {"n": "one"}}\n\n'), schema)
    assert caught.value.details == {"event": 0, "field": "$.y.n"}


def _typed(name: str, field: str) -> dict:  # type: ignore[type-arg]
    inner = {"type": "object", "properties": {"n": {"type": "integer"}}}
    return {
        "type": "object",
        "required": ["type", field],
        "properties": {"type": {"const": name}, field: inner},
    }


def test_a_data_object_envelope_names_its_sentinel_and_is_wrapped_declared() -> None:
    schema = event_schema(CONVENTIONS["data"], "/chat", "post")
    assert schema is not None and schema.terminator == "[DONE]"
    document = copy.deepcopy(CONVENTIONS["data"])
    wrap_chunk_schemas(document, "/chat", "post")
    wrapped = event_schema(document, "/chat", "post")
    assert wrapped is not None and (wrapped.convention, wrapped.terminator) == ("contentSchema", "[DONE]")
