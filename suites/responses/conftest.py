"""The OpenAI Responses API (``POST responses``) as the scenarios ask it, and its streams parsed.

``responses_api`` builds small requests from the profile (its chat model, ``max_output_tokens``
at the OpenAI minimum) and sends them; a stream is captured with gatecheck's one SSE decoder
(:func:`gatecheck.scenario.capture_stream`) and read into :class:`ResponseStream`: every data
event as a JSON object with a ``type``, in arrival order, numbered as failures name them.  A
final ``data: [DONE]`` is tolerated, not required: OpenRouter's contract declares it on Responses
streams, OpenAI's does not.

The streams every ordering scenario judges are captured once per run (``text_stream``,
``call_stream``), so a real target is asked once per kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import RESPONSES_BODY, RESPONSES_STATUS, RESPONSES_STREAM_EVENT
from gatecheck.checks.stream import StreamCapture
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import WEATHER_TOOL, capture_stream, expect_status, json_object, operation
from gatecheck.scenario.typed_events import StreamEvent, event_window, typed_events

#: OpenAI's minimum for max_output_tokens; enough for a short answer, a fraction of a cent.
MAX_OUTPUT_TOKENS = 16
#: A function call's arguments and a schema's JSON need a little more room than prose.
STRUCTURED_OUTPUT_TOKENS = 64
PROMPT = "Reply with one short sentence about API gateways."
CALL_PROMPT = "What is the weather in Paris? Use the tool."
#: How a stream may end: completed, or incomplete when max_output_tokens cut the answer short.
TERMINAL = ("response.completed", "response.incomplete")
#: The Responses API's function tool is flat: name and parameters beside ``type``.
FUNCTION_TOOL: dict[str, Any] = {"type": "function", **WEATHER_TOOL["function"]}


class ResponseStream:
    """A Responses stream as captured (``capture``) and as typed events (``events``).

    The events are read on first use, inside the scenario, so a malformed stream fails the
    scenario that looks at it instead of erroring in a fixture.
    """

    def __init__(self, capture: StreamCapture) -> None:
        self.capture = capture

    @cached_property
    def events(self) -> list[StreamEvent]:
        """The typed events of a 200 event stream; anything else is a violation naming the event."""
        return typed_events(self.capture, api="Responses", check=RESPONSES_STREAM_EVENT, allow_done=True)

    @property
    def operation(self) -> str:
        return self.capture.operation

    def of_type(self, *types: str) -> list[StreamEvent]:
        return [event for event in self.events if event.type in types]

    @property
    def final_text(self) -> str | None:
        """The output text of the response the terminal event carries; None without one."""
        terminal = self.of_type(*TERMINAL)
        return output_text(terminal[-1].payload.get("response") or {}) if terminal else None

    def names(self, around: int | None = None, *, span: int = 3) -> list[str]:
        """``index:type`` of the events around ``around``, for failure messages."""
        return event_window(self.events, around, span=span)


def output_text(response: dict[str, Any]) -> str:
    """The text of every ``output_text`` part of every message item, joined in order."""
    texts = []
    for item in response.get("output") or []:
        if isinstance(item, dict) and item.get("type") == "message":
            for part in item.get("content") or []:
                if isinstance(part, dict) and part.get("type") == "output_text":
                    texts.append(str(part.get("text") or ""))
    return "".join(texts)


@dataclass(frozen=True)
class ResponsesApi:
    """Sends Responses requests for the scenarios; ``op`` labels their failures."""

    client: httpx.Client
    profile: Profile
    path: str

    @property
    def op(self) -> str:
        return operation("POST", self.path)

    def body(
        self, prompt: str = PROMPT, *, max_output_tokens: int = MAX_OUTPUT_TOKENS, **extra: Any
    ) -> dict[str, Any]:
        """A Responses request for the profile's chat model; ``extra`` fields are added as given."""
        body: dict[str, Any] = {"input": prompt, "max_output_tokens": max_output_tokens, "temperature": 0}
        if model := self.profile.model("chat"):
            body["model"] = model
        return {**body, **extra}

    def call_body(self) -> dict[str, Any]:
        """A request the model must answer with a call to the weather function (forced)."""
        return self.body(
            CALL_PROMPT,
            max_output_tokens=STRUCTURED_OUTPUT_TOKENS,
            tools=[FUNCTION_TOOL],
            tool_choice={"type": "function", "name": FUNCTION_TOOL["name"]},
        )

    output_text = staticmethod(output_text)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """The Response object for ``body``; any other answer is a violation."""
        response = self.client.post(self.path, json=body)
        expect_status(response, 200, self.op, check=RESPONSES_STATUS)
        return json_object(response, self.op, check=RESPONSES_BODY)


@pytest.fixture
def responses_api(client: httpx.Client, profile: Profile) -> ResponsesApi:
    """Responses requests through the inference client."""
    return ResponsesApi(client, profile, profile.path("responses"))


def _captured(gateway: Gateway, profile: Profile, call: bool) -> StreamCapture:
    with gateway.client() as client:
        api = ResponsesApi(client, profile, profile.path("responses"))
        body = api.call_body() if call else api.body()
        return capture_stream(client, api.path, {**body, "stream": True}, operation=api.op)


@pytest.fixture(scope="session")
def text_capture(gateway: Gateway, profile: Profile) -> StreamCapture:
    """A short streamed text answer, captured once per run."""
    return _captured(gateway, profile, call=False)


@pytest.fixture(scope="session")
def call_capture(gateway: Gateway, profile: Profile) -> StreamCapture:
    """A streamed forced function call, captured once per run."""
    return _captured(gateway, profile, call=True)


@pytest.fixture
def text_stream(text_capture: StreamCapture) -> ResponseStream:
    """The text stream, its events read inside each scenario that judges them."""
    return ResponseStream(text_capture)


@pytest.fixture
def call_stream(call_capture: StreamCapture) -> ResponseStream:
    """The function-call stream's events."""
    return ResponseStream(call_capture)
