"""A chat server that streams a canned answer, writing each event as soon as it is "produced".

Real servers differ in pace: some produce the whole answer before their first byte, some
trickle tokens.  gatecheck's timing checks must never call either buffered, so tests start
this stub with a chosen pace (``start`` seconds before the first event, ``gap`` between
events) and run the real suite against it.  Loopback only; stopped by the context manager.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Pace", "serve_stub"]

WORDS = ("Streaming", " is", " when", " each", " token", " leaves", " as", " soon", " as", " made", ".")


@dataclass(frozen=True)
class Pace:
    """How the stub times its stream: seconds before the first event, and between events."""

    start: float = 0.0
    gap: float = 0.0


def _chunk(delta: dict, finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "stub-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(body).encode() + b"\n\n"


def events() -> list[bytes]:
    """The stream's events, in order: role, one word per chunk, finish, [DONE]."""
    first = [_chunk({"role": "assistant", "content": ""})]
    words = [_chunk({"content": word}) for word in WORDS]
    return [*first, *words, _chunk({}, "stop"), b"data: [DONE]\n\n"]


def _handler(pace: Pace) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            time.sleep(pace.start)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            for index, event in enumerate(events()):
                if index and pace.gap:
                    time.sleep(pace.gap)
                self.wfile.write(event)
                self.wfile.flush()
            self.close_connection = True

    return Handler


@contextmanager
def serve_stub(pace: Pace) -> Iterator[str]:
    """Serve the stub on a free loopback port; yields its base URL (``http://127.0.0.1:N/v1``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pace))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
