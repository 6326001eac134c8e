"""A counting reverse proxy: every request that reaches it is counted, then forwarded upstream.

It stands in front of the built-in mock so a run sees a "real" target (budgets apply) while
the proxy counts what actually arrived, which is what a budget must bound.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

__all__ = ["counting_proxy"]

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


class _Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream: str
    counter: list[str]
    lock: threading.Lock

    def log_message(self, *args: object) -> None:
        pass

    def _forward(self) -> None:
        with self.lock:
            self.counter.append(f"{self.command} {self.path}")
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        with (
            httpx.Client(timeout=60) as client,
            client.stream(self.command, self.upstream + self.path, headers=headers, content=body) as answer,
        ):
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in answer.iter_bytes():
                self.wfile.write(chunk)
                self.wfile.flush()
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward


@contextmanager
def counting_proxy(upstream: str) -> Iterator[tuple[str, list[str]]]:
    """``(proxy root URL, requests seen)`` for a proxy in front of ``upstream`` (a root URL)."""
    counter: list[str] = []
    handler = type(
        "Proxy", (_Proxy,), {"upstream": upstream.rstrip("/"), "counter": counter, "lock": threading.Lock()}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", counter
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
