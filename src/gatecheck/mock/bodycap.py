"""The mock's request-size cap, for every route: an oversized body is a 413 envelope, never held.

A body that declares its size is refused before a byte of it is read; one that does not
(chunked) is counted as it arrives and refused once it passes the cap.  The cap is read live
from the settings (``max_body_bytes``), so the admin API and tests can change it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatecheck.mock.errors import MockHTTPError, envelope

__all__ = ["BodyCap"]


def _too_large(limit: int) -> str:
    return f"request body is larger than {limit} bytes"


class BodyCap:
    """ASGI middleware: 413 with the error envelope above ``limit()`` bytes of request body."""

    def __init__(self, app: ASGIApp, limit: Callable[[], int]) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit()
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await JSONResponse(envelope(413, _too_large(limit)), 413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:  # the handler's read fails; the app renders the envelope
                raise MockHTTPError(413, _too_large(limit))
            return message

        await self.app(scope, counted, send)
