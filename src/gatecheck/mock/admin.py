"""The ``/_mock/`` admin API: how suites and users steer a running mock over HTTP.

Suites never import mock internals (ARCHITECTURE.md); they switch faults, plan upstream
failures and reset state through these routes, authenticated with the admin key.  Admin
errors are plain envelopes rendered here, outside the inference error renderer, so no fault
mode can garble the harness's own controls.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from gatecheck.errors import UnknownNameError
from gatecheck.mock.errors import envelope
from gatecheck.mock.faults import FAULTS, validate_faults
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.faultplan import FaultPlan, parse_fault_plan
from gatecheck.mock.inference.guard import bearer
from gatecheck.mock.regions import region_prefixes

__all__ = ["admin_routes"]

_LIMIT = 1 << 20


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> Response:
    return JSONResponse(envelope(status, message), status)


def _authorized(ctx: Context, request: Request) -> None:
    token = bearer(request) or ""
    if not hmac.compare_digest(token.encode(), ctx.settings.admin_key.encode()):
        raise _Refused(401, "the /_mock/ admin API needs the mock's admin key as a Bearer token")


async def _json(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > _LIMIT:
        raise _Refused(413, "admin request body too large")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise _Refused(400, "request body is not valid JSON") from None


def _guarded(
    handler: Callable[[Context, Request], Awaitable[Any]],
) -> Callable[[Context, Request], Awaitable[Response]]:
    async def endpoint(ctx: Context, request: Request) -> Response:
        try:
            _authorized(ctx, request)
            return JSONResponse(await handler(ctx, request))
        except _Refused as exc:
            return _error(exc.status, str(exc))

    return endpoint


def _faults_body(ctx: Context) -> dict[str, Any]:
    known = {name: mode.description for name, mode in FAULTS.items()}
    return {"faults": sorted(ctx.faults), "available": known}


async def get_faults(ctx: Context, request: Request) -> dict[str, Any]:
    return _faults_body(ctx)


async def put_faults(ctx: Context, request: Request) -> dict[str, Any]:
    data = await _json(request)
    names = data.get("faults") if isinstance(data, dict) else data
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _Refused(400, "expected {'faults': [name, ...]}")
    try:
        ctx.set_faults(validate_faults(names))
    except UnknownNameError as exc:
        raise _Refused(400, str(exc)) from None
    return _faults_body(ctx)


async def get_plan(ctx: Context, request: Request) -> dict[str, Any]:
    return {"fault_plan": ctx.plan.snapshot()}


async def put_plan(ctx: Context, request: Request) -> dict[str, Any]:
    data = await _json(request)
    entries = data.get("fault_plan") if isinstance(data, dict) else data
    try:
        ctx.plan = FaultPlan(parse_fault_plan(entries))
    except ValueError as exc:
        raise _Refused(400, str(exc)) from None
    return {"fault_plan": ctx.plan.snapshot()}


async def get_policies(ctx: Context, request: Request) -> dict[str, Any]:
    return {"fallback_policies": ctx.settings.fallback_policies}


async def put_policies(ctx: Context, request: Request) -> dict[str, Any]:
    """Replace Requesty's ``policy/<name>`` chains (kept across reset, like the startup ones)."""
    data = await _json(request)
    policies = data.get("fallback_policies") if isinstance(data, dict) else None
    if not isinstance(policies, dict) or not all(isinstance(c, list) and c for c in policies.values()):
        raise _Refused(400, "expected {'fallback_policies': {name: [model, ...]}}")
    for name, chain in policies.items():
        for model_id in chain:
            model = ctx.catalog.get(model_id) if isinstance(model_id, str) else None
            if model is None or model.kind != "chat":
                raise _Refused(400, f"fallback policy {name!r} names {model_id!r}, which is not a chat model")
    ctx.settings.fallback_policies = {name: list(chain) for name, chain in policies.items()}
    return {"fallback_policies": ctx.settings.fallback_policies}


#: ``/_mock/timing`` field -> MockSettings attribute; seconds, at most :data:`_MAX_DELAY`.
_TIMING = {"first_token": "first_token_delay", "chunk_gap": "chunk_gap"}
_MAX_DELAY = 5.0


async def get_timing(ctx: Context, request: Request) -> dict[str, Any]:
    """Stream pacing, so a scenario that times a stream knows how long the mock takes to make it."""
    return {name: getattr(ctx.settings, attr) for name, attr in _TIMING.items()}


async def put_timing(ctx: Context, request: Request) -> dict[str, Any]:
    data = await _json(request)
    if not isinstance(data, dict) or not set(data) <= set(_TIMING):
        raise _Refused(400, f"expected an object with some of {sorted(_TIMING)}")
    for name, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= _MAX_DELAY:
            raise _Refused(400, f"{name} must be a number of seconds from 0 to {_MAX_DELAY}")
    for name, value in data.items():
        setattr(ctx.settings, _TIMING[name], float(value))
    return await get_timing(ctx, request)


async def reset(ctx: Context, request: Request) -> dict[str, Any]:
    ctx.reset()
    return {"reset": True, "faults": sorted(ctx.faults), "fault_plan": ctx.plan.snapshot()}


async def health(ctx: Context, request: Request) -> Response:
    body = {
        "status": "ok",
        "flavor": ctx.settings.flavor,
        "prefix": ctx.settings.prefix,
        "regions": region_prefixes(ctx.settings),
    }
    return JSONResponse(body)


async def regions(ctx: Context, request: Request) -> Response:
    """``{"regions": {"eu": "/eu/v1"}}``: where suites find regional base URLs (mock/regions.py)."""
    return JSONResponse({"regions": region_prefixes(ctx.settings)})


def admin_routes(ctx: Context) -> list[BaseRoute]:
    """Routes relative to ``/_mock``."""
    guarded = [
        ("/faults", "GET", get_faults),
        ("/faults", "PUT", put_faults),
        ("/fault-plan", "GET", get_plan),
        ("/fault-plan", "PUT", put_plan),
        ("/reset", "POST", reset),
        ("/fallback-policies", "GET", get_policies),
        ("/fallback-policies", "PUT", put_policies),
        ("/timing", "GET", get_timing),
        ("/timing", "PUT", put_timing),
    ]
    routes: list[BaseRoute] = [Route("/health", partial(health, ctx), methods=["GET"])]
    routes.append(Route("/regions", partial(regions, ctx), methods=["GET"]))
    routes += [Route(path, partial(_guarded(h), ctx), methods=[method]) for path, method, h in guarded]
    return routes
