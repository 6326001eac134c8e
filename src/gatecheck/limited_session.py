"""The requests session schemathesis sends through, with the same budget, breaker and limits as
:mod:`gatecheck.http`.

schemathesis sends every generated request, and the probes its checks add (``ignored_auth``
resends without credentials), through the session it is given, with ``stream=True``; it then
reads an event stream itself (``raw.read1``) and anything else with ``response.content``.  So
:meth:`LimitedSession.send` charges the budget before anything leaves, reads a plain body here
through a :class:`~gatecheck.reading.ReadGuard` (the cached ``content`` is then all
schemathesis sees), and puts a guard in front of ``raw`` for an event stream.  urllib3 (2.x)
decompresses with ``max_length``, so a bounded read of decoded bytes is a bounded read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

from gatecheck.budget import Budget
from gatecheck.limits import SLOW_STREAM_CHECKS, Limits, StreamLimitExceeded, current_limits
from gatecheck.reading import DECODED_CHUNK, ReadGuard, asks_for_stream, is_event_stream, token_ceiling

__all__ = ["LimitedSession"]


class _GuardedRaw:
    """``response.raw`` with every decoded read counted by a guard; other attributes pass through."""

    def __init__(
        self,
        raw: Any,
        guard: ReadGuard,
        on_slow: Callable[[str], Any] | None = None,
        on_done: Callable[[], Any] | None = None,
    ) -> None:
        self._raw, self._guard, self._on_slow, self._on_done = raw, guard, on_slow, on_done

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def _fed(self, data: bytes) -> bytes:
        self._guard.feed(data)
        return data

    def _checked(self, read: Any) -> bytes:
        try:
            self._guard.check_time()
            data = self._fed(read())
            if not data and self._on_done is not None:
                self._on_done()
            return data
        except StreamLimitExceeded as exc:
            if exc.check in SLOW_STREAM_CHECKS and self._on_slow is not None:
                self._on_slow(f"{self._guard.operation} trickled ({exc.check})")
            raise

    def read1(self, amt: int | None = None, decode_content: bool | None = None) -> bytes:
        self._guard.check_time()
        return self._fed(
            self._raw.read1(min(amt or DECODED_CHUNK, DECODED_CHUNK), decode_content=decode_content)
        )

    def read(self, amt: int | None = None, decode_content: bool | None = None, **kwargs: Any) -> bytes:
        if amt is None:  # "everything": still read, and counted, one bounded chunk at a time
            return b"".join(self.stream(DECODED_CHUNK, decode_content=decode_content))
        size = min(amt, DECODED_CHUNK)
        return self._checked(lambda: self._raw.read(size, decode_content=decode_content))

    def stream(self, amt: int = DECODED_CHUNK, decode_content: bool | None = None) -> Any:
        while chunk := self.read(amt, decode_content=decode_content):
            yield chunk


class LimitedSession(requests.Session):
    """A requests session bounded by the run's budget, breaker and limits."""

    def __init__(self, budget: Budget, *, limits: Limits | None = None, timeout: float = 30.0) -> None:
        super().__init__()
        self.budget, self.timeout = budget, timeout
        self.limits = limits or current_limits()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
        streamed = asks_for_stream(body)
        reserve = token_ceiling(body) if request.method != "GET" else 0
        self.budget.charge_request(reserve)
        wait = self.limits.stream_duration if streamed else self.limits.request_deadline
        kwargs["timeout"] = _capped_timeout(kwargs.get("timeout"), wait)
        caller_streams = bool(kwargs.get("stream"))
        kwargs["stream"] = True
        # Never followed, as in gatecheck.http: an API answering a redirect (or a loop of them)
        # is judged on that answer, and every request gatecheck sends is one it charged.
        kwargs["allow_redirects"] = False
        started = time.monotonic()
        operation = f"{request.method} {requests.utils.urlparse(request.url or '').path}"
        try:
            response = super().send(request, **kwargs)
        except requests.Timeout:
            self.budget.note_timeout(f"{operation} (no answer)", self.limits.breaker_timeouts)
            raise
        stream = streamed or is_event_stream(response.headers.get("content-type"))
        guard = ReadGuard(operation, self.limits, stream=stream, timeout=self.timeout, started=started)
        if response._content is not False:  # already read (by an adapter, or a redirect's inner send)
            response._content_consumed = True
            self._settle(response, reserve)
            return response

        def slow(what: str) -> None:
            self.budget.note_timeout(what, self.limits.breaker_timeouts)

        response.raw = _GuardedRaw(response.raw, guard, slow, self.budget.note_answer)
        if not caller_streams or not stream:
            try:
                content = b"".join(response.raw.stream(DECODED_CHUNK, decode_content=True))
            except ReadTimeoutError as exc:
                response.close()
                self.budget.note_timeout(f"{operation} (went silent mid-body)", self.limits.breaker_timeouts)
                raise requests.exceptions.ReadTimeout(exc, request=request) from None
            except ProtocolError as exc:
                response.close()
                raise requests.exceptions.ChunkedEncodingError(exc, request=request) from None
            except DecodeError as exc:
                response.close()
                raise requests.exceptions.ContentDecodingError(exc, request=request) from None
            except BaseException:
                response.close()
                raise
            response._content, response._content_consumed = content, True
            self.budget.note_answer()  # a whole answer: timeouts are no longer in a row
            response.raw.release_conn()
        self._settle(response, reserve)
        return response

    def _settle(self, response: requests.Response, reserved: int) -> None:
        if response.status_code >= 400:
            self.budget.settle(reserved, 0)
            return
        read = isinstance(response._content, bytes)
        if not read or "application/json" not in response.headers.get("content-type", ""):
            return
        try:
            usage = response.json().get("usage")
        except (ValueError, AttributeError):
            return
        tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
        if isinstance(tokens, int) and not isinstance(tokens, bool):
            self.budget.settle(reserved, tokens)


def _capped_timeout(timeout: Any, wait: float) -> Any:
    if timeout is None:
        return (min(5.0, wait), wait)
    if isinstance(timeout, tuple):
        return tuple(wait if t is None else min(t, wait) for t in timeout)
    return min(float(timeout), wait)
