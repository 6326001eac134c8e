"""Each fault mode breaks exactly its contract point and nothing else.

The mock is observed through a fixed list of facts (the cost in each usage block, the stream's
framing, fallback outcomes, error rendering, auth).  With one fault on, exactly the facts its
registry entry names (``FaultMode.breaks``, per flavor ``breaks_on``) must differ from a
fault-free mock; every other fact must be identical.
The facts of the catalog, vectors, Responses, Messages, tools, structured output and the token
counts of every API are observed in ``fault_facts``.
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
    usage_facts,
    vector_facts,
)

from gatecheck.mock.faults import FAULTS
from gatecheck.sse import decode_all

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient, Reply

PRIMARY, SECONDARY = "openai/gpt-4o", "anthropic/claude-3-5-haiku-20241022"


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
        **usage_facts(mock),
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


def test_every_inference_fault_breaks_a_fact_and_management_faults_none() -> None:
    assert [name for name, mode in FAULTS.items() if mode.plane == "inference" and not mode.breaks] == []
    assert [name for name, mode in FAULTS.items() if mode.plane == "management" and mode.breaks] == []


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
    # a fact the registry names but no function here observes yet is left to the fault's proof
    expected = FAULTS[fault].breaks_on(flavor) & set(baseline)
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
