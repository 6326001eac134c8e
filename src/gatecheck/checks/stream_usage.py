"""The usage a stream reports, gathered into the block its API's plain answer would carry.

A plain answer has one usage block; a stream spreads it, each API its own way:

- Chat Completions: a final chunk with ``usage`` (when asked with ``stream_options.include_usage``),
  and the ``finish_reason`` on the last choice chunk;
- Responses: the response its terminal event carries (``response.completed``, or
  ``response.incomplete`` when ``max_output_tokens`` cut it), usage and status together;
- Messages: ``message_start`` (``input_tokens``) and every ``message_delta`` (the output so far,
  cumulative, so the last one is final), whose ``delta.stop_reason`` says why it ended.

:func:`streamed_usage` reads a stream into a :class:`StreamedUsage`, which the checks of
:mod:`gatecheck.checks.usage` judge exactly as they judge a plain answer.  A stream with no end to
read (cut off, failed, not asked for usage) gives ``None``: there is nothing to judge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gatecheck.checks.stream import DONE, StreamCapture

__all__ = ["RESPONSES_TERMINAL", "StreamedUsage", "json_payloads", "streamed_usage"]

#: The events that end a Responses stream with a response (``response.failed`` carries no usage).
RESPONSES_TERMINAL = ("response.completed", "response.incomplete")

Payloads = Sequence[tuple[int, Any]]


@dataclass(frozen=True)
class StreamedUsage:
    """A stream's final usage (None: its end carried none), and where its API says why it ended."""

    usage: Any
    answer: Mapping[str, Any]  # read by gatecheck.checks.usage.cut_reason
    where: str  # names the event, for failure messages


def json_payloads(capture: StreamCapture) -> list[tuple[int, Any]]:
    """(event index, parsed data; None when not JSON) for each data event before ``[DONE]``."""
    payloads: list[tuple[int, Any]] = []
    for index, event in enumerate(capture.events):
        if event.data == DONE:
            break
        try:
            payloads.append((index, json.loads(event.data)))
        except ValueError:
            payloads.append((index, None))
    return payloads


def _objects(payloads: Payloads) -> list[tuple[int, dict[str, Any]]]:
    return [(i, p) for i, p in payloads if isinstance(p, dict)]


def _chat(payloads: Payloads) -> StreamedUsage | None:
    chunks = _objects(payloads)
    usages = [(i, c["usage"]) for i, c in chunks if isinstance(c.get("usage"), dict)]
    if not usages:
        return None
    finishes = [
        c
        for _, c in chunks
        if isinstance(c.get("choices"), list) and c["choices"] and _finish(c["choices"][0])
    ]
    index, usage = usages[-1]
    return StreamedUsage(usage, finishes[-1] if finishes else {}, f"the usage chunk (event {index})")


def _finish(choice: Any) -> bool:
    return isinstance(choice, dict) and bool(choice.get("finish_reason"))


def _responses(payloads: Payloads) -> StreamedUsage | None:
    ends = [(i, p) for i, p in _objects(payloads) if p.get("type") in RESPONSES_TERMINAL]
    if not ends or not isinstance(ends[-1][1].get("response"), dict):
        return None
    index, event = ends[-1]
    response = event["response"]
    return StreamedUsage(response.get("usage"), response, f"the {event['type']} event (event {index})")


def _block(event: Mapping[str, Any]) -> Any:
    """The usage a Messages event carries: message_start in its message, message_delta at its top."""
    if event.get("type") == "message_start":
        message = event.get("message")
        return message.get("usage") if isinstance(message, dict) else None
    return event.get("usage") if event.get("type") == "message_delta" else None


def _messages(payloads: Payloads) -> StreamedUsage | None:
    events = _objects(payloads)
    deltas = [(i, e) for i, e in events if e.get("type") == "message_delta"]
    if not deltas:
        return None
    usage: dict[str, Any] = {}
    for _, event in events:
        if isinstance(block := _block(event), dict):
            usage.update({k: v for k, v in block.items() if v is not None})  # later counts are final
    index, last = deltas[-1]
    delta = last.get("delta")
    answer = {"stop_reason": delta.get("stop_reason") if isinstance(delta, dict) else None}
    return StreamedUsage(
        usage or None, answer, f"the stream's message_start and message_delta (event {index})"
    )


_READERS = {"chat": _chat, "responses": _responses, "messages": _messages}


def streamed_usage(payloads: Payloads, api: str) -> StreamedUsage | None:
    """The final usage of a stream of ``api`` (chat, responses, messages), or None when it has no end."""
    reader = _READERS.get(api)
    return reader(payloads) if reader else None
