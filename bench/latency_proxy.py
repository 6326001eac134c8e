"""A counting reverse proxy that adds latency: a fast local gateway made to answer like a far one.

Every request is forwarded to ``upstream`` (streams included, chunk by chunk) after ``delay``
seconds.  The proxy counts what it saw: requests, the most in flight at once, statuses.  It can
also answer the first ``throttle`` requests itself with 429 and ``Retry-After``.  Used by
``bench/bench_run.py`` and by the runner's concurrency tests (budget never exceeded, counted
here, where no gatecheck code can miscount).

    with LatencyProxy("http://127.0.0.1:8765", delay=0.3) as proxy:
        ...  # point gatecheck at proxy.url
        print(proxy.stats.requests, proxy.stats.max_in_flight)
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

__all__ = ["LatencyProxy", "ProxyStats"]

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


@dataclass
class ProxyStats:
    """What the proxy saw; changed only on the proxy's event loop."""

    requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    throttled_at: list[float] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)


class LatencyProxy:
    """Serve on 127.0.0.1 in a thread; use as a context manager."""

    def __init__(self, upstream: str, *, delay: float = 0.3, throttle: int = 0, retry_after: int = 1) -> None:
        self.upstream, self.delay = upstream.rstrip("/"), delay
        self.throttle, self.retry_after = throttle, retry_after
        self.stats = ProxyStats()
        self._client: httpx.AsyncClient | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        stats = self.stats
        stats.requests += 1
        stats.arrivals.append(time.monotonic())
        stats.in_flight += 1
        stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
        try:
            if stats.requests <= self.throttle:
                stats.throttled_at.append(time.monotonic())
                await self._answer(send, 429, b'{"error": {"message": "slow down"}}', self.retry_after)
                return
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            await asyncio.sleep(self.delay)
            await self._forward(scope, body, send)
        finally:
            stats.in_flight -= 1

    async def _answer(self, send: Any, status: int, body: bytes, retry_after: int | None) -> None:
        self.stats.statuses[status] += 1
        headers = [(b"content-type", b"application/json")]
        if retry_after is not None:
            headers.append((b"retry-after", str(retry_after).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _forward(self, scope: dict[str, Any], body: bytes, send: Any) -> None:
        assert self._client is not None
        # the raw path, as received: fuzzed requests carry bytes a parsed URL would refuse
        raw = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string") or b""
        headers = [(k, v) for k, v in scope["headers"] if k.decode().lower() not in _HOP_BY_HOP]
        try:
            url = httpx.URL(self.upstream).copy_with(raw_path=raw + (b"?" + query if query else b""))
            request = self._client.build_request(scope["method"], url, headers=headers, content=body)
        except httpx.InvalidURL:  # control characters in a fuzzed path: refused, as a server would
            await self._answer(send, 400, b'{"error": {"message": "invalid URL"}}', None)
            return
        response = await self._client.send(request, stream=True)
        try:
            self.stats.statuses[response.status_code] += 1
            out = [(k.encode(), v.encode()) for k, v in response.headers.items() if k not in _HOP_BY_HOP]
            await send({"type": "http.response.start", "status": response.status_code, "headers": out})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()

    def _serve(self, sock: socket.socket) -> None:
        async def main() -> None:
            limits = httpx.Limits(max_connections=None, max_keepalive_connections=64)
            async with httpx.AsyncClient(timeout=120, limits=limits) as client:
                self._client = client
                assert self._server is not None
                await self._server.serve(sockets=[sock])

        asyncio.run(main())

    def __enter__(self) -> LatencyProxy:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(256)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self, log_level="error", lifespan="off", timeout_keep_alive=30)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="latency-proxy", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the latency proxy did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
