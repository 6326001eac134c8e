"""Embedding answers the scenarios share, so a real gateway is asked once for each kind.

``texts`` are the inputs; ``batch`` embeds them in one request, ``reference`` the first of them
alone, so the order scenario can tell whether ``data[0]`` really is the first input's vector.
``embed(texts, **extra)`` makes any other request.  Each is an :class:`Embedded` whose vectors
the scenarios judge, each the part of the answer it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import EMBEDDINGS_SHAPE
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import embedding_request, expect_status, json_object, operation

#: Distinct texts, so their vectors are far apart and a swap shows.
INPUTS = (
    "The quick brown fox jumps over the lazy dog.",
    "A gateway routes each request to a model provider.",
    "Paris is the capital of France.",
)


@dataclass(frozen=True)
class Embedded:
    """One embeddings answer: the operation label, the raw response and its ``data`` items."""

    op: str
    response: httpx.Response
    items: list[dict[str, Any]]

    @property
    def vectors(self) -> list[Any]:
        return [item.get("embedding") for item in self.items]


def read_embeddings(response: httpx.Response, op: str, what: str = "An embeddings request") -> Embedded:
    """The answer's ``data`` items; a failed or malformed answer is a violation naming ``what``."""
    expect_status(response, 200, op, title=f"{what} is not served")
    data = json_object(response, op).get("data")
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and isinstance(item.get("embedding"), list) for item in data
    ):
        raise ContractViolation(
            "Embeddings answer has no list of vectors",
            expected='data: [{"index": n, "embedding": [numbers...]}, ...]',
            received=response.text,
            check=EMBEDDINGS_SHAPE,
            operation=op,
        )
    return Embedded(op, response, data)


def embed(client: httpx.Client, profile: Profile, text: str | Sequence[str], **extra: Any) -> Embedded:
    """Embed ``text`` (a string or an array) with the profile's embedding model."""
    path = profile.path("embeddings")
    body = {**embedding_request(profile, text=text if isinstance(text, str) else list(text)), **extra}
    what = "A string input" if isinstance(text, str) else f"An array input of {len(text)}"
    return read_embeddings(client.post(path, json=body), operation("POST", path), what)


@pytest.fixture(scope="session")
def texts() -> tuple[str, ...]:
    """The inputs the scenarios embed."""
    return INPUTS


@pytest.fixture
def embed_texts(client: httpx.Client, profile: Profile) -> Callable[..., Embedded]:
    """``embed_texts("one string")`` or ``embed_texts(["a", "b"], dimensions=256)``."""
    return lambda text, **extra: embed(client, profile, text, **extra)


@pytest.fixture(scope="session")
def batch(gateway: Gateway, profile: Profile) -> Embedded:
    """:data:`INPUTS` embedded in one request (array input)."""
    with gateway.client() as client:
        return embed(client, profile, INPUTS)


@pytest.fixture(scope="session")
def reference(gateway: Gateway, profile: Profile) -> Embedded:
    """The first of :data:`INPUTS` embedded alone (a one-element array)."""
    with gateway.client() as client:
        return embed(client, profile, INPUTS[:1])
