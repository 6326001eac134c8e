"""OpenRouter's read-side endpoints: ``/generation``, ``/activity``, ``/organization/members``
and ``/models/user`` (seed 003).

``/generation`` answers every field of the LAP's ``@returns``.  Values the mock does not
simulate take their neutral value (0, false, null), and the inference plane may set any of them
through ``UsageRecord.extra`` under the LAP's field name (``http_referer``, ``user_agent``,
``native_tokens_reasoning``, ...): extra wins over the default.  Any key may read a generation;
an inference key only its own (404 otherwise, so ids do not leak across keys).
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from gatecheck.mock.catalog import Catalog, default_catalog, load_catalog
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.inference.models import openrouter_entry
from gatecheck.mock.management.http import bearer, query_date, query_int, query_str
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts
from gatecheck.mock.store.reports import extra_of

__all__ = ["generation_record", "routes"]

_ENDPOINT_NAMESPACE = uuid.UUID("6f1c3b1e-9a57-4c1e-9d0e-6761746563b6")


def generation_record(row: sqlite3.Row) -> dict[str, Any]:
    """The ``data`` object of ``GET /generation`` for one stored usage row."""
    cost, prompt, completion = row["cost"], row["prompt_tokens"], row["completion_tokens"]
    data: dict[str, Any] = {
        "id": row["generation_id"],
        "upstream_id": None,
        "total_cost": cost,
        "cache_discount": 0.0,
        "upstream_inference_cost": cost,
        "created_at": row["created_at"],
        "model": row["model"],
        "app_id": 0,
        "streamed": bool(row["streamed"]),
        "cancelled": False,
        "provider_name": row["provider"],
        "latency": row["latency_ms"],
        "moderation_latency": 0.0,
        "generation_time": row["latency_ms"],
        "finish_reason": row["finish_reason"],
        "tokens_prompt": prompt,
        "tokens_completion": completion,
        "native_tokens_prompt": prompt,
        "native_tokens_completion": completion,
        "native_tokens_completion_images": 0,
        "native_tokens_reasoning": 0,
        "native_tokens_cached": 0,
        "num_media_prompt": 0,
        "num_input_audio_prompt": 0,
        "num_media_completion": 0,
        "num_search_results": 0,
        "origin": "",
        "usage": cost,
        "is_byok": False,
        "native_finish_reason": row["finish_reason"],
        "external_user": None,
        "api_type": row["endpoint"],
        "router": None,
        "provider_responses": None,
        "user_agent": None,
        "http_referer": None,
        "request_id": None,
    }
    data.update({name: value for name, value in extra_of(row).items() if name in data})
    return data


def _activity_item(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "date": row["date"],
        "model": row["model"],
        "model_permaslug": row["model"],
        # stable per (model, provider), as OpenRouter's endpoint ids are
        "endpoint_id": str(uuid.uuid5(_ENDPOINT_NAMESPACE, f"{row['model']}@{row['provider']}")),
        "provider_name": row["provider"],
        "usage": row["usage"],
        "byok_usage_inference": 0.0,
        "requests": row["requests"],
        "prompt_tokens": row["prompt_tokens"],
        "completion_tokens": row["completion_tokens"],
        "reasoning_tokens": 0,
    }


class OpenRouterReports:
    def __init__(self, settings: MockSettings, accounts: SqliteAccounts) -> None:
        self.settings = settings
        self.accounts = accounts

    def _catalog(self) -> Catalog:
        """The catalog inference serves (``settings.catalog_path`` or the bundled one)."""
        path = self.settings.catalog_path
        return load_catalog(path) if path else default_catalog()

    async def generation(self, request: Request) -> JSONResponse:
        caller = self.accounts.authenticate_any(bearer(request))
        generation_id = query_str(request, "id")
        if generation_id is None:
            raise MockHTTPError(400, "id: is required", param="id")
        return JSONResponse(
            {"data": generation_record(self.accounts.reports.generation(generation_id, caller))}
        )

    async def activity(self, request: Request) -> JSONResponse:
        # the LAP lists 403 here (and only 401 on the other management routes)
        self.accounts.authenticate(bearer(request), "management", wrong_role_status=403)
        rows = self.accounts.reports.activity(
            query_date(request, "date"), query_str(request, "api_key_hash"), query_str(request, "user_id")
        )
        return JSONResponse({"data": [_activity_item(r) for r in rows]})

    async def members(self, request: Request) -> JSONResponse:
        self.accounts.authenticate(bearer(request), "management")
        offset = query_int(request, "offset", default=0)
        limit = query_int(request, "limit", default=50, minimum=1, maximum=100)
        members, total = self.accounts.reports.members(offset, limit)
        data = [
            {"id": m["user_id"], **{k: m[k] for k in ("email", "first_name", "last_name", "role")}}
            for m in members
        ]
        return JSONResponse({"data": data, "total_count": total})

    async def models_user(self, request: Request) -> JSONResponse:
        """The catalog narrowed to what the caller's access lists and guardrails allow, in the
        inference plane's ``/models`` shape."""
        caller = self.accounts.authenticate_any(bearer(request))
        allowed = [
            m
            for m in self._catalog().models
            if (caller.allowed_models is None or m.id in caller.allowed_models)
            and (
                caller.allowed_providers is None
                or any(p.matches(wanted) for p in m.providers for wanted in caller.allowed_providers)
            )
        ]
        return JSONResponse({"data": [openrouter_entry(m) for m in allowed]})


def routes(settings: MockSettings, accounts: SqliteAccounts) -> list[BaseRoute]:
    api = OpenRouterReports(settings, accounts)
    return [
        Route("/generation", api.generation, methods=["GET"]),
        Route("/activity", api.activity, methods=["GET"]),
        Route("/organization/members", api.members, methods=["GET"]),
        Route("/models/user", api.models_user, methods=["GET"]),
    ]
