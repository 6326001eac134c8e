"""One log line per request, as Prism prints them: method, path, status, milliseconds, model, faults.

The line goes to the ``gatecheck.mock.requests`` logger at INFO once the response has been sent
in full (a stream's time is its whole duration).  Nothing that can carry a secret is logged: no
header, no query string, no body; the model is the one the request named (see
:func:`note_model`).  When INFO is off, which is the default everywhere but ``gatecheck mock``,
a request costs one level check.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["LOGGER", "RequestLog", "note_model"]

LOGGER = "gatecheck.mock.requests"
log = logging.getLogger(LOGGER)
_MODEL_KEY = "gatecheck.model"
_SHOWN = 80  # a model name longer than this is cut: a log line stays one readable line


def note_model(request: Request, data: Any) -> None:
    """Remember the model a JSON request body names, for its log line."""
    model = data.get("model") if isinstance(data, dict) else None
    if isinstance(model, str):
        request.scope[_MODEL_KEY] = model


class RequestLog:
    """ASGI middleware writing the line; ``faults()`` gives the fault modes active at the time."""

    def __init__(self, app: ASGIApp, faults: Callable[[], Collection[str]]) -> None:
        self.app, self.faults = app, faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            self._write(scope, status, (time.perf_counter() - started) * 1000)

    def _write(self, scope: Scope, status: int, ms: float) -> None:
        path = _printable(scope.get("path", "?"))
        parts = [scope.get("method", "?"), path, str(status or "-"), f"{ms:.1f}ms"]
        if model := scope.get(_MODEL_KEY):
            parts.append(f"model={_printable(model[:_SHOWN])}")
        if faults := sorted(self.faults()):
            parts.append(f"fault={','.join(faults)}")
        log.info(" ".join(parts))


def _printable(text: str) -> str:
    """``text``, or its repr when it holds a newline or other control character (no forged lines)."""
    return text if text.isprintable() and " " not in text else repr(text)
