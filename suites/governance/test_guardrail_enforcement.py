"""What a guardrail does to the keys it governs: models outside its list and spend past its budget
are refused, and removing the key from it lifts both.

Each scenario makes a fresh key and a fresh guardrail, so nothing else governs the key and the
refusal can come from the guardrail alone (the key itself has no limit and no access list).
Changes are polled for (``accounting_timeout``): real gateways may cache a key's guardrails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.check_ids import GUARDRAIL_BUDGET, GUARDRAIL_LISTED, GUARDRAIL_MODELS, GUARDRAIL_UNASSIGNED
from gatecheck.scenario import CreatedKey

if TYPE_CHECKING:
    from conftest import Governance  # the fixture's type, for readers and type checkers only

pytestmark = [
    pytest.mark.capability("guardrails"),
    pytest.mark.capability("key-management"),
    pytest.mark.writes,
]


def _guarded_key(governance: Governance, **guardrail: Any) -> tuple[CreatedKey, dict[str, Any]]:
    """A new key under a new guardrail with ``guardrail`` fields (logical names)."""
    key = governance.new_key()
    rail = governance.new_guardrail(**guardrail)
    governance.assign(governance.rail_id(rail), [key.id])
    return key, rail


def _refuses_other_models(governance: Governance, key: CreatedKey, rail: dict[str, Any]) -> None:
    allowed, other = governance.models()
    name = str(rail.get(governance.rails["fields"]["name"], ""))
    governance.refused(
        key.value,
        other,
        governance.rails.get("model_refused_statuses", (403,)),
        why=f"The key's guardrail allows only {allowed}",
        check=GUARDRAIL_MODELS,
        naming=[n for n in (other, name, governance.rail_id(rail), "guardrail") if n],
    )


def test_guardrail_allowed_models_limit_the_key(governance: Governance) -> None:
    """A guardrail's allowed_models refuses other models with 403 and serves the listed one"""
    allowed, _ = governance.models()
    key, rail = _guarded_key(governance, models=[allowed])
    _refuses_other_models(governance, key, rail)
    why = f"{allowed} is in the guardrail's allowed_models"
    governance.served(key.value, allowed, why=why, check=GUARDRAIL_LISTED)


def test_guardrail_budget_refuses_with_402(governance: Governance) -> None:
    """A key whose spend reaches its guardrail's limit_usd is refused with 402"""
    budget = float(governance.rails.get("budget_usd", 0.000001))
    model, _ = governance.models()
    key, _ = _guarded_key(governance, budget=budget)
    # the first request may be served (nothing is spent yet); the spend it adds reaches the budget
    governance.refused(
        key.value,
        model,
        governance.rails.get("budget_refused_statuses", (402,)),
        why=f"The key's guardrail has limit_usd {budget:g}, below the cost of one request",
        check=GUARDRAIL_BUDGET,
    )


def test_unassigning_the_guardrail_restores_access(governance: Governance) -> None:
    """Removing a key from its guardrail lifts the guardrail's model restriction"""
    allowed, other = governance.models()
    key, rail = _guarded_key(governance, models=[allowed])
    _refuses_other_models(governance, key, rail)
    governance.assign(governance.rail_id(rail), [key.id], remove=True)
    why = f"The key was removed from the guardrail that allowed only {allowed}"
    governance.served(key.value, other, why=why, check=GUARDRAIL_UNASSIGNED)
