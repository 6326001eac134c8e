"""Requesty's management API (seed 000): API keys, their limits and usage, organisation usage.

Shapes follow the seed's ``ApiKey`` and ``UsageReport`` schemas.  The document is OpenAPI 3.0
without ``nullable``, so absent values (no limit, no expiry) are omitted, never sent as null.

Mock extension: ``allowed_models`` on create, the access list of the changelog (seed 001,
"Restrict models per API key with Access Lists").  Requesty attaches named lists through its
dashboard; the mock takes the model ids inline so a test can make one.  A key with a list may
call only those models (others get 403); it is echoed on the key when set.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from gatecheck.mock.management.http import Body, bearer
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import KeyView, SqliteAccounts
from gatecheck.mock.store.periods import iso
from gatecheck.mock.store.reports import Report

__all__ = ["api_key", "routes", "usage_report"]


def api_key(view: KeyView) -> dict[str, Any]:
    """The ``ApiKey`` object; ``key`` (the value) only where the view carries it."""
    row = view.row
    out: dict[str, Any] = {"id": row.id, "name": row.name}
    if view.value is not None:
        out["key"] = view.value
    optional = {
        "limit": row.limit_usd,
        "labels": list(row.labels),
        "expiry": iso(row.expires_at),
        "created_at": row.created_at,
        "allowed_models": None if row.allowed_models is None else list(row.allowed_models),
    }
    out.update({name: value for name, value in optional.items() if value is not None})
    return out


def usage_report(report: Report) -> dict[str, Any]:
    """The ``UsageReport`` object, with the per-model breakdown."""
    t = report.totals
    return {
        "total_cost": t.cost,
        "total_requests": t.requests,
        "total_tokens": t.tokens,
        "breakdown": [
            {"model": model, "requests": m.requests, "tokens": m.tokens, "cost": m.cost}
            for model, m in report.by_model
        ],
    }


class RequestyKeys:
    """Handlers; every one needs a management key ("manage rights")."""

    def __init__(self, accounts: SqliteAccounts) -> None:
        self.accounts = accounts

    def _admin(self, request: Request) -> None:
        self.accounts.authenticate(bearer(request), "management")

    async def list(self, request: Request) -> JSONResponse:
        self._admin(request)
        return JSONResponse({"data": [api_key(v) for v in self.accounts.keys.live()]})

    async def create(self, request: Request) -> JSONResponse:
        self._admin(request)
        body = await Body.of(request)
        view = self.accounts.keys.create(
            body.string("name", required=True),
            limit_usd=body.number("limit"),
            labels=body.strings("labels", default=[]),
            expires_at=iso(body.moment("expiry")),
            allowed_models=body.strings("allowed_models"),
        )
        return JSONResponse(api_key(view))

    async def get(self, request: Request) -> JSONResponse:
        self._admin(request)
        return JSONResponse(api_key(self.accounts.keys.get(request.path_params["key_id"])))

    async def delete(self, request: Request) -> JSONResponse:
        self._admin(request)
        key_id = request.path_params["key_id"]
        self.accounts.keys.delete(key_id)
        return JSONResponse({"id": key_id, "deleted": True})

    async def usage(self, request: Request) -> JSONResponse:
        self._admin(request)
        return JSONResponse(usage_report(self.accounts.reports.usage(request.path_params["key_id"])))

    async def set_limit(self, request: Request) -> JSONResponse:
        self._admin(request)
        limit = (await Body.of(request)).number("limit", required=True)
        return JSONResponse(
            api_key(self.accounts.keys.update(request.path_params["key_id"], limit_usd=limit))
        )

    async def organization_usage(self, request: Request) -> JSONResponse:
        self._admin(request)
        return JSONResponse(usage_report(self.accounts.reports.usage(None)))


def routes(settings: MockSettings, accounts: SqliteAccounts) -> list[BaseRoute]:
    api = RequestyKeys(accounts)
    return [
        Route("/api-keys", api.list, methods=["GET"]),
        Route("/api-keys", api.create, methods=["POST"]),
        Route("/api-keys/{key_id}", api.get, methods=["GET"]),
        Route("/api-keys/{key_id}", api.delete, methods=["DELETE"]),
        Route("/api-keys/{key_id}/usage", api.usage, methods=["GET"]),
        Route("/api-keys/{key_id}/limit", api.set_limit, methods=["PATCH"]),
        Route("/organization/usage", api.organization_usage, methods=["GET"]),
    ]
