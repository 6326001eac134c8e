"""POST embeddings: one usable vector per input, where the client expects to find it.

A search index stores ``data[i]`` as the vector of ``input[i]``; a vector in the wrong place,
of the wrong length or holding NaN corrupts the index silently, long after the request.  The
model's vector length comes from the profile (``embedding.dimensions``), and so does a
shortened length the model honours (``embedding.reduced_dimensions``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import (
    EMBEDDING_DIMENSION,
    EMBEDDING_DIMENSIONS_PARAM,
    EMBEDDING_FINITE,
    EMBEDDINGS_EMPTY_INPUT,
    EMBEDDINGS_INPUT_FORMS,
    EMBEDDINGS_ORDER,
    EMBEDDINGS_USAGE,
    CheckId,
)
from gatecheck.checks.cost import is_number
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import embedding_request, expect_status, operation

pytestmark = pytest.mark.capability("embeddings")

Embedded = Any  # suites/embeddings/conftest.py's answer type
Embed = Any  # the embed_texts fixture

#: Embedding the same text alone and in a batch gives the same vector up to float noise.
SAME_TEXT_SIMILARITY = 0.99


def _cosine(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Cosine similarity over the positions where both vectors hold finite numbers."""
    pairs = [(x, y) for x, y in zip(a, b, strict=False) if is_number(x) and is_number(y)]
    pairs = [(x, y) for x, y in pairs if math.isfinite(x) and math.isfinite(y)]
    norms = math.sqrt(sum(x * x for x, _ in pairs)) * math.sqrt(sum(y * y for _, y in pairs))
    return sum(x * y for x, y in pairs) / norms if norms else 0.0


def _dimensions(profile: Profile, key: str) -> int:
    size = (profile.embedding or {}).get(key)
    if size is None:
        hint = "; name it with --embedding-dimensions N" if key == "dimensions" else ""
        pytest.skip(
            f"not applicable: profile {profile.name} names no embedding {key.replace('_', ' ')}{hint}"
        )
    return int(size)


def _check_lengths(answer: Embedded, size: int, title: str, *, check: CheckId) -> None:
    lengths = [len(vector) for vector in answer.vectors]
    if not lengths or any(n != size for n in lengths):
        raise ContractViolation(
            title,
            expected=f"every vector {size} numbers long",
            received=f"vector lengths {lengths}",
            check=check,
            operation=answer.op,
        )


def test_one_vector_per_input_in_input_order(
    batch: Embedded, reference: Embedded, texts: tuple[str, ...]
) -> None:
    """Embeddings come back one per input, in input order"""
    indices = [item.get("index") for item in batch.items]
    if indices != list(range(len(texts))):
        raise ContractViolation(
            "Embeddings are not one per input in input order",
            expected=f"{len(texts)} items with index {list(range(len(texts)))}, in that order",
            received=f"index values {indices}",
            check=EMBEDDINGS_ORDER,
            operation=batch.op,
        )
    alone = reference.vectors[0] if reference.vectors else []
    similarity = [_cosine(alone, vector) for vector in batch.vectors]
    if similarity[0] < SAME_TEXT_SIMILARITY:
        raise ContractViolation(
            "The first vector is not the first input's",
            expected=f"data[0] ≈ {texts[0]!r} embedded alone (cosine >= {SAME_TEXT_SIMILARITY})",
            received="cosine with it, by position: " + ", ".join(f"{s:.3f}" for s in similarity),
            check=EMBEDDINGS_ORDER,
            operation=batch.op,
        )


def test_vectors_have_the_models_dimension(batch: Embedded, profile: Profile) -> None:
    """Every vector has the embedding model's dimension"""
    size = _dimensions(profile, "dimensions")
    _check_lengths(batch, size, f"Vectors are not {size}-dimensional", check=EMBEDDING_DIMENSION)


def test_dimensions_parameter_is_honoured(
    embed_texts: Embed, profile: Profile, texts: tuple[str, ...]
) -> None:
    """A request for fewer dimensions gets vectors of exactly that length"""
    size = _dimensions(profile, "reduced_dimensions")
    answer = embed_texts(list(texts[:2]), dimensions=size)
    _check_lengths(answer, size, f"dimensions: {size} is ignored", check=EMBEDDING_DIMENSIONS_PARAM)


def test_vectors_are_finite_numbers(batch: Embedded) -> None:
    """Every vector holds only finite numbers"""
    bad = [
        f"data[{i}].embedding[{j}] = {value!r}"
        for i, vector in enumerate(batch.vectors)
        for j, value in enumerate(vector)
        if not (is_number(value) and math.isfinite(value))
    ]
    if bad:
        raise ContractViolation(
            "Vectors hold values that are not finite numbers",
            expected="every element a finite JSON number",
            received=bad[:10],
            check=EMBEDDING_FINITE,
            operation=batch.op,
        )


def test_embedding_usage_is_reported(batch: Embedded) -> None:
    """An embeddings answer reports the tokens it consumed"""
    usage = batch.response.json().get("usage")
    tokens = [usage.get(k) for k in ("prompt_tokens", "total_tokens")] if isinstance(usage, dict) else []
    if not tokens or not all(is_number(n) and isinstance(n, int) and n > 0 for n in tokens):
        raise ContractViolation(
            "Embeddings answer lacks token usage",
            expected="usage.prompt_tokens and usage.total_tokens, positive integers",
            received=f"usage: {usage!r}",
            check=EMBEDDINGS_USAGE,
            operation=batch.op,
        )


def test_string_and_array_inputs_are_both_accepted(
    embed_texts: Embed, batch: Embedded, texts: tuple[str, ...]
) -> None:
    """A single string and an array of strings are both accepted as input"""
    single = embed_texts(texts[0])
    counts = {"a string": len(single.items), f"an array of {len(texts)}": len(batch.items)}
    if counts != {"a string": 1, f"an array of {len(texts)}": len(texts)}:
        raise ContractViolation(
            "Input forms give the wrong number of vectors",
            expected=f"1 vector for a string, {len(texts)} for an array of {len(texts)}",
            received=counts,
            check=EMBEDDINGS_INPUT_FORMS,
            operation=single.op,
        )


def test_empty_input_is_refused(client: httpx.Client, profile: Profile) -> None:
    """An empty string or empty array as input is refused with 400"""
    path = profile.path("embeddings")
    op = operation("POST", path)
    empties: tuple[str | list[str], ...] = ("", [])
    for empty in empties:
        response = client.post(path, json=embedding_request(profile, text=empty))
        expect_status(
            response,
            400,
            op,
            check=EMBEDDINGS_EMPTY_INPUT,
            title=f"Empty input {empty!r} is not refused with 400",
        )
        check_error_envelope(response, operation=op)
