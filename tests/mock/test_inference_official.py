"""Where the vendors' official documents say more than the seeds, the mock answers as they say.

Each test pins one departure a real client noticed (issue 14).  Where the official OpenRouter
document is at hand (``../shared/real-specs/``), the answers are also validated against its
schemas; without it those checks skip with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
import yaml

if TYPE_CHECKING:
    from conftest import MockClient

TOOL_CALL = {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}
ROUND_TRIP = [
    {"role": "developer", "content": "Answer briefly."},
    {"role": "user", "content": "Look it up."},
    {"role": "assistant", "tool_calls": [TOOL_CALL]},  # no content: what the OpenAI SDKs send
    {"role": "tool", "tool_call_id": "call_1", "content": "42"},
]


Check = Callable[[Any, str], None]


@pytest.fixture(scope="module")
def official(real_specs: Path) -> Check:
    """``official(instance, "SchemaName")`` asserts the instance is valid in OpenRouter's document."""
    text = (real_specs / "openrouter-openapi.yaml").read_text(encoding="utf-8")
    components = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["components"]

    def check(instance: Any, name: str) -> None:
        schema = {"$ref": f"#/components/schemas/{name}", "components": components}
        problems = [
            f"{list(e.absolute_path)}: {e.message}"
            for e in jsonschema.Draft202012Validator(schema).iter_errors(instance)
        ]
        assert not problems, f"not a valid official {name}: {problems[:5]}"

    return check


def test_chat_results_carry_system_fingerprint(mock: MockClient) -> None:
    body = mock.chat().json()
    assert body["system_fingerprint"].startswith("fp_")
    chunks = [d for d in mock.chat(stream=True).data if isinstance(d, dict)]
    assert {c["system_fingerprint"] for c in chunks} == {body["system_fingerprint"]}


@pytest.mark.slow  # loads the 1.4 MB official document
def test_openrouter_chat_result_is_an_official_chat_result(openrouter: MockClient, official: Check) -> None:
    official(openrouter.chat().json(), "ChatResult")


def test_openrouter_models_list_is_an_official_models_list_response(openrouter: MockClient) -> None:
    body = openrouter.get("/models").json()
    assert body["total_count"] == len(body["data"]) and body["links"] == {"next": None}
    assert {"default_parameters", "supported_voices", "links"} <= set(body["data"][0])


@pytest.mark.slow  # loads the 1.4 MB official document
def test_openrouter_catalogs_are_official(openrouter: MockClient, official: Check) -> None:
    official(openrouter.get("/models").json(), "ModelsListResponse")
    zdr = openrouter.get("/endpoints/zdr").json()["data"]
    for entry in zdr:
        official(entry, "PublicEndpoint")
    official(openrouter.get("/embeddings/models").json(), "ModelsListResponse")


def test_messages_errors_use_the_anthropic_envelope(openrouter: MockClient) -> None:
    reply = openrouter.post("/messages", {"model": "anthropic/claude-sonnet-4", "max_tokens": 8})
    assert reply.status == 400
    body = reply.json()
    assert body["type"] == "error" and body["request_id"].startswith("req_")
    assert body["error"]["type"] == "invalid_request_error" and "messages" in body["error"]["message"]
    unauthorized = openrouter.post("/messages", {}, key="wrong")
    assert unauthorized.status == 401 and unauthorized.json()["error"]["type"] == "authentication_error"


@pytest.mark.slow  # loads the 1.4 MB official document
def test_messages_error_is_an_official_anthropic_error(openrouter: MockClient, official: Check) -> None:
    reply = openrouter.post("/messages", {"model": "anthropic/claude-sonnet-4", "max_tokens": 8})
    official(reply.json(), "AnthropicMessagesErrorResponse")


def test_chat_errors_keep_the_openai_envelope(openrouter: MockClient) -> None:
    body = openrouter.post("/chat/completions", {"model": "openai/gpt-4o-mini"}).json()
    assert set(body) == {"error"}


@pytest.mark.parametrize("alias", ["anthropic/claude-sonnet-4", "anthropic/claude-opus-4"])
def test_undated_aliases_route_to_the_dated_model(mock: MockClient, alias: str) -> None:
    reply = mock.chat(model=alias)
    assert reply.status == 200, reply.body
    assert reply.json()["model"].startswith(alias + "-")


def test_aliases_are_not_listed(mock: MockClient) -> None:
    ids = {m["id"] for m in mock.get("/models").json()["data"]}
    assert "anthropic/claude-sonnet-4-20250514" in ids and "anthropic/claude-sonnet-4" not in ids


@pytest.mark.parametrize("name", [{}, 7, None])
def test_responses_tool_choice_with_a_non_string_name_is_400(mock: MockClient, name: Any) -> None:
    tools = [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}]
    choice = {"type": "function", "name": name}
    reply = mock.post(
        "/responses", {"model": "openai/gpt-4o-mini", "input": "hi", "tools": tools, "tool_choice": choice}
    )
    assert reply.status == 400, reply.body
    assert reply.json()["error"]["param"].startswith("tool_choice")


def test_tool_round_trip_with_developer_role_and_no_assistant_content(mock: MockClient) -> None:
    reply = mock.chat(messages=ROUND_TRIP)
    assert reply.status == 200, reply.body
    assert "42" in reply.json()["choices"][0]["message"]["content"]


@pytest.mark.parametrize(
    "message",
    [
        {"role": "user", "content": None},
        {"role": "user"},
        {"role": "assistant"},  # neither content nor tool_calls
        {"role": "assistant", "content": None},
    ],
)
def test_content_may_be_missing_or_null_only_beside_tool_calls(mock: MockClient, message: Any) -> None:
    reply = mock.chat(messages=[message])
    assert reply.status == 400, reply.body
    assert reply.json()["error"]["param"].startswith("messages[0]")
