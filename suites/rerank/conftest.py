"""Two rankings of the same documents, shared by the rerank scenarios: all of them, and the top few.

The query has one obviously best document (not listed first, so an unsorted answer shows) and
one irrelevant one; any reranker, and the mock's word-overlap scorer, orders them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from gatecheck.check_ids import RERANK_SHAPE
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import expect_status, json_object, operation

QUERY = "What is the capital of France?"
DOCUMENTS = (
    "Berlin is the capital of Germany.",
    "The Eiffel Tower stands in Paris.",
    "Paris is the capital of France.",
    "Bananas are rich in potassium.",
)
TOP_N = 2


@dataclass(frozen=True)
class Ranking:
    """One rerank answer: what was asked, the operation label, the body and its ``results``."""

    documents: tuple[str, ...]
    top_n: int | None
    op: str
    body: dict[str, Any]
    results: list[dict[str, Any]]


def _rank(gateway: Gateway, profile: Profile, model: str, top_n: int | None) -> Ranking:
    path = profile.path("rerank")
    op = operation("POST", path)
    request: dict[str, Any] = {"model": model, "query": QUERY, "documents": list(DOCUMENTS)}
    if top_n is not None:
        request["top_n"] = top_n
    with gateway.client() as client:
        response = client.post(path, json=request)
    expect_status(response, 200, op)
    body = json_object(response, op)
    results = body.get("results")
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise ContractViolation(
            "Rerank answer has no results list",
            expected='results: [{"index": n, "relevance_score": x}, ...]',
            received=body,
            check=RERANK_SHAPE,
            operation=op,
        )
    return Ranking(DOCUMENTS, top_n, op, body, results)


@pytest.fixture(scope="session")
def ranking(gateway: Gateway, profile: Profile, model_for: Callable[[str], str]) -> Ranking:
    """Every document ranked against :data:`QUERY`."""
    return _rank(gateway, profile, model_for("rerank"), None)


@pytest.fixture(scope="session")
def top_ranking(gateway: Gateway, profile: Profile, model_for: Callable[[str], str]) -> Ranking:
    """The same request with ``top_n`` = :data:`TOP_N`."""
    return _rank(gateway, profile, model_for("rerank"), TOP_N)
