"""Request bodies built from the profile, so every suite asks for the same small, cheap things.

The model comes from ``profile.model(role)`` (never a literal), ``max_tokens`` stays small so a
run against a real gateway costs fractions of a cent, and ``temperature: 0`` with a fixed
``seed`` gives deterministic targets a chance to answer the same request the same way twice.
"""

from __future__ import annotations

from typing import Any

from gatecheck.profiles import Profile

__all__ = [
    "DEFAULT_PROMPT",
    "LONG_PROMPT",
    "SEED",
    "WEATHER_TOOL",
    "chat_request",
    "embedding_request",
    "tool_request",
]

DEFAULT_PROMPT = "Reply with one short sentence about API gateways."
#: Asks for many tokens, so streams have enough chunks to show whether they are buffered.
LONG_PROMPT = "Count from one to forty in words, separated by spaces, and nothing else."
SEED = 7

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["celsius", "fahrenheit"]}},
            "required": ["city"],
        },
    },
}


def _with_model(body: dict[str, Any], profile: Profile, role: str, model: str | None) -> dict[str, Any]:
    chosen = model or profile.model(role)
    return {"model": chosen, **body} if chosen else body


def chat_request(
    profile: Profile,
    *,
    prompt: str = DEFAULT_PROMPT,
    max_tokens: int = 16,
    stream: bool = False,
    include_usage: bool = False,
    model: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A chat completion body; ``extra`` fields are added as given (``tools``, ``models``...)."""
    body: dict[str, Any] = {
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": SEED,
    }
    if stream:
        body["stream"] = True
        if include_usage:
            body["stream_options"] = {"include_usage": True}
    return _with_model({**body, **extra}, profile, "chat", model)


def tool_request(
    profile: Profile, *, stream: bool = False, max_tokens: int = 64, **extra: Any
) -> dict[str, Any]:
    """A request the model must answer with a call to :data:`WEATHER_TOOL` (forced by tool_choice)."""
    return chat_request(
        profile,
        prompt="What is the weather in Paris? Use the tool.",
        max_tokens=max_tokens,
        stream=stream,
        tools=[WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        **extra,
    )


def embedding_request(
    profile: Profile, *, text: str | list[str] = "gatecheck", model: str | None = None
) -> dict[str, Any]:
    """An embeddings body for the profile's embedding model."""
    return _with_model({"input": text}, profile, "embedding", model)
