"""A listed model is a promise: asking for it gets an answer, or a refusal that says why.

A refusal (a 4xx with the error envelope: not allowed for this key, an embedding model asked to
chat, no credits) is a fair answer; a server error, or an error a client cannot read, means the
catalog advertises a model the gateway cannot route.  On the mock every listed model is called;
on a real gateway a fixed sample of :data:`REAL_TARGET_SAMPLE` models (the same ones every run,
so results compare), each with a tiny ``max_tokens``.  Models named for the ``failing`` and
``rate_limited`` roles are left out: the user said they fail on purpose.
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import LISTED_MODEL_CALLABLE
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, describe, dig

pytestmark = [pytest.mark.capability("models"), pytest.mark.capability("chat")]

REAL_TARGET_SAMPLE = 3
MAX_TOKENS = 8


def _sample(ids: list[str], gateway: Gateway) -> list[str]:
    """All ids on the mock; elsewhere the first few by a stable hash, so each run asks the same."""
    unique = sorted(set(ids))
    if gateway.is_mock:
        return unique
    return sorted(unique, key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:REAL_TARGET_SAMPLE]


def _problem(response: httpx.Response, op: str) -> str | None:
    """Why this answer is neither a completion nor a clear refusal, or None."""
    if response.status_code == 200:
        try:
            choices = dig(response.json(), "choices")
        except ValueError:
            choices = None
        return (
            None
            if isinstance(choices, list) and choices
            else f"answered 200 without choices: {describe(response)}"
        )
    if 400 <= response.status_code < 500:
        try:
            check_error_envelope(response, operation=op)
        except ContractViolation as violation:
            return f"refused without a readable error ({violation.title}): {describe(response)}"
        return None
    return describe(response)


def test_listed_models_answer_or_refuse_clearly(
    catalog: list[dict[str, Any]],
    gateway: Gateway,
    client: httpx.Client,
    profile: Profile,
    chat_path: str,
    chat_op: str,
) -> None:
    """Every listed model answers a chat request or refuses it with a clear 4xx error"""
    # Models the user named as failing on purpose (--model failing=/rate_limited=) keep that promise.
    meant_to_fail = {profile.model("failing"), profile.model("rate_limited")}
    ids = [e["id"] for e in catalog if isinstance(e.get("id"), str) and e["id"] not in meant_to_fail]
    sample = _sample(ids, gateway)
    problems = []
    for model in sample:
        response = client.post(chat_path, json=chat_request(profile, model=model, max_tokens=MAX_TOKENS))
        if (problem := _problem(response, chat_op)) is not None:
            problems.append(f"{model}: {problem}")
    if problems:
        raise ContractViolation(
            f"Listed models cannot be called ({len(problems)} of {len(sample)} tried)",
            expected="HTTP 200 with choices, or a 4xx error envelope saying why the model is refused",
            received=problems,
            check=LISTED_MODEL_CALLABLE,
            operation=chat_op,
        )
