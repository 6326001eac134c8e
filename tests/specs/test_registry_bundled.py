"""The bundled specs: vendor sources kept as published, and contracts that accept real answers.

Responses are checked with schemathesis' own response validation (the checks run it the same
way), so these tests also pin that the event-stream schemas work the way schemathesis 4 reads them.
"""

from __future__ import annotations

import functools
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import yaml

from gatecheck.specs.lap import compile_lap
from gatecheck.specs.oas import iter_operations
from gatecheck.specs.registry import LoadedSpec, load_spec
from gatecheck.specs.validation import validate_openapi

ROOT = Path(__file__).parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")
ERROR_CODES = ["400", "401", "402", "403", "404", "413", "429", "500", "502", "503"]
ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}

# The response of 002_7123e9f51bbebd00.txt, verbatim.
REQUESTY_EXAMPLE = {
    "id": "chatcmpl-abc123def456",
    "object": "chat.completion",
    "created": 1748200000,
    "model": "openai/gpt-4o-mini",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "An LLM gateway is a unified API layer."},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 24, "completion_tokens": 52, "total_tokens": 76, "cost": 0.000038},
}


def chunk(**fields: Any) -> dict[str, Any]:
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    return {**base, "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}], **fields}


def sse(*events: Any, comments: tuple[str, ...] = ()) -> str:
    lines = [f": {c}\n\n" for c in comments]
    for event in events:
        name, data = event if isinstance(event, tuple) else (None, event)
        text = data if isinstance(data, str) else json.dumps(data)
        lines.append((f"event: {name}\n" if name else "") + f"data: {text}\n\n")
    return "".join(lines)


@functools.cache
def spec(name: str) -> LoadedSpec:
    return load_spec(name)


@functools.cache
def schema(name: str) -> Any:
    return schemathesis.openapi.from_dict(spec(name).document)


def check(name: str, path: str, method: str, body: Any, *, status: int = 200, stream: bool = False) -> None:
    """Raise schemathesis' failure when ``body`` breaks the contract of ``name``."""
    content = body.encode() if stream else json.dumps(body).encode()
    media = "text/event-stream" if stream else "application/json"
    request = httpx.Request(method, f"http://t{path}")
    response = httpx.Response(status, headers={"content-type": media}, content=content, request=request)
    response.elapsed = timedelta(0)  # normally set by the transport when the body is read
    schema(name)[path][method].validate_response(response)


def violation(name: str, path: str, method: str, body: Any, **options: Any) -> str:
    """The failure message schemathesis gives for ``body`` (the test fails if there is none)."""
    with pytest.raises(AssertionError) as caught:
        check(name, path, method, body, **options)
    return str(caught.value)


# ----------------------------------------------------------------------------- sources


@pytest.mark.parametrize(("name", "count"), [("requesty", 10), ("openrouter", 39), ("openai", 3)])
def test_contract_documents_are_valid_openapi_31(name: str, count: int) -> None:
    loaded = spec(name)
    assert loaded.document["openapi"] == "3.1.0"
    assert loaded.operation_count == count
    assert validate_openapi(loaded.document, label=name) == ()


def test_requesty_source_is_the_vendor_document_unchanged() -> None:
    loaded = spec("requesty")
    assert loaded.raw == yaml.safe_load((ROOT / "specs/requesty/openapi.yaml").read_text(encoding="utf-8"))
    assert loaded.raw["openapi"] == "3.0.1"
    assert validate_openapi(loaded.raw, label="requesty") == ()


@needs_seeds
def test_requesty_rebuild_keeps_every_line_of_the_seed_in_order() -> None:
    seed = (SEEDS / "000_b6ba2196e0d4bef2.txt").read_text(encoding="utf-8").splitlines()
    seed = seed[next(i for i, line in enumerate(seed) if line.startswith("openapi:")) :]
    ours = (ROOT / "specs/requesty/openapi.yaml").read_text(encoding="utf-8").splitlines()
    assert [line.strip() for line in ours if line.strip()] == [line.strip() for line in seed if line.strip()]


@needs_seeds
def test_openrouter_source_is_the_seed_byte_for_byte() -> None:
    assert (ROOT / "specs/openrouter/openrouter.lap").read_bytes() == (
        SEEDS / "003_c49cfe1897ffd489.txt"
    ).read_bytes()


def test_openrouter_raw_is_the_compiled_lap() -> None:
    lap = ROOT / "specs/openrouter/openrouter.lap"
    assert spec("openrouter").raw == compile_lap(lap.read_text(encoding="utf-8"), filename=str(lap))


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize("name", ["requesty", "openai"])
def test_every_operation_declares_the_error_envelope_and_no_default(name: str) -> None:
    for method, path, operation in iter_operations(spec(name).document):
        responses = operation["responses"]
        assert "default" not in responses, (method, path)
        for code in ERROR_CODES:
            assert responses[code]["content"]["application/json"]["schema"] == ERROR_REF, (method, path, code)


def test_openrouter_error_statuses_all_use_the_envelope() -> None:
    for _, _, operation in iter_operations(spec("openrouter").document):
        for code, response in operation["responses"].items():
            if not code.startswith("2"):
                assert response["content"]["application/json"]["schema"] == ERROR_REF


@pytest.mark.parametrize(
    "body",
    [
        {"error": {"message": "bad", "type": "invalid_request_error", "param": None, "code": None}},
        {"error": {"message": "no credits", "code": 402}},
    ],
)
def test_requesty_accepts_openai_style_errors(body: dict[str, Any]) -> None:
    check("requesty", "/chat/completions", "POST", body, status=400)


def test_an_error_without_message_breaks_the_contract() -> None:
    message = violation("requesty", "/models", "GET", {"error": {"code": 500}}, status=500)
    assert '"message" is a required property' in message


# ----------------------------------------------------------------------------- chat


@pytest.mark.parametrize("name", ["requesty", "openai"])
def test_the_documented_example_response_conforms(name: str) -> None:
    check(name, "/chat/completions", "POST", REQUESTY_EXAMPLE)


def test_a_tool_call_answer_with_null_content_conforms() -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    body = json.loads(json.dumps(REQUESTY_EXAMPLE))
    body["choices"][0].update(message={"role": "assistant", "content": None, "tool_calls": [call]})
    body["choices"][0]["finish_reason"] = "tool_calls"
    check("requesty", "/chat/completions", "POST", body)


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda b: b.pop("created"), '"created" is a required property'),
        (lambda b: b.update(object="chat.completion.chunk"), '"chat.completion" was expected'),
        (lambda b: b["choices"][0]["message"].update(role="user"), '"assistant" was expected'),
        (lambda b: b["usage"].update(cost=-0.01), "-0.01 is less than the minimum of 0"),
        (lambda b: b["usage"].pop("total_tokens"), '"total_tokens" is a required property'),
    ],
    ids=["no-created", "wrong-object", "user-role", "negative-cost", "no-total-tokens"],
)
def test_requesty_chat_breakages_are_caught(breakage: Any, expected: str) -> None:
    body = json.loads(json.dumps(REQUESTY_EXAMPLE))
    breakage(body)
    assert expected in violation("requesty", "/chat/completions", "POST", body)


