"""langchain-openai's ChatOpenAI against both flavors: invoke, stream with usage, bind_tools."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from client_matrix import CHAT_MODEL, QUESTION, expect
from langchain_core.messages import AIMessageChunk
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from gatecheck.mock.server import MockServer

CLIENT = "langchain-openai"


class Lookup(BaseModel):
    """Look something up."""

    q: str


@pytest.fixture(scope="module")
def chat(server: MockServer) -> Iterator[ChatOpenAI]:
    # our own HTTP client, closed at the end: langchain's cached default one is never closed,
    # and its sockets then print ResourceWarnings when the worker process exits
    with httpx.Client() as http:
        yield ChatOpenAI(
            model=CHAT_MODEL,
            base_url=server.base_url,
            api_key=server.settings.api_key,  # type: ignore[arg-type]
            max_retries=0,
            stream_usage=True,
            http_client=http,
        )


def test_invoke(chat: ChatOpenAI) -> None:
    reply = chat.invoke(QUESTION)
    usage = reply.usage_metadata or {}
    expect(reply.content and usage.get("total_tokens"), CLIENT, "invoke", reply)


def test_stream_with_usage(chat: ChatOpenAI) -> None:
    merged: AIMessageChunk | None = None
    for chunk in chat.stream(QUESTION):
        merged = chunk if merged is None else merged + chunk  # type: ignore[assignment]
    usage = (merged.usage_metadata if merged else None) or {}
    expect(merged and merged.content and usage.get("total_tokens"), CLIENT, "stream with usage", merged)


def test_bind_tools(chat: ChatOpenAI) -> None:
    reply = chat.bind_tools([Lookup], tool_choice="Lookup").invoke(QUESTION)
    calls = reply.tool_calls  # type: ignore[attr-defined]
    expect(
        len(calls) == 1 and calls[0]["name"] == "Lookup" and "q" in calls[0]["args"],
        CLIENT,
        "bind_tools",
        reply,
    )
