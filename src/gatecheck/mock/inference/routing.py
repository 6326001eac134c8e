"""Simulated upstreams: which (model, provider) pairs may answer, and which of them fail.

The flavor decides the candidates (OpenRouter: ``model`` then ``models`` with ``provider``
preferences; Requesty: ``policy/<name>`` chains), then :func:`route` tries them in order against
the fault plan.  Every failure that happens before the first token is recoverable, so a stream
that cannot be served at all still gets a real HTTP error status, never a 200: OpenRouter
documents that errors before any token are plain JSON errors with the matching status.
Statuses when nothing can answer: 429 (with Retry-After) when the last upstream was rate limited,
the flavor's timeout status when it timed out (OpenRouter documents 408), otherwise 502
("model down").  When ``provider.only``/``ignore`` leave no provider at all the request itself
is unsatisfiable: 404 "no allowed providers", as OpenRouter answers it (never a 5xx for what
is the caller's choice).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from gatecheck.mock.accounts import Principal
from gatecheck.mock.catalog import CatalogModel, Kind, Provider
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.faults import (
    FALLBACK_IGNORES_ALLOW_FALLBACKS,
    LISTED_MODEL_UNSERVABLE,
    NO_FALLBACK,
    UNKNOWN_MODEL_200,
    WRONG_MODEL_REPORTED,
)
from gatecheck.mock.inference.context import Context

__all__ = [
    "Candidate",
    "RouteRequest",
    "Routed",
    "UpstreamError",
    "openrouter_candidates",
    "requesty_candidates",
    "route",
]

POLICY_PREFIX = "policy/"


class UpstreamError(MockHTTPError):
    """No upstream could answer; the one error the ``error-as-200`` fault turns into a 200."""


@dataclass(frozen=True)
class RouteRequest:
    """The routing-relevant part of a request body."""

    model: str
    kind: Kind = "chat"
    fallbacks: tuple[str, ...] = ()  # OpenRouter "models"
    order: tuple[str, ...] = ()
    only: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    allow_fallbacks: bool = True


@dataclass(frozen=True)
class Candidate:
    model: CatalogModel
    provider: Provider


@dataclass(frozen=True)
class Routed:
    """Who answers: ``reported_model`` is what the response's ``model`` field says."""

    model: CatalogModel
    provider: Provider
    reported_model: str
    primary: CatalogModel  # the first candidate's model, what a fallback replaced
    cut_mid_stream: bool = False


def _lookup(ctx: Context, model_id: str, kind: Kind, field: str) -> CatalogModel:
    model = ctx.catalog.get(model_id)
    if model is None and kind == "chat" and ctx.default_model and UNKNOWN_MODEL_200.on(ctx.faults):
        model = ctx.catalog.get(ctx.default_model)
    if model is None:
        raise MockHTTPError(
            ctx.shapes.unknown_model_status, f"{model_id} is not a valid model ID", param=field
        )
    if model.kind != kind:
        raise MockHTTPError(
            400, f"{model_id} is a {model.kind} model and cannot serve {kind} requests", param=field
        )
    if LISTED_MODEL_UNSERVABLE.on(ctx.faults) and model is ctx.catalog.of_kind("chat")[-1]:
        raise UpstreamError(503, "no provider is available for this model")
    return model


def _providers(model: CatalogModel, req: RouteRequest, strict: bool) -> list[Provider]:
    allowed = [
        p
        for p in model.providers
        if (req.only is None or any(p.matches(w) for w in req.only))
        and not any(p.matches(w) for w in req.ignore)
    ]
    ordered = list(dict.fromkeys(p for wanted in req.order for p in allowed if p.matches(wanted)))
    if strict:  # allow_fallbacks: false: only what was asked for, the ordered providers or the primary
        return ordered or allowed[:1]
    return ordered + [p for p in allowed if p not in ordered]


def openrouter_candidates(ctx: Context, req: RouteRequest) -> list[Candidate]:
    """``model`` then each of ``models``; per model its providers after ``provider`` preferences."""
    ids = list(dict.fromkeys([req.model, *req.fallbacks]))
    models = [_lookup(ctx, m, req.kind, "model" if i == 0 else "models") for i, m in enumerate(ids)]
    strict = not req.allow_fallbacks and not FALLBACK_IGNORES_ALLOW_FALLBACKS.on(ctx.faults)
    return [Candidate(m, p) for m in models for p in _providers(m, req, strict)]


def requesty_candidates(ctx: Context, req: RouteRequest) -> list[Candidate]:
    """A ``policy/<name>`` model id stands for its configured chain; each model on all its providers."""
    chain = [req.model]
    if req.model.startswith(POLICY_PREFIX):
        name = req.model[len(POLICY_PREFIX) :]
        if name not in ctx.settings.fallback_policies:
            known = ", ".join(sorted(ctx.settings.fallback_policies)) or "none configured"
            raise MockHTTPError(
                ctx.shapes.unknown_model_status, f"unknown fallback policy {name!r} ({known})", param="model"
            )
        chain = ctx.settings.fallback_policies[name]
    return [Candidate(m, p) for m in (_lookup(ctx, i, req.kind, "model") for i in chain) for p in m.providers]


def _give_up(ctx: Context, failures: list[str]) -> MockHTTPError:
    last = failures[-1]
    if last == "429":
        return UpstreamError(
            429, "upstream provider is rate limited; retry later", headers={"Retry-After": "1"}
        )
    if last == "timeout":
        return UpstreamError(ctx.shapes.timeout_status, "upstream provider timed out")
    return UpstreamError(502, f"upstream provider failed ({last}) and no fallback could answer")


def _authorized(ctx: Context, principal: Principal, cand: Candidate) -> MockHTTPError | None:
    try:
        ctx.accounts.authorize_inference(principal, cand.model.id, cand.provider.slug)
    except MockHTTPError as exc:
        if exc.status != 403:
            raise
        return exc
    return None


async def route(ctx: Context, principal: Principal, req: RouteRequest, *, streaming: bool) -> Routed:
    """The first candidate that answers; raises the error a gateway would return otherwise."""
    candidates = ctx.shapes.candidates(ctx, req)
    failures: list[str] = []
    refused: MockHTTPError | None = None
    for cand in candidates:
        if failures and NO_FALLBACK.on(ctx.faults):
            break
        if (denied := _authorized(ctx, principal, cand)) is not None:
            refused = refused or denied
            continue
        failure = ctx.plan.take(cand.model.id, cand.provider.slug)
        if failure is None or (failure == "cut-mid-stream" and streaming):
            reported = req.model if WRONG_MODEL_REPORTED.on(ctx.faults) else cand.model.id
            primary = candidates[0].model
            return Routed(cand.model, cand.provider, reported, primary, cut_mid_stream=failure is not None)
        if failure == "timeout":
            await asyncio.sleep(ctx.settings.upstream_timeout)
        failures.append(failure)
    if failures:
        raise _give_up(ctx, failures)
    if refused is not None:
        raise refused
    raise MockHTTPError(404, "no allowed providers are available for the selected model", param="provider")
