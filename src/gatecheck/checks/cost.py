"""The cost check: ``usage.cost`` is a price in USD that agrees with the gateway's own catalog.

Requesty's changelog (seed 001) promises ``usage.cost`` inline and on the final stream chunk;
OpenRouter reports it too.  A cost is only useful if a client can add it up, so it must be a
finite non-negative JSON number (not a string, not a bool), and it must match what the target's
own ``GET models`` says the tokens cost.  Catalogs differ in unit (Requesty: USD per million
tokens as numbers; OpenRouter: USD per token as strings); the profile's ``pricing`` says which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gatecheck.check_ids import CATALOG_PRICE, USAGE_COST, USAGE_COST_CONSISTENT
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile

__all__ = [
    "COST_TOLERANCE",
    "Tolerance",
    "check_cost_consistent",
    "check_usage_cost",
    "expected_cost",
    "is_number",
    "unit_price",
]

_UNIT_DIVISORS = {"per-million-tokens": 1_000_000, "per-token-string": 1, "per-token": 1}


@dataclass(frozen=True)
class Tolerance:
    """How far a reported cost may be from the catalog price: ``absolute + relative * expected``.

    The absolute part absorbs float rounding on tiny costs; the relative part absorbs cache
    discounts and per-request rounding a gateway may apply.
    """

    absolute: float = 1e-9
    relative: float = 0.01

    def allows(self, actual: float, expected: float) -> bool:
        return abs(actual - expected) <= self.absolute + self.relative * abs(expected)

    def __str__(self) -> str:
        return f"±({self.absolute:g} USD + {self.relative:.0%})"


#: The tolerance the cost suite states in its reports.
COST_TOLERANCE = Tolerance()


def is_number(value: Any) -> bool:
    """A JSON number: bool is an int in Python but ``true`` is not a price."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_usage_cost(usage: Any, *, operation: str, where: str = "usage") -> float:
    """``usage.cost`` is present, a finite non-negative number; returns it."""
    cost: Any = usage.get("cost") if isinstance(usage, dict) else None
    problem = None
    if not isinstance(usage, dict) or "cost" not in usage:
        problem = "is missing"
    elif not is_number(cost):
        problem = f"is a {type(cost).__name__}, not a number"
    elif not math.isfinite(cost) or cost < 0:
        problem = "is negative or not finite"
    if problem:
        raise ContractViolation(
            f"usage.cost {problem} in {where}",
            expected="usage.cost: a finite number of USD >= 0",
            received=usage if isinstance(usage, dict) else f"usage: {usage!r}",
            check=USAGE_COST,
            operation=operation,
        )
    return float(cost)


def _field(record: dict[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def unit_price(
    model_record: dict[str, Any], side: str, profile: Profile, *, operation: str = "GET /models"
) -> float:
    """USD per token for ``side`` (``input`` or ``output``) of a catalog entry, per the profile."""
    pricing = profile.pricing or {}
    dotted = (pricing.get("fields") or {}).get(side)
    divisor = _UNIT_DIVISORS.get(pricing.get("unit", ""))
    if not dotted or divisor is None:
        raise ValueError(f"profile {profile.name} does not describe catalog pricing ({side})")
    raw = _field(model_record, dotted)
    try:
        price = float(raw) if isinstance(raw, str) or is_number(raw) else math.nan
    except ValueError:
        price = math.nan
    if not math.isfinite(price) or price < 0:
        raise ContractViolation(
            f"Catalog price {dotted} of {model_record.get('id', '?')} is not a price",
            expected=f"{dotted}: a non-negative price ({pricing.get('unit')})",
            received=f"{dotted}: {raw!r}",
            check=CATALOG_PRICE,
            operation=operation,
        )
    return price / divisor


def expected_cost(
    pricing_of_model: dict[str, Any], prompt_tokens: int, completion_tokens: int, profile: Profile
) -> float:
    """What the tokens cost at the catalog price: ``prompt * input + completion * output``."""
    return prompt_tokens * unit_price(pricing_of_model, "input", profile) + completion_tokens * unit_price(
        pricing_of_model, "output", profile
    )


def check_cost_consistent(
    actual: float,
    expected: float,
    tolerance: Tolerance = COST_TOLERANCE,
    *,
    operation: str,
    where: str = "usage.cost",
    basis: str = "the catalog price",
) -> None:
    """The reported cost equals ``expected`` within ``tolerance``."""
    if not tolerance.allows(actual, expected):
        raise ContractViolation(
            f"{where} disagrees with {basis}",
            expected=f"{expected:.10g} USD {tolerance} ({basis})",
            received=f"{where}: {actual:.10g} USD",
            check=USAGE_COST_CONSISTENT,
            operation=operation,
        )
