"""``POST /embeddings``: deterministic unit vectors, one per input, in input order.

A vector is a pure function of (model, text): a client can embed the same text twice and
compare, and ``dimensions`` shortens the full vector and renormalises it, as OpenAI's v3
models do.  ``encoding_format: base64`` (the openai SDK's default) packs float32 little-endian.
"""

from __future__ import annotations

import base64
import math
import random
import struct
import time
from collections.abc import Collection

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from gatecheck.mock.faults import (
    DIMENSIONS_IGNORED,
    EMBEDDINGS_OUT_OF_ORDER,
    EMPTY_INPUT_ACCEPTED,
    NAN_IN_EMBEDDING,
    NO_USAGE_ON_EMBEDDINGS,
    STRING_INPUT_REFUSED,
    WRONG_EMBEDDING_DIMENSION,
)
from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.body import Fields, bad
from gatecheck.mock.inference.content import digest
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.contract import read_request
from gatecheck.mock.inference.guard import admit
from gatecheck.mock.inference.options import route_request
from gatecheck.mock.inference.render import Meta, json_response
from gatecheck.mock.inference.routing import route
from gatecheck.mock.inference.usage import EMBEDDINGS, account, cost_fields, reported_counts, usage_of

__all__ = ["embeddings", "vector"]


def vector(model: str, text: str, size: int) -> list[float]:
    """A unit vector of ``size`` derived from a hash of (model, text)."""
    rng = random.Random(digest(model, text))
    raw = [rng.uniform(-1.0, 1.0) for _ in range(size)]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    return [x / norm for x in raw]


def _inputs(body: Fields, faults: Collection[str] = (), limit: int | None = None) -> list[str]:
    """A string or an array of strings (the form both vendors document), none empty, at most
    ``limit`` of them: a small body of many short inputs must not make a huge answer."""
    value = body.value("input")
    if value is None:
        bad("input", "is required")
    if isinstance(value, str):
        if STRING_INPUT_REFUSED.on(faults):
            bad("input", "must be an array of strings")
        value = [value]
    if EMPTY_INPUT_ACCEPTED.on(faults) and value in ([], [""]):
        return value
    if not isinstance(value, list) or not value:
        bad("input", "must be a non-empty string or a non-empty array of strings")
    if limit is not None and len(value) > limit:
        bad("input", f"must have at most {limit} items, not {len(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item:
            bad(f"input[{i}]", "must be a non-empty string")
    return value


def _encode(values: list[float], fmt: str) -> list[float] | str:
    if fmt == "base64":
        return base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode("ascii")
    return values


async def embeddings(ctx: Context, request: Request) -> Response:
    started = time.perf_counter()
    principal = admit(ctx, request)
    body = await read_request(ctx, request, "/embeddings")
    texts = _inputs(body, ctx.faults, ctx.settings.max_embedding_inputs)
    fmt = body.string("encoding_format") or "float"
    if fmt not in ("float", "base64"):
        bad("encoding_format", "must be float or base64")
    req = route_request(ctx, body, "embedding", use_default=False)
    wanted = body.integer("dimensions", minimum=1)
    routed = await route(ctx, principal, req, streaming=False)
    full = routed.model.dimensions or 1536
    if wanted is not None and wanted > full:
        bad("dimensions", f"must be at most {full} for {routed.model.id}")
    used = sum(tokens.count(t) for t in texts)
    meta = Meta.new(ctx, routed, prefix="emb-")
    # a large answer is built off the event loop: other clients (and /_mock/health) are served meanwhile
    vectors = await run_in_threadpool(_vectors, ctx, body, routed.model.id, texts, full, wanted)
    data = [{"object": "embedding", "index": i, "embedding": _encode(v, fmt)} for i, v in enumerate(vectors)]
    spent = usage_of(routed, generation_id=meta.id, prompt=used, started=started, endpoint="embeddings")
    await account(ctx, principal, spent)
    usage = {**reported_counts(ctx.faults, EMBEDDINGS, used), **cost_fields(ctx.faults, routed, used)}
    answer = {"id": meta.id, "object": "list", "data": data, "model": routed.reported_model, "usage": usage}
    if NO_USAGE_ON_EMBEDDINGS.on(ctx.faults):
        del answer["usage"]
    return await run_in_threadpool(json_response, answer)


def _vectors(
    ctx: Context, body: Fields, model: str, texts: list[str], full: int, wanted: int | None
) -> list[list[float]]:
    """The answer's vectors in input order; the one place the vector faults apply."""
    if DIMENSIONS_IGNORED.on(ctx.faults):
        wanted = None
    if WRONG_EMBEDDING_DIMENSION.on(ctx.faults) and body.data.get("dimensions") is None:
        wanted = full - 1
    vectors = [_shorten(vector(model, t, full), wanted) for t in texts]
    if EMBEDDINGS_OUT_OF_ORDER.on(ctx.faults):
        vectors.reverse()
    if NAN_IN_EMBEDDING.on(ctx.faults) and vectors and vectors[-1]:
        vectors[-1][-1] = math.nan
    return vectors


def _shorten(values: list[float], size: int | None) -> list[float]:
    if size is None or size >= len(values):
        return values
    head = values[:size]
    norm = math.sqrt(sum(x * x for x in head)) or 1.0
    return [x / norm for x in head]
