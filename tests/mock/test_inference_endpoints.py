"""Embeddings, rerank, Responses and Messages, in both flavors where each is served."""

from __future__ import annotations

import base64
import json
import math
import struct
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from gatecheck.mock.catalog import default_catalog

if TYPE_CHECKING:
    from conftest import MockClient

SMALL = "openai/text-embedding-3-small"
SCHEMA = {"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}}


def _embed(mock: MockClient, **body: Any) -> Any:
    return mock.post("/embeddings", {"model": SMALL, **body})


# ---------------------------------------------------------------------------------------------- embeddings


def test_embeddings_are_deterministic_unit_vectors_in_input_order(mock: MockClient) -> None:
    body = _embed(mock, input=["alpha", "beta", "alpha"]).json()
    vectors = [d["embedding"] for d in body["data"]]
    assert [d["index"] for d in body["data"]] == [0, 1, 2]
    assert all(len(v) == 1536 for v in vectors)
    assert all(math.isclose(math.fsum(x * x for x in v), 1.0, rel_tol=1e-9) for v in vectors)
    assert vectors[0] == vectors[2] != vectors[1]
    assert _embed(mock, input="alpha").json()["data"][0]["embedding"] == vectors[0]


def test_embedding_dimensions_and_model_size(mock: MockClient) -> None:
    large = mock.post("/embeddings", {"model": "openai/text-embedding-3-large", "input": "x"}).json()
    assert len(large["data"][0]["embedding"]) == 3072
    short = _embed(mock, input="x", dimensions=256).json()["data"][0]["embedding"]
    assert len(short) == 256 and math.isclose(math.fsum(v * v for v in short), 1.0, rel_tol=1e-9)
    assert _embed(mock, input="x", dimensions=5000).status == 400


def test_embedding_base64_encoding_packs_float32(mock: MockClient) -> None:
    floats = _embed(mock, input="hello").json()["data"][0]["embedding"]
    packed = _embed(mock, input="hello", encoding_format="base64").json()["data"][0]["embedding"]
    raw = base64.b64decode(packed)
    unpacked = struct.unpack(f"<{len(raw) // 4}f", raw)
    assert len(unpacked) == 1536
    assert all(math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-7) for a, b in zip(unpacked, floats, strict=True))


def test_embedding_usage_and_cost(mock: MockClient) -> None:
    usage = _embed(mock, input=["one two three", "four"]).json()["usage"]
    assert usage["prompt_tokens"] == usage["total_tokens"] > 0
    price = default_catalog().get(SMALL).input_price  # type: ignore[union-attr]
    assert math.isclose(usage["cost"], usage["prompt_tokens"] * price / 1e6, rel_tol=1e-9)


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": SMALL, "input": ""}, "input[0]"),
        ({"model": SMALL, "input": []}, "input"),
        ({"model": SMALL, "input": ["ok", 3]}, "input"),  # Requesty's contract fails "input"; ours "input[1]"
        ({"model": SMALL}, "input"),
        ({"input": "x"}, "model"),
        ({"model": SMALL, "input": "x", "encoding_format": "int8"}, "encoding_format"),
    ],
)
def test_bad_embedding_requests_are_400(mock: MockClient, body: dict[str, Any], param: str) -> None:
    reply = mock.post("/embeddings", body)
    assert reply.status == 400
    assert reply.json()["error"]["param"].startswith(param)


def test_chat_model_cannot_embed(mock: MockClient) -> None:
    assert mock.post("/embeddings", {"model": "openai/gpt-4o", "input": "x"}).status == 400


# ---------------------------------------------------------------------------------------------- rerank


def test_rerank_scores_by_overlap_sorted_with_top_n(openrouter: MockClient) -> None:
    docs = ["the cat sat", "weather in london today", "london weather report today rain", "bananas"]
    reply = openrouter.post(
        "/rerank",
        {"model": "cohere/rerank-v3.5", "query": "london weather today", "documents": docs, "top_n": 3},
    )
    body = reply.json()
    assert reply.status == 200
    results = body["results"]
    assert [r["index"] for r in results] == [1, 2, 0]
    scores = [r["relevance_score"] for r in results]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert results[0]["document"] == {"text": docs[1]}
    assert body["provider"] == "Cohere" and body["usage"]["search_units"] == 1
    assert math.isclose(body["usage"]["cost"], 0.002)


