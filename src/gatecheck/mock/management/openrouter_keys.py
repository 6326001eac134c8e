"""OpenRouter's key API (seed 003, groups keys, key, credits): ``/keys`` by ``hash``, ``/key``,
``/credits`` and the retired ``/credits/coinbase``.

``/keys`` and ``/credits`` need a management key (another key gets the status the LAP lists:
401 on ``/keys``, 403 on ``/credits``); ``/key`` answers any key about itself, which is how a
client learns ``is_management_key``.  No limit is ``limit: null`` with
``limit_remaining: null``, as OpenRouter's reference shows ("null = unlimited").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.management.http import Body, bearer, query_bool, query_int
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import KeyView, SqliteAccounts
from gatecheck.mock.store.periods import PERIODS, iso

__all__ = ["key_record", "routes"]

PAGE_SIZE = 100  # keys per GET /keys page; ``offset`` pages through the rest


def _spend(view: KeyView) -> dict[str, Any]:
    return {
        "limit": view.row.limit_usd,
        "limit_remaining": view.limit_remaining,
        "limit_reset": view.row.limit_reset,
        "include_byok_in_limit": view.row.include_byok_in_limit,
        "usage": view.usage,
        "usage_daily": view.usage_daily,
        "usage_weekly": view.usage_weekly,
        "usage_monthly": view.usage_monthly,
        # the mock has no bring-your-own-key providers, so BYOK spend is always zero
        "byok_usage": 0.0,
        "byok_usage_daily": 0.0,
        "byok_usage_weekly": 0.0,
        "byok_usage_monthly": 0.0,
    }


def key_record(view: KeyView) -> dict[str, Any]:
    """The ``data`` object of the /keys endpoints; ``key`` only when the view carries the value."""
    row = view.row
    out = {
        "hash": row.id,
        "name": row.name,
        "label": row.label,
        "disabled": row.disabled,
        **_spend(view),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "expires_at": iso(row.expires_at),
        "creator_user_id": row.creator_user_id,
    }
    if view.value is not None:
        out["key"] = view.value
    return out


class OpenRouterKeys:
    def __init__(self, settings: MockSettings, accounts: SqliteAccounts) -> None:
        self.settings = settings
        self.accounts = accounts

    def _admin(self, request: Request) -> None:
        self.accounts.authenticate(bearer(request), "management")

    async def list(self, request: Request) -> JSONResponse:
        self._admin(request)
        views = self.accounts.keys.live(
            include_disabled=query_bool(request, "include_disabled", default=False),
            offset=query_int(request, "offset", default=0),
            limit=PAGE_SIZE,
        )
        return JSONResponse({"data": [key_record(v) for v in views]})

    async def create(self, request: Request) -> JSONResponse:
        self._admin(request)
        body = await Body.of(request)
        creator = body.string("creator_user_id")
        if creator is not None and creator not in self.accounts.reports.member_ids():
            raise MockHTTPError(400, f"creator_user_id: {creator!r} is not a member", param="creator_user_id")
        fields: dict[str, Any] = {
            "limit_usd": body.number("limit"),
            "limit_reset": body.choice("limit_reset", PERIODS),
            "include_byok_in_limit": body.boolean("include_byok_in_limit", default=False),
            "expires_at": iso(body.moment("expires_at")),
        }
        if creator is not None:
            fields["creator_user_id"] = creator
        view = self.accounts.keys.create(body.string("name", required=True, nonempty=True), **fields)
        return JSONResponse(
            {"data": key_record(replace(view, value=None)), "key": view.value}, status_code=201
        )

    async def get(self, request: Request) -> JSONResponse:
        self._admin(request)
        return JSONResponse({"data": key_record(self.accounts.keys.get(request.path_params["hash"]))})

    async def update(self, request: Request) -> JSONResponse:
        """Only the fields sent change; ``limit: null`` / ``limit_reset: null`` remove them."""
        self._admin(request)
        body = await Body.of(request)
        parsers = {
            "name": ("name", lambda: body.string("name", required=True, nonempty=True)),
            "disabled": ("disabled", lambda: body.boolean("disabled", default=False)),
            "limit": ("limit_usd", lambda: body.number("limit")),
            "limit_reset": ("limit_reset", lambda: body.choice("limit_reset", PERIODS)),
            "include_byok_in_limit": (
                "include_byok_in_limit",
                lambda: body.boolean("include_byok_in_limit", default=False),
            ),
        }
        changes = {column: parse() for field, (column, parse) in parsers.items() if body.has(field)}
        view = self.accounts.keys.update(request.path_params["hash"], **changes)
        return JSONResponse({"data": key_record(view)})

    async def delete(self, request: Request) -> JSONResponse:
        self._admin(request)
        self.accounts.keys.delete(request.path_params["hash"])
        return JSONResponse({"deleted": True})

    async def current(self, request: Request) -> JSONResponse:
        """``GET /key``: the calling key, whichever role it has."""
        principal = self.accounts.authenticate_any(bearer(request))
        view = self.accounts.keys.current(principal.key_id)
        is_management = view.row.role == "management"
        data = {
            "label": view.row.label,
            **_spend(view),
            "is_free_tier": False,
            "is_management_key": is_management,
            "is_provisioning_key": is_management,  # OpenRouter's former name for the same role
            "expires_at": iso(view.row.expires_at),
            "creator_user_id": view.row.creator_user_id,
            "rate_limit": self._rate_limit(),
        }
        return JSONResponse({"data": data})

    def _rate_limit(self) -> dict[str, Any]:
        limit = self.settings.rate_limit
        if limit is None:
            return {"requests": -1, "interval": "1m", "note": "the mock applies no rate limit"}
        return {"requests": limit, "interval": "1m", "note": "requests per minute per key"}

    async def credits(self, request: Request) -> JSONResponse:
        self.accounts.authenticate(bearer(request), "management", wrong_role_status=403)
        total, spent = self.accounts.reports.credits()
        return JSONResponse({"data": {"total_credits": total, "total_usage": spent}})

    async def coinbase(self, request: Request) -> JSONResponse:
        """Retired by OpenRouter: the only documented answer is 410, whoever asks."""
        raise MockHTTPError(410, "Coinbase credit purchases are no longer supported")


def routes(settings: MockSettings, accounts: SqliteAccounts) -> list[BaseRoute]:
    api = OpenRouterKeys(settings, accounts)
    return [
        Route("/keys", api.list, methods=["GET"]),
        Route("/keys", api.create, methods=["POST"]),
        Route("/keys/{hash}", api.get, methods=["GET"]),
        Route("/keys/{hash}", api.update, methods=["PATCH"]),
        Route("/keys/{hash}", api.delete, methods=["DELETE"]),
        Route("/key", api.current, methods=["GET"]),
        Route("/credits", api.credits, methods=["GET"]),
        Route("/credits/coinbase", api.coinbase, methods=["POST"]),
    ]