def test_openrouter_chat_usage_reports_cost() -> None:
    body = json.loads(json.dumps(REQUESTY_EXAMPLE))
    body["choices"][0]["message"]["reasoning"] = None
    body["usage"]["is_byok"] = False
    check("openrouter", "/chat/completions", "POST", body)
    del body["usage"]["cost"]
    assert '"cost" is a required property' in violation("openrouter", "/chat/completions", "POST", body)


USAGE = {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5, "cost": 0.0001}


@pytest.mark.parametrize("name", ["requesty", "openrouter", "openai"])
def test_a_stream_with_a_final_usage_chunk_conforms(name: str) -> None:
    stream = sse(
        chunk(choices=[{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]),
        chunk(usage=None),
        chunk(choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}]),
        chunk(choices=[], usage=USAGE),
        "[DONE]",
        comments=("OPENROUTER PROCESSING",),
    )
    check(name, "/chat/completions", "POST", stream, stream=True)


@pytest.mark.parametrize(
    "bad",
    [
        {k: v for k, v in chunk().items() if k != "id"},
        chunk(object="chat.completion"),
        chunk(choices=[{"index": 0, "delta": {"tool_calls": [{"id": "x"}]}}]),
        chunk(usage={"prompt_tokens": 1}),
        "not json",
    ],
    ids=["no-id", "wrong-object", "tool-call-without-index", "partial-usage", "not-json"],
)
@pytest.mark.parametrize("name", ["requesty", "openrouter"])
def test_stream_breakages_are_caught(name: str, bad: Any) -> None:
    message = violation(name, "/chat/completions", "POST", sse(chunk(), bad, "[DONE]"), stream=True)
    assert message.startswith("SSE event violates schema") and "Event #1" in message


