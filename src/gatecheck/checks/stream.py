"""Streamed chat completions: capture a stream as it arrived, then check its framing.

A tolerant SSE client hides exactly what a gateway gets wrong (a buffered stream, a comment sent
as data, a missing ``[DONE]``), so :func:`capture_stream` records the raw facts (every network
read with its time and size, every decoded item with its arrival time, an unterminated tail,
a connection cut) and the ``check_*`` functions judge them.  Each check is pure, takes a
:class:`StreamCapture`, and raises ContractViolation naming the event index and the field.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from gatecheck.check_ids import (
    STREAM_AFTER_DONE,
    STREAM_BUFFERED,
    STREAM_CHUNK_IDENTITY,
    STREAM_CHUNK_OBJECT,
    STREAM_COMMENT_AS_DATA,
    STREAM_CONTENT_TYPE,
    STREAM_DATA_JSON,
    STREAM_DONE,
    STREAM_ERROR_EVENT,
    STREAM_FINISH_REASON,
    STREAM_ROLE,
    STREAM_STATUS,
    STREAM_TOOL_CALL,
    STREAM_TOOL_CALL_ARGUMENTS,
    STREAM_TOOL_CALL_ID,
    STREAM_TOOL_CALL_INDEX,
    STREAM_USAGE_COUNT,
    STREAM_USAGE_SHAPE,
    STREAM_USAGE_TOTALS,
    CheckId,
)
from gatecheck.checks.cost import check_usage_cost
from gatecheck.failures import ContractViolation, excerpt
from gatecheck.sse import SSEComment, SSEDecoder, SSEEvent, SSEItem
from gatecheck.verdicts import inconclusive

__all__ = [
    "DONE",
    "JUDGEABLE_PRODUCTION",
    "StreamCapture",
    "TimedItem",
    "capture_stream",
    "carries_token",
    "check_chunk_identity",
    "check_comments_stay_comments",
    "check_content_type",
    "check_data_is_json",
    "check_done_sentinel",
    "check_ends_with_error_event",
    "check_first_chunk_role",
    "check_not_buffered",
    "check_single_finish_reason",
    "check_status",
    "check_tool_call_deltas",
    "check_usage_chunk",
    "content_chunks",
    "joined_content",
]

DONE = "[DONE]"
CHUNK_OBJECT = "chat.completion.chunk"


@dataclass(frozen=True)
class TimedItem:
    """One decoded SSE item, the time since the request was sent and the read that completed it."""

    t: float
    read: int
    item: SSEItem


@dataclass
class StreamCapture:
    """Everything observable about one streamed answer, in arrival order."""

    operation: str
    status: int
    headers: httpx.Headers
    reads: list[tuple[float, int]] = field(default_factory=list)  # (seconds since send, bytes)
    items: list[TimedItem] = field(default_factory=list)
    unterminated: str | None = None  # an event the stream stopped in the middle of
    transport_error: str | None = None  # the connection broke before the body was complete
    total: float = 0.0
    body: bytes = b""

    @property
    def events(self) -> list[SSEEvent]:
        return [i.item for i in self.items if isinstance(i.item, SSEEvent)]

    @property
    def comments(self) -> list[SSEComment]:
        return [i.item for i in self.items if isinstance(i.item, SSEComment)]

    @property
    def first_byte(self) -> float | None:
        """Seconds until the first byte of the body arrived."""
        return self.reads[0][0] if self.reads else None

    @property
    def first_token(self) -> float | None:
        """Seconds until the first chunk carrying content or a tool call arrived."""
        for timed in self.items:
            if isinstance(timed.item, SSEEvent) and carries_token(_loads(timed.item.data)):
                return timed.t
        return None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def _loads(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def _delta(chunk: Any) -> dict[str, Any]:
    choices = chunk.get("choices") if isinstance(chunk, dict) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        delta = choices[0].get("delta")
        return delta if isinstance(delta, dict) else {}
    return {}


def carries_token(chunk: Any) -> bool:
    """The chunk delivers answer content or a tool call (not just a role, finish or usage)."""
    delta = _delta(chunk)
    return bool(delta.get("content") or delta.get("tool_calls"))


def capture_stream(
    client: httpx.Client,
    path: str,
    json: dict[str, Any],
    timeout: float | None = None,
    *,
    operation: str | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> StreamCapture:
    """POST ``json`` to ``path`` and record the answer as it arrives; never raises on a bad stream."""
    op = operation or f"POST /{path.lstrip('/')}"
    extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    start = clock()
    with client.stream("POST", path, json=json, **extra) as response:
        capture = StreamCapture(op, response.status_code, response.headers)
        decoder = SSEDecoder()
        body = bytearray()
        try:
            for piece in response.iter_bytes():
                now = clock() - start
                capture.reads.append((now, len(piece)))
                body += piece
                read = len(capture.reads) - 1
                capture.items += [TimedItem(now, read, item) for item in decoder.feed(piece)]
        except httpx.TransportError as exc:
            capture.transport_error = f"{type(exc).__name__}: {exc}"
        rest, capture.unterminated = decoder.close()
        capture.total = clock() - start
        capture.items += [TimedItem(capture.total, len(capture.reads) - 1, item) for item in rest]
        capture.body = bytes(body)
    return capture


def _fail(
    capture: StreamCapture, title: str, expected: str, received: Any, *, check: CheckId
) -> ContractViolation:
    return ContractViolation(
        title, expected=expected, received=received, check=check, operation=capture.operation
    )


def check_status(capture: StreamCapture, expected: int = 200) -> None:
    """The stream was answered with ``expected``; otherwise nothing else about it can be judged."""
    if capture.status != expected:
        raise _fail(
            capture,
            f"Streamed request answered HTTP {capture.status}",
            f"HTTP {expected} and an event stream",
            f"HTTP {capture.status} {capture.content_type or '(no content type)'}: "
            f"{excerpt(capture.body.decode('utf-8', 'replace'), 300) or '(empty body)'}",
            check=STREAM_STATUS,
        )


def check_content_type(capture: StreamCapture) -> None:
    """A stream must say it is one, or SSE clients will not parse it incrementally."""
    if not capture.content_type.split(";")[0].strip().lower() == "text/event-stream":
        raise _fail(
            capture,
            "Stream is not served as text/event-stream",
            "Content-Type: text/event-stream",
            f"HTTP {capture.status} Content-Type: {capture.content_type or '(none)'}",
            check=STREAM_CONTENT_TYPE,
        )


def _indexed_events(capture: StreamCapture) -> Iterator[tuple[int, SSEEvent]]:
    yield from enumerate(capture.events)


def check_comments_stay_comments(capture: StreamCapture) -> None:
    """Keep-alives such as ``: OPENROUTER PROCESSING`` must be SSE comments, not data."""
    for index, event in _indexed_events(capture):
        if event.data.lstrip().startswith(":"):
            raise _fail(
                capture,
                f"Comment sent as data in event {index}",
                "keep-alive comments as ': text' lines, never 'data: : text'",
                f"data: {event.data}",
                check=STREAM_COMMENT_AS_DATA,
            )


def check_data_is_json(capture: StreamCapture) -> None:
    """Every data payload but the final sentinel is one JSON object."""
    for index, event in _indexed_events(capture):
        if event.data != DONE and not isinstance(_loads(event.data), dict):
            raise _fail(
                capture,
                f"Event {index} data is not a JSON object",
                "every data payload except [DONE] to be a JSON object",
                f"data: {event.data}",
                check=STREAM_DATA_JSON,
            )


def content_chunks(capture: StreamCapture) -> list[tuple[int, dict[str, Any]]]:
    """(event index, chunk) for every JSON chunk before ``[DONE]``; non-JSON is a violation."""
    check_data_is_json(capture)
    chunks = []
    for index, event in _indexed_events(capture):
        if event.data == DONE:
            break
        chunks.append((index, json.loads(event.data)))
    return chunks


def check_done_sentinel(capture: StreamCapture) -> None:
    """The stream ends with ``data: [DONE]``, completely, and nothing follows it."""
    if capture.transport_error or capture.unterminated is not None:
        raise _fail(
            capture,
            "Stream was cut off",
            "a complete stream ending with data: [DONE]",
            capture.transport_error or f"unterminated event: {capture.unterminated}",
            check=STREAM_DONE,
        )
    events = capture.events
    done = [i for i, e in enumerate(events) if e.data == DONE]
    if not done:
        last = events[-1].data if events else "(no events)"
        raise _fail(
            capture,
            "Stream has no [DONE] sentinel",
            "a final data: [DONE]",
            f"last event: {last}",
            check=STREAM_DONE,
        )
    after = [t.item for t in capture.items][_item_index_of(capture, done[0]) + 1 :]
    if len(done) > 1 or after:
        raise _fail(
            capture,
            "Stream continues after [DONE]",
            "nothing after data: [DONE]",
            [getattr(item, "data", None) or f": {getattr(item, 'text', '')}" for item in after][:5],
            check=STREAM_AFTER_DONE,
        )


def _item_index_of(capture: StreamCapture, event_index: int) -> int:
    seen = -1
    for position, timed in enumerate(capture.items):
        if isinstance(timed.item, SSEEvent):
            seen += 1
            if seen == event_index:
                return position
    raise IndexError(event_index)


def check_chunk_identity(capture: StreamCapture) -> None:
    """Every chunk is a ``chat.completion.chunk`` with the same id, model and created."""
    first: dict[str, Any] | None = None
    for index, chunk in content_chunks(capture):
        if "error" in chunk:
            continue
        if chunk.get("object") != CHUNK_OBJECT:
            raise _fail(
                capture,
                f"Event {index} is not a chat.completion.chunk",
                f"object: {CHUNK_OBJECT!r}",
                f"object: {chunk.get('object')!r}",
                check=STREAM_CHUNK_OBJECT,
            )
        first = first or chunk
        for name in ("id", "model", "created"):
            if chunk.get(name) in (None, "") or chunk.get(name) != first.get(name):
                raise _fail(
                    capture,
                    f"Chunk {name} changes within the stream at event {index}",
                    f"{name} {first.get(name)!r} on every chunk",
                    f"{name}: {chunk.get(name)!r}",
                    check=STREAM_CHUNK_IDENTITY,
                )


def _choice_chunks(capture: StreamCapture) -> list[tuple[int, dict[str, Any]]]:
    return [(i, c) for i, c in content_chunks(capture) if isinstance(c.get("choices"), list) and c["choices"]]


def check_first_chunk_role(capture: StreamCapture) -> None:
    """The first chunk with a choice announces ``role: assistant`` in its delta."""
    chunks = _choice_chunks(capture)
    if not chunks:
        raise _fail(
            capture,
            "Stream has no chunk with choices",
            "at least one chunk with a choice",
            "none",
            check=STREAM_ROLE,
        )
    index, chunk = chunks[0]
    if _delta(chunk).get("role") != "assistant":
        raise _fail(
            capture,
            f"First chunk (event {index}) lacks role: assistant",
            "choices[0].delta.role == 'assistant' on the first chunk",
            f"choices[0].delta: {excerpt(_delta(chunk), 200)}",
            check=STREAM_ROLE,
        )


def check_single_finish_reason(capture: StreamCapture) -> None:
    """Exactly one chunk carries a finish_reason, and it is the last chunk with a choice."""
    chunks = _choice_chunks(capture)
    finishing = [
        (i, c["choices"][0].get("finish_reason")) for i, c in chunks if c["choices"][0].get("finish_reason")
    ]
    last_index = chunks[-1][0] if chunks else None
    if len(finishing) != 1 or finishing[0][0] != last_index:
        raise _fail(
            capture,
            "Stream does not have exactly one finish_reason, on its last chunk",
            f"one finish_reason, on event {last_index} (the last chunk with a choice)",
            f"finish_reason on events {[i for i, _ in finishing]}: {[r for _, r in finishing]}",
            check=STREAM_FINISH_REASON,
        )


def _usage_chunks(capture: StreamCapture) -> list[tuple[int, dict[str, Any]]]:
    return [(i, c) for i, c in content_chunks(capture) if isinstance(c.get("usage"), dict)]


def check_usage_chunk(capture: StreamCapture, *, with_cost: bool) -> dict[str, Any]:
    """One usage chunk with ``choices: []`` right before ``[DONE]``, totals adding up; returns usage."""
    chunks = content_chunks(capture)
    usage = _usage_chunks(capture)
    if len(usage) != 1:
        raise _fail(
            capture,
            f"Stream has {len(usage)} usage chunks",
            "exactly one chunk with usage (stream_options.include_usage)",
            f"usage on events {[i for i, _ in usage]}",
            check=STREAM_USAGE_COUNT,
        )
    index, chunk = usage[0]
    if chunk.get("choices") != [] or index != chunks[-1][0]:
        raise _fail(
            capture,
            f"Usage chunk (event {index}) is not a final chunk with choices: []",
            f"choices: [] on the last chunk before [DONE] (event {chunks[-1][0]})",
            f"event {index} choices: {excerpt(chunk.get('choices'), 200)}",
            check=STREAM_USAGE_SHAPE,
        )
    totals = chunk["usage"]
    _check_totals(capture, totals, index)
    if with_cost:
        check_usage_cost(totals, operation=capture.operation, where=f"the usage chunk (event {index})")
    return totals


def _check_totals(capture: StreamCapture, usage: dict[str, Any], index: int) -> None:
    counts = [usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts) or (
        counts[0] + counts[1] != counts[2]  # type: ignore[operator]
    ):
        raise _fail(
            capture,
            f"Usage totals in event {index} do not add up",
            "non-negative integers with prompt_tokens + completion_tokens == total_tokens",
            usage,
            check=STREAM_USAGE_TOTALS,
        )


def joined_content(capture: StreamCapture) -> str:
    """The answer a client shows: every ``delta.content`` joined in order."""
    return "".join(str(_delta(c).get("content") or "") for _, c in content_chunks(capture))


#: A production shorter than this is too quick for a stream's timing to show anything.
JUDGEABLE_PRODUCTION = 0.1


def _token_times(capture: StreamCapture) -> list[TimedItem]:
    return [t for t in capture.items if isinstance(t.item, SSEEvent) and carries_token(_loads(t.item.data))]


def _delivery(capture: StreamCapture, production: float | None) -> str:
    tokens = _token_times(capture)
    reads = len({t.read for t in tokens})
    spread = tokens[-1].t - tokens[0].t if tokens else 0.0
    made = "unknown" if production is None else f"at least {production:.3f} s"
    return (
        f"{len(tokens)} content chunks in {reads} reads, "
        f"arriving over {spread:.3f} s of {capture.total:.3f} s "
        f"(first byte at {capture.first_byte or 0:.3f} s, first content at {capture.first_token or 0:.3f} s; "
        f"time the target took to produce them: {made})"
    )


def check_not_buffered(
    capture: StreamCapture, *, production: float | None = None, min_reads: int = 3, min_spread: float = 0.1
) -> None:
    """Tokens arrive as they are produced: in several reads, spread over the time they took to make.

    From the client's side a buffering proxy and a server that produced the whole answer before
    its first byte look the same: everything arrives in one burst.  Only a known production time
    (``production``: a lower bound on how long the target spent making the content, e.g. the
    built-in mock's configured pacing) tells them apart.  So a stream delivered in several reads
    passes (when the pace is known, the reads must also spread over a share of the production
    time), a burst whose production lasted at least :data:`JUDGEABLE_PRODUCTION` fails, and any
    other burst is *inconclusive* with the figures: a fast server is never called buffered.
    """
    tokens = _token_times(capture)
    reads = len({t.read for t in tokens})
    spread = tokens[-1].t - tokens[0].t if tokens else 0.0
    judgeable = production is not None and production >= JUDGEABLE_PRODUCTION
    if judgeable and production is not None:
        if reads >= min_reads and spread >= min_spread * production:
            return
        raise _fail(
            capture,
            "Stream is buffered, not sent as tokens are produced",
            f"content chunks in at least {min_reads} reads, arriving over at least {min_spread:.0%} "
            "of the time the target took to produce them",
            _delivery(capture, production),
            check=STREAM_BUFFERED,
        )
    if reads >= min_reads:
        return
    why = "cannot tell a buffered stream from one produced before its first byte"
    inconclusive(f"{why}: {_delivery(capture, production)}")


def check_tool_call_deltas(capture: StreamCapture) -> dict[int, dict[str, Any]]:
    """Streamed tool calls: ``index`` on every delta, ``id`` and name on each call's first,
    argument fragments joining into JSON; returns the assembled calls by index."""
    calls: dict[int, dict[str, Any]] = {}
    for index, chunk in _choice_chunks(capture):
        for fragment in _delta(chunk).get("tool_calls") or []:
            slot = fragment.get("index") if isinstance(fragment, dict) else None
            if not isinstance(slot, int) or isinstance(slot, bool):
                raise _fail(
                    capture,
                    f"Tool call delta in event {index} has no index",
                    "an integer index on every tool_calls delta",
                    fragment,
                    check=STREAM_TOOL_CALL_INDEX,
                )
            if slot not in calls:
                function = fragment.get("function") or {}
                if not fragment.get("id") or not function.get("name"):
                    raise _fail(
                        capture,
                        f"First delta of tool call {slot} (event {index}) lacks its id or name",
                        "id and function.name on a tool call's first delta",
                        fragment,
                        check=STREAM_TOOL_CALL_ID,
                    )
                calls[slot] = {"id": fragment["id"], "name": function["name"], "arguments": ""}
            calls[slot]["arguments"] += (fragment.get("function") or {}).get("arguments") or ""
    if not calls:
        raise _fail(
            capture,
            "Stream carries no tool call",
            "tool_calls deltas (tool_choice forced one)",
            joined_content(capture) or "(no content)",
            check=STREAM_TOOL_CALL,
        )
    for slot, call in calls.items():
        try:
            json.loads(call["arguments"])
        except ValueError:
            raise _fail(
                capture,
                f"Tool call {slot} arguments do not join into JSON",
                "argument fragments that concatenate to a JSON document",
                call["arguments"],
                check=STREAM_TOOL_CALL_ARGUMENTS,
            ) from None
    return calls


def check_ends_with_error_event(capture: StreamCapture) -> dict[str, Any]:
    """A stream that fails after its first byte says so in a final error event and ends cleanly."""
    if capture.transport_error or capture.unterminated is not None:
        raise _fail(
            capture,
            "Failed stream was cut instead of ending with an error event",
            "an error event, then a clean end of stream",
            capture.transport_error or f"unterminated event: {capture.unterminated}",
            check=STREAM_ERROR_EVENT,
        )
    payloads = [_loads(e.data) for e in capture.events if e.data != DONE]
    last = payloads[-1] if payloads else None
    error = last.get("error") if isinstance(last, dict) else None
    if not isinstance(error, dict) or not error.get("message"):
        raise _fail(
            capture,
            "Failed stream does not end with an error event",
            "a last data event {'error': {'message': ...}}",
            f"last event: {capture.events[-1].data if capture.events else '(no events)'}",
            check=STREAM_ERROR_EVENT,
        )
    return error
