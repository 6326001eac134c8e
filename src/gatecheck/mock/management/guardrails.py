"""OpenRouter's 13 guardrail endpoints (seed 003, group guardrails), management keys only.

Shapes are the LAP's: lists are ``{data, total_count}``, assigning answers ``{assigned_count}``
(ids already assigned count zero), removing ``{unassigned_count}``, deleting ``{deleted: true}``.
Enforcement is not here but in ``SqliteAccounts.authorize_inference``: a key assigned to a
guardrail, directly or through the member who created it, gets 403 outside ``allowed_models``
/ ``allowed_providers`` (or inside ``ignored_providers``) and 402 once its spend in the
``reset_interval`` window reaches ``limit_usd``.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from gatecheck.mock.management.http import Body, bearer, query_int
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts
from gatecheck.mock.store.guardrail_service import Kind
from gatecheck.mock.store.guardrails import Guardrail
from gatecheck.mock.store.periods import PERIODS

__all__ = ["guardrail_record", "routes"]

Handler = Callable[[Request], Awaitable[JSONResponse]]
_LISTS = ("allowed_providers", "ignored_providers", "allowed_models")
# the body field naming the assignees, per assignment kind
_ID_FIELDS: dict[Kind, str] = {"keys": "key_hashes", "members": "member_user_ids"}


def guardrail_record(rail: Guardrail) -> dict[str, Any]:
    return {
        "id": rail.id,
        "name": rail.name,
        "description": rail.description,
        "limit_usd": rail.limit_usd,
        "reset_interval": rail.reset_interval,
        **{name: None if getattr(rail, name) is None else list(getattr(rail, name)) for name in _LISTS},
        "enforce_zdr": rail.enforce_zdr,
        "created_at": rail.created_at,
        "updated_at": rail.updated_at,
    }


def _assignment(kind: Kind, row: sqlite3.Row) -> dict[str, Any]:
    common = {"id": row["id"], "guardrail_id": row["guardrail_id"]}
    tail = {"assigned_by": row["assigned_by"], "created_at": row["created_at"]}
    if kind == "keys":
        return {
            **common,
            "key_hash": row["key_id"],
            "key_name": row["key_name"],
            "key_label": row["key_label"],
            **tail,
        }
    return {**common, "user_id": row["user_id"], **tail}


def _fields(body: Body, *, update: bool) -> dict[str, Any]:
    """The guardrail fields of a create (all) or update (only those sent) body."""
    parsers: dict[str, Callable[[], Any]] = {
        "name": lambda: body.string("name", required=True, nonempty=True),
        "description": lambda: body.string("description"),
        "limit_usd": lambda: body.number("limit_usd"),
        "reset_interval": lambda: body.choice("reset_interval", PERIODS),
        "enforce_zdr": lambda: body.boolean("enforce_zdr", default=False),
        **{name: functools.partial(body.strings, name) for name in _LISTS},
    }
    return {name: parse() for name, parse in parsers.items() if body.has(name) or not update}


class GuardrailsApi:
    def __init__(self, accounts: SqliteAccounts) -> None:
        self.accounts = accounts
        self.service = accounts.guardrails

    def _admin(self, request: Request) -> None:
        self.accounts.authenticate(bearer(request), "management")

    @staticmethod
    def _page(request: Request) -> tuple[int, int]:
        offset = query_int(request, "offset", default=0)
        return offset, query_int(request, "limit", default=50, minimum=1, maximum=100)

    async def list(self, request: Request) -> JSONResponse:
        self._admin(request)
        rails, total = self.service.page(*self._page(request))
        return JSONResponse({"data": [guardrail_record(r) for r in rails], "total_count": total})

    async def create(self, request: Request) -> JSONResponse:
        self._admin(request)
        body = await Body.of(request)
        rail = self.service.create(**_fields(body, update=False))
        return JSONResponse({"data": guardrail_record(rail)}, status_code=201)

    async def get(self, request: Request) -> JSONResponse:
        self._admin(request)
        return JSONResponse({"data": guardrail_record(self.service.get(request.path_params["id"]))})

    async def update(self, request: Request) -> JSONResponse:
        self._admin(request)
        body = await Body.of(request)
        rail = self.service.update(request.path_params["id"], **_fields(body, update=True))
        return JSONResponse({"data": guardrail_record(rail)})

    async def delete(self, request: Request) -> JSONResponse:
        self._admin(request)
        self.service.delete(request.path_params["id"])
        return JSONResponse({"deleted": True})

    def listing(self, kind: Kind, *, scoped: bool) -> Handler:
        """GET handler listing ``kind`` assignments of one guardrail (scoped) or of all."""

        async def handler(request: Request) -> JSONResponse:
            self._admin(request)
            guardrail_id = request.path_params["id"] if scoped else None
            rows, total = self.service.assignments(kind, guardrail_id, *self._page(request))
            return JSONResponse({"data": [_assignment(kind, r) for r in rows], "total_count": total})

        return handler

    def change(self, kind: Kind, *, remove: bool) -> Handler:
        """POST handler assigning (or removing) the ids in the body's ``key_hashes`` / ``member_user_ids``."""

        async def handler(request: Request) -> JSONResponse:
            self._admin(request)
            body = await Body.of(request)
            ids = body.strings(_ID_FIELDS[kind], required=True)
            guardrail_id = request.path_params["id"]
            if remove:
                return JSONResponse({"unassigned_count": self.service.unassign(kind, guardrail_id, ids)})
            return JSONResponse({"assigned_count": self.service.assign(kind, guardrail_id, ids)})

        return handler


def routes(settings: MockSettings, accounts: SqliteAccounts) -> list[BaseRoute]:
    api = GuardrailsApi(accounts)
    table: list[BaseRoute] = [
        Route("/guardrails", api.list, methods=["GET"]),
        Route("/guardrails", api.create, methods=["POST"]),
        Route("/guardrails/assignments/keys", api.listing("keys", scoped=False), methods=["GET"]),
        Route("/guardrails/assignments/members", api.listing("members", scoped=False), methods=["GET"]),
        Route("/guardrails/{id}", api.get, methods=["GET"]),
        Route("/guardrails/{id}", api.update, methods=["PATCH"]),
        Route("/guardrails/{id}", api.delete, methods=["DELETE"]),
    ]
    for kind in ("keys", "members"):
        base = f"/guardrails/{{id}}/assignments/{kind}"
        table += [
            Route(base, api.listing(kind, scoped=True), methods=["GET"]),
            Route(base, api.change(kind, remove=False), methods=["POST"]),
            Route(f"{base}/remove", api.change(kind, remove=True), methods=["POST"]),
        ]
    return table
