"""The httpx clients suites use: authenticated, budgeted, bounded, shape-recording.

Built from a Target, never from ad-hoc ``os.environ`` reads, so a missing key is a clear
harness error instead of a confusing 401.  Every request goes through :class:`LimitedTransport`,
which, before anything leaves, refuses it when the target was declared not answering and
charges it (with its token ceiling) to the run's budget; then bounds it by the run's limits
(:mod:`gatecheck.limits`): the wait for headers by the request deadline, the body by
:class:`~gatecheck.reading.ReadGuard` as it is read, decompression by
:class:`~gatecheck.reading.CappedDecoder`.  Timeouts feed the circuit breaker.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx

from gatecheck.budget import Budget
from gatecheck.extra_body import ExtraBodyTransport
from gatecheck.limits import SLOW_STREAM_CHECKS, Limits, StreamLimitExceeded, current_limits
from gatecheck.reading import CappedDecoder, ReadGuard, asks_for_stream, is_event_stream, token_ceiling
from gatecheck.retry import RetryTransport
from gatecheck.shapes import record_shape
from gatecheck.tls import transport as tls_transport

__all__ = ["RESERVED", "LimitedTransport", "make_client"]

#: ``request.extensions`` key holding the tokens reserved for the request.
RESERVED = "gatecheck.reserved"


def _operation(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


class _GuardedStream(httpx.SyncByteStream):
    """The response body, decoded within the cap and counted as it is read."""

    def __init__(
        self,
        inner: httpx.SyncByteStream,
        guard: ReadGuard,
        decoder: CappedDecoder | None,
        on_timeout: Callable[[str], None],
        on_done: Callable[[], None],
    ) -> None:
        self._inner, self._guard, self._decoder, self._on_timeout = inner, guard, decoder, on_timeout
        self._on_done = on_done

    def _decoded(self) -> Iterator[bytes]:
        try:
            for raw in self._inner:
                if self._decoder is None:
                    yield raw
                    continue
                try:
                    yield from self._decoder.decode(raw)
                except ValueError as exc:
                    raise httpx.DecodingError(str(exc)) from None
            if self._decoder is not None and (rest := self._decoder.flush()):
                yield rest
        except httpx.TimeoutException as exc:
            self._on_timeout(f"{self._guard.operation} went silent mid-body ({type(exc).__name__})")
            raise

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._guard.iterate(self._decoded())
            self._on_done()  # a whole answer: timeouts are no longer in a row
        except StreamLimitExceeded as exc:
            if exc.check in SLOW_STREAM_CHECKS:  # a trickle is a timeout to the breaker
                self._on_timeout(f"{self._guard.operation} trickled ({exc.check})")
            raise

    def close(self) -> None:
        self._inner.close()


class LimitedTransport(httpx.BaseTransport):
    """Wraps the real transport with the breaker, the budget and the run's limits."""

    def __init__(
        self,
        budget: Budget,
        *,
        timeout: float,
        limits: Limits | None = None,
        inner: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget, self.timeout, self.clock = budget, timeout, clock
        self.limits = limits or current_limits()
        self._inner = inner or tls_transport()

    def _timed_out(self, what: str) -> None:
        self.budget.note_timeout(what, self.limits.breaker_timeouts)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            content = request.content
        except httpx.RequestNotRead:
            content = b""
        streamed = asks_for_stream(content)
        reserve = token_ceiling(content) if request.method != "GET" else 0
        self.budget.charge_request(reserve)
        request.extensions = {**request.extensions, RESERVED: reserve}
        started = self.clock()
        wait = self.limits.stream_duration if streamed else self.limits.request_deadline
        timeouts = dict(request.extensions.get("timeout") or {})
        for phase in ("connect", "read", "write", "pool"):
            current = timeouts.get(phase)
            timeouts[phase] = wait if current is None else min(current, wait)
        request.extensions["timeout"] = timeouts
        try:
            response = self._inner.handle_request(request)
        except httpx.TimeoutException as exc:
            self._timed_out(f"{_operation(request)} ({type(exc).__name__})")
            raise
        stream = streamed or is_event_stream(response.headers.get("content-type"))
        guard = ReadGuard(
            _operation(request),
            self.limits,
            stream=stream,
            timeout=self.timeout,
            started=started,
            clock=self.clock,
        )
        headers = response.headers
        encoding = headers.get("content-encoding", "").strip().lower()
        decoder = None
        if encoding in CappedDecoder.SUPPORTED:
            decoder = CappedDecoder(encoding)
            headers = httpx.Headers(
                [(k, v) for k, v in headers.raw if k.lower() not in (b"content-encoding", b"content-length")]
            )
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=headers,
            stream=_GuardedStream(response.stream, guard, decoder, self._timed_out, self.budget.note_answer),
            extensions={**response.extensions, "gatecheck.content-encoding": encoding},
            request=request,
        )

    def close(self) -> None:
        self._inner.close()


def _observe(budget: Budget) -> Callable[[httpx.Response], None]:
    """Settle the token reservation and record the response shape of every plain JSON answer.

    Streamed answers are left alone: reading their body here would buffer the stream in our
    own client and hide the very thing the streaming suite measures; they keep their reservation.
    """

    def hook(response: httpx.Response) -> None:
        reserved = int(response.request.extensions.get(RESERVED, 0))
        if not response.is_success:
            budget.settle(reserved, 0)  # a refusal costs no tokens
        if "application/json" not in response.headers.get("content-type", ""):
            return
        if asks_for_stream(response.request.content):
            return
        response.read()
        try:
            body = json.loads(response.content)
        except ValueError:
            return
        if response.is_success:
            record_shape(f"{response.request.method} {response.request.url.path}", body)
            usage = body.get("usage") if isinstance(body, dict) else None
            tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
            if isinstance(tokens, int) and not isinstance(tokens, bool):
                budget.settle(reserved, tokens)

    return hook


def make_client(
    base_url: str,
    key: str | None,
    *,
    timeout: float = 30.0,
    budget: Budget | None = None,
    headers: dict[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
    limits: Limits | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A client for ``base_url``; paths given to it are relative (``client.post("chat/completions")``).

    ``body`` holds extra fields for every inference request body (``--body-field``).
    """
    budget = budget or Budget()
    all_headers = {"User-Agent": "gatecheck", **(headers or {})}
    if key:
        all_headers["Authorization"] = f"Bearer {key}"
    # Extra body fields go in first, so the budget charges the body that is really sent.
    limited = LimitedTransport(budget, timeout=timeout, limits=limits, inner=transport)
    retrying: httpx.BaseTransport = RetryTransport(limited)
    return httpx.Client(
        base_url=base_url.rstrip("/") + "/",
        # rate limits waited out (gatecheck.retry); every attempt charged by LimitedTransport
        transport=ExtraBodyTransport(retrying, body) if body else retrying,
        headers=all_headers,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        event_hooks={"response": [_observe(budget)]},
        # a redirect is judged as the answer it is (an API has no business redirecting), so a
        # redirect loop ends at its first hop, and no request goes out unjudged
        follow_redirects=False,
    )
