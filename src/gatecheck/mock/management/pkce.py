"""OpenRouter's PKCE key exchange (seed 003, group auth): ``POST /auth/keys/code`` mints a code
(``data.id``) for an app, ``POST /auth/keys`` trades it and the verifier for a new key.

Creating a code needs a key (the LAP lists 401), of either role: it acts for the member who
owns that key, and the new key belongs to that member.  The exchange needs none (no 401 in the
LAP): the code and verifier are the credential.  Verification rules: ``store/pkce.py``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.management.http import Body, bearer
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts
from gatecheck.mock.store.context import OWNER_ID
from gatecheck.mock.store.periods import PERIODS, iso

__all__ = ["routes"]

_METHODS = ("S256", "plain")


class PkceApi:
    def __init__(self, accounts: SqliteAccounts) -> None:
        self.accounts = accounts

    async def create_code(self, request: Request) -> JSONResponse:
        caller = self.accounts.authenticate_any(bearer(request))
        body = await Body.of(request)
        callback_url = body.string("callback_url", required=True)
        parts = urlsplit(callback_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise MockHTTPError(400, "callback_url: must be an absolute http(s) URL", param="callback_url")
        issued = self.accounts.pkce.issue(
            callback_url,
            self.accounts.keys.current(caller.key_id).row.creator_user_id or OWNER_ID,
            challenge=body.string("code_challenge"),
            method=body.choice("code_challenge_method", _METHODS),
            limit_usd=body.number("limit"),
            limit_reset=body.choice("usage_limit_type", PERIODS),
            expires_at=iso(body.moment("expires_at")),
            key_label=body.string("key_label"),
        )
        return JSONResponse(
            {"data": {"id": issued.code, "app_id": issued.app_id, "created_at": issued.created_at}}
        )

    async def exchange(self, request: Request) -> JSONResponse:
        body = await Body.of(request)
        value, user_id = self.accounts.pkce.exchange(
            body.string("code", required=True, nonempty=True),
            body.string("code_verifier"),
            body.choice("code_challenge_method", _METHODS),
        )
        return JSONResponse({"key": value, "user_id": user_id})


def routes(settings: MockSettings, accounts: SqliteAccounts) -> list[BaseRoute]:
    api = PkceApi(accounts)
    return [
        Route("/auth/keys/code", api.create_code, methods=["POST"]),
        Route("/auth/keys", api.exchange, methods=["POST"]),
    ]