def test_rerank_validation(openrouter: MockClient) -> None:
    model = "cohere/rerank-v3.5"
    assert openrouter.post("/rerank", {"model": model, "query": "q", "documents": []}).status == 400
    assert openrouter.post("/rerank", {"model": model, "query": "", "documents": ["a"]}).status == 400
    assert (
        openrouter.post("/rerank", {"model": model, "query": "q", "documents": [1]}).json()["error"]["param"]
        == "documents[0]"
    )


def test_requesty_serves_neither_rerank_nor_messages(requesty: MockClient) -> None:
    for path in ("/rerank", "/messages"):
        reply = requesty.post(path, {"model": "x", "messages": []})
        assert reply.status == 404
        assert reply.json()["error"]["code"] == 404


# ---------------------------------------------------------------------------------------------- responses


def test_responses_object(mock: MockClient) -> None:
    reply = mock.post(
        "/responses", {"model": "openai/gpt-4o-mini", "input": "What is an LLM gateway?", "seed": 2}
    )
    body = reply.json()
    assert reply.status == 200 and body["object"] == "response" and body["status"] == "completed"
    (item,) = body["output"]
    assert item["type"] == "message" and item["role"] == "assistant"
    text = item["content"][0]["text"]
    assert item["content"][0]["type"] == "output_text" and "What is an LLM gateway?" in text
    usage = body["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"] and usage["cost"] > 0
    again = mock.post(
        "/responses", {"model": "openai/gpt-4o-mini", "input": "What is an LLM gateway?", "seed": 2}
    )
    assert again.json()["output"][0]["content"][0]["text"] == text


def test_responses_input_items_instructions_and_limit(mock: MockClient) -> None:
    items = [{"role": "user", "content": [{"type": "input_text", "text": "Hello there"}]}]
    body = mock.post(
        "/responses",
        {"model": "openai/gpt-4o", "input": items, "instructions": "Be terse.", "max_output_tokens": 4},
    ).json()
    assert body["status"] == "incomplete" and body["incomplete_details"] == {"reason": "max_output_tokens"}
    assert body["usage"]["output_tokens"] == 4 and body["instructions"] == "Be terse."


def test_responses_function_call_and_structured_output(mock: MockClient) -> None:
    tool = {"type": "function", "name": "locate", "parameters": SCHEMA}
    body = mock.post(
        "/responses",
        {"model": "openai/gpt-4o", "input": "where?", "tools": [tool], "tool_choice": "required"},
    ).json()
    (call,) = body["output"]
    assert (
        call["type"] == "function_call" and call["name"] == "locate" and call["call_id"].startswith("call_")
    )
    jsonschema.validate(json.loads(call["arguments"]), SCHEMA)
    follow = [
        {"role": "user", "content": "where?"},
        {
            "type": "function_call",
            "call_id": call["call_id"],
            "name": "locate",
            "arguments": call["arguments"],
        },
        {"type": "function_call_output", "call_id": call["call_id"], "output": "Paris"},
    ]
    answer = mock.post("/responses", {"model": "openai/gpt-4o", "input": follow, "tools": [tool]}).json()
    assert "Paris" in answer["output"][0]["content"][0]["text"]
    fmt = {"format": {"type": "json_schema", "name": "place", "schema": SCHEMA}}
    structured = mock.post("/responses", {"model": "openai/gpt-4o", "input": "where?", "text": fmt}).json()
    jsonschema.validate(json.loads(structured["output"][0]["content"][0]["text"]), SCHEMA)


def test_responses_stream_events(mock: MockClient) -> None:
    reply = mock.post(
        "/responses", {"model": "openai/gpt-4o-mini", "input": "hi", "stream": True, "max_output_tokens": 3}
    )
    events = reply.events
    # OpenRouter's contract ends Responses streams with [DONE] too; OpenAI's (Requesty's) does not
    assert (events[-1].data == "[DONE]") == (mock.flavor == "openrouter")
    events = [e for e in events if e.data != "[DONE]"]
    names = [e.event for e in events]
    assert names[:5] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
    ]
    assert names[-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.incomplete",
    ]
    payloads = [json.loads(e.data) for e in events]
    assert [p["sequence_number"] for p in payloads] == list(range(len(payloads)))
    assert all(p["type"] == e.event for p, e in zip(payloads, events, strict=True))
    deltas = "".join(p["delta"] for p in payloads if p["type"] == "response.output_text.delta")
    assert deltas == payloads[-4]["text"] and payloads[-1]["response"]["usage"]["output_tokens"] == 3


