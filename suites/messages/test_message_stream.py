"""Messages streams: Anthropic's event grammar, in order, with pings allowed anywhere; the usage
and stop_reason a stream cut by max_tokens reports at its end."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from gatecheck.check_ids import MESSAGES_STREAM_ORDER
from gatecheck.checks import stream as stream_checks
from gatecheck.checks.stream_usage import json_payloads, streamed_usage
from gatecheck.checks.usage import check_cut_reported, check_usage
from gatecheck.failures import ContractViolation
from gatecheck.verdicts import inconclusive

if TYPE_CHECKING:
    from conftest import LimitedStream, MessageStream, StreamEvent  # the fixtures' types, for readers only

pytestmark = [pytest.mark.capability("messages"), pytest.mark.capability("streaming")]

#: What may follow each event (Anthropic's streaming grammar); ping may come anywhere after the start.
FOLLOWS: dict[str | None, frozenset[str]] = {
    None: frozenset({"message_start"}),
    "message_start": frozenset({"content_block_start", "message_delta"}),
    "content_block_start": frozenset({"content_block_delta", "content_block_stop"}),
    "content_block_delta": frozenset({"content_block_delta", "content_block_stop"}),
    "content_block_stop": frozenset({"content_block_start", "message_delta"}),
    "message_delta": frozenset({"message_delta", "message_stop"}),
    "message_stop": frozenset(),
}
BLOCK_EVENTS = frozenset({"content_block_start", "content_block_delta", "content_block_stop"})


def _block_problem(event: StreamEvent, blocks: int) -> str | None:
    """Blocks are numbered 0, 1, ... as they start; deltas and stops name the open block."""
    index = event.payload.get("index")
    wanted = blocks if event.type == "content_block_start" else blocks - 1
    return None if index == wanted else f"index {wanted} on {event.type}, not {index!r}"


def test_stream_events_follow_the_documented_order(message_stream: MessageStream) -> None:
    """A stream runs message_start, each block's start, deltas and stop, message_delta, message_stop"""
    previous: StreamEvent | None = None
    blocks = 0
    for event in message_stream.events:
        if event.type == "ping" and previous is not None:
            continue
        allowed = FOLLOWS.get(previous.type if previous else None, frozenset())
        problem = None if event.type in allowed else f"one of {', '.join(sorted(allowed)) or '(nothing)'}"
        if problem is None and event.type in BLOCK_EVENTS:
            problem = _block_problem(event, blocks)
            blocks += event.type == "content_block_start"
        if problem:
            raise ContractViolation(
                f"Event {event.index} ({event.type}) is out of order after "
                f"{previous or 'the start of the stream'}",
                expected=problem,
                received=message_stream.names(event.index),
                check=MESSAGES_STREAM_ORDER,
                operation=message_stream.operation,
            )
        previous = event
    if previous is None or previous.type != "message_stop":
        raise ContractViolation(
            f"Stream ends after {previous or 'no event'} without message_stop",
            expected="message_stop as the last event",
            received=f"{len(message_stream.events)} events, ending {message_stream.names(-1, span=4)}",
            check=MESSAGES_STREAM_ORDER,
            operation=message_stream.operation,
        )


def test_streamed_usage_obeys_max_tokens_and_reports_the_cut(limited_stream: LimitedStream) -> None:
    """A stream cut short by max_tokens bills within it and its message_delta says stop_reason max_tokens"""
    capture, request = limited_stream.capture, limited_stream.request
    stream_checks.check_status(capture)
    streamed = streamed_usage(json_payloads(capture), "messages")
    if streamed is None:
        # The stream's grammar is the ordering scenario's point; here, what its end bills.
        inconclusive("the stream sent no message_delta to read usage and stop_reason from")
    check_usage(streamed.usage, request, api="messages", operation=capture.operation, where=streamed.where)
    check_cut_reported(streamed.answer, api="messages", operation=capture.operation)
