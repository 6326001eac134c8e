"""Every inference answer of each flavor validates against its bundled spec (contract layer included).

JSON answers go through openapi-core (via gatecheck.checks.openapi_adapter); event streams are
checked event by event against the spec's per-event schema, as schemathesis reads them: the
event object against the ``text/event-stream`` schema, and each JSON ``data`` against its
``contentSchema``.  The Requesty document has no ``/responses`` path, so Requesty's Responses
API is covered by the shape tests only.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from openapi_core import OpenAPI
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from gatecheck.checks.openapi_adapter import HttpxOpenAPIRequest, HttpxOpenAPIResponse, with_server
from gatecheck.specs.registry import load_spec

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient, Reply

HOST = "http://mock.test"
USER = [{"role": "user", "content": "What is an LLM gateway?"}]
TOOL = {
    "type": "function",
    "function": {
        "name": "f",
        "parameters": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}},
    },
}
CHAT = {"model": "openai/gpt-4o-mini", "messages": USER}
STREAM = {**CHAT, "stream": True, "stream_options": {"include_usage": True}}
SCHEMA = {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}}

Call = tuple[str, str, Any]
COMMON: list[Call] = [
    ("POST", "/chat/completions", CHAT),
    ("POST", "/chat/completions", {**CHAT, "tools": [TOOL], "tool_choice": "required"}),
    (
        "POST",
        "/chat/completions",
        {**CHAT, "response_format": {"type": "json_schema", "json_schema": {"name": "s", "schema": SCHEMA}}},
    ),
    ("POST", "/chat/completions", {**CHAT, "tools": [{"type": "web_search"}], "max_tokens": 5}),
    ("POST", "/chat/completions", STREAM),
    ("POST", "/chat/completions", {**STREAM, "tools": [TOOL], "tool_choice": "required"}),
    ("POST", "/chat/completions", {**CHAT, "model": "acme/none"}),
    ("POST", "/chat/completions", {"messages": []}),
    ("POST", "/embeddings", {"model": "openai/text-embedding-3-small", "input": ["a", "b"]}),
    ("POST", "/embeddings", {"model": "openai/text-embedding-3-small", "input": ""}),
    ("GET", "/models", None),
]
OPENROUTER: list[Call] = [
    ("POST", "/responses", {"model": "openai/gpt-4o", "input": "hi"}),
    ("POST", "/responses", {"model": "openai/gpt-4o", "input": "hi", "stream": True, "max_output_tokens": 4}),
    (
        "POST",
        "/responses",
        {
            "model": "openai/gpt-4o",
            "input": "hi",
            "tools": [{"type": "function", "name": "f", "parameters": SCHEMA}],
        },
    ),
    (
        "POST",
        "/responses",
        {
            "model": "openai/gpt-4o",
            "input": "hi",
            "stream": True,
            "tool_choice": "required",
            "tools": [{"type": "function", "name": "f", "parameters": SCHEMA}],
        },
    ),
    ("POST", "/messages", {"model": "anthropic/claude-sonnet-4-20250514", "max_tokens": 8, "messages": USER}),
    (
        "POST",
        "/messages",
        {"model": "anthropic/claude-sonnet-4-20250514", "max_tokens": 8, "messages": USER, "stream": True},
    ),
    (
        "POST",
        "/messages",
        {
            "model": "anthropic/claude-sonnet-4-20250514",
            "messages": USER,
            "tools": [{"name": "f", "input_schema": SCHEMA}],
            "tool_choice": {"type": "any"},
        },
    ),
    (
        "POST",
        "/rerank",
        {"model": "cohere/rerank-v3.5", "query": "london weather", "documents": ["rain in london", "x"]},
    ),
    ("GET", "/models?supported_parameters=tools&category=programming", None),
    ("GET", "/models/count?output_modalities=text", None),
    ("GET", "/models/openai/gpt-4o/endpoints", None),
    ("GET", "/models/acme/none/endpoints", None),
    ("GET", "/providers", None),
    ("GET", "/endpoints/zdr", None),
    ("GET", "/embeddings/models", None),
    ("GET", "/rerank/models", None),
]


@cache
def _document(flavor: str) -> dict[str, Any]:
    return load_spec(flavor).document


@cache
def _openapi(flavor: str, prefix: str) -> OpenAPI:
    return OpenAPI.from_dict(with_server(_document(flavor), HOST + prefix))


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def _stream_validators(
    flavor: str, path: str, status: int
) -> tuple[Draft202012Validator, Draft202012Validator]:
    """(event object validator, data contentSchema validator) for a streamed answer."""
    document = _document(flavor)
    registry = Registry().with_resource(
        "urn:spec", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    where = ("paths", path, "post", "responses", str(status), "content", "text/event-stream", "schema")
    schema = document["paths"][path]["post"]["responses"][str(status)]["content"]["text/event-stream"][
        "schema"
    ]
    data = schema["properties"]["data"]
    index, _ = next((i, o) for i, o in enumerate(data.get("anyOf", [data])) if "contentSchema" in o)
    content_at = (
        *where,
        "properties",
        "data",
        *(("anyOf", str(index)) if "anyOf" in data else ()),
        "contentSchema",
    )
    outer = Draft202012Validator({"$ref": "urn:spec#" + _pointer(*where)}, registry=registry)
    inner = Draft202012Validator({"$ref": "urn:spec#" + _pointer(*content_at)}, registry=registry)
    return outer, inner


def _check_stream(flavor: str, path: str, reply: Reply) -> None:
    outer, inner = _stream_validators(flavor, path, reply.status)
    assert reply.events, "an empty stream"
    for event in reply.events:
        wire = {"data": event.data, **({"event": event.event} if event.event != "message" else {})}
        outer.validate(wire)
        if event.data != "[DONE]":
            inner.validate(json.loads(event.data))


def _check(mock: MockClient, method: str, path: str, body: Any) -> Reply:
    reply = mock.request(method, path, body)
    prefix = mock.settings.prefix
    request = httpx.Request(method, HOST + prefix + path, json=body, headers={"authorization": "Bearer k"})
    if reply.headers.get("content-type", "").startswith("text/event-stream"):
        _check_stream(mock.flavor, path.partition("?")[0], reply)
        return reply
    response = httpx.Response(reply.status, headers=reply.headers, content=reply.body, request=request)
    _openapi(mock.flavor, prefix).validate_response(
        HttpxOpenAPIRequest(request), HttpxOpenAPIResponse(response)
    )
    return reply


@pytest.mark.parametrize(
    ("method", "path", "body"), COMMON, ids=[f"{m} {p} {i}" for i, (m, p, _) in enumerate(COMMON)]
)
def test_common_answers_validate(mock: MockClient, method: str, path: str, body: Any) -> None:
    _check(mock, method, path, body)


@pytest.mark.parametrize(
    ("method", "path", "body"), OPENROUTER, ids=[f"{m} {p} {i}" for i, (m, p, _) in enumerate(OPENROUTER)]
)
def test_openrouter_answers_validate(openrouter: MockClient, method: str, path: str, body: Any) -> None:
    _check(openrouter, method, path, body)


def test_errors_and_mid_stream_failures_validate(make_mock: MakeMock) -> None:
    for flavor in ("requesty", "openrouter"):
        mock = make_mock(flavor, rate_limit=3)
        assert mock.request("POST", "/chat/completions", CHAT, key=None).status == 401
        _check(mock, "POST", "/chat/completions", {"messages": "nope"})
        mock.plan({"model": "*", "failure": "cut-mid-stream"})
        cut = _check(mock, "POST", "/chat/completions", STREAM)
        assert "[DONE]" not in cut.body.decode()
        mock.plan({"model": "*", "failure": 502})
        assert _check(mock, "POST", "/chat/completions", CHAT).status == 502
        assert _check(mock, "POST", "/chat/completions", CHAT).status == 429


def test_the_validation_can_fail(mock: MockClient) -> None:
    """Guard against a validator that accepts anything: a wrong body must be refused."""
    reply = mock.request("POST", "/chat/completions", CHAT)
    broken = {**reply.json(), "choices": [{"index": -1}]}
    request = httpx.Request("POST", HOST + mock.settings.prefix + "/chat/completions", json=CHAT)
    response = httpx.Response(200, json=broken, request=request)
    with pytest.raises(Exception, match=r"validat|Invalid|invalid"):
        _openapi(mock.flavor, mock.settings.prefix).validate_response(
            HttpxOpenAPIRequest(request), HttpxOpenAPIResponse(response)
        )
