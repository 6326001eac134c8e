"""``POST /rerank`` (OpenRouter): documents scored by word overlap with the query.

The score is the cosine of the two word sets, so a document sharing more of the query's words
ranks higher and a scenario can predict the order; ties keep input order.  Cost is per search
unit (one per 100 documents), at the model's ``request_price``.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gatecheck.mock.faults import NO_USAGE_ON_RERANK, RERANK_INDEX_OFF_BY_ONE, RERANK_UNSORTED, TOP_N_IGNORED
from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.body import Fields, bad
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.contract import read_request
from gatecheck.mock.inference.guard import admit
from gatecheck.mock.inference.options import route_request
from gatecheck.mock.inference.render import Meta, json_response
from gatecheck.mock.inference.routing import route
from gatecheck.mock.inference.usage import account, cost_fields, usage_of

__all__ = ["overlap", "rerank"]

_WORD = re.compile(r"\w+")
_DOCS_PER_UNIT = 100


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def overlap(query: str, document: str) -> float:
    """Cosine similarity of the word sets, rounded for stable output."""
    q, d = _words(query), _words(document)
    if not q or not d:
        return 0.0
    return round(len(q & d) / math.sqrt(len(q) * len(d)), 6)


def _documents(body: Fields) -> list[str]:
    docs = body.array("documents", required=True, nonempty=True) or []
    out = []
    for i, doc in enumerate(docs):
        text = doc.get("text") if isinstance(doc, dict) else doc
        if not isinstance(text, str):
            bad(f"documents[{i}]", "must be a string or an object with a string 'text'")
        out.append(text)
    return out


async def rerank(ctx: Context, request: Request) -> Response:
    started = time.perf_counter()
    principal = admit(ctx, request)
    body = await read_request(ctx, request, "/rerank")
    query = body.string("query", required=True, nonempty=True) or ""
    docs = _documents(body)
    top_n = body.integer("top_n", minimum=1)
    routed = await route(
        ctx, principal, route_request(ctx, body, "rerank", use_default=False), streaming=False
    )
    results = _results(ctx, query, docs, top_n)
    used = tokens.count(query) * len(docs) + sum(tokens.count(d) for d in docs)
    units = math.ceil(len(docs) / _DOCS_PER_UNIT)
    meta = Meta.new(ctx, routed, prefix="rerank-")
    spent = usage_of(
        routed, generation_id=meta.id, prompt=used, search_units=units, started=started, endpoint="rerank"
    )
    await account(ctx, principal, spent)
    usage = {"total_tokens": used, "search_units": units, **cost_fields(ctx.faults, routed, used, 0, units)}
    answer = {
        "id": meta.id,
        "model": routed.reported_model,
        "provider": routed.provider.name,
        "results": results,
        "usage": usage,
    }
    if NO_USAGE_ON_RERANK.on(ctx.faults):
        del answer["usage"]
    return json_response(answer)


def _results(ctx: Context, query: str, docs: list[str], top_n: int | None) -> list[dict[str, Any]]:
    """The ranking, best first; the one place the ranking faults apply."""
    scores = [overlap(query, doc) for doc in docs]
    if TOP_N_IGNORED.on(ctx.faults):
        top_n = None
    ranked = sorted(range(len(docs)), key=lambda i: (-scores[i], i))[:top_n]
    if RERANK_UNSORTED.on(ctx.faults):
        ranked.sort()
    shift = 1 if RERANK_INDEX_OFF_BY_ONE.on(ctx.faults) else 0
    return [{"index": i + shift, "relevance_score": scores[i], "document": {"text": docs[i]}} for i in ranked]
