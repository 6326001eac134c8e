"""Responses streams: opened by response.created, closed by response.completed, numbered in order,
and with text deltas that join into the final output text."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.check_ids import (
    RESPONSES_STREAM_COMPLETED,
    RESPONSES_STREAM_CREATED,
    RESPONSES_STREAM_DELTAS,
    RESPONSES_STREAM_ORDER,
    RESPONSES_STREAM_SEQUENCE,
    CheckId,
)
from gatecheck.failures import ContractViolation

if TYPE_CHECKING:
    from conftest import ResponseStream, StreamEvent  # the fixtures' types, for readers only

pytestmark = [pytest.mark.capability("responses"), pytest.mark.capability("streaming")]

TERMINAL = ("response.completed", "response.incomplete")
ITEM_ADDED, ITEM_DONE = "response.output_item.added", "response.output_item.done"
TEXT_DELTA, TEXT_DONE = "response.output_text.delta", "response.output_text.done"


def _violation(
    stream: ResponseStream, title: str, expected: str, received: Any, *, check: CheckId
) -> ContractViolation:
    return ContractViolation(
        title, expected=expected, received=received, check=check, operation=stream.operation
    )


def test_stream_opens_with_created_and_closes_with_completed(text_stream: ResponseStream) -> None:
    """A Responses stream opens with response.created and closes with one response.completed"""
    events = text_stream.events
    if not events or events[0].type != "response.created":
        first = str(events[0]) if events else "(no events)"
        raise _violation(
            text_stream,
            f"Stream opens with {first}",
            "event 0: response.created",
            text_stream.names(0),
            check=RESPONSES_STREAM_CREATED,
        )
    terminal = text_stream.of_type(*TERMINAL)
    if len(terminal) != 1 or terminal[0] is not events[-1]:
        raise _violation(
            text_stream,
            "Stream does not close with one response.completed",
            "one response.completed (or .incomplete when max_output_tokens cut it), as the last event",
            f"{len(events)} events, ending {text_stream.names(-1, span=4)}",
            check=RESPONSES_STREAM_COMPLETED,
        )
    status = terminal[0].payload.get("response", {}).get("status")
    wanted = "completed" if terminal[0].type == "response.completed" else "incomplete"
    if status != wanted:
        raise _violation(
            text_stream,
            f"The final {terminal[0].type} carries a response with status {status!r}",
            f"response.status {wanted!r} on {terminal[0].type}",
            terminal[0].payload,
            check=RESPONSES_STREAM_COMPLETED,
        )


def _position(event: StreamEvent) -> tuple[Any, Any]:
    return event.payload.get("output_index"), event.payload.get("content_index")


def _misordered(stream: ResponseStream) -> tuple[StreamEvent, str] | None:
    """The first event out of place within its output item, and what it should have come after."""
    opened: set[Any] = set()
    closed: set[Any] = set()
    finished: dict[tuple[Any, Any, str], StreamEvent] = {}  # (item, part, kind) -> its .done event
    for event in stream.events:
        item = event.payload.get("output_index")
        if item is None:
            continue
        if event.type == ITEM_ADDED:
            opened.add(item)
            continue
        if item not in opened:
            return event, f"response.output_item.added for output_index {item}"
        if item in closed:
            return event, f"nothing for output_index {item} after its response.output_item.done"
        if event.type == ITEM_DONE:
            closed.add(item)
            continue
        kind, _, phase = event.type.rpartition(".")
        key = (*_position(event), kind)
        if phase == "done":
            finished[key] = event
        elif phase == "delta" and key in finished:
            return event, f"every {kind}.delta before {kind}.done ({finished[key]})"
    return None


def test_stream_events_are_numbered_and_in_order(text_stream: ResponseStream) -> None:
    """Events carry increasing sequence_number, and each item's deltas come between its added and done"""
    previous: StreamEvent | None = None
    for event in text_stream.events:
        number = event.payload.get("sequence_number")
        last: int = previous.payload["sequence_number"] if previous else -1  # checked below
        if not isinstance(number, int) or isinstance(number, bool) or number <= last:
            raise _violation(
                text_stream,
                f"sequence_number does not increase at event {event.index} ({event.type})",
                f"an integer sequence_number greater than {last} (that of {previous or 'no earlier event'})",
                f"sequence_number: {number!r}",
                check=RESPONSES_STREAM_SEQUENCE,
            )
        previous = event
    if found := _misordered(text_stream):
        event, expected = found
        raise _violation(
            text_stream,
            f"Event {event.index} ({event.type}) is out of order",
            expected,
            text_stream.names(event.index),
            check=RESPONSES_STREAM_ORDER,
        )


def test_text_deltas_join_into_the_final_output_text(text_stream: ResponseStream) -> None:
    """The output_text deltas of a stream join into its final output text"""
    joined: dict[tuple[Any, Any], str] = defaultdict(str)
    for event in text_stream.of_type(TEXT_DELTA):
        joined[_position(event)] += str(event.payload.get("delta") or "")
    if not joined:
        raise _violation(
            text_stream,
            "Stream carries no output_text delta",
            f"{TEXT_DELTA} events (the answer's text)",
            text_stream.names(),
            check=RESPONSES_STREAM_DELTAS,
        )
    for done in text_stream.of_type(TEXT_DONE):
        if done.payload.get("text") != joined[_position(done)]:
            raise _violation(
                text_stream,
                f"Text deltas do not join into the text of {done}",
                f"the deltas of output {_position(done)} to join into {done.payload.get('text')!r}",
                joined[_position(done)],
                check=RESPONSES_STREAM_DELTAS,
            )
    final = text_stream.final_text
    if final is not None and final != "".join(joined.values()):
        raise _violation(
            text_stream,
            "Text deltas do not join into the output text of the final response",
            f"the deltas to join into the final output text {final!r}",
            "".join(joined.values()),
            check=RESPONSES_STREAM_DELTAS,
        )
