"""Chat Completions streams: chunk order, usage chunk, tool-call deltas, keep-alives, errors, writes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from gatecheck.mock.inference import tokens

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient, Reply

STREAM = {"stream": True, "stream_options": {"include_usage": True}}
TOOL = {
    "type": "function",
    "function": {
        "name": "lookup",
        "parameters": {
            "type": "object",
            "required": ["query", "limit"],
            "properties": {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 3}},
        },
    },
}


def _chunks(reply: Reply) -> list[dict[str, Any]]:
    return [d for d in reply.data if d != "[DONE]"]


def test_stream_shape_role_first_one_finish_usage_then_done(mock: MockClient) -> None:
    reply = mock.chat(**STREAM)
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/event-stream")
    data = reply.data
    assert data[-1] == "[DONE]"
    chunks = data[:-1]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    finishes = [c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert len(finishes) == 1 and finishes[0]["choices"][0]["finish_reason"] == "stop"
    usage_chunks = [c for c in chunks if c.get("usage")]
    assert usage_chunks == [chunks[-1]] and chunks[-1]["choices"] == []
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)


def test_streamed_content_equals_the_json_answer_and_usage_matches(mock: MockClient) -> None:
    chunks = _chunks(mock.chat(seed=1, **STREAM))
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == mock.chat(seed=1).json()["choices"][0]["message"]["content"]
    usage = chunks[-1]["usage"]
    assert usage["completion_tokens"] == tokens.count(text)
    assert usage["cost"] > 0


def test_each_token_is_its_own_write(mock: MockClient) -> None:
    reply = mock.chat(max_tokens=10, **STREAM)
    data_writes = [w for w in reply.writes if w.startswith(b"data:")]
    # role + 10 tokens + finish + usage + [DONE], one write each
    assert len(data_writes) == 14
    assert all(w.count(b"\n\n") == 1 for w in data_writes)


def test_without_include_usage_there_is_no_usage_chunk(requesty: MockClient) -> None:
    chunks = _chunks(requesty.chat(stream=True))
    assert not any(c.get("usage") for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize("options", [{}, {"stream_options": {"include_usage": False}}])
def test_openrouter_sends_usage_in_every_stream(openrouter: MockClient, options: dict[str, Any]) -> None:
    """OpenRouter documents include_usage as having no effect: full usage always ends the stream."""
    chunks = _chunks(openrouter.chat(stream=True, **options))
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0
    assert sum(1 for c in chunks if c.get("usage")) == 1


def test_length_finish_when_streaming(mock: MockClient) -> None:
    chunks = _chunks(mock.chat(max_tokens=3, **STREAM))
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]][-1] == "length"
    assert chunks[-1]["usage"]["completion_tokens"] == 3


def test_streamed_tool_call_deltas(mock: MockClient) -> None:
    chunks = _chunks(mock.chat(tools=[TOOL], tool_choice="required", **STREAM))
    calls = [
        c["choices"][0]["delta"]["tool_calls"][0]
        for c in chunks
        if c["choices"] and "tool_calls" in c["choices"][0]["delta"]
    ]
    first, rest = calls[0], calls[1:]
    assert (
        first["id"].startswith("call_")
        and first["type"] == "function"
        and first["function"]["name"] == "lookup"
    )
    assert rest and all("index" in d and "id" not in d for d in rest)
    arguments = "".join(d["function"]["arguments"] for d in calls)
    jsonschema.validate(json.loads(arguments), TOOL["function"]["parameters"])
    finish = [
        c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]
    ]
    assert finish == ["tool_calls"]


def test_openrouter_sends_processing_comment_before_the_first_chunk(openrouter: MockClient) -> None:
    reply = openrouter.chat(**STREAM)
    assert reply.writes[0] == b": OPENROUTER PROCESSING\n\n"
    assert reply.comments == ["OPENROUTER PROCESSING"]


def test_requesty_sends_no_comments(requesty: MockClient) -> None:
    assert requesty.chat(**STREAM).comments == []


def test_cut_mid_stream_ends_with_an_error_chunk_and_no_done(mock: MockClient) -> None:
    mock.plan({"model": "openai/gpt-4o-mini", "failure": "cut-mid-stream", "count": 1})
    reply = mock.chat(**STREAM)
    assert reply.status == 200
    data = reply.data
    assert "[DONE]" not in data
    last = data[-1]
    assert last["error"]["message"] and last["choices"][0]["finish_reason"] == "error"
    content = [c for c in data[1:-1] if c["choices"][0]["delta"].get("content")]
    assert 0 < len(content) < tokens.count(mock.chat().json()["choices"][0]["message"]["content"])
    assert mock.chat(**STREAM).data[-1] == "[DONE]"  # count 1: the next stream is whole


def test_failure_before_the_first_token_is_an_http_error_not_a_stream(mock: MockClient) -> None:
    mock.plan({"model": "*", "failure": "cut-before-first-token"})
    reply = mock.chat(**STREAM)
    assert reply.status == 502
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json()["error"]["code"] == 502


def test_first_token_delay_keeps_the_connection_alive(make_mock: MakeMock) -> None:
    slow = make_mock("openrouter", first_token_delay=1.2)
    reply = slow.chat(max_tokens=2, **STREAM)
    assert reply.comments == ["OPENROUTER PROCESSING", "OPENROUTER PROCESSING"]
    assert reply.data[-1] == "[DONE]"
