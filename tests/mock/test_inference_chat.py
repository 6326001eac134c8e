"""POST /chat/completions, answered in JSON: content, tokens, tools, formats, cost, validation."""

from __future__ import annotations

import base64
import json
import math
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from gatecheck.mock.catalog import default_catalog
from gatecheck.mock.inference import tokens

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient

USER = [{"role": "user", "content": "What is an LLM gateway?"}]

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "required": ["city", "days", "unit"],
            "properties": {
                "city": {"type": "string", "minLength": 2},
                "days": {"type": "integer", "minimum": 1, "maximum": 14},
                "unit": {"enum": ["celsius", "fahrenheit"]},
                "detail": {"type": "boolean"},
            },
            "additionalProperties": False,
        },
    },
}


def _content(reply: Any) -> str:
    return reply.json()["choices"][0]["message"]["content"]


def test_answer_is_deterministic_and_depends_on_input_and_seed(mock: MockClient) -> None:
    first, again = mock.chat(seed=7), mock.chat(seed=7)
    assert first.status == again.status == 200
    assert _content(first) == _content(again)
    assert _content(mock.chat(seed=8)) != _content(first)
    other = mock.chat(seed=7, messages=[{"role": "user", "content": "Something else entirely"}])
    assert _content(other) != _content(first)
    assert "What is an LLM gateway?" in _content(first)


def test_completion_tokens_count_the_answer_and_usage_adds_up(mock: MockClient) -> None:
    usage = mock.chat().json()["usage"]
    content = _content(mock.chat())
    assert usage["completion_tokens"] == tokens.count(content)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    longer = mock.chat(messages=[{"role": "user", "content": "What is an LLM gateway? " * 20}]).json()[
        "usage"
    ]
    assert longer["prompt_tokens"] > usage["prompt_tokens"]


