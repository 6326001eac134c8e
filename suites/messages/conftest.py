"""The Anthropic Messages API (``POST messages``) as the scenarios ask it, answers shared per run.

Three answers are judged, each requested once per run so a real target is asked once:

``limited_message``
    a long answer cut by a tiny ``max_tokens``: its shape, usage and ``stop_reason: max_tokens``.
``complete_message``
    a one-word answer under a generous bound, so the model ends its turn (``end_turn``).  The
    bound costs nothing unless used; it exists because some models (and the mock) answer at
    length whatever they are asked.
``message_stream``
    a short streamed answer, every data event read as a JSON object with a ``type``.
``limited_stream``
    the ``limited_message`` ask, streamed: the usage and ``stop_reason`` its end reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import MESSAGES_BODY, MESSAGES_STATUS, MESSAGES_STREAM_EVENT
from gatecheck.checks.stream import StreamCapture
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import (
    DEFAULT_PROMPT,
    LONG_PROMPT,
    capture_stream,
    expect_status,
    json_object,
    operation,
)
from gatecheck.scenario.typed_events import StreamEvent, event_window, typed_events

#: Far fewer tokens than LONG_PROMPT needs, so the answer is always cut short.
LIMITED_TOKENS = 5
#: Far more than a one-word answer needs (the mock's answers run to ~140 tokens).
COMPLETE_TOKENS = 160
COMPLETE_PROMPT = "Reply with the single word: ok"
STREAM_TOKENS = 16


@dataclass(frozen=True)
class Answer:
    """A Messages answer as received; :meth:`message` reads it inside the scenario judging it."""

    operation: str
    response: httpx.Response
    request: dict[str, Any]

    def message(self) -> dict[str, Any]:
        """The message object; any other answer is a violation."""
        expect_status(self.response, 200, self.operation, check=MESSAGES_STATUS)
        return json_object(self.response, self.operation, check=MESSAGES_BODY)


class MessageStream:
    """A Messages stream as captured, and its typed events, read on first use in the scenario."""

    def __init__(self, capture: StreamCapture) -> None:
        self.capture = capture

    @cached_property
    def events(self) -> list[StreamEvent]:
        """Every data event as a JSON object with a ``type``; anything else is a violation."""
        return typed_events(self.capture, api="Messages", check=MESSAGES_STREAM_EVENT)

    @property
    def operation(self) -> str:
        return self.capture.operation

    def names(self, around: int | None = None, *, span: int = 3) -> list[str]:
        """``index:type`` of the events around ``around``, for failure messages."""
        return event_window(self.events, around, span=span)


def message_body(profile: Profile, prompt: str, max_tokens: int, **extra: Any) -> dict[str, Any]:
    """A Messages request for the profile's chat model (``max_tokens`` is required by Anthropic)."""
    body: dict[str, Any] = {
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0,
    }
    if model := profile.model("chat"):
        body["model"] = model
    return {**body, **extra}


def _ask(gateway: Gateway, profile: Profile, body: dict[str, Any]) -> Answer:
    path = profile.path("messages")
    op = operation("POST", path)
    with gateway.client() as client:
        return Answer(op, client.post(path, json=body), body)


def limited_body(profile: Profile, **extra: Any) -> dict[str, Any]:
    """A long ask under a max_tokens that certainly cuts it."""
    return message_body(profile, LONG_PROMPT, LIMITED_TOKENS, **extra)


@pytest.fixture(scope="session")
def limited_message(gateway: Gateway, profile: Profile) -> Answer:
    """A long answer cut short by max_tokens."""
    return _ask(gateway, profile, limited_body(profile))


@dataclass(frozen=True)
class LimitedStream:
    """The cut-short ask, streamed: the request sent and the stream as captured."""

    request: dict[str, Any]
    capture: StreamCapture


@pytest.fixture(scope="session")
def limited_stream(gateway: Gateway, profile: Profile) -> LimitedStream:
    """A long streamed answer cut short by max_tokens, captured once per run."""
    path, body = profile.path("messages"), limited_body(profile, stream=True)
    with gateway.client() as client:
        return LimitedStream(body, capture_stream(client, path, body, operation=operation("POST", path)))


@pytest.fixture(scope="session")
def complete_message(gateway: Gateway, profile: Profile) -> Answer:
    """A one-word answer the model finishes by itself."""
    return _ask(gateway, profile, message_body(profile, COMPLETE_PROMPT, COMPLETE_TOKENS))


@pytest.fixture(scope="session")
def stream_capture(gateway: Gateway, profile: Profile) -> StreamCapture:
    """A short streamed answer, captured once per run."""
    path = profile.path("messages")
    body = message_body(profile, DEFAULT_PROMPT, STREAM_TOKENS, stream=True)
    with gateway.client() as client:
        return capture_stream(client, path, body, operation=operation("POST", path))


@pytest.fixture
def message_stream(stream_capture: StreamCapture) -> MessageStream:
    """The stream, its events read inside each scenario that judges them."""
    return MessageStream(stream_capture)
