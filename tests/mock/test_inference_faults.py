"""Each fault mode breaks exactly its contract point and nothing else.

The mock is observed through a fixed list of facts (the cost in each usage block, the stream's
framing, fallback outcomes, error rendering, auth).  With one fault on, exactly the facts the
fault names must differ from a fault-free mock; every other fact must be identical.  A new
fault mode fails :func:`test_every_fault_mode_has_an_expectation` until it is described here.
The facts of the catalog, vectors, Responses, Messages, tools and structured output are observed
in ``fault_facts``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from fault_facts import (
    catalog_facts,
    messages_facts,
    request_facts,
    responses_facts,
    structured_facts,
    tool_facts,
    vector_facts,
)

from gatecheck.mock.faults import FAULTS
from gatecheck.sse import decode_all

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient, Reply

PRIMARY, SECONDARY = "openai/gpt-4o", "anthropic/claude-3-5-haiku-20241022"
COSTS = {"chat.cost", "stream.usage_cost", "embeddings.cost", "responses.cost", "fallback.cost"}

EXPECTED: dict[str, set[str]] = {
    "omit-usage-cost": COSTS,
    "wrong-cost": COSTS,
    "no-done-sentinel": {"stream.done"},
    "data-not-json": {"stream.json", "stream.text"},  # the spoiled payload's token is lost to a client
    "usage-chunk-has-choices": {"stream.usage_chunk_choices"},
    "duplicate-usage-chunk": {"stream.usage_chunks"},
    "buffered-stream": {"stream.writes"},
    "no-fallback": {"fallback.status", "fallback.model", "fallback.cost"},
    "wrong-model-reported": {"fallback.model"},
    "error-as-200": {"upstream.status"},
    "no-retry-after": {"ratelimit.retry_after"},
    "retry-after-negative": {"ratelimit.retry_after"},
    "retry-after-not-a-number": {"ratelimit.retry_after"},
    "usage-total-mismatch": {"chat.body"},
    # an answer not cut runs on: the stream (max_tokens 12) is longer and costs more
    "max-tokens-ignored": {"chat.cut_finish", "chat.cut_tokens", "stream.text", "stream.usage_cost"},
    "finish-reason-not-length": {"chat.cut_finish"},
    "negative-token-count": {"chat.body"},
    "fractional-token-count": {"chat.body", "chat.cut_tokens"},  # both report completion_tokens
    "bad-error-envelope": {"error.envelope", "upstream.envelope", "ratelimit.envelope"},
    "auth-not-enforced": {"auth.status"},
    "fallback-cost-at-primary-price": {"fallback.cost"},
    "fallback-ignores-allow-fallbacks": {"strict.answered"},
    "wrong-content-type": {"stream.content_type"},
    "comment-as-data": {"stream.json", "stream.comments_as_data"},
    "content-after-done": {"stream.done", "stream.after_done", "stream.text"},  # the late chunk's text
    "role-missing": {"stream.role"},
    "chunk-id-changes": {"stream.ids"},
    "finish-reason-twice": {"stream.finish_reasons"},
    "deltas-differ": {"stream.text"},
    "stream-tool-call-no-index": {"tool.indexed"},
    "stream-cut-no-error-event": {"cut.error_event"},
    "wrong-status-on-bad-json": {"error.bad_json_status"},
    "missing-messages-accepted": {"error.no_messages_status"},
    "unknown-model-200": {"error.status", "error.envelope", "error.names_model"},
    "vague-error-messages": {"error.names_model"},
    "no-usage-on-embeddings": {"embeddings.cost", "embeddings.usage"},
    "duplicate-model-ids": {"catalog.ids_unique"},
    "negative-price": {"catalog.first_price"},
    "bad-context-window": {"catalog.first_context"},
    "regions-missing": {"catalog.regions"},
    "listed-model-unservable": {"catalog.last_chat"},
    "filter-ignored": {"catalog.filtered"},
    "count-mismatch": {"catalog.count_agrees"},
    "embeddings-out-of-order": {"embeddings.second"},
    "wrong-embedding-dimension": {"embeddings.lengths"},
    "dimensions-ignored": {"embeddings.shortened"},
    "nan-in-embedding": {"embeddings.finite"},
    "empty-input-accepted": {"embeddings.empty_status"},
    # the base facts embed a plain string, so they lose their usage too
    "string-input-refused": {"embeddings.string_status", "embeddings.cost", "embeddings.usage"},
    "rerank-unsorted": {"rerank.sorted"},
    "rerank-index-off-by-one": {"rerank.indices"},
    "top-n-ignored": {"rerank.top_count"},
    "no-usage-on-rerank": {"rerank.usage"},
    "pdf-refused": {"parts.pdf"},
    "image-refused": {"parts.image"},
    "unsupported-part-accepted": {"parts.unknown"},
    "analytics-headers-refused": {"headers.status"},
    "headers-echoed-in-errors": {"headers.echoed"},
    "default-model-ignored": {"default.model"},
    "eu-region-unserved": {"region.eu"},
    # an empty output also loses the structured answer and the function call read from it
    "responses-missing-output": {
        "responses.output_types",
        "responses.schema_required",
        "responses.function_args",
    },
    "responses-no-completed-event": {"responses.stream_end"},
    "responses-events-out-of-order": {"responses.deltas_before_done"},
    "responses-delta-dropped": {"responses.deltas_are_text"},
    "responses-bad-function-args": {"responses.function_args"},
    "responses-schema-ignored": {"responses.schema_required"},
    "messages-content-not-blocks": {"messages.content"},
    "messages-bad-stop-reason": {"messages.stop_reason"},
    "messages-missing-usage": {"messages.usage"},
    "messages-events-out-of-order": {"messages.stream_end"},
    "tool-choice-ignored": {"tools.forced_name"},
    "tool-args-invalid": {"tools.args_complete"},
    "wrong-finish-reason-for-tools": {"tools.finish_reason"},
    "tool-result-rejected": {"tools.result_status"},
    "web-search-no-citations": {"web.citations"},
    "json-mode-invalid": {"json.object_parses"},
    "json-schema-violated": {"json.schema_required"},
    # management-plane faults must leave every inference fact alone
    "deleted-key-still-valid": set(),
    "expired-key-still-valid": set(),
    "limit-not-enforced": set(),
    "key-value-in-get": set(),
    "usage-not-recorded": set(),
    "stale-limit-remaining": set(),
    "disabled-key-still-valid": set(),
    "delete-twice-200": set(),
    "management-key-can-infer": set(),
    "get-ignores-set-fields": set(),
    "inference-key-manages": set(),
    "guardrail-not-enforced": set(),
    "guardrail-limit-not-enforced": set(),
    "guardrail-unassign-ignored": set(),
    "guardrail-update-ignored": set(),
    "guardrail-assign-miscount": set(),
    "access-list-ignored": set(),
    "pkce-verifier-not-checked": set(),
    "pkce-code-reusable": set(),
    "pkce-key-unusable": set(),
    "credits-usage-stale": set(),
    "credits-total-negative": set(),
}
# Where a flavor differs: Requesty has no allow_fallbacks (its fallbacks are policies), so that
# fault has nothing to break there, and its "strict" probe is an ordinary provider fallback,
# which no-fallback stops.
PER_FLAVOR: dict[tuple[str, str], set[str]] = {
    ("requesty", "fallback-ignores-allow-fallbacks"): set(),
    ("requesty", "no-fallback"): EXPECTED["no-fallback"] | {"strict.answered"},
    ("requesty", "comment-as-data"): set(),  # Requesty sends no keep-alive comment to spoil
    # OpenRouter has no regions; Requesty's catalog has no filters or count, no /rerank, no /messages
    ("openrouter", "regions-missing"): set(),
    ("openrouter", "eu-region-unserved"): set(),
    ("requesty", "filter-ignored"): set(),
    ("requesty", "count-mismatch"): set(),
    **{
        ("requesty", fault): set()
        for fault in ("rerank-unsorted", "rerank-index-off-by-one", "top-n-ignored", "no-usage-on-rerank")
    },
    **{
        ("requesty", fault): set()
        for fault in (
            "messages-content-not-blocks",
            "messages-bad-stop-reason",
            "messages-missing-usage",
            "messages-events-out-of-order",
        )
    },
}


def _parsed(reply: Reply) -> Any:
    try:
        return reply.json()
    except ValueError:
        return {}


def _is_envelope(reply: Reply) -> bool:
    try:
        return isinstance(reply.json()["error"]["message"], str)
    except (ValueError, KeyError, TypeError):
        return False


def _stream_facts(mock: MockClient) -> dict[str, Any]:
    reply = mock.chat(seed=5, max_tokens=12, stream=True, stream_options={"include_usage": True})
    raw = [e.data for e in reply.events]
    parsed = []
    for data in raw[:-1] if raw[-1] == "[DONE]" else raw:
        try:
            parsed.append(json.loads(data))
        except ValueError:
            continue
    usage = [c for c in parsed if c.get("usage")]
    after_done = raw[raw.index("[DONE]") + 1 :] if "[DONE]" in raw else []
    return {
        "stream.content_type": reply.headers.get("content-type"),
        "stream.role": parsed[0]["choices"][0]["delta"].get("role") if parsed else None,
        "stream.ids": len({c.get("id") for c in parsed}),
        "stream.finish_reasons": sum(
            1 for c in parsed if c["choices"] and not c.get("usage") and c["choices"][0].get("finish_reason")
        ),
        "stream.after_done": len(after_done),
        "stream.comments_as_data": sum(1 for d in raw if d.startswith(":")),
        "stream.done": raw[-1] == "[DONE]",
        "stream.json": len(parsed) == len([d for d in raw if d != "[DONE]"]),
        "stream.text": "".join(c["choices"][0]["delta"].get("content") or "" for c in parsed if c["choices"]),
        "stream.usage_chunks": len(usage),
        "stream.usage_chunk_choices": usage[0]["choices"] if usage else None,
        "stream.usage_cost": usage[0]["usage"].get("cost") if usage else None,
        "stream.writes": len(reply.writes) == len(decode_all(reply.body)[0]),  # one write per event
    }


def _json_payloads(reply: Reply) -> list[Any]:
    parsed = []
    for event in reply.events:
        try:
            parsed.append(json.loads(event.data))
        except ValueError:
            continue
    return parsed


def _tool_and_cut_facts(mock: MockClient) -> dict[str, Any]:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    called = mock.chat(stream=True, tools=[tool], tool_choice={"type": "function", "function": {"name": "f"}})
    fragments = [
        call
        for chunk in _json_payloads(called)
        if chunk.get("choices")
        for call in chunk["choices"][0]["delta"].get("tool_calls") or []
    ]
    mock.plan({"model": "openai/gpt-4o-mini", "failure": "cut-mid-stream", "count": 1})
    cut = _json_payloads(mock.chat(seed=5, stream=True))
    mock.plan()
    return {
        "tool.indexed": bool(fragments) and all("index" in call for call in fragments),
        "cut.error_event": any("error" in chunk for chunk in cut),
    }


def _fallback_facts(mock: MockClient) -> dict[str, Any]:
    mock.plan({"model": PRIMARY, "failure": 502})
    model = "policy/p" if mock.flavor == "requesty" else PRIMARY
    reply = mock.chat(model=model, models=[SECONDARY])
    ok = reply.status == 200 and _is_envelope(reply) is False
    mock.plan({"model": PRIMARY, "provider": "openai", "failure": 502})
    strict = mock.chat(model=PRIMARY, provider={"allow_fallbacks": False})
    mock.plan({"model": "*", "failure": 502})
    upstream = mock.chat(model=PRIMARY)
    mock.plan()
    return {
        "fallback.status": reply.status,
        "fallback.model": reply.json()["model"] if ok else None,
        "fallback.cost": reply.json()["usage"].get("cost") if ok else None,
        "strict.answered": "choices" in _parsed(strict),
        "upstream.status": upstream.status,
        "upstream.envelope": _is_envelope(upstream),
    }


def _retry_after_kind(value: str | None) -> str | None:
    return "delay-seconds" if value is not None and value.isdigit() else value


def _facts(make_mock: MakeMock, flavor: str, faults: set[str]) -> dict[str, Any]:
    mock = make_mock(flavor, faults=set(faults), fallback_policies={"p": [PRIMARY, SECONDARY]})
    chat = mock.chat(seed=5).json()
    embedded = mock.post("/embeddings", {"model": "openai/text-embedding-3-small", "input": "x"}).json()
    cut = mock.chat(seed=5, max_tokens=3).json()
    facts: dict[str, Any] = {
        "chat.cut_finish": cut["choices"][0]["finish_reason"],
        "chat.cut_tokens": cut["usage"]["completion_tokens"],
        "chat.cost": chat["usage"].get("cost"),
        "chat.body": {**chat, "id": None, "created": None, "usage": {**chat["usage"], "cost": None}},
        "embeddings.cost": embedded.get("usage", {}).get("cost"),
        "embeddings.usage": "usage" in embedded,
        "responses.cost": mock.post("/responses", {"model": PRIMARY, "input": "x"})
        .json()["usage"]
        .get("cost"),
        **_stream_facts(mock),
        **_tool_and_cut_facts(mock),
        **_fallback_facts(mock),
        **catalog_facts(mock),
        **vector_facts(mock),
        **request_facts(mock),
        **responses_facts(mock),
        **messages_facts(mock),
        **tool_facts(mock),
        **structured_facts(mock),
    }
    unknown = mock.chat(model="acme/none")
    facts.update({"error.status": unknown.status, "error.envelope": _is_envelope(unknown)})
    facts["error.names_model"] = "acme/none" in unknown.body.decode()
    facts["error.bad_json_status"] = mock.post("/chat/completions", raw=b'{"messages": [').status
    facts["error.no_messages_status"] = mock.post("/chat/completions", {"model": "openai/gpt-4o-mini"}).status
    facts["auth.status"] = mock.post(
        "/chat/completions", {"messages": [{"role": "user", "content": "x"}]}, key=None
    ).status
    limited = make_mock(flavor, faults=set(faults), rate_limit=1)
    limited.chat()
    refused = limited.chat()
    facts.update(
        {
            "ratelimit.status": refused.status,
            # delay-seconds as a kind (the count depends on the window), anything else as sent
            "ratelimit.retry_after": _retry_after_kind(refused.headers.get("retry-after")),
            "ratelimit.envelope": _is_envelope(refused),
        }
    )
    return facts


def test_every_fault_mode_has_an_expectation() -> None:
    assert set(EXPECTED) == set(FAULTS)
    assert all(EXPECTED[name] for name, mode in FAULTS.items() if mode.plane == "inference")
    assert all(not EXPECTED[name] for name, mode in FAULTS.items() if mode.plane == "management")


@pytest.fixture(scope="module")
def baselines(module_mock_factory: MakeMock) -> dict[str, dict[str, Any]]:
    """The facts of a fault-free mock, per flavor (deterministic, so computed once)."""
    return {flavor: _facts(module_mock_factory, flavor, set()) for flavor in ("requesty", "openrouter")}


@pytest.mark.parametrize("flavor", ["requesty", "openrouter"])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_changes_exactly_its_point(
    make_mock: MakeMock, baselines: dict[str, dict[str, Any]], flavor: str, fault: str
) -> None:
    baseline = baselines[flavor]
    broken = _facts(make_mock, flavor, {fault})
    changed = {name for name in baseline if baseline[name] != broken[name]}
    expected = PER_FLAVOR.get((flavor, fault), EXPECTED[fault])
    assert changed == expected, {name: (baseline[name], broken[name]) for name in changed ^ expected}


def test_fault_values(make_mock: MakeMock) -> None:
    """Spot checks of what the broken facts become, beyond "different"."""
    clean = _facts(make_mock, "openrouter", set())
    assert clean["stream.writes"] is True and clean["stream.usage_chunk_choices"] == []
    assert clean["fallback.model"] == SECONDARY and clean["strict.answered"] is False
    wrong = _facts(make_mock, "openrouter", {"wrong-cost"})
    assert wrong["chat.cost"] == pytest.approx(10 * clean["chat.cost"])
    omitted = _facts(make_mock, "openrouter", {"omit-usage-cost"})
    assert omitted["chat.cost"] is None and omitted["stream.usage_cost"] is None
    assert _facts(make_mock, "openrouter", {"buffered-stream"})["stream.writes"] is False
    assert _facts(make_mock, "openrouter", {"fallback-ignores-allow-fallbacks"})["strict.answered"] is True
    primary_priced = _facts(make_mock, "openrouter", {"fallback-cost-at-primary-price"})["fallback.cost"]
    assert primary_priced > clean["fallback.cost"]  # gpt-4o costs more than claude-3.5-haiku
    assert _facts(make_mock, "requesty", {"error-as-200"})["upstream.status"] == 200
    assert _facts(make_mock, "requesty", {"wrong-model-reported"})["fallback.model"] == "policy/p"


def test_newer_fault_values(make_mock: MakeMock, baselines: dict[str, dict[str, Any]]) -> None:
    """The fault-free mock gets the newer points right, and a few faults break them as described."""
    clean = baselines["openrouter"]
    assert clean["responses.stream_end"] == "response.completed"
    assert clean["responses.output_types"] == ["message"]
    assert clean["messages.content"] == ["text"] and clean["messages.stop_reason"] == "max_tokens"
    assert clean["tools.forced_name"] == "b" and clean["tools.finish_reason"] == "tool_calls"
    assert clean["web.citations"] > 0 and clean["rerank.indices"] == [0, 1, 2]
    right = ("tools.args_complete", "json.object_parses", "json.schema_required", "responses.deltas_are_text")
    assert all(clean[name] is True for name in right)
    # the facts are independent (test_fault_changes_exactly_its_point), so one mock can hold several faults
    broken = make_mock(
        "openrouter", faults={"messages-bad-stop-reason", "tool-choice-ignored", "tool-result-rejected"}
    )
    assert messages_facts(broken)["messages.stop_reason"] == "length"
    tools = tool_facts(broken)
    assert tools["tools.forced_name"] == "a" and tools["tools.result_status"] == 400
    cut = make_mock("openrouter", faults={"responses-no-completed-event", "responses-bad-function-args"})
    answered = responses_facts(cut)
    assert answered["responses.stream_end"] == "response.output_item.done"
    assert answered["responses.function_args"] == [False]
