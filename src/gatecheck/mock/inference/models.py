"""The catalog endpoints: ``GET /models`` in each flavor's shape, and OpenRouter's extras.

Requesty lists prices per million tokens as numbers (000 seed, ``Model``); OpenRouter per
token as decimal strings (004 seed), with filters, counts, per-model provider endpoints and
the provider list.  Entries are built once per catalog: these are hot, read-only paths.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gatecheck.mock.catalog import Catalog, CatalogModel, Kind, Provider
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.inference.body import bad
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.guard import admit, mark_inference
from gatecheck.mock.inference.render import json_response

__all__ = ["CATEGORIES", "openrouter_entry", "requesty_entry"]

CATEGORIES = (
    "programming",
    "roleplay",
    "marketing",
    "marketing/seo",
    "technology",
    "science",
    "translation",
    "legal",
    "finance",
    "health",
    "trivia",
    "academia",
)
MODALITIES = ("text", "image", "audio", "embeddings")


def per_token(per_million: float) -> str:
    """USD per million tokens as OpenRouter's exact per-token decimal string."""
    value = Decimal(repr(per_million)) / Decimal(1_000_000)
    return format(value.normalize(), "f") if value else "0"


def _pricing(m: CatalogModel) -> dict[str, str]:
    return {
        "prompt": per_token(m.input_price),
        "completion": per_token(m.output_price),
        "request": format(Decimal(repr(m.request_price)).normalize(), "f") if m.request_price else "0",
        "image": "0",
        "web_search": "0",
        "internal_reasoning": "0",
    }


def _catalog_caller(ctx: Context, request: Request) -> None:
    """Authenticate only where the flavor's catalog is not public."""
    if ctx.shapes.catalog_auth:
        admit(ctx, request)
    else:
        mark_inference(request)


def requesty_entry(m: CatalogModel) -> dict[str, Any]:
    return {
        "id": m.id,
        "object": "model",
        "created": m.created,
        "owned_by": m.owner,
        "description": m.description,
        "context_window": m.context_window,
        "max_output_tokens": m.max_completion_tokens,
        "input_price": m.input_price,
        "output_price": m.output_price,
        "regions": list(m.regions),
        "supports_vision": "image" in m.input_modalities,
        "supports_tools": "tools" in m.supported_parameters,
    }


def openrouter_entry(m: CatalogModel) -> dict[str, Any]:
    modality = f"{'+'.join(m.input_modalities)}->{'+'.join(m.output_modalities)}"
    return {
        "id": m.id,
        "canonical_slug": m.id,
        "name": m.name,
        "created": m.created,
        "description": m.description,
        "context_length": m.context_window,
        "architecture": {
            "modality": modality,
            "input_modalities": list(m.input_modalities),
            "output_modalities": list(m.output_modalities),
            "tokenizer": m.tokenizer,
            "instruct_type": None,
        },
        "pricing": _pricing(m),
        "top_provider": {
            "context_length": m.context_window,
            "max_completion_tokens": m.max_completion_tokens,
            "is_moderated": m.moderated,
        },
        "per_request_limits": None,
        "supported_parameters": list(m.supported_parameters),
        # required by OpenRouter's official Model schema, absent from the 004 seed: null or known
        "default_parameters": None,
        "supported_voices": None,
        "knowledge_cutoff": None,
        "expiration_date": None,
        "links": {"details": f"/api/v1/models/{m.id}/endpoints"},
    }


def endpoint_entry(m: CatalogModel, p: Provider) -> dict[str, Any]:
    return {
        "name": f"{p.name} | {m.id}",
        "model_id": m.id,
        "model_name": m.name,
        "context_length": m.context_window,
        "pricing": _pricing(m),
        "provider_name": p.name,
        "tag": p.slug,
        "quantization": "unknown",
        "max_completion_tokens": m.max_completion_tokens,
        "max_prompt_tokens": None,
        "supported_parameters": list(m.supported_parameters),
        "status": 0,
        "uptime_last_30m": 100.0,
        # required by OpenRouter's official PublicEndpoint; the mock measures none of them, and
        # the document allows null for the statistics of an unauthenticated caller
        "uptime_last_5m": 100.0,
        "uptime_last_1d": 100.0,
        "supports_implicit_caching": False,
        "latency_last_30m": None,
        "throughput_last_30m": None,
    }


@cache
def _openrouter_entries(catalog: Catalog) -> tuple[tuple[CatalogModel, dict[str, Any]], ...]:
    return tuple((m, openrouter_entry(m)) for m in catalog.models)


#: Faults that change what GET models lists; while one is on, listings are built per request.
_LISTING_FAULTS = frozenset(
    {"duplicate-model-ids", "negative-price", "bad-context-window", "regions-missing"}
)


