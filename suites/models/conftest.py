"""The catalog as a client first sees it: ``GET models``, read once per run and shared.

``catalog`` is the target's unfiltered list (every scenario judges the same answer, and a real
gateway is asked once); ``listed(client, profile, **query)`` reads it again with query
parameters, for the filter and count scenarios.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import MODELS_BODY, MODELS_STATUS
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import expect_status, json_object, operation

Listing = Callable[..., list[dict[str, Any]]]


def read_listing(client: httpx.Client, profile: Profile, **query: str) -> list[dict[str, Any]]:
    """The entries of ``GET models`` (with ``query``); a malformed list is a violation."""
    path = profile.path("models")
    op = operation("GET", path)
    response = client.get(path, params=query)
    expect_status(response, 200, op, check=MODELS_STATUS)
    data = json_object(response, op, check=MODELS_BODY).get("data")
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise ContractViolation(
            "Model list is not a list of model objects",
            expected="data: an array of objects",
            received=response.text,
            check=MODELS_BODY,
            operation=op,
        )
    return data


@pytest.fixture(scope="session")
def catalog(gateway: Gateway, profile: Profile) -> list[dict[str, Any]]:
    """The target's unfiltered model list."""
    with gateway.client() as client:
        return read_listing(client, profile)


@pytest.fixture
def listed(client: httpx.Client, profile: Profile) -> Listing:
    """``listed(output_modalities="embeddings")``: the model list for that query."""
    return lambda **query: read_listing(client, profile, **query)