def test_cost_is_priced_from_the_catalog(mock: MockClient) -> None:
    for model_id in ("openai/gpt-4o-mini", "anthropic/claude-sonnet-4-20250514"):
        usage = mock.chat(model=model_id).json()["usage"]
        model = default_catalog().get(model_id)
        assert model is not None
        expected = (
            usage["prompt_tokens"] * model.input_price / 1e6
            + usage["completion_tokens"] * model.output_price / 1e6
        )
        assert math.isclose(usage["cost"], expected, rel_tol=1e-9), (model_id, usage)


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_token_limit_truncates_with_finish_reason_length(mock: MockClient, field: str) -> None:
    body = mock.chat(**{field: 5}).json()
    assert body["choices"][0]["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 5
    assert tokens.count(body["choices"][0]["message"]["content"]) == 5
    assert mock.chat().json()["choices"][0]["finish_reason"] == "stop"


def test_stop_sequence_cuts_the_answer_before_it(mock: MockClient) -> None:
    full = _content(mock.chat(seed=3))
    word = full.split()[6]
    cut = mock.chat(seed=3, stop=[word]).json()
    assert cut["choices"][0]["finish_reason"] == "stop"
    assert cut["choices"][0]["message"]["content"] == full[: full.index(word)]
    assert _content(mock.chat(seed=3, stop=word)) == full[: full.index(word)]


def test_requesty_serves_the_profile_default_model(requesty: MockClient) -> None:
    reply = requesty.post("/chat/completions", {"messages": USER})
    assert reply.status == 200
    assert reply.json()["model"] == "openai/gpt-4o-mini"


def test_openrouter_without_model_uses_models_or_the_account_default(openrouter: MockClient) -> None:
    fallback_first = openrouter.post("/chat/completions", {"messages": USER, "models": ["x-ai/grok-3"]})
    assert fallback_first.json()["model"] == "x-ai/grok-3"
    assert openrouter.post("/chat/completions", {"messages": USER}).json()["model"] == "openai/gpt-4o-mini"


def test_content_parts_text_image_and_pdf(requesty: MockClient) -> None:
    pdf = "data:application/pdf;base64," + base64.b64encode(b"%PDF-1.4 mock").decode()
    parts = [
        {"type": "text", "text": "Summarize this PDF"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "input_file", "filename": "document.pdf", "file_data": pdf},
        {"type": "input_file", "filename": "document.pdf", "file_data": "https://example.com/document.pdf"},
    ]
    reply = requesty.chat(messages=[{"role": "user", "content": parts}])
    assert reply.status == 200, reply.body
    text_only = requesty.chat(messages=[{"role": "user", "content": "Summarize this PDF"}]).json()
    extra = reply.json()["usage"]["prompt_tokens"] - text_only["usage"]["prompt_tokens"]
    assert extra == tokens.IMAGE_TOKENS + 2 * tokens.FILE_TOKENS


def test_openrouter_file_part(openrouter: MockClient) -> None:
    pdf = "data:application/pdf;base64," + base64.b64encode(b"%PDF").decode()
    part = {"type": "file", "file": {"filename": "a.pdf", "file_data": pdf}}
    assert openrouter.chat(messages=[{"role": "user", "content": [part]}]).status == 200


@pytest.mark.parametrize(
    ("part", "named"),
    [
        ({"type": "video_url", "video_url": {"url": "https://x"}}, "'video_url'"),
        ({"type": "image_url", "image_url": {"url": "ftp://x"}}, "messages[0].content[0].image_url.url"),
        ({"type": "input_file", "file_data": "data:application/pdf;base64,@@@"}, "file_data"),
        ({"type": "text"}, "messages[0].content[0].text"),
    ],
)
def test_bad_content_parts_are_400_naming_them(
    requesty: MockClient, part: dict[str, Any], named: str
) -> None:
    reply = requesty.chat(messages=[{"role": "user", "content": [part]}])
    assert reply.status == 400
    assert named in reply.json()["error"]["message"]


def test_forced_tool_call_returns_arguments_valid_against_the_schema(mock: MockClient) -> None:
    choice = {"type": "function", "function": {"name": "get_weather"}}
    body = mock.chat(tools=[WEATHER], tool_choice=choice).json()
    first = body["choices"][0]
    assert first["finish_reason"] == "tool_calls"
    (call,) = first["message"]["tool_calls"]
    assert call["type"] == "function" and call["id"].startswith("call_")
    assert call["function"]["name"] == "get_weather"
    jsonschema.validate(json.loads(call["function"]["arguments"]), WEATHER["function"]["parameters"])
    assert body["usage"]["completion_tokens"] > 0


def test_a_tool_result_continues_the_conversation(mock: MockClient) -> None:
    call = mock.chat(tools=[WEATHER], tool_choice="required").json()["choices"][0]["message"]
    # OpenAI clients send the assistant turn back with content null; Requesty's contract (its
    # ChatMessage content is a string or an array) refuses null, so this history sends ""
    history = [
        *USER,
        {**call, "content": ""},
        {"role": "tool", "tool_call_id": call["tool_calls"][0]["id"], "content": "Sunny, 21C"},
    ]
    reply = mock.chat(tools=[WEATHER], messages=history).json()["choices"][0]
    assert reply["finish_reason"] == "stop"
    assert "Sunny, 21C" in reply["message"]["content"]
    assert mock.chat(tools=[WEATHER], tool_choice="none").json()["choices"][0]["finish_reason"] == "stop"


def test_tool_choice_naming_an_unknown_function_is_400(mock: MockClient) -> None:
    reply = mock.chat(tools=[WEATHER], tool_choice={"type": "function", "function": {"name": "nope"}})
    assert reply.status == 400
    assert reply.json()["error"]["param"] == "tool_choice.function.name"
    broken = {"type": "function", "function": {"name": "f", "parameters": {"type": "objekt"}}}
    assert mock.chat(tools=[broken]).json()["error"]["param"] == "tools[0].function.parameters"


def test_web_search_answers_with_url_citations(mock: MockClient) -> None:
    message = mock.chat(tools=[{"type": "web_search"}]).json()["choices"][0]["message"]
    annotations = message["annotations"]
    assert annotations and all(a["type"] == "url_citation" for a in annotations)
    for a in annotations:
        cited = a["url_citation"]
        assert cited["url"].startswith("https://")
        assert message["content"][cited["start_index"] : cited["end_index"]].startswith("[")


def test_json_object_and_json_schema_response_formats(mock: MockClient) -> None:
    obj = json.loads(_content(mock.chat(response_format={"type": "json_object"})))
    assert isinstance(obj, dict) and obj
    schema = {
        "type": "object",
        "required": ["title", "tags", "score", "when"],
        "properties": {
            "title": {"type": "string", "maxLength": 3},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2, "uniqueItems": True},
            "score": {"type": "number", "exclusiveMinimum": 0.5},
            "when": {"type": "string", "format": "date-time"},
            "kind": {"$ref": "#/$defs/kind"},
        },
        "$defs": {"kind": {"enum": ["a", "b"]}},
    }
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema, "strict": True}}
    jsonschema.validate(json.loads(_content(mock.chat(response_format=fmt))), schema)


