"""Embeddings are paid for too: their answers report usage, and cost where the target claims it."""

from __future__ import annotations

import httpx
import pytest

from gatecheck.check_ids import EMBEDDINGS_USAGE
from gatecheck.checks.cost import check_usage_cost
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import embedding_request, expect_status, json_object, operation


@pytest.mark.capability("embeddings")
def test_embeddings_report_usage(client: httpx.Client, profile: Profile) -> None:
    """An embeddings answer reports its token usage (and usage.cost where claimed)"""
    path = profile.path("embeddings")
    op = operation("POST", path)
    response = client.post(path, json=embedding_request(profile))
    expect_status(response, 200, op)
    usage = json_object(response, op).get("usage")
    tokens = [usage.get(k) for k in ("prompt_tokens", "total_tokens")] if isinstance(usage, dict) else []
    if not tokens or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in tokens):
        raise ContractViolation(
            "Embeddings answer lacks token usage",
            expected="usage.prompt_tokens and usage.total_tokens, positive integers",
            received=f"usage: {usage!r}",
            check=EMBEDDINGS_USAGE,
            operation=op,
        )
    if profile.claims("usage-cost"):
        check_usage_cost(usage, operation=op, where="the embeddings usage")
