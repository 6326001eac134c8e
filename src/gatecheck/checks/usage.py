"""Token accounting: the counts a gateway bills by are whole, non-negative, add up and obey the limit.

A client pays by these numbers, and gatecheck's own cost guard on paid targets relies on
``max_tokens`` being honoured, so each API's usage block is judged the same way:

- every count present is a non-negative integer (``3.5`` or ``-2`` tokens cannot be billed);
- the total, where the API has one, is the sum of its parts (embeddings: the input alone);
- the output count is at most the limit the request sent (``max_tokens``,
  ``max_completion_tokens``, ``max_output_tokens``);
- an answer the limit cut says so, in its API's words (``finish_reason: length``, Responses
  ``status: incomplete`` for ``max_output_tokens``, Messages ``stop_reason: max_tokens``).

The field names differ by API, not by vendor, so they are fixed here (:data:`APIS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from gatecheck.check_ids import USAGE_COUNTS, USAGE_CUT_REPORTED, USAGE_MAX_TOKENS, USAGE_TOTALS, CheckId
from gatecheck.failures import ContractViolation

__all__ = [
    "APIS",
    "UsageFields",
    "check_cut_reported",
    "check_output_within_limit",
    "check_token_counts",
    "check_token_total",
    "check_usage",
    "cut_reason",
    "output_limit",
]


@dataclass(frozen=True)
class UsageFields:
    """Where one API's usage block keeps its counts; ``None``: the API has no such count."""

    input: str
    output: str | None
    total: str | None
    limits: tuple[str, ...]  # request fields that cap the output, in the order a gateway applies them

    @property
    def counts(self) -> tuple[str, ...]:
        return tuple(name for name in (self.input, self.output, self.total) if name)


APIS: dict[str, UsageFields] = {
    "chat": UsageFields(
        "prompt_tokens", "completion_tokens", "total_tokens", ("max_completion_tokens", "max_tokens")
    ),
    "responses": UsageFields("input_tokens", "output_tokens", "total_tokens", ("max_output_tokens",)),
    "messages": UsageFields("input_tokens", "output_tokens", None, ("max_tokens",)),
    "embeddings": UsageFields("prompt_tokens", None, "total_tokens", ()),
}


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _fail(title: str, expected: str, received: Any, *, check: CheckId, operation: str) -> ContractViolation:
    return ContractViolation(title, expected=expected, received=received, check=check, operation=operation)


def check_token_counts(usage: Any, *, api: str, operation: str, where: str = "the answer") -> None:
    """Every token count of the API's usage block is present and a non-negative integer."""
    fields = APIS[api]
    if not isinstance(usage, Mapping):
        raise _fail(
            f"Usage is missing from {where}",
            f"a usage object with {', '.join(fields.counts)}",
            f"usage: {usage!r}",
            check=USAGE_COUNTS,
            operation=operation,
        )
    for name in fields.counts:
        if not _is_count(usage.get(name)):
            raise _fail(
                f"usage.{name} in {where} is not a non-negative integer: {usage.get(name)!r}",
                "token counts as non-negative integers (tokens are billed whole)",
                f"usage.{name}: {usage.get(name)!r}; usage: {dict(usage)}",
                check=USAGE_COUNTS,
                operation=operation,
            )


def check_token_total(
    usage: Mapping[str, Any], *, api: str, operation: str, where: str = "the answer"
) -> None:
    """The total is the sum of its parts (call after :func:`check_token_counts`)."""
    fields = APIS[api]
    if fields.total is None:
        return
    parts = [name for name in (fields.input, fields.output) if name]
    expected = sum(int(usage[name]) for name in parts)
    if usage[fields.total] != expected:
        raise _fail(
            f"usage.{fields.total} in {where} does not add up",
            f"{fields.total} == {' + '.join(parts)} ({expected})",
            ", ".join(f"{name}: {usage[name]}" for name in (*parts, fields.total)),
            check=USAGE_TOTALS,
            operation=operation,
        )


def output_limit(request: Any, api: str) -> tuple[str, int] | None:
    """The output-token limit a request sent, as (field, tokens); None when it sent none.

    A chat request for ``n`` choices may bill ``n`` times the limit: the limit is per choice.
    """
    if not isinstance(request, Mapping):
        return None
    for name in APIS[api].limits:
        value = request.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            choices = request.get("n") if api == "chat" else 1
            per = choices if isinstance(choices, int) and not isinstance(choices, bool) and choices > 1 else 1
            return (name if per == 1 else f"{name} x n={per}"), value * per
    return None


def check_output_within_limit(
    usage: Mapping[str, Any], request: Any, *, api: str, operation: str, where: str = "the answer"
) -> None:
    """No more output tokens were billed than the request allowed."""
    fields, limit = APIS[api], output_limit(request, api)
    if limit is None or fields.output is None:
        return
    output = usage[fields.output]
    if output > limit[1]:
        raise _fail(
            f"{limit[0]} ignored: {output} output tokens billed, {limit[1]} allowed",
            f"usage.{fields.output} <= {limit[0]} ({limit[1]})",
            f"usage.{fields.output}: {output} in {where}",
            check=USAGE_MAX_TOKENS,
            operation=operation,
        )


def cut_reason(api: str, answer: Mapping[str, Any]) -> tuple[str, Any, Any]:
    """(field, what it says, what it must say) for the API's "the limit cut this answer"."""
    if api == "responses":
        details = answer.get("incomplete_details")
        reason = details.get("reason") if isinstance(details, Mapping) else None
        return (
            "status / incomplete_details.reason",
            (answer.get("status"), reason),
            ("incomplete", "max_output_tokens"),
        )
    if api == "messages":
        return "stop_reason", answer.get("stop_reason"), "max_tokens"
    choices = answer.get("choices")
    first = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], Mapping) else {}
    return "choices[0].finish_reason", first.get("finish_reason"), "length"


def check_cut_reported(answer: Mapping[str, Any], *, api: str, operation: str) -> None:
    """An answer the output limit cut says so (for answers known to be cut: a long ask, a tiny limit)."""
    field, says, must = cut_reason(api, answer)
    if says != must:
        raise _fail(
            f"Answer cut by the token limit reports {field} {says!r}",
            f"{field}: {must!r} when the output limit cut the answer",
            f"{field}: {says!r}",
            check=USAGE_CUT_REPORTED,
            operation=operation,
        )


def check_usage(
    usage: Any, request: Any, *, api: str, operation: str, where: str = "the answer"
) -> Mapping[str, Any]:
    """All the per-answer usage checks: counts, total, limit; returns the usage block."""
    check_token_counts(usage, api=api, operation=operation, where=where)
    usage = cast(Mapping[str, Any], usage)  # check_token_counts refused anything else
    check_token_total(usage, api=api, operation=operation, where=where)
    check_output_within_limit(usage, request, api=api, operation=operation, where=where)
    return usage
