"""Small loopback servers that misbehave on purpose, one way each, every one bounded in time.

Each answers the start-up probe (``GET /`` and ``GET /v1``) normally, so the run gets past it,
and then misbehaves on every other request as its mode says.  A connection is never held
longer than :data:`HOLD_S`; the server itself stops when its ``with`` block ends.
"""

from __future__ import annotations

import gzip
import io
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["ECHOES", "HOLD_S", "MODES", "gzip_bomb", "hostile_server"]

#: The longest any connection is held open by a misbehaving answer.
HOLD_S = 90.0
#: How many requests ``echo-key`` answers (echoing the key) before it goes silent.
ECHOES = 6
_CHAT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzipped (1 GiB is about 1 MB on the wire)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as compressor:
        block = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            compressor.write(block)
    return out.getvalue()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode: str = "html-502"
    bomb: bytes = b""
    counter: list[int]
    echoed: list[int]

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        self.counter.append(1)
        self._read_body()
        if self.command == "GET" and self.path.rstrip("/") in ("", "/v1"):
            self._send(200, b'{"ok": true}', "application/json")
            return
        getattr(self, "_" + self.mode.replace("-", "_"))()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    # --- the modes -----------------------------------------------------------------------
    def _gzip_bomb(self) -> None:
        self._send(200, self.bomb, "application/json", Content_Encoding="gzip")

    def _huge_json(self) -> None:
        size = 100 * (1 << 20)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size + 12))
        self.end_headers()
        self.wfile.write(b'{"data": "')
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            self.wfile.write(chunk)
        self.wfile.write(b'"}')

    def _sse_headers(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()

    def _until(self, step: Callable[[], None]) -> None:
        ends = time.monotonic() + HOLD_S
        try:
            while time.monotonic() < ends:
                step()
        except OSError:
            pass  # the client went away: that is the point
        self.close_connection = True

    def _endless_sse(self) -> None:
        self._sse_headers()
        event = b"data: " + json.dumps({**_CHAT, "object": "chat.completion.chunk"}).encode() + b"\n\n"
        self._until(lambda: self.wfile.write(event * 50))

    def _slowloris_sse(self) -> None:
        self._sse_headers()
        payload: Iterator[int] = iter(b"data: " + b"x" * 100000)

        def drip() -> None:
            self.wfile.write(bytes([next(payload)]))
            self.wfile.flush()
            time.sleep(1.0)

        self._until(drip)

    def _silent(self) -> None:
        self._until(lambda: time.sleep(0.5))

    def _html_502(self) -> None:
        self._send(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")

    def _non_utf8(self) -> None:
        self._send(200, b'\xff\xfe{"id": "\x80\x81", "object": "\xc3"}', "application/json")

    def _redirect_loop(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _short_body(self) -> None:
        self._send(200, b'{"id": "x"', "application/json", length="100000")
        self.close_connection = True

    def _echo_key(self) -> None:
        """A faulty gateway that quotes the caller's key back, in its body and a header, for the
        first :data:`ECHOES` requests; then it goes silent, so a run is surely still going when a
        test stops it."""
        self.echoed.append(1)
        if len(self.echoed) > ECHOES:
            self._silent()
            return
        auth = self.headers.get("authorization", "").removeprefix("Bearer ")  # bare: no pattern knows it
        error = {"message": f"key not accepted: {auth}", "type": "authentication_error", "code": 401}
        self._send(401, json.dumps({"error": error}).encode(), "application/json", X_Echo=auth)

    def _reset_mid_stream(self) -> None:
        self._sse_headers()
        chunk = json.dumps({**_CHAT, "object": "chat.completion.chunk"}).encode()
        self.wfile.write(b"data: " + chunk + b"\n\ndata: " + chunk[:20])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True


MODES = (
    "gzip-bomb",
    "huge-json",
    "endless-sse",
    "slowloris-sse",
    "silent",
    "html-502",
    "non-utf8",
    "redirect-loop",
    "short-body",
    "reset-mid-stream",
    "echo-key",
)


@contextmanager
def hostile_server(mode: str, *, bomb_size: int = 256 << 20) -> Iterator[tuple[str, list[int]]]:
    """``(base URL, request counter)`` of a server misbehaving as ``mode`` says."""
    assert mode in MODES, mode
    counter: list[int] = []
    attrs = {
        "mode": mode,
        "counter": counter,
        "echoed": [],
        "bomb": gzip_bomb(bomb_size) if mode == "gzip-bomb" else b"",
    }
    handler = type("Handler", (_Handler,), attrs)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", counter
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
