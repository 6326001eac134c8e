"""More facts of the mock for ``test_inference_faults``: catalog, vectors, request handling, the
Responses and Messages APIs, tools and structured output.

Each function sends a few cheap requests to one mock and returns ``{"area.fact": value}``.  A fact
observes one contract point, and an endpoint the flavor does not serve (Requesty's ``/messages``
and ``/rerank``) gives the same empty value with or without a fault, so no fact fails there.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import MockClient, Reply

__all__ = [
    "catalog_facts",
    "messages_facts",
    "request_facts",
    "responses_facts",
    "structured_facts",
    "tool_facts",
    "usage_facts",
    "vector_facts",
]

PRIMARY, CLAUDE = "openai/gpt-4o", "anthropic/claude-3-5-haiku-20241022"
EMBEDDER, RERANKER = "openai/text-embedding-3-small", "cohere/rerank-v3.5"
LAST_CHAT = "cohere/command-r-plus-08-2024"  # the catalog's last chat model
_DOCS = ["Berlin is the capital of Germany.", "Paris is the capital of France.", "Bananas are yellow."]
_PDF = {
    "type": "file",
    "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERi0xLjQK"},
}
_IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
_APP_HEADERS = {"HTTP-Referer": "https://app.example/marker-7", "X-Title": "marker-7"}
_ASK = [{"role": "user", "content": "x"}]
# one schema for tool parameters and structured answers: an answer is right when it has "city"
_WHERE = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
_FUNCTIONS = [{"type": "function", "function": {"name": name, "parameters": _WHERE}} for name in ("a", "b")]


def _parsed(reply: Reply) -> Any:
    try:
        return reply.json()
    except ValueError:
        return {}


def _object(text: Any) -> dict[str, Any] | None:
    """``text`` parsed, if it is JSON text of an object."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _has_where(text: Any) -> bool:
    """``text`` is a JSON object with every property ``_WHERE`` requires."""
    value = _object(text)
    return value is not None and all(name in value for name in _WHERE["required"])


def _with_part(mock: MockClient, part: dict[str, Any]) -> int:
    return mock.chat(messages=[{"role": "user", "content": [{"type": "text", "text": "x"}, part]}]).status


def catalog_facts(mock: MockClient) -> dict[str, Any]:
    listed = _parsed(mock.get("/models")).get("data") or [{}]
    first = listed[0]
    tools = _parsed(mock.get("/models?supported_parameters=tools")).get("data") or [{}]
    count = (_parsed(mock.get("/models/count")).get("data") or {}).get("count")
    return {
        "catalog.ids_unique": len({e.get("id") for e in listed}) == len(listed),
        "catalog.first_price": first.get("input_price", (first.get("pricing") or {}).get("prompt")),
        "catalog.first_context": first.get("context_window", first.get("context_length")),
        "catalog.regions": all(e.get("regions") for e in listed),
        "catalog.filtered": all("tools" in e.get("supported_parameters", []) for e in tools),
        "catalog.count_agrees": count == len(listed),
        "catalog.last_chat": mock.chat(model=LAST_CHAT).status,
    }


def vector_facts(mock: MockClient) -> dict[str, Any]:
    def embed(**body: Any) -> Reply:
        return mock.post("/embeddings", {"model": EMBEDDER, **body})

    def vectors(**body: Any) -> list[list[float]]:
        return [d["embedding"] for d in _parsed(embed(**body)).get("data") or []]

    pair, alone, short = vectors(input=["a", "b"]), vectors(input=["b"]), vectors(input=["a"], dimensions=8)
    full = _parsed(
        mock.post("/rerank", {"model": RERANKER, "query": "capital of France", "documents": _DOCS})
    )
    top = _parsed(mock.post("/rerank", {"model": RERANKER, "query": "x", "documents": _DOCS, "top_n": 1}))
    scores = [r["relevance_score"] for r in full.get("results") or []]
    return {
        "embeddings.second": pair[1][:4] == alone[0][:4] if pair and alone else None,
        "embeddings.lengths": [len(v) for v in pair],
        "embeddings.shortened": [len(v) for v in short],
        "embeddings.finite": all(x == x for v in pair for x in v),  # NaN != NaN
        "embeddings.empty_status": embed(input=[]).status,
        "embeddings.string_status": embed(input="x").status,
        "rerank.sorted": scores == sorted(scores, reverse=True) if scores else None,
        "rerank.indices": sorted(r["index"] for r in full.get("results") or []),
        "rerank.top_count": len(top.get("results") or []),
        "rerank.usage": "usage" in full,
    }


def request_facts(mock: MockClient) -> dict[str, Any]:
    def chat(body: dict[str, Any]) -> Reply:
        return mock.post("/chat/completions", {"messages": _ASK, **body}, headers=_APP_HEADERS)

    return {
        "parts.pdf": _with_part(mock, _PDF),
        "parts.image": _with_part(mock, _IMAGE),
        "parts.unknown": _with_part(mock, {"type": "hologram"}),
        "headers.status": chat({"model": PRIMARY}).status,
        "headers.echoed": "marker-7" in chat({"model": "acme/none"}).body.decode(),
        "default.model": _parsed(mock.post("/chat/completions", {"messages": _ASK})).get("model"),
        "region.eu": mock.request("GET", "/eu/v1/models", root=True).status,
    }


