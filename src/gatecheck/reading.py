"""Reading an answer within the run's limits, whichever HTTP library carries it.

The httpx client suites use (:mod:`gatecheck.http`) and the requests session schemathesis sends
through (:mod:`gatecheck.checks.safety`) both feed every chunk they read through a
:class:`ReadGuard`, and decompress through :class:`CappedDecoder`, so a limit means the same in
both and is enforced in one place.  A gzip bomb never expands beyond the cap: zlib is asked
for at most one chunk of output at a time.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Iterable, Iterator

from gatecheck.budget import DEFAULT_CEILING
from gatecheck.limits import AnswerLimitExceeded, Limits, StreamLimit, StreamLimitExceeded

__all__ = [
    "DECODED_CHUNK",
    "CappedDecoder",
    "ReadGuard",
    "asks_for_stream",
    "is_event_stream",
    "token_ceiling",
]

DECODED_CHUNK = 64 * 1024
_TOKEN_FIELDS = ("max_tokens", "max_completion_tokens", "max_output_tokens")
_EVENT_ENDS = (b"\n\n", b"\r\n\r\n", b"\r\r")


def _body(content: bytes | None) -> object:
    if not content or len(content) > 4 * 1024 * 1024 or content[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def asks_for_stream(content: bytes | None) -> bool:
    """Whether a request body asks for a streamed answer (``"stream": true``)."""
    body = _body(content)
    return isinstance(body, dict) and body.get("stream") is True


def token_ceiling(content: bytes | None) -> int:
    """Tokens a request may cost at most: its output ceiling plus its prompt's size (a byte ~ ¼ token)."""
    if not content:
        return 0
    body = _body(content)
    ceiling = DEFAULT_CEILING
    if isinstance(body, dict):
        for name in _TOKEN_FIELDS:
            value = body.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                ceiling = value
                break
    return ceiling + len(content) // 4


def is_event_stream(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "text/event-stream"


class ReadGuard:
    """Counts what one answer delivered and raises as soon as it crosses a limit."""

    def __init__(
        self,
        operation: str,
        limits: Limits,
        *,
        stream: bool,
        timeout: float,
        started: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.operation, self.limits, self.stream, self.clock = operation, limits, stream, clock
        self.started = clock() if started is None else started
        self.gap = limits.gap(timeout)
        self.bytes = self.events = 0
        self._last_event = self.started
        self._tail = b""

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    def check_time(self) -> None:
        """Raise if the answer has taken too long (called before each read and after each chunk)."""
        now = self.clock()
        if not self.stream:
            if now - self.started > self.limits.request_deadline:
                raise AnswerLimitExceeded(
                    f"no complete answer within the {self.limits.request_deadline:g} s request deadline "
                    f"({self.bytes:,} bytes received)",
                    self.operation,
                )
            return
        if now - self.started > self.limits.stream_duration:
            self._stream_limit(
                "duration",
                f"still streaming after {now - self.started:.0f} s",
                f"the stream ends within {self.limits.stream_duration:g} s (stream-duration)",
            )
        if now - self._last_event > self.gap:
            self._stream_limit(
                "gap",
                f"no complete event for {now - self._last_event:.0f} s ({self.bytes:,} bytes trickled in)",
                f"a complete event at least every {self.gap:g} s (stream-gap)",
            )

    def feed(self, chunk: bytes) -> None:
        """Account ``chunk`` (decoded bytes); raise if a limit is crossed."""
        self.bytes += len(chunk)
        if self.stream:
            window = self._tail + chunk
            ended = sum(window.count(end) - self._tail.count(end) for end in _EVENT_ENDS)
            if ended:
                self.events += ended
                self._last_event = self.clock()
            self._tail = window[-3:]
            if self.events > self.limits.stream_events:
                self._stream_limit(
                    "events",
                    f"more than {self.limits.stream_events:,} events ({self.bytes:,} bytes)",
                    f"the stream ends within {self.limits.stream_events:,} events (stream-events)",
                )
            if self.bytes > self.limits.stream_bytes:
                self._stream_limit(
                    "bytes",
                    f"more than {self.limits.stream_bytes:,} bytes ({self.events:,} events)",
                    f"the stream ends within {self.limits.stream_bytes:,} bytes (stream-bytes)",
                )
        elif self.bytes > self.limits.body_bytes:
            raise AnswerLimitExceeded(
                f"answer body larger than the {self.limits.body_bytes:,}-byte cap "
                f"(read {self.bytes:,} bytes, decompressed, before stopping; body-bytes)",
                self.operation,
            )
        self.check_time()

    def _stream_limit(self, limit: StreamLimit, what: str, expected: str) -> None:
        raise StreamLimitExceeded(
            f"{what}; stopped reading after {self.elapsed:.1f} s",
            self.operation,
            limit=limit,
            expected=expected,
        )

    def iterate(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """``chunks`` passed through this guard."""
        self.check_time()
        for chunk in chunks:
            self.feed(chunk)
            yield chunk


class CappedDecoder:
    """gzip/deflate decoding that yields at most :data:`DECODED_CHUNK` bytes per step.

    Unlike decoding a whole network chunk at once (up to ~1,000 times its size for a bomb), this
    never holds more than one output chunk, so the guard's cap is the memory bound.
    """

    SUPPORTED = ("gzip", "x-gzip", "deflate")

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._first = encoding == "deflate"

    def decode(self, data: bytes) -> Iterator[bytes]:
        while data and not self._obj.eof:
            try:
                out = self._obj.decompress(data, DECODED_CHUNK)
            except zlib.error as exc:
                if self._first:  # "deflate" is often raw deflate without the zlib header
                    self._obj, self._first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise ValueError(f"{self.encoding} body does not decode: {exc}") from None
            self._first = False
            data = self._obj.unconsumed_tail
            if out:
                yield out

    def flush(self) -> bytes:
        return self._obj.flush(DECODED_CHUNK) if not self._obj.eof else b""
