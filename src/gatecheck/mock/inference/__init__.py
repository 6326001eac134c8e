"""The inference plane: route tables per flavor.

The flavor picks a table here, the way it picks :class:`~.shapes.Shapes`; handlers are shared.
Requesty serves chat, embeddings, models and responses (its profile lacks ``messages`` and
``rerank``, so those paths 404); OpenRouter adds messages, rerank and its catalog extras.
Every route is :func:`~gatecheck.mock.contract.guarded` by the flavor's spec.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from gatecheck.mock.contract import guarded
from gatecheck.mock.inference import chat, embeddings, messages, models, rerank, responses
from gatecheck.mock.inference.context import Context
from gatecheck.profiles import get_profile

__all__ = ["Context", "inference_operations", "inference_routes"]

Handler = Callable[[Context, Request], Awaitable[Response]]

_COMMON: list[tuple[str, str, Handler]] = [
    ("POST", "/chat/completions", chat.chat_completions),
    ("POST", "/embeddings", embeddings.embeddings),
    ("POST", "/responses", responses.responses),
]

_TABLES: dict[str, list[tuple[str, str, Handler]]] = {
    "requesty": [*_COMMON, ("GET", "/models", models.requesty_models)],
    "openrouter": [
        *_COMMON,
        ("POST", "/messages", messages.messages),
        ("POST", "/rerank", rerank.rerank),
        ("GET", "/models", models.openrouter_models),
        ("GET", "/models/count", models.models_count),
        ("GET", "/models/{author}/{slug}/endpoints", models.model_endpoints),
        ("GET", "/providers", models.providers),
        ("GET", "/endpoints/zdr", models.zdr_endpoints),
        ("GET", "/embeddings/models", models.embedding_models),
        ("GET", "/rerank/models", models.rerank_models),
    ],
}


def inference_routes(ctx: Context) -> list[BaseRoute]:
    """The flavor's inference routes, relative to its prefix, with the context bound."""
    table: list[BaseRoute] = [
        Route(path, partial(handler, ctx), methods=[method])
        for method, path, handler in _TABLES[ctx.shapes.name]
    ]
    return guarded(table, get_profile(ctx.settings.flavor).spec, plane="inference")


def inference_operations(flavor: str) -> set[tuple[str, str]]:
    """(METHOD, path template) of every inference route a flavor serves, relative to its prefix."""
    return {(method, path) for method, path, _ in _TABLES[flavor]}
