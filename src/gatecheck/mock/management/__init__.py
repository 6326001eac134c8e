"""The mock's management plane: keys, usage, generations, credits, activity, guardrails, PKCE.

:func:`routes` gives the flavor's route table with paths relative to the flavor's prefix; the
app mounts it under ``/v1`` (Requesty) or ``/api/v1`` (OpenRouter) and renders
:class:`~gatecheck.mock.errors.MockHTTPError` as the vendor envelope.  The flavor chooses the
table here and nowhere else; handlers never test it.

Modules: ``http`` (parsing, 400s), ``requesty`` (``/api-keys``, ``/organization/usage``),
``openrouter_keys`` (``/keys``, ``/key``, ``/credits``), ``openrouter_reports``
(``/generation``, ``/activity``, ``/organization/members``, ``/models/user``), ``guardrails``
(13 endpoints), ``pkce`` (``/auth/keys/code``, ``/auth/keys``).  State lives in
:mod:`gatecheck.mock.store`.

Every route is :func:`~gatecheck.mock.contract.guarded` by the flavor's spec: a parameter the
contract refuses is a 400 before the handler runs, a body one when ``http.Body`` reads it.

Mount these before any inference route with a catch-all model path (``/models/{id:path}``),
or ``/models/user`` is taken for a model id.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.routing import BaseRoute

from gatecheck.mock.contract import guarded
from gatecheck.mock.management import guardrails, openrouter_keys, openrouter_reports, pkce, requesty
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts
from gatecheck.profiles import get_profile

__all__ = ["TABLES", "routes"]

Table = Callable[[MockSettings, SqliteAccounts], list[BaseRoute]]

# each flavor's route table, as the list of modules whose routes() it concatenates
TABLES: dict[str, tuple[Table, ...]] = {
    "requesty": (requesty.routes,),
    "openrouter": (
        openrouter_keys.routes,
        openrouter_reports.routes,
        guardrails.routes,
        pkce.routes,
    ),
}


def routes(settings: MockSettings, accounts: SqliteAccounts) -> list[BaseRoute]:
    """The management routes of ``settings.flavor``, relative to the flavor's prefix."""
    table = [route for part in TABLES[settings.flavor] for route in part(settings, accounts)]
    return guarded(table, get_profile(settings.flavor).spec, plane="management")