def tool_facts(mock: MockClient) -> dict[str, Any]:
    """A call forced to the second of two tools; a conversation ending in a tool result; web search."""
    forced = _parsed(mock.chat(tools=_FUNCTIONS, tool_choice={"type": "function", "function": {"name": "b"}}))
    choice = (forced.get("choices") or [{}])[0]
    function = ((choice.get("message") or {}).get("tool_calls") or [{}])[0].get("function") or {}
    call = {"id": "call_1", "type": "function", "function": {"name": "a", "arguments": '{"city": "x"}'}}
    answered = [*_ASK, {"role": "assistant", "content": None, "tool_calls": [call]}]
    answered.append({"role": "tool", "tool_call_id": "call_1", "content": "sunny"})
    searched = (_parsed(mock.chat(tools=[{"type": "web_search"}])).get("choices") or [{}])[0]
    return {
        "tools.forced_name": function.get("name"),
        "tools.args_complete": _has_where(function.get("arguments")),
        "tools.finish_reason": choice.get("finish_reason"),
        "tools.result_status": mock.chat(messages=answered, tools=_FUNCTIONS).status,
        "web.citations": len((searched.get("message") or {}).get("annotations") or []),
    }


def structured_facts(mock: MockClient) -> dict[str, Any]:
    """Chat Completions ``response_format``: json_object and json_schema answers."""

    def content(fmt: dict[str, Any]) -> Any:
        choice = (_parsed(mock.chat(response_format=fmt)).get("choices") or [{}])[0]
        return (choice.get("message") or {}).get("content")

    schema = {"type": "json_schema", "json_schema": {"name": "where", "schema": _WHERE}}
    return {
        "json.object_parses": _object(content({"type": "json_object"})) is not None,
        "json.schema_required": _has_where(content(schema)),
    }


def _responses_stream_facts(mock: MockClient) -> dict[str, Any]:
    """Read by event name, so a payload spoiled by a framing fault does not change them."""
    reply = mock.post("/responses", {"model": PRIMARY, "input": "x", "stream": True})
    named = [(e.event, _object(e.data) or {}) for e in reply.events if e.event != "message"]
    names = [name for name, _ in named]
    done = names.index("response.output_text.done") if "response.output_text.done" in names else len(names)
    deltas = "".join(data.get("delta", "") for name, data in named if name == "response.output_text.delta")
    return {
        "responses.stream_end": names[-1] if names else None,
        "responses.deltas_before_done": "response.output_text.delta" not in names[done:],
        "responses.deltas_are_text": done < len(names) and deltas == named[done][1].get("text"),
    }


def responses_facts(mock: MockClient) -> dict[str, Any]:
    """Non-streamed output items (text, json_schema text, forced function call) and the stream."""

    def output(**body: Any) -> list[dict[str, Any]]:
        return _parsed(mock.post("/responses", {"model": PRIMARY, "input": "x", **body})).get("output") or []

    shaped = output(text={"format": {"type": "json_schema", "name": "where", "schema": _WHERE}})
    called = output(tools=[{"type": "function", "name": "a", "parameters": _WHERE}], tool_choice="required")
    texts = [part.get("text") for item in shaped for part in item.get("content", ())]
    return {
        "responses.output_types": [item.get("type") for item in output()],
        "responses.schema_required": [_has_where(text) for text in texts],
        "responses.function_args": [_has_where(i.get("arguments")) for i in called if "arguments" in i],
        **_responses_stream_facts(mock),
    }


def messages_facts(mock: MockClient) -> dict[str, Any]:
    """One answer cut by max_tokens, plain and streamed (OpenRouter; Requesty answers 404)."""
    body = {"model": CLAUDE, "max_tokens": 3, "messages": _ASK}
    answer = _parsed(mock.post("/messages", body))
    content = answer.get("content")
    blocks = [b.get("type") for b in content] if isinstance(content, list) else type(content).__name__
    streamed = mock.post("/messages", {**body, "stream": True})
    events = streamed.events if streamed.status == 200 else []
    names = [e.event for e in events]
    deltas = [_object(e.data) or {} for e in events if e.event == "message_delta"]
    return {
        "messages.content": blocks,
        "messages.stop_reason": answer.get("stop_reason"),
        "messages.usage": "usage" in answer,
        "messages.usage_counts": [_counts(answer.get("usage")), *(_counts(d.get("usage")) for d in deltas)],
        "messages.stream_end": [name for name in names if name in ("message_delta", "message_stop")],
    }


_COUNTS = ("prompt_tokens", "completion_tokens", "input_tokens", "output_tokens", "total_tokens")


def _counts(usage: Any) -> dict[str, Any] | None:
    """The token counts of a usage block (its cost is another fact's)."""
    return {k: v for k, v in usage.items() if k in _COUNTS} if isinstance(usage, dict) else None


def usage_facts(mock: MockClient) -> dict[str, Any]:
    """The token counts of Responses (an answer cut by max_output_tokens, plain and streamed) and
    embeddings; the chat answer's are in ``chat.body``."""
    body = {"model": PRIMARY, "input": "x", "max_output_tokens": 16}
    plain = _parsed(mock.post("/responses", body))
    ends = [e for e in mock.post("/responses", {**body, "stream": True}).events if e.event != "message"]
    final = (_object(ends[-1].data) or {}).get("response") or {} if ends else {}
    embedded = _parsed(mock.post("/embeddings", {"model": EMBEDDER, "input": ["x"]}))
    return {
        "responses.usage": [
            plain.get("status"),
            plain.get("incomplete_details"),
            _counts(plain.get("usage")),
        ],
        "responses.stream_usage": [
            ends[-1].event if ends else None,
            final.get("incomplete_details"),
            _counts(final.get("usage")),
        ],
        "embeddings.usage_counts": _counts(embedded.get("usage")),
    }
