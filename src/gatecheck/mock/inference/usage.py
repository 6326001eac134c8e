"""What a request cost, as reported and as accounted.

:func:`cost_fields` is the one place the cost faults apply (``omit-usage-cost``,
``wrong-cost``, ``fallback-cost-at-primary-price``); every API's usage block takes its
``cost`` from it.  :func:`reported_counts` is where the token-count faults bend the counts an
answer reports (``usage-total-mismatch``, ``negative-token-count``, ``fractional-token-count``),
for every API's usage block by its own field names (:data:`CHAT`, :data:`RESPONSES`,
:data:`MESSAGES`, :data:`EMBEDDINGS`).
:func:`account` records the true catalog cost (:func:`usage_of`) with the management plane,
whatever the reported one says, so a cost fault breaks exactly the reported field and nothing
else.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

from gatecheck.mock.accounts import Principal, UsageRecord
from gatecheck.mock.faults import (
    FALLBACK_COST_AT_PRIMARY_PRICE,
    FRACTIONAL_TOKEN_COUNT,
    NEGATIVE_TOKEN_COUNT,
    OMIT_USAGE_COST,
    USAGE_TOTAL_MISMATCH,
    WRONG_COST,
)
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.guard import ANONYMOUS
from gatecheck.mock.inference.routing import Routed

__all__ = [
    "CHAT",
    "EMBEDDINGS",
    "MESSAGES",
    "RESPONSES",
    "CountNames",
    "account",
    "account_now",
    "chat_usage",
    "cost_fields",
    "reported_counts",
    "usage_of",
]


@dataclass(frozen=True)
class CountNames:
    """An API's names for its input, output and total token counts (None: the API has no such count)."""

    input: str
    output: str | None
    total: str | None


CHAT = CountNames("prompt_tokens", "completion_tokens", "total_tokens")
RESPONSES = CountNames("input_tokens", "output_tokens", "total_tokens")
MESSAGES = CountNames("input_tokens", "output_tokens", None)
EMBEDDINGS = CountNames("prompt_tokens", None, "total_tokens")


def cost_fields(
    faults: Collection[str], routed: Routed, prompt: int, completion: int = 0, search_units: int = 0
) -> dict[str, float]:
    """``{"cost": usd}`` at the price of the model that answered, or ``{}`` when cost is omitted."""
    if OMIT_USAGE_COST.on(faults):
        return {}
    priced = routed.primary if FALLBACK_COST_AT_PRIMARY_PRICE.on(faults) else routed.model
    cost = priced.cost(prompt, completion, search_units)
    if WRONG_COST.on(faults):
        cost = round(cost * 10, 12)
    return {"cost": cost}


def reported_counts(
    faults: Collection[str], names: CountNames, prompt: int, completion: int = 0
) -> dict[str, float]:
    """The counts an answer reports under ``names``: true, unless a token-count fault bends them.

    Each fault breaks one point only: a negative or fractional count still adds up.
    """
    counted: float = -prompt if NEGATIVE_TOKEN_COUNT.on(faults) else prompt
    reported: dict[str, float] = {names.input: counted}
    if names.output:
        output: float = completion + 0.5 if FRACTIONAL_TOKEN_COUNT.on(faults) else completion
        reported[names.output] = output
        counted += output
    if names.total:
        reported[names.total] = counted + 1 if USAGE_TOTAL_MISMATCH.on(faults) else counted
    return reported


def chat_usage(
    faults: Collection[str], routed: Routed, prompt: int, completion: int, *, plain: bool = False
) -> dict[str, object]:
    """The Chat Completions usage block (also used by the stream's usage chunk, ``plain=False``).

    The token-count faults apply to plain answers only: the stream's usage chunk has its own
    check and its own faults.
    """
    counts = reported_counts(faults if plain else (), CHAT, prompt, completion)
    return {
        **counts,
        **cost_fields(faults, routed, prompt, completion),
        # every detail OpenRouter's spec lists, as OpenAI sends them: the mock caches and reasons nothing
        "prompt_tokens_details": {
            "cached_tokens": 0,
            "cache_write_tokens": 0,
            "audio_tokens": 0,
            "video_tokens": 0,
        },
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def usage_of(
    routed: Routed,
    *,
    generation_id: str,
    prompt: int,
    completion: int = 0,
    search_units: int = 0,
    streamed: bool = False,
    started: float,
    finish_reason: str | None = None,
    endpoint: str = "chat",
) -> UsageRecord:
    """What a completed request consumed, at the true catalog price of the model that answered."""
    return UsageRecord(
        generation_id=generation_id,
        model=routed.model.id,
        provider=routed.provider.name,
        prompt_tokens=prompt,
        completion_tokens=completion,
        cost=routed.model.cost(prompt, completion, search_units),
        streamed=streamed,
        latency_ms=round((time.perf_counter() - started) * 1000, 3),
        finish_reason=finish_reason,
        endpoint=endpoint,
    )


async def account(ctx: Context, principal: Principal, usage: UsageRecord) -> None:
    """Record a request against the caller's key (not for unauthenticated calls); answer it
    only after this returns, as only then is the record committed."""
    if principal is not ANONYMOUS:
        await ctx.accounts.arecord(principal, usage)


def account_now(ctx: Context, principal: Principal, usage: UsageRecord) -> None:
    """:func:`account` for code off the event loop's await points (a stream's frame generator)."""
    if principal is not ANONYMOUS:
        ctx.accounts.record(principal, usage)
