"""The cost checks: what counts as a price, catalog units per profile, the stated tolerance."""

from __future__ import annotations

import math

import pytest

from gatecheck.checks.cost import (
    COST_TOLERANCE,
    Tolerance,
    check_cost_consistent,
    check_usage_cost,
    expected_cost,
)
from gatecheck.failures import ContractViolation
from gatecheck.profiles import get_profile

OP = "POST /chat/completions"


@pytest.mark.parametrize("cost", [0, 0.0, 0.000038, 3])
def test_a_non_negative_number_is_a_cost(cost: float) -> None:
    assert check_usage_cost({"cost": cost}, operation=OP) == cost


@pytest.mark.parametrize(
    ("usage", "problem"),
    [
        ({"prompt_tokens": 1}, "is missing"),
        ({"cost": "0.01"}, "is a str, not a number"),
        ({"cost": True}, "is a bool, not a number"),
        ({"cost": None}, "is a NoneType, not a number"),
        ({"cost": -0.01}, "is negative or not finite"),
        ({"cost": math.nan}, "is negative or not finite"),
        ({"cost": math.inf}, "is negative or not finite"),
        (None, "is missing"),
    ],
)
def test_anything_else_is_a_violation_naming_the_problem(usage: object, problem: str) -> None:
    with pytest.raises(ContractViolation) as caught:
        check_usage_cost(usage, operation=OP, where="the usage chunk (event 5)")
    assert caught.value.title == f"usage.cost {problem} in the usage chunk (event 5)"
    assert caught.value.check == "usage-cost"


def test_requesty_prices_are_numbers_per_million_tokens() -> None:
    record = {"id": "openai/gpt-4o-mini", "input_price": 0.15, "output_price": 0.6}
    cost = expected_cost(record, 1000, 500, get_profile("requesty"))
    assert cost == pytest.approx(1000 * 0.15e-6 + 500 * 0.6e-6)


def test_openrouter_prices_are_strings_per_token() -> None:
    record = {"id": "openai/gpt-4o-mini", "pricing": {"prompt": "0.00000015", "completion": "0.0000006"}}
    cost = expected_cost(record, 1000, 500, get_profile("openrouter"))
    assert cost == pytest.approx(1000 * 0.15e-6 + 500 * 0.6e-6)


@pytest.mark.parametrize("price", [None, "free", -1, True])
def test_a_catalog_without_a_usable_price_is_a_violation(price: object) -> None:
    record = {"id": "m", "input_price": price, "output_price": 1}
    with pytest.raises(ContractViolation) as caught:
        expected_cost(record, 1, 1, get_profile("requesty"))
    assert caught.value.check == "catalog-price"
    assert "input_price" in caught.value.title


def test_a_profile_without_pricing_is_a_harness_error() -> None:
    with pytest.raises(ValueError, match="pricing"):
        expected_cost({"id": "m"}, 1, 1, get_profile("openai"))


def test_tolerance_is_absolute_plus_relative() -> None:
    assert Tolerance(absolute=1e-9, relative=0.01) == COST_TOLERANCE
    check_cost_consistent(1.0099, 1.0, operation=OP)
    check_cost_consistent(1e-9, 0.0, operation=OP)
    with pytest.raises(ContractViolation) as caught:
        check_cost_consistent(10.0, 1.0, operation=OP)
    assert caught.value.check == "usage-cost-consistent"
    assert "10 USD" in str(caught.value) and "1 USD" in str(caught.value)