def test_request_ranges_stated_in_prose_are_in_the_schema() -> None:
    properties = spec("requesty").document["components"]["schemas"]["CreateChatCompletionRequest"][
        "properties"
    ]
    assert (properties["temperature"]["minimum"], properties["temperature"]["maximum"]) == (0, 2)
    assert (properties["top_p"]["minimum"], properties["top_p"]["maximum"]) == (0, 1)
    assert properties["max_tokens"]["minimum"] == 1
    assert properties["stream_options"]["properties"]["include_usage"] == {"type": "boolean"}
    assert {"stop", "seed", "max_completion_tokens"} <= properties.keys()


# ----------------------------------------------------------------------------- OpenRouter extras

RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1748200000,
    "status": "completed",
    "model": "openai/gpt-4o-mini",
    "output": [
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "hi", "annotations": []}],
        }
    ],
    "usage": {"input_tokens": 3, "output_tokens": 1, "total_tokens": 4, "cost": 0.00001},
}
MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "content": [{"type": "text", "text": "hi"}],
    "model": "anthropic/claude-sonnet-4",
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 3, "output_tokens": 1},
}


def test_responses_body_and_stream_conform() -> None:
    check("openrouter", "/responses", "POST", RESPONSE)
    started = {**RESPONSE, "status": "in_progress", "output": [], "usage": None}
    stream = sse(
        ("response.created", {"type": "response.created", "sequence_number": 0, "response": started}),
        (
            "response.output_text.delta",
            {"type": "response.output_text.delta", "sequence_number": 1, "delta": "hi"},
        ),
        ("response.completed", {"type": "response.completed", "sequence_number": 2, "response": RESPONSE}),
    )
    check("openrouter", "/responses", "POST", stream, stream=True)


def test_a_completed_response_event_without_usage_breaks_the_contract() -> None:
    done = {"type": "response.completed", "response": {**RESPONSE, "usage": None}}
    # The same event with its usage conforms (test above); schemathesis reports the anyOf, not why.
    message = violation("openrouter", "/responses", "POST", sse(done), stream=True)
    assert message.startswith("SSE event violates schema\n\nEvent #0")


def test_messages_body_and_stream_conform() -> None:
    check("openrouter", "/messages", "POST", MESSAGE)
    start = {**MESSAGE, "content": [], "stop_reason": None}
    stream = sse(
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
        ),
        ("ping", {"type": "ping"}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"text": "hi"}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {}}),
        ("message_stop", {"type": "message_stop"}),
    )
    check("openrouter", "/messages", "POST", stream, stream=True)


