"""POST rerank: documents ordered by relevance, each result pointing at the document it scores.

Retrieval pipelines keep the first ``top_n`` results and look documents up by ``index``; an
unsorted list or an index off by one hands the model the wrong context without any error.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from gatecheck.check_ids import RERANK_INDICES, RERANK_SORTED, RERANK_TOP_N, RERANK_USAGE
from gatecheck.checks.cost import check_usage_cost, is_number
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile

pytestmark = pytest.mark.capability("rerank")

Ranking = Any  # suites/rerank/conftest.py's answer type


def _scores(ranking: Ranking) -> list[Any]:
    return [result.get("relevance_score") for result in ranking.results]


def _indices(ranking: Ranking) -> list[Any]:
    return [result.get("index") for result in ranking.results]


def _echoed_text(result: dict[str, Any]) -> Any:
    document = result.get("document")
    return document.get("text") if isinstance(document, dict) else document


def test_results_are_sorted_by_relevance(ranking: Ranking) -> None:
    """Rerank results come most relevant first"""
    scores = _scores(ranking)
    numeric = all(is_number(s) and math.isfinite(s) for s in scores)
    if not scores or not numeric or any(a < b for a, b in itertools.pairwise(scores)):
        raise ContractViolation(
            "Rerank results are not sorted by relevance" if numeric else "Relevance scores are not numbers",
            expected="relevance_score: finite numbers, non-increasing down the results",
            received=[f"index {i}: {s!r}" for i, s in zip(_indices(ranking), scores, strict=True)],
            check=RERANK_SORTED,
            operation=ranking.op,
        )


def test_result_indices_point_into_the_documents(ranking: Ranking) -> None:
    """Each rerank result's index names a distinct document of the request"""
    count = len(ranking.documents)
    problems = []
    for position, result in enumerate(ranking.results):
        index = result.get("index")
        if not (isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count):
            problems.append(f"results[{position}].index = {index!r}: no such document")
        elif (text := _echoed_text(result)) is not None and text != ranking.documents[index]:
            problems.append(f"results[{position}].index = {index} but its document is {text!r}")
    indices = _indices(ranking)
    if len(set(map(repr, indices))) != len(indices):
        problems.append(f"indices repeat: {indices}")
    if problems or not ranking.results:
        raise ContractViolation(
            "Rerank result indices do not point into the documents",
            expected=f"distinct indices 0..{count - 1}, each result's document the one at its index",
            received=problems or "results: []",
            check=RERANK_INDICES,
            operation=ranking.op,
        )


def test_top_n_is_honoured(ranking: Ranking, top_ranking: Ranking) -> None:
    """top_n returns exactly that many results: the most relevant ones"""
    best = sorted(
        (r for r in ranking.results if is_number(r.get("relevance_score"))),
        key=lambda r: -r["relevance_score"],
    )[: top_ranking.top_n]
    wanted = sorted(map(repr, (r.get("index") for r in best)))
    got = sorted(map(repr, _indices(top_ranking)))
    if len(top_ranking.results) != top_ranking.top_n or got != wanted:
        raise ContractViolation(
            f"top_n: {top_ranking.top_n} is not honoured",
            expected=f"{top_ranking.top_n} results: documents {', '.join(wanted)}, the best without top_n",
            received=f"{len(top_ranking.results)} results, documents {', '.join(got)}",
            check=RERANK_TOP_N,
            operation=top_ranking.op,
        )


def test_rerank_usage_is_reported(ranking: Ranking, profile: Profile) -> None:
    """A rerank answer reports what it consumed (tokens or search units)"""
    usage = ranking.body.get("usage")
    counted = [usage.get(k) for k in ("total_tokens", "search_units")] if isinstance(usage, dict) else []
    if not any(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in counted):
        raise ContractViolation(
            "Rerank answer lacks usage",
            expected="usage.total_tokens or usage.search_units, a positive integer",
            received=f"usage: {usage!r}",
            check=RERANK_USAGE,
            operation=ranking.op,
        )
    if profile.claims("usage-cost"):
        check_usage_cost(usage, operation=ranking.op, where="the rerank usage")
