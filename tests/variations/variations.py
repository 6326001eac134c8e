"""Conformant variations of an answer, each one a thing a specification allows and real servers do.

Designed from the specifications, not from the mock: WHATWG HTML "Server-sent events" (9.2.6:
a line ends in CRLF, LF or CR; one optional space after the colon; ``id``, ``retry`` and
``event: message`` fields; comment lines starting with a colon; the stream may arrive in
pieces of any size), RFC 9110 (field names are case-insensitive; media type parameters;
Content-Encoding gzip, deflate and br, each flushed per write so a stream stays a stream),
RFC 9112 (a body framed by chunked transfer coding instead of the connection's close), and
RFC 8259 (object member order carries no meaning; clients ignore members they do not know).
Each variation rewrites one answer; a gateway that applies it is exactly as conformant as one
that does not.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import brotli

__all__ = ["VARIATIONS", "Variation", "encode_pieces"]


def _events(body: bytes) -> list[list[bytes]]:
    """The mock's stream (LF line endings) as events, each a list of lines."""
    return [block.split(b"\n") for block in body.split(b"\n\n") if block.strip()]


def _join(events: list[list[bytes]], eol: bytes = b"\n") -> bytes:
    return b"".join(eol.join(lines) + eol + eol for lines in events)


def _map_data(events: list[list[bytes]], change: Callable[[bytes], bytes]) -> list[list[bytes]]:
    return [[change(line) if line.startswith(b"data:") else line for line in lines] for lines in events]


def _reorder(value: object) -> object:
    """Members reversed, and one unknown member added to every object (RFC 8259: both meaningless)."""
    if isinstance(value, dict):
        return {"x_gatecheck_variation": 1, **{k: _reorder(v) for k, v in reversed(value.items())}}
    if isinstance(value, list):
        return [_reorder(v) for v in value]
    return value


def _reorder_json(text: bytes) -> bytes:
    try:
        return json.dumps(_reorder(json.loads(text))).encode()
    except ValueError:
        return text


@dataclass(frozen=True)
class Variation:
    """One rewrite: of the stream's bytes, of a JSON body, of the headers, and how bytes are written."""

    name: str
    spec: str
    stream: Callable[[bytes], bytes] = lambda body: body
    json: Callable[[bytes], bytes] = lambda body: body
    headers: Callable[[list[tuple[str, str]]], list[tuple[str, str]]] = lambda headers: headers
    piece: int | None = None  # write the body this many bytes at a time (None: one event per write)
    encoding: str | None = None  # a Content-Encoding: gzip, deflate or br
    chunked: bool = False  # HTTP/1.1 chunked transfer coding instead of a close-delimited body
    extra: dict[str, str] = field(default_factory=dict)


def _crlf(body: bytes) -> bytes:
    return _join(_events(body), b"\r\n")


def _cr(body: bytes) -> bytes:
    return _join(_events(body), b"\r")


def _no_space(body: bytes) -> bytes:
    return _join(_map_data(_events(body), lambda line: b"data:" + line[len(b"data: ") :]))


def _fields(body: bytes) -> bytes:
    events = _events(body)
    return _join(
        [[b"event: message", f"id: {i}".encode(), b"retry: 3000", *lines] for i, lines in enumerate(events)]
    )


def _comments(body: bytes) -> bytes:
    return b": stream opened\n\n" + _join([[b": keep-alive", *lines] for lines in _events(body)])


def _json_in_stream(body: bytes) -> bytes:
    return _join(_map_data(_events(body), lambda line: b"data: " + _reorder_json(line[len(b"data: ") :])))


def _header_forms(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, value in headers:
        if name.lower() == "content-type":
            value = value.split(";")[0].strip().upper() + '; charset="utf-8"'
        out.append((name.upper() if len(out) % 2 else name.lower(), value))
    return out


VARIATIONS: tuple[Variation, ...] = (
    Variation("crlf", "WHATWG SSE: lines may end in CRLF", stream=_crlf),
    Variation("cr", "WHATWG SSE: lines may end in a lone CR", stream=_cr),
    Variation("no-space", "WHATWG SSE: the space after the colon is optional", stream=_no_space),
    Variation("id-retry-event", "WHATWG SSE: id, retry and event: message fields", stream=_fields),
    Variation("comments", "WHATWG SSE: comment lines anywhere", stream=_comments),
    Variation("one-byte", "TCP: any boundary; here one byte per write", piece=1),
    Variation("odd-pieces", "TCP: boundaries inside lines and events", piece=7),
    Variation("gzip", "RFC 9110: Content-Encoding gzip, flushed per event", encoding="gzip"),
    Variation("deflate", "RFC 9110: Content-Encoding deflate (zlib), flushed per event", encoding="deflate"),
    Variation("br", "RFC 9110 / RFC 7932: Content-Encoding br, flushed per event", encoding="br"),
    Variation("chunked", "RFC 9112: chunked transfer coding, one chunk per write", chunked=True),
    Variation(
        "header-forms", "RFC 9110: header name case, media type case and parameters", headers=_header_forms
    ),
    Variation(
        "json-members", "RFC 8259: member order, unknown members", stream=_json_in_stream, json=_reorder_json
    ),
)


def encode_pieces(pieces: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """``pieces`` encoded as one ``encoding`` stream, flushed after each so nothing is held back."""
    if encoding == "br":
        compressor = brotli.Compressor()
        for piece in pieces:
            yield compressor.process(piece) + compressor.flush()
        yield compressor.finish()
        return
    encoder = zlib.compressobj(wbits={"gzip": 31, "deflate": 15}[encoding])
    for piece in pieces:
        yield encoder.compress(piece) + encoder.flush(zlib.Z_SYNC_FLUSH)
    yield encoder.flush()
