"""Per-event stream validation: which event, which field, [DONE] and comments as the spec says."""

from __future__ import annotations

import json

import pytest
from contract_spec_fixtures import SPEC, sse

from gatecheck.checks.sse_events import capture_from_body, check_event_schemas, event_schema, json_path
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