def test_a_messages_stream_without_event_names_breaks_the_contract() -> None:
    message = violation("openrouter", "/messages", "POST", sse({"type": "message_stop"}), stream=True)
    assert '"message" is not one of "message_start"' in message


def test_guardrail_data_has_a_schema() -> None:
    guardrail = {
        "id": "0b5c4f8e-6a53-4c7e-9d55-3f1f2b6c2f10",
        "name": "g",
        "created_at": "2026-01-01T00:00:00Z",
    }
    check("openrouter", "/guardrails", "POST", {"data": guardrail}, status=201)
    message = violation("openrouter", "/guardrails", "POST", {"data": {"name": "g"}}, status=201)
    assert '"id" is a required property' in message


# ----------------------------------------------------------------------------- links and keys


def links(name: str, path: str, method: str, status: str) -> dict[str, tuple[str, dict[str, str]]]:
    found = spec(name).document["paths"][path][method]["responses"][status]["links"]
    return {key: (link["operationId"], link["parameters"]) for key, link in found.items()}


def test_requesty_key_lifecycle_links() -> None:
    by_id = {"key_id": "$response.body#/id"}
    assert links("requesty", "/api-keys", "post", "200") == {
        "GetApiKey": ("getApiKey", by_id),
        "GetApiKeyUsage": ("getApiKeyUsage", by_id),
        "UpdateApiKeyLimit": ("updateApiKeyLimit", by_id),
        "DeleteApiKey": ("deleteApiKey", by_id),
    }
    assert links("requesty", "/api-keys/{key_id}", "delete", "200") == {
        "GetDeletedApiKey": ("getApiKey", {"key_id": "$request.path.key_id"})
    }


def test_openrouter_lifecycle_links() -> None:
    by_hash = {"hash": "$response.body#/data/hash"}
    assert links("openrouter", "/keys", "post", "201") == {
        "GetKey": ("getKeysByHash", by_hash),
        "UpdateKey": ("patchKeysByHash", by_hash),
        "DeleteKey": ("deleteKeysByHash", by_hash),
    }
    guardrail_links = links("openrouter", "/guardrails", "post", "201")
    assert len(guardrail_links) == 9
    assert all(params == {"id": "$response.body#/data/id"} for _, params in guardrail_links.values())
    assert (
        links("openrouter", "/guardrails/{id}", "delete", "200")["GetDeletedGuardrail"][0]
        == "getGuardrailsById"
    )


def test_requesty_create_key_must_return_the_secret_but_reads_need_not() -> None:
    stored = {"id": "k1", "name": "ci"}
    check("requesty", "/api-keys/{key_id}", "GET", stored)
    check("requesty", "/api-keys", "POST", {**stored, "key": "sk-secret"})
    assert '"key" is a required property' in violation("requesty", "/api-keys", "POST", stored)


def test_openai_subset_has_no_management_and_no_cost() -> None:
    document = spec("openai").document
    assert list(document["paths"]) == ["/chat/completions", "/embeddings", "/models"]
    assert '"cost"' not in json.dumps(document)
    assert document["components"]["schemas"]["CreateChatCompletionRequest"]["required"] == [
        "model",
        "messages",
    ]


def test_openrouter_unlimited_keys_have_a_null_limit() -> None:
    key = {"hash": "h", "name": "n", "label": "sk-or-v1-abc...xyz", "disabled": False, "limit": None}
    key |= {"limit_remaining": None, "include_byok_in_limit": False, "created_at": "2026-01-01T00:00:00Z"}
    key |= {name: 0 for name in ("usage", "usage_daily", "usage_weekly", "usage_monthly")}
    key |= {f"byok_{name}": 0 for name in ("usage", "usage_daily", "usage_weekly", "usage_monthly")}
    check("openrouter", "/keys/{hash}", "GET", {"data": key})
    assert '"limit" is a required property' in violation(
        "openrouter", "/keys/{hash}", "GET", {"data": {k: v for k, v in key.items() if k != "limit"}}
    )
