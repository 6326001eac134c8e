"""Function tools on Chat Completions: the calls the scenarios judge, each requested once per run.

``forced_call``
    two tools offered, ``tool_choice`` naming the second: a gateway that drops ``tool_choice``
    (the model then picks freely, or answers in text) is told apart from one that honours it.
``auto_call``
    one tool, ``tool_choice: auto`` and a prompt that asks for it.  The finish_reason scenario
    judges this one: OpenAI documents ``finish_reason: "stop"`` for a call forced by name (and
    some upstreams report it for ``required``), so only a call the model chose must finish
    with ``tool_calls``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import TOOLS_BODY, TOOLS_STATUS
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import WEATHER_TOOL, chat_request, expect_status, json_object, operation, require

TIME_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current local time in a timezone.",
        "parameters": {
            "type": "object",
            "properties": {"timezone": {"type": "string"}},
            "required": ["timezone"],
        },
    },
}
WEATHER_PROMPT = "What is the weather in Paris? Use the get_weather tool."
#: Room for a call's name and JSON arguments; a fraction of a cent on a real model.
CALL_TOKENS = 64


@dataclass(frozen=True)
class ChatAnswer:
    """A chat answer as received; its parts are read inside the scenario judging them."""

    operation: str
    response: httpx.Response
    request: dict[str, Any]

    def body(self) -> dict[str, Any]:
        expect_status(self.response, 200, self.operation, check=TOOLS_STATUS)
        return json_object(self.response, self.operation, check=TOOLS_BODY)

    def message(self) -> dict[str, Any]:
        """``choices[0].message``; its absence is a violation."""
        message = require(self.body(), "choices.0.message", operation=self.operation, check=TOOLS_BODY)
        return message if isinstance(message, dict) else {"content": message}

    def tools(self) -> dict[str, dict[str, Any]]:
        """The functions the request offered, by name."""
        return {t["function"]["name"]: t["function"] for t in self.request.get("tools", [])}


def _ask(gateway: Gateway, profile: Profile, body: dict[str, Any]) -> ChatAnswer:
    path = profile.path("chat")
    with gateway.client() as client:
        return ChatAnswer(operation("POST", path), client.post(path, json=body), body)


@pytest.fixture(scope="session")
def forced_call(gateway: Gateway, profile: Profile) -> ChatAnswer:
    """get_weather forced by name, with get_time offered first."""
    body = chat_request(
        profile,
        prompt=WEATHER_PROMPT,
        max_tokens=CALL_TOKENS,
        tools=[TIME_TOOL, WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": WEATHER_TOOL["function"]["name"]}},
    )
    return _ask(gateway, profile, body)


@pytest.fixture(scope="session")
def auto_call(gateway: Gateway, profile: Profile) -> ChatAnswer:
    """get_weather offered alone, the model left to call it (tool_choice auto)."""
    body = chat_request(
        profile, prompt=WEATHER_PROMPT, max_tokens=CALL_TOKENS, tools=[WEATHER_TOOL], tool_choice="auto"
    )
    return _ask(gateway, profile, body)
