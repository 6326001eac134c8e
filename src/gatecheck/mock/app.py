"""``create_app(settings)``: one mock gateway as a Starlette app, for uvicorn or in-process use.

Layout of the URL space: the flavor's prefix (``/v1`` Requesty, ``/api/v1`` OpenRouter) holds
the inference routes and the management plane's routes; ``/_mock/`` holds the admin API.
Every error leaves as the vendor envelope: :class:`MockHTTPError` through :func:`render_error`
(the one place the error-rendering faults apply, and only to inference errors), routing misses
as 404/405 envelopes, and anything unexpected as a logged 500 envelope: bad input never
surfaces as a traceback or an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatecheck.mock.admin import admin_routes
from gatecheck.mock.bodycap import BodyCap
from gatecheck.mock.errors import MockHTTPError, anthropic_envelope, envelope
from gatecheck.mock.faults import (
    BAD_ERROR_ENVELOPE,
    ERROR_AS_200,
    HEADERS_ECHOED_IN_ERRORS,
    NO_RETRY_AFTER,
    RETRY_AFTER_NEGATIVE,
    RETRY_AFTER_NOT_A_NUMBER,
    VAGUE_ERROR_MESSAGES,
    WRONG_STATUS_ON_BAD_JSON,
)
from gatecheck.mock.inference import Context, inference_routes
from gatecheck.mock.inference.body import MalformedJSON
from gatecheck.mock.inference.routing import UpstreamError
from gatecheck.mock.management import routes as management_routes
from gatecheck.mock.regions import regional_mounts
from gatecheck.mock.requestlog import RequestLog
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import open_accounts

__all__ = ["create_app", "render_error"]

log = logging.getLogger("gatecheck.mock")


#: Retry-After values a client cannot obey, by the fault that sends them.
_RETRY_AFTER_FAULTS = {RETRY_AFTER_NEGATIVE: "-5", RETRY_AFTER_NOT_A_NUMBER: "soon"}


def render_error(ctx: Context, request: Request, exc: MockHTTPError) -> Response:
    """The envelope for ``exc``; error-rendering faults bend it, for inference errors only."""
    faults = ctx.faults if getattr(request.state, "plane", None) == "inference" else set()
    status, headers = exc.status, dict(exc.headers)
    if NO_RETRY_AFTER.on(faults):
        headers.pop("Retry-After", None)
    for fault, value in _RETRY_AFTER_FAULTS.items():
        if fault.on(faults) and "Retry-After" in headers:
            headers["Retry-After"] = value
    if ERROR_AS_200.on(faults) and isinstance(exc, UpstreamError):
        status = 200
    if WRONG_STATUS_ON_BAD_JSON.on(faults) and isinstance(exc, MalformedJSON):
        status = 500
    body = exc.body()
    app_headers = [request.headers.get(name) for name in ("http-referer", "x-title")]
    if HEADERS_ECHOED_IN_ERRORS.on(faults) and any(app_headers):
        echoed = " (from {!r}, {!r})".format(*app_headers)
        body["error"] = {**body["error"], "message": body["error"]["message"] + echoed}
    if VAGUE_ERROR_MESSAGES.on(faults):
        body["error"] = {**body["error"], "message": HTTPStatus(exc.status).phrase, "param": None}
    if getattr(request.state, "error_style", None) == "anthropic":
        body = anthropic_envelope(body, exc.status, ctx.shapes.new_id("req_"))
    if BAD_ERROR_ENVELOPE.on(faults):
        return PlainTextResponse(body["error"]["message"], status, headers)
    return JSONResponse(body, status, headers)


async def _routing_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = (
        f"no route for {request.method} {request.url.path}" if exc.status_code == 404 else str(exc.detail)
    )
    return JSONResponse(envelope(exc.status_code, message), exc.status_code, exc.headers)


class _CatchAll:
    """Any exception a handler did not expect: logged with its traceback, answered as a 500 envelope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("mock gateway failed on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                response = JSONResponse(envelope(500, "internal error in the mock gateway"), 500)
                await response(scope, receive, send)


def create_app(settings: MockSettings | None = None) -> Starlette:
    """A ready mock gateway; ``app.state.mock`` is its :class:`Context` (close it when done)."""
    settings = settings or MockSettings()
    accounts = open_accounts(settings)
    ctx = Context.build(settings, accounts)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        ctx.close()

    async def on_mock_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, MockHTTPError)
        return render_error(ctx, request, exc)

    routes: list[BaseRoute] = [
        Mount(settings.prefix, routes=inference_routes(ctx) + management_routes(settings, accounts)),
        *regional_mounts(ctx),
        Mount("/_mock", routes=admin_routes(ctx)),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestLog, faults=lambda: ctx.faults),
            Middleware(_CatchAll),
            Middleware(BodyCap, limit=lambda: ctx.settings.max_body_bytes),  # inside: its 413 is logged
        ],
        exception_handlers={MockHTTPError: on_mock_error, HTTPException: _routing_error},
        lifespan=lifespan,
    )
    app.state.mock = ctx
    return app
