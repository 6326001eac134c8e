"""Catalog queries (OpenRouter, 003 LAP): filters really filter, and the count agrees with the list.

A client that asks ``GET models?supported_parameters=tools`` routes tool calls to whatever
comes back, so a filter that is silently ignored sends requests to models that cannot serve
them.  The value to filter by and the entry field that shows it come from the profile
(``catalog.filters``).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gatecheck.check_ids import MODEL_FILTER, MODELS_COUNT, MODELS_COUNT_AGREES, MODELS_COUNT_STATUS
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import dig, expect_status, json_object, operation, require

pytestmark = [pytest.mark.capability("models"), pytest.mark.capability("model-filters")]

Listing = Any  # the `listed` fixture of suites/models/conftest.py


def _probe(profile: Profile, parameter: str) -> dict[str, str]:
    probe = ((profile.catalog or {}).get("filters") or {}).get(parameter)
    if probe is None:
        pytest.skip(f"not applicable: profile {profile.name} names no value to filter {parameter} by")
    return probe


@pytest.mark.parametrize("parameter", ["supported_parameters", "output_modalities"])
def test_filter_returns_only_matching_models(listed: Listing, profile: Profile, parameter: str) -> None:
    """Filtering the catalog returns matching models and only those"""
    probe = _probe(profile, parameter)
    value, field = probe["value"], probe["field"]
    found = listed(**{parameter: value})
    strays = [
        f"{entry.get('id')}: {field} = {dig(entry, field, None)!r}"
        for entry in found
        if not (isinstance(shown := dig(entry, field), list) and value in shown)
    ]
    if strays or not found:
        raise ContractViolation(
            f"Filter {parameter}={value} returned models without it"
            if strays
            else f"Filter {parameter}={value} returned no models",
            expected=f"one or more models, each with {value!r} in {field}",
            received=strays[:10] or "data: []",
            check=MODEL_FILTER,
            operation=operation("GET", f"{profile.path('models')}?{parameter}={value}"),
        )


def _count(client: httpx.Client, profile: Profile, **query: str) -> int:
    path = profile.path("models_count")
    op = operation("GET", path)
    response = client.get(path, params=query)
    expect_status(response, 200, op, check=MODELS_COUNT_STATUS)
    count = require(json_object(response, op), "data.count", operation=op, check=MODELS_COUNT)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ContractViolation(
            "Model count is not a count",
            expected="data.count: an integer >= 0",
            received=f"data.count: {count!r}",
            check=MODELS_COUNT,
            operation=op,
        )
    return count


def test_model_count_agrees_with_the_list(
    client: httpx.Client, listed: Listing, catalog: list[dict[str, Any]], profile: Profile
) -> None:
    """The model count equals the number of models the list returns, filtered or not"""
    queries: list[dict[str, str]] = [{}]
    if probe := ((profile.catalog or {}).get("filters") or {}).get("output_modalities"):
        queries.append({"output_modalities": probe["value"]})
    for query in queries:
        count = _count(client, profile, **query)
        entries = listed(**query) if query else catalog
        if count != len(entries):
            shown = "&".join(f"{k}={v}" for k, v in query.items())
            raise ContractViolation(
                f"Model count disagrees with the list{f' for {shown}' if shown else ''}",
                expected=f"data.count = {len(entries)}, as many as GET {profile.path('models')} lists",
                received=f"data.count: {count}",
                check=MODELS_COUNT_AGREES,
                operation=operation("GET", profile.path("models_count") + (f"?{shown}" if shown else "")),
            )
