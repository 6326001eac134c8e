"""The catalog's entries: what a client reads before choosing a model and budgeting for it.

Where each fact sits differs by vendor (Requesty: ``context_window``, prices per million tokens
as numbers; OpenRouter: ``context_length``, ``pricing.prompt`` per token as decimal strings), so
every field name and unit comes from the profile (``catalog``, ``pricing``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import pytest

from gatecheck.check_ids import (
    CATALOG_PRICE,
    CONTEXT_WINDOW,
    MODEL_ID_FORM,
    MODEL_IDS_UNIQUE,
    MODEL_REGIONS,
    CheckId,
)
from gatecheck.checks.cost import is_number
from gatecheck.errors import ConfigError
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import MISSING, dig, operation

pytestmark = pytest.mark.capability("models")

#: Far above any model's price (the dearest list at a few hundred USD per million output
#: tokens): a price beyond it is in the wrong unit, such as per-million numbers in a per-token field.
MAX_PLAUSIBLE_USD_PER_MILLION = 10_000.0
_PER_MILLION = {"per-million-tokens": 1.0, "per-token-string": 1e6, "per-token": 1e6}
_STRING_UNITS = {"per-token-string"}
_SHOWN = 10  # offending entries quoted in a failure


def _catalog_setting(profile: Profile, name: str) -> Any:
    value = (profile.catalog or {}).get(name)
    if value is None:
        pytest.skip(f"not applicable: profile {profile.name} names no catalog {name.replace('_', ' ')}")
    return value


def _fail_if(problems: list[str], title: str, expected: str, *, check: CheckId, profile: Profile) -> None:
    if problems:
        raise ContractViolation(
            f"{title} ({len(problems)} found)",
            expected=expected,
            received=problems[:_SHOWN],
            check=check,
            operation=operation("GET", profile.path("models")),
        )


def test_model_ids_are_unique_and_name_their_provider(
    catalog: list[dict[str, Any]], profile: Profile
) -> None:
    """Every model id is listed once and has the provider/model form"""
    ids = [entry.get("id") for entry in catalog]
    counts = Counter(i if isinstance(i, str) else repr(i) for i in ids)
    repeated = [f"{i!r} listed {n} times" for i, n in counts.items() if n > 1]
    _fail_if(repeated, "Model ids repeat", "each id exactly once", check=MODEL_IDS_UNIQUE, profile=profile)
    pattern = (profile.catalog or {}).get("id_pattern")
    try:
        form = re.compile(pattern or r"^\S+$")
    except re.error as exc:
        raise ConfigError(f"profile {profile.name}: catalog.id_pattern is not a regex: {exc}") from None
    malformed = [repr(i) for i in ids if not isinstance(i, str) or not form.fullmatch(i)]
    _fail_if(
        malformed,
        "Model ids do not have the provider/model form" if pattern else "Model ids are not strings",
        f"ids matching {form.pattern}",
        check=MODEL_ID_FORM,
        profile=profile,
    )


def _price_problem(raw: Any, unit: str) -> str | None:
    """What is wrong with a catalog price in ``unit``, or None."""
    if raw is MISSING:
        return "missing"
    wanted = str if unit in _STRING_UNITS else float
    if wanted is str and not isinstance(raw, str):
        return f"{raw!r} is not a decimal string"
    if wanted is float and not is_number(raw):
        return f"{raw!r} is not a JSON number"
    try:
        price = float(raw)
    except ValueError:
        return f"{raw!r} is not a decimal number"
    if not math.isfinite(price) or price < 0:
        return f"{raw!r} is negative or not finite"
    if price * _PER_MILLION.get(unit, 1.0) > MAX_PLAUSIBLE_USD_PER_MILLION:
        return f"{raw!r} is over {MAX_PLAUSIBLE_USD_PER_MILLION:g} USD per million tokens: the wrong unit?"
    return None


def test_prices_are_non_negative_in_the_profiles_unit(
    catalog: list[dict[str, Any]], profile: Profile
) -> None:
    """Every model's input and output price is a non-negative number in the documented unit"""
    pricing = profile.pricing
    if not pricing:
        pytest.skip(f"not applicable: profile {profile.name} documents no catalog prices")
    unit = str(pricing.get("unit"))
    problems = []
    for entry in catalog:
        for side, field in sorted(pricing["fields"].items()):
            if problem := _price_problem(dig(entry, field), unit):
                problems.append(f"{entry.get('id')}: {side} price {field} {problem}")
    kind = "decimal strings" if unit in _STRING_UNITS else "JSON numbers"
    _fail_if(
        problems,
        "Catalog prices are not prices",
        f"{' and '.join(sorted(pricing['fields'].values()))}: {kind} >= 0, USD {unit}",
        check=CATALOG_PRICE,
        profile=profile,
    )


def test_context_windows_are_positive_integers(catalog: list[dict[str, Any]], profile: Profile) -> None:
    """Every model's context window is a positive integer number of tokens"""
    field = _catalog_setting(profile, "context_field")
    problems = [
        f"{entry.get('id')}: {field} = {value!r}"
        for entry in catalog
        if not (isinstance(value := dig(entry, field), int) and not isinstance(value, bool) and value > 0)
    ]
    _fail_if(
        problems,
        "Context windows are not positive integers",
        f"{field}: an integer > 0",
        check=CONTEXT_WINDOW,
        profile=profile,
    )


@pytest.mark.capability("model-regions")
def test_models_carry_their_regions(catalog: list[dict[str, Any]], profile: Profile) -> None:
    """Every model lists the regions it is deployed in"""
    field = _catalog_setting(profile, "regions_field")
    problems = [
        f"{entry.get('id')}: {field} = {value!r}"
        for entry in catalog
        if not (
            isinstance(value := dig(entry, field), list)
            and value
            and all(isinstance(region, str) and region for region in value)
        )
    ]
    _fail_if(
        problems,
        "Models are listed without their regions",
        f"{field}: a non-empty array of region names",
        check=MODEL_REGIONS,
        profile=profile,
    )
