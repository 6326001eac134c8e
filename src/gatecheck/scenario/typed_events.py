"""Typed SSE events, as the Responses and Anthropic Messages APIs stream them.

Both APIs send ``event: <type>`` with a JSON ``data`` object whose ``type`` repeats the name;
suites for either read the stream through :func:`typed_events`, so a malformed event fails
the scenario that looks at it, naming the event by its index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gatecheck.check_ids import CheckId
from gatecheck.checks import stream as stream_checks
from gatecheck.checks.stream import DONE, StreamCapture
from gatecheck.failures import ContractViolation, excerpt

__all__ = ["StreamEvent", "event_window", "typed_events"]


@dataclass(frozen=True)
class StreamEvent:
    """One data event; ``index`` counts the stream's data events from 0, as failures cite them."""

    index: int
    type: str
    payload: dict[str, Any]

    def __str__(self) -> str:
        return f"event {self.index} {self.type}"


def typed_events(
    capture: StreamCapture, *, api: str, check: CheckId, allow_done: bool = False
) -> list[StreamEvent]:
    """The typed events of a 200 event stream; anything else is a violation naming the event.

    ``allow_done`` drops a trailing ``data: [DONE]``, which OpenRouter's contract declares on
    Responses streams.
    """
    stream_checks.check_status(capture)
    stream_checks.check_content_type(capture)
    raw = capture.events
    if allow_done and raw and raw[-1].data == DONE:
        raw = raw[:-1]
    return [_typed(capture, i, e.data, e.event, api=api, check=check) for i, e in enumerate(raw)]


def event_window(events: list[StreamEvent], around: int | None = None, *, span: int = 3) -> list[str]:
    """``index:type`` of the events, for failure messages: all of them, or ``span`` either side
    of event ``around`` (a negative ``around`` counts from the end)."""
    names = [f"{e.index}:{e.type}" for e in events]
    if around is None:
        return names
    at = around % len(names) if names else 0
    return names[max(0, at - span) : at + span + 1]


def _typed(
    capture: StreamCapture, index: int, data: str, name: str, *, api: str, check: CheckId
) -> StreamEvent:
    try:
        payload = json.loads(data)
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise ContractViolation(
            f"Event {index} is not a {api} stream event",
            expected='data: a JSON object with a string "type"',
            received=f"data: {excerpt(data, 300)}",
            check=check,
            operation=capture.operation,
        )
    if name != "message" and name != payload["type"]:
        raise ContractViolation(
            f"Event {index} is named {name!r} but its type is {payload['type']!r}",
            expected="the SSE event name to repeat the data's type",
            received=f"event: {name}; type: {payload['type']}",
            check=check,
            operation=capture.operation,
        )
    return StreamEvent(index, payload["type"], payload)
