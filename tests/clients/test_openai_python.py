"""openai-python against both flavors: every feature a client of an OpenAI-compatible gateway uses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import openai
import pytest
from client_matrix import CHAT_MODEL, EMBEDDING_MODEL, QUESTION, expect
from pydantic import BaseModel

from gatecheck.mock.server import MockServer

CLIENT = "openai-python"
USER = [{"role": "user", "content": QUESTION}]
LOOKUP = {
    "type": "function",
    "function": {
        "name": "lookup",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
    },
}


class Verdict(BaseModel):
    summary: str
    score: int


@pytest.fixture(scope="module")
def client(server: MockServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=server.base_url, api_key=server.settings.api_key, max_retries=0) as c:
        yield c


def test_sync_chat(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(model=CHAT_MODEL, messages=USER)  # type: ignore[arg-type]
    expect(r.choices[0].message.content and r.usage and r.usage.total_tokens, CLIENT, "sync chat", r)


def test_async_chat(server: MockServer) -> None:
    async def ask() -> openai.types.chat.ChatCompletion:
        async with openai.AsyncOpenAI(
            base_url=server.base_url, api_key=server.settings.api_key, max_retries=0
        ) as client:
            return await client.chat.completions.create(model=CHAT_MODEL, messages=USER)  # type: ignore[arg-type]

    r = asyncio.run(ask())
    expect(r.choices[0].message.content, CLIENT, "async chat", r)


def test_streaming_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=CHAT_MODEL,
        messages=USER,  # type: ignore[arg-type]
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    usage = [c.usage for c in chunks if c.usage]
    expect(text and len(usage) == 1 and usage[0].total_tokens, CLIENT, "streaming with usage", chunks[-2:])


def test_tools_round_trip_without_assistant_content(client: openai.OpenAI) -> None:
    first = client.chat.completions.create(
        model=CHAT_MODEL,
        messages=USER,  # type: ignore[arg-type]
        tools=[LOOKUP],  # type: ignore[list-item]
        tool_choice={"type": "function", "function": {"name": "lookup"}},
    )
    calls = first.choices[0].message.tool_calls or []
    expect(len(calls) == 1 and json.loads(calls[0].function.arguments), CLIENT, "tool call", first)  # type: ignore[union-attr]
    # the assistant turn sent back as the SDK's own model dumps it: tool_calls and no content
    assistant = first.choices[0].message.model_dump(exclude_none=True)
    expect("content" not in assistant, CLIENT, "assistant message without content", assistant)
    second = client.chat.completions.create(
        model=CHAT_MODEL,
        messages=[*USER, assistant, {"role": "tool", "tool_call_id": calls[0].id, "content": "42"}],  # type: ignore[list-item]
        tools=[LOOKUP],  # type: ignore[list-item]
    )
    expect("42" in (second.choices[0].message.content or ""), CLIENT, "tool result round trip", second)


def test_parse_into_a_pydantic_model(client: openai.OpenAI) -> None:
    r = client.chat.completions.parse(model=CHAT_MODEL, messages=USER, response_format=Verdict)  # type: ignore[arg-type]
    parsed = r.choices[0].message.parsed
    expect(isinstance(parsed, Verdict), CLIENT, "chat.completions.parse", r)


def test_responses_create(client: openai.OpenAI) -> None:
    r = client.responses.create(model=CHAT_MODEL, input=QUESTION)
    expect(r.output_text and r.status == "completed", CLIENT, "responses.create", r)


def test_embeddings(client: openai.OpenAI) -> None:
    r = client.embeddings.create(model=EMBEDDING_MODEL, input=["first", "second"])
    expect(len(r.data) == 2 and len(r.data[0].embedding) > 0, CLIENT, "embeddings", r.model_dump_json()[:300])


def test_models(client: openai.OpenAI) -> None:
    ids = [m.id for m in client.models.list()]
    expect(CHAT_MODEL in ids, CLIENT, "models.list", ids)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"api_key": "wrong-key"}, (openai.AuthenticationError,)),
        ({"model": "no-such/model"}, (openai.BadRequestError, openai.NotFoundError)),
        ({"messages": []}, (openai.BadRequestError,)),
    ],
    ids=["401", "unknown-model", "empty-messages"],
)
def test_typed_errors(
    server: MockServer, fields: dict[str, object], errors: tuple[type[Exception], ...]
) -> None:
    body = {"model": CHAT_MODEL, "messages": USER, **fields}
    key = str(body.pop("api_key", server.settings.api_key))
    feature = f"typed error {errors[0].__name__}"
    try:
        with openai.OpenAI(base_url=server.base_url, api_key=key, max_retries=0) as client:
            got: object = client.chat.completions.create(**body)  # type: ignore[call-overload]
    except openai.APIStatusError as exc:
        expect(isinstance(exc, errors) and exc.message, CLIENT, feature, repr(exc))
        return
    expect(False, CLIENT, feature, got)
