"""The one SSE encoder and stream driver, used by chat, responses and messages streams.

Producers yield frames made by :class:`SSEEncoder`; :func:`sse_response` paces them
(``first_token_delay``, ``chunk_gap``), prepends the flavor's keep-alive comment and hands each
frame to the server as its own write, so clients see chunks as they are produced.  The framing
faults live here and only here: ``data-not-json`` and ``no-done-sentinel`` in the encoder,
``buffered-stream``, ``comment-as-data`` and ``wrong-content-type`` in the driver.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Collection, Iterable
from typing import Any

from starlette.responses import StreamingResponse

from gatecheck.mock.errors import envelope
from gatecheck.mock.faults import (
    BUFFERED_STREAM,
    COMMENT_AS_DATA,
    DATA_NOT_JSON,
    NO_DONE_SENTINEL,
    WRONG_CONTENT_TYPE,
)
from gatecheck.mock.inference.context import Context

__all__ = ["SSEEncoder", "sse_response"]

log = logging.getLogger("gatecheck.mock")

_CORRUPT_PAYLOAD = 2  # data-not-json spoils the second payload: the first one parses, so clients start
_KEEPALIVE = 1.0  # seconds between keep-alive comments while the first token is delayed


def _dumps(payload: Any) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


class SSEEncoder:
    """Frames events; one encoder per stream, since ``data-not-json`` counts payloads."""

    def __init__(self, faults: Collection[str]) -> None:
        self._corrupt = DATA_NOT_JSON.on(faults)
        self._sentinel = not NO_DONE_SENTINEL.on(faults)
        self._payloads = 0

    def _payload(self, payload: Any) -> str:
        self._payloads += 1
        text = _dumps(payload)
        if self._corrupt and self._payloads == _CORRUPT_PAYLOAD:
            text = text.replace('"', "'")  # a Python repr: plausible to the eye, not JSON
        return text

    def data(self, payload: Any) -> bytes:
        """An unnamed event (Chat Completions chunks)."""
        return f"data: {self._payload(payload)}\n\n".encode()

    def event(self, name: str, payload: Any) -> bytes:
        """A named event (Responses and Messages streams)."""
        return f"event: {name}\ndata: {self._payload(payload)}\n\n".encode()

    @staticmethod
    def comment(text: str) -> bytes:
        return f": {text}\n\n".encode()

    def done(self) -> bytes:
        """The Chat Completions end sentinel."""
        return b"data: [DONE]\n\n" if self._sentinel else b""


async def _wait_first_token(delay: float, comment: bytes | None) -> AsyncIterator[bytes]:
    if comment:
        yield comment
    while delay > 0:
        step = min(delay, _KEEPALIVE)
        await asyncio.sleep(step)
        delay -= step
        if comment and delay > 0:
            yield comment


async def _paced(
    frames: Iterable[bytes], delay: float, gap: float, comment: bytes | None, encoder: SSEEncoder
) -> AsyncIterator[bytes]:
    async for keepalive in _wait_first_token(delay, comment):
        yield keepalive
    first = True
    try:
        for frame in frames:
            if not frame:
                continue
            if gap and not first:
                await asyncio.sleep(gap)
            first = False
            yield frame
    except Exception:  # the response has started: the best we can do is say so in-band
        log.exception("mock stream failed after its first byte")
        yield encoder.data(envelope(500, "the mock gateway failed while streaming"))


async def _buffered(body: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield b"".join([frame async for frame in body])


def sse_response(
    ctx: Context, frames: Iterable[bytes], encoder: SSEEncoder, generation_id: str
) -> StreamingResponse:
    """A text/event-stream response sending ``frames`` one write each, paced as configured."""
    settings = ctx.settings
    comment = ctx.shapes.processing_comment
    if comment and COMMENT_AS_DATA.on(ctx.faults):
        comment = b"data: " + comment
    body = _paced(frames, settings.first_token_delay, settings.chunk_gap, comment, encoder)
    if BUFFERED_STREAM.on(ctx.faults):
        body = _buffered(body)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **ctx.shapes.headers(generation_id)}
    media_type = "application/json" if WRONG_CONTENT_TYPE.on(ctx.faults) else "text/event-stream"
    return StreamingResponse(body, media_type=media_type, headers=headers)