def _listed(ctx: Context) -> tuple[CatalogModel, ...]:
    """The models GET models lists: the catalog, bent by the listing faults (the one place they apply)."""
    models = ctx.catalog.models
    if "regions-missing" in ctx.faults:
        models = tuple(replace(m, regions=()) for m in models)
    first = models[0]
    if "negative-price" in ctx.faults:
        first = replace(first, input_price=-(first.input_price or 1.0))
    if "bad-context-window" in ctx.faults:
        first = replace(first, context_window=0)
    models = (first, *models[1:])
    return (first, *models) if "duplicate-model-ids" in ctx.faults else models


def _openrouter_listing(ctx: Context) -> tuple[tuple[CatalogModel, dict[str, Any]], ...]:
    if ctx.faults & _LISTING_FAULTS:
        return tuple((m, openrouter_entry(m)) for m in _listed(ctx))
    return _openrouter_entries(ctx.catalog)


def _requesty_body(models: tuple[CatalogModel, ...]) -> bytes:
    from gatecheck.mock.inference.render import dumps

    listed = [requesty_entry(m) for m in models if m.kind != "rerank"]
    return dumps({"object": "list", "data": listed})


@cache
def _requesty_page(catalog: Catalog) -> bytes:
    return _requesty_body(catalog.models)


async def requesty_models(ctx: Context, request: Request) -> Response:
    _catalog_caller(ctx, request)
    faulty = ctx.faults & _LISTING_FAULTS
    page = _requesty_body(_listed(ctx)) if faulty else _requesty_page(ctx.catalog)
    return Response(page, media_type="application/json")


def _csv(request: Request, name: str, allowed: tuple[str, ...] | None = None) -> list[str]:
    values = [v.strip() for v in request.query_params.get(name, "").split(",") if v.strip()]
    for value in values:
        if allowed is not None and value not in allowed:
            bad(name, f"has unknown value {value!r}; use one of {', '.join(allowed)}")
    return values


def _filtered(ctx: Context, request: Request) -> list[dict[str, Any]]:
    """OpenRouter's filters; ``output_modalities`` defaults to text, as its reference says."""
    modalities = _csv(request, "output_modalities", (*MODALITIES, "all")) or ["text"]
    params = _csv(request, "supported_parameters")
    if "filter-ignored" in ctx.faults:
        modalities, params = ["text"], []
    category = request.query_params.get("category")
    if category is not None and category not in CATEGORIES:
        bad("category", f"must be one of {', '.join(CATEGORIES)}")
    return [
        entry
        for m, entry in _openrouter_listing(ctx)
        if m.kind != "rerank"  # rerankers are listed by /rerank/models only
        and ("all" in modalities or set(modalities) & set(m.output_modalities))
        and all(p in m.supported_parameters for p in params)
        and (category is None or category in m.categories)
    ]


async def openrouter_models(ctx: Context, request: Request) -> Response:
    _catalog_caller(ctx, request)
    return _listing(_filtered(ctx, request))


async def models_count(ctx: Context, request: Request) -> Response:
    _catalog_caller(ctx, request)
    extra = 1 if "count-mismatch" in ctx.faults else 0
    return json_response({"data": {"count": len(_filtered(ctx, request)) + extra}})


async def model_endpoints(ctx: Context, request: Request) -> Response:
    _catalog_caller(ctx, request)
    model_id = f"{request.path_params['author']}/{request.path_params['slug']}"
    m = ctx.catalog.get(model_id)
    if m is None:
        raise MockHTTPError(404, f"model {model_id} not found")
    entry = openrouter_entry(m)
    data = {key: entry[key] for key in ("id", "name", "created", "description", "architecture")}
    return json_response({"data": {**data, "endpoints": [endpoint_entry(m, p) for p in m.providers]}})


async def providers(ctx: Context, request: Request) -> Response:
    _catalog_caller(ctx, request)
    data = [
        {
            "name": p.name,
            "slug": p.slug,
            "privacy_policy_url": f"https://example.com/{p.slug}/privacy",
            "terms_of_service_url": f"https://example.com/{p.slug}/terms",
            "status_page_url": None,
        }
        for p in ctx.catalog.providers.values()
    ]
    return json_response({"data": data})


async def zdr_endpoints(ctx: Context, request: Request) -> Response:
    _catalog_caller(ctx, request)
    data = [endpoint_entry(m, p) for m in ctx.catalog.models for p in m.providers if p.zdr]
    return json_response({"data": data})


def _listing(data: list[dict[str, Any]]) -> Response:
    """OpenRouter's official ModelsListResponse: the entries, their count, no next page."""
    return json_response({"data": data, "total_count": len(data), "links": {"next": None}})


def _of_kind(ctx: Context, request: Request, kind: Kind) -> Response:
    _catalog_caller(ctx, request)
    return _listing([entry for m, entry in _openrouter_entries(ctx.catalog) if m.kind == kind])


async def embedding_models(ctx: Context, request: Request) -> Response:
    return _of_kind(ctx, request, "embedding")


async def rerank_models(ctx: Context, request: Request) -> Response:
    return _of_kind(ctx, request, "rerank")
