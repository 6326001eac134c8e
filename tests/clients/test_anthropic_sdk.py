"""The anthropic SDK against the OpenRouter flavor's /messages, as OpenRouter documents it
(``base_url`` ending in ``/api``; the SDK adds ``/v1/messages``)."""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import pytest
from client_matrix import QUESTION, expect

from gatecheck.mock.server import MockServer

CLIENT = "anthropic-sdk"
MODEL = "anthropic/claude-sonnet-4"  # the undated alias OpenRouter's examples use
USER = [{"role": "user", "content": QUESTION}]
LOOKUP = {"name": "lookup", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}


def _client(server: MockServer, key: str | None = None) -> anthropic.Anthropic:
    base = server.base_url.removesuffix("/v1")
    return anthropic.Anthropic(base_url=base, api_key=key or server.settings.api_key, max_retries=0)


@pytest.fixture(scope="module")
def client(openrouter_server: MockServer) -> Iterator[anthropic.Anthropic]:
    with _client(openrouter_server) as c:
        yield c


def test_create(client: anthropic.Anthropic) -> None:
    r = client.messages.create(model=MODEL, max_tokens=64, messages=USER)  # type: ignore[arg-type]
    text = "".join(b.text for b in r.content if b.type == "text")
    expect(
        text and r.stop_reason in ("end_turn", "max_tokens") and r.usage.output_tokens, CLIENT, "create", r
    )


def test_streaming(client: anthropic.Anthropic) -> None:
    with client.messages.stream(model=MODEL, max_tokens=64, messages=USER) as stream:  # type: ignore[arg-type]
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    expect(text and final.usage.output_tokens > 0, CLIENT, "streaming", final)


def test_tools_round_trip(client: anthropic.Anthropic) -> None:
    first = client.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=USER,  # type: ignore[arg-type]
        tools=[LOOKUP],  # type: ignore[list-item]
        tool_choice={"type": "tool", "name": "lookup"},
    )
    uses = [b for b in first.content if b.type == "tool_use"]
    expect(len(uses) == 1 and first.stop_reason == "tool_use", CLIENT, "tool_use", first)
    result = {"type": "tool_result", "tool_use_id": uses[0].id, "content": "42"}
    second = client.messages.create(
        model=MODEL,
        max_tokens=64,
        tools=[LOOKUP],  # type: ignore[list-item]
        messages=[
            *USER,
            {"role": "assistant", "content": first.content},
            {"role": "user", "content": [result]},
        ],  # type: ignore[list-item]
    )
    text = "".join(b.text for b in second.content if b.type == "text")
    expect("42" in text, CLIENT, "tool_result round trip", second)


@pytest.mark.parametrize(
    ("key", "model", "error"),
    [
        ("wrong-key", MODEL, anthropic.AuthenticationError),
        (None, "no-such/model", anthropic.NotFoundError),
        (None, "", anthropic.BadRequestError),
    ],
    ids=["401", "404", "400"],
)
def test_typed_errors(
    openrouter_server: MockServer, key: str | None, model: str, error: type[anthropic.APIStatusError]
) -> None:
    try:
        with _client(openrouter_server, key) as client:
            got: object = client.messages.create(model=model, max_tokens=8, messages=USER)  # type: ignore[arg-type]
    except anthropic.APIStatusError as exc:
        body = exc.body if isinstance(exc.body, dict) else {}
        ok = isinstance(exc, error) and body.get("type") == "error" and body["error"].get("message")
        expect(ok, CLIENT, f"typed error {error.__name__}", f"{exc!r} {body}")
        return
    expect(False, CLIENT, f"typed error {error.__name__}", got)
