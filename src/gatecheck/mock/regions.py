"""Regional base URLs: the flavor's inference API served a second time under ``/<region>``.

Requesty documents an EU base URL (``https://router.eu.requesty.ai/v1``; 001 changelog, EU
routing) serving the same API to the same keys.  The mock has one address, so each region the
flavor's profile names in ``base_urls`` (besides ``default``) becomes a path prefix (``/eu/v1``)
over the same handlers, and ``GET /_mock/regions`` advertises it: that is how suites find the
mock's EU base URL without knowing its layout.  The profile, not a vendor name, decides which
flavor has regions.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from gatecheck.mock.errors import envelope
from gatecheck.mock.faults import EU_REGION_UNSERVED
from gatecheck.mock.inference import Context, inference_routes
from gatecheck.mock.settings import MockSettings
from gatecheck.profiles import get_profile

__all__ = ["region_prefixes", "regional_mounts"]

#: The fault mode that takes a region's base URL down.
_UNSERVED = {"eu": EU_REGION_UNSERVED}


def region_prefixes(settings: MockSettings) -> dict[str, str]:
    """``{"eu": "/eu/v1"}``: each region of the flavor and the path its API is served under."""
    regions = sorted(name for name in get_profile(settings.flavor).base_urls if name != "default")
    return {region: f"/{region}{settings.prefix}" for region in regions}


class _Regional:
    """One region's copy of the API; under its ``*-region-unserved`` fault, a 404 to everything."""

    def __init__(self, ctx: Context, region: str, app: ASGIApp) -> None:
        self.ctx, self.region, self.app = ctx, region, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fault = _UNSERVED.get(self.region)
        if scope["type"] == "http" and fault is not None and fault.on(self.ctx.faults):
            message = f"no route for {scope.get('method')} {scope.get('path')}"
            await JSONResponse(envelope(404, message), 404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def regional_mounts(ctx: Context) -> list[BaseRoute]:
    """The inference routes again under each region's prefix (management stays on the default URL)."""
    return [
        Mount(prefix, app=_Regional(ctx, region, Router(routes=inference_routes(ctx))))
        for region, prefix in region_prefixes(ctx.settings).items()
    ]