def test_responses_stream_function_call_events(mock: MockClient) -> None:
    tool = {"type": "function", "name": "locate", "parameters": SCHEMA}
    body = {
        "model": "openai/gpt-4o",
        "input": "where?",
        "tools": [tool],
        "tool_choice": "required",
        "stream": True,
    }
    payloads = [json.loads(e.data) for e in mock.post("/responses", body).events if e.data != "[DONE]"]
    kinds = [p["type"] for p in payloads]
    assert "response.function_call_arguments.delta" in kinds and kinds[-1] == "response.completed"
    done = next(p for p in payloads if p["type"] == "response.function_call_arguments.done")
    fragments = "".join(p["delta"] for p in payloads if p["type"] == "response.function_call_arguments.delta")
    assert fragments == done["arguments"]
    jsonschema.validate(json.loads(done["arguments"]), SCHEMA)


# ---------------------------------------------------------------------------------------------- messages


def test_messages_answer(openrouter: MockClient) -> None:
    body = {
        "model": "anthropic/claude-sonnet-4-20250514",
        "max_tokens": 50,
        "system": "Be brief.",
        "messages": [{"role": "user", "content": "Hello Claude"}],
    }
    reply = openrouter.post("/messages", body)
    out = reply.json()
    assert reply.status == 200 and out["type"] == "message" and out["role"] == "assistant"
    assert out["content"][0]["type"] == "text" and "Hello Claude" in out["content"][0]["text"]
    assert out["stop_reason"] == "max_tokens" and out["usage"]["output_tokens"] == 50
    assert reply.headers["x-generation-id"] == out["id"]


def test_messages_tool_use_and_stop_sequence(openrouter: MockClient) -> None:
    tool = {"name": "locate", "description": "find", "input_schema": SCHEMA}
    body = {
        "model": "anthropic/claude-sonnet-4-20250514",
        "messages": [{"role": "user", "content": "where?"}],
        "tools": [tool],
        "tool_choice": {"type": "tool", "name": "locate"},
    }
    out = openrouter.post("/messages", body).json()
    assert out["stop_reason"] == "tool_use"
    jsonschema.validate(out["content"][0]["input"], SCHEMA)
    plain_body = {"model": body["model"], "messages": body["messages"]}
    plain = openrouter.post("/messages", plain_body).json()["content"][0]["text"]
    word = plain.split()[5]
    cut = openrouter.post("/messages", {**plain_body, "stop_sequences": [word]}).json()
    assert cut["stop_reason"] == "stop_sequence" and cut["stop_sequence"] == word


def test_messages_stream_events(openrouter: MockClient) -> None:
    body = {
        "model": "anthropic/claude-3-5-haiku-20241022",
        "max_tokens": 4,
        "stream": True,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
    }
    events = openrouter.post("/messages", body).events
    names = [e.event for e in events]
    assert names == [
        "message_start",
        "content_block_start",
        "ping",
        *["content_block_delta"] * 4,
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    payloads = [json.loads(e.data) for e in events]
    assert all(p["type"] == name for p, name in zip(payloads, names, strict=True))
    assert (
        payloads[-2]["delta"]["stop_reason"] == "max_tokens" and payloads[-2]["usage"]["output_tokens"] == 4
    )


def test_messages_validation(openrouter: MockClient) -> None:
    assert (
        openrouter.post("/messages", {"messages": [{"role": "user", "content": "x"}]}).json()["error"][
            "param"
        ]
        == "model"
    )
    bad_role = {"model": "anthropic/claude-opus-4-20250514", "messages": [{"role": "system", "content": "x"}]}
    assert openrouter.post("/messages", bad_role).json()["error"]["param"] == "messages[0].role"