@pytest.mark.parametrize(
    ("raw", "param"),
    [
        (b'{"messages": [', ""),
        (b"[1, 2]", ""),
        (b"", ""),
        (b'{"messages": NaN}', ""),
        (b"{" * 100_000, ""),
        (b'{"model": "openai/gpt-4o-mini"}', "messages"),
        (b'{"model": "openai/gpt-4o-mini", "messages": []}', "messages"),
        (b'{"model": "openai/gpt-4o-mini", "messages": "hi"}', "messages"),
        (b'{"model": 5, "messages": [{"role": "user", "content": "x"}]}', "model"),
        (b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": "9"}', "max_tokens"),
        (b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 0}', "max_tokens"),
        (b'{"messages": [{"role": "user", "content": "x"}], "temperature": 3}', "temperature"),
        (b'{"messages": [{"role": "wizard", "content": "x"}]}', "messages[0].role"),
        (b'{"messages": [{"role": "user"}]}', "messages[0].content"),
        (b'{"messages": [{"role": "user", "content": "x"}], "stream": "yes"}', "stream"),
        (b'{"messages": [{"role": "user", "content": "x"}], "tools": {}}', "tools"),
        (b'{"messages": [{"role": "user", "content": "x"}], "stop": null}', "stop"),
        (
            b'{"messages": [{"role": "user", "content": "x"}], "stream_options": {"include_usage": null}}',
            "stream_options.include_usage",
        ),
    ],
)
def test_bad_bodies_are_400_naming_the_field(requesty: MockClient, raw: bytes, param: str) -> None:
    reply = requesty.post("/chat/completions", raw=raw)
    assert reply.status == 400, reply.body
    error = reply.json()["error"]
    assert error["message"]
    assert error.get("param", "") == (param or None) or param in error["message"]


def test_unknown_model_status_is_flavor_data(mock: MockClient) -> None:
    reply = mock.chat(model="acme/nonexistent-1")
    assert reply.status == {"requesty": 400, "openrouter": 404}[mock.flavor]
    assert reply.json()["error"]["param"] == "model"
    wrong_kind = mock.chat(model="openai/text-embedding-3-small")
    assert wrong_kind.status == 400


def test_body_over_the_limit_is_413(make_mock: MakeMock) -> None:
    small = make_mock("requesty", max_body_bytes=2000)
    reply = small.chat(messages=[{"role": "user", "content": "x" * 5000}])
    assert reply.status == 413
    assert reply.json()["error"]["code"] == 413


def test_missing_or_wrong_key_is_401(mock: MockClient) -> None:
    assert mock.chat().status == 200
    assert mock.post("/chat/completions", {"messages": USER}, key=None).status == 401
    assert mock.post("/chat/completions", {"messages": USER}, key="sk-wrong-key-123456").status == 401


def test_openrouter_headers(openrouter: MockClient) -> None:
    reply = openrouter.post(
        "/chat/completions",
        {"model": "openai/gpt-4o-mini", "messages": USER},
        headers={"HTTP-Referer": "https://app.example", "X-Title": "gatecheck"},
    )
    assert reply.status == 200
    assert reply.headers["x-generation-id"] == reply.json()["id"]
    assert reply.json()["provider"] == "OpenAI"


def test_requesty_accepts_analytics_headers_without_generation_header(requesty: MockClient) -> None:
    reply = requesty.post(
        "/chat/completions", {"messages": USER}, headers={"HTTP-Referer": "https://a.example", "X-Title": "t"}
    )
    assert reply.status == 200
    assert "x-generation-id" not in reply.headers


def test_rate_limit_per_key_answers_429_with_retry_after(make_mock: MakeMock) -> None:
    limited = make_mock("openrouter", rate_limit=2)
    assert [limited.chat().status for _ in range(2)] == [200, 200]
    third = limited.chat()
    assert third.status == 429
    assert int(third.headers["retry-after"]) >= 1
    assert third.json()["error"]["code"] == 429
