"""A loopback proxy in front of the mock that serves every answer through one :class:`Variation`.

Streams are rewritten event by event as they arrive (never buffered whole), written one event
per write unless the variation cuts the bytes into fixed pieces.  Responses are close-delimited
(HTTP/1.0), so piece boundaries reach the client as written, unless the variation asks for
chunked transfer coding (HTTP/1.1, one chunk per write).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from variations import Variation, encode_pieces

__all__ = ["serve_proxy"]

_HOP = {"host", "content-length", "transfer-encoding", "connection", "accept-encoding", "content-encoding"}


def _stream_pieces(upstream: httpx.Response, variation: Variation) -> Iterator[bytes]:
    pending = b""
    for data in upstream.iter_bytes():
        pending += data
        while b"\n\n" in pending:
            event, pending = pending.split(b"\n\n", 1)
            yield variation.stream(event + b"\n\n")
    if pending:
        yield pending  # an unterminated tail goes through as it came


def _cut(pieces: Iterator[bytes], size: int | None) -> Iterator[bytes]:
    for piece in pieces:
        if size is None:
            yield piece
        else:
            yield from (piece[i : i + size] for i in range(0, len(piece), size))


def _handler(upstream_root: str, variation: Variation, client: httpx.Client) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP]
            url = upstream_root + self.path
            with client.stream(self.command, url, headers=headers, content=body) as upstream:
                kept = [(k, v) for k, v in upstream.headers.items() if k.lower() not in _HOP]
                is_stream = "text/event-stream" in upstream.headers.get("content-type", "")
                if is_stream:
                    pieces: Iterator[bytes] = _cut(_stream_pieces(upstream, variation), variation.piece)
                else:
                    raw = upstream.read()
                    json_body = "json" in upstream.headers.get("content-type", "")
                    pieces = iter([variation.json(raw) if json_body else raw])
                if variation.encoding:
                    pieces = encode_pieces(pieces, variation.encoding)
                if variation.chunked:
                    self.protocol_version = "HTTP/1.1"
                self.send_response(upstream.status_code)
                for name, value in variation.headers(kept):
                    self.send_header(name, value)
                if variation.encoding:
                    self.send_header("Content-Encoding", variation.encoding)
                if variation.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.send_header("Connection", "close")
                self.end_headers()
                for piece in pieces:  # as they come: the proxy never holds a stream back
                    if not piece:
                        continue  # an empty chunk would end a chunked body
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if variation.chunked else piece)
                    self.wfile.flush()
                if variation.chunked:
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    return Handler


@contextmanager
def serve_proxy(upstream_root: str, variation: Variation) -> Iterator[str]:
    """Serve the proxy on a free loopback port; yields its root URL."""
    with httpx.Client(timeout=60) as client:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream_root, variation, client))
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
