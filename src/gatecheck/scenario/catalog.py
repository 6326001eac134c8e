"""The target's own model catalog, read the way a client would before trusting a price."""

from __future__ import annotations

from typing import Any

import httpx

from gatecheck.check_ids import CATALOG_ENTRY, MODELS_BODY, MODELS_STATUS
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario.responses import expect_status, json_object, operation

__all__ = ["model_record"]


def model_record(client: httpx.Client, profile: Profile, model_id: str) -> dict[str, Any]:
    """The catalog entry for ``model_id`` from ``GET models``; its absence is a violation."""
    path = profile.path("models")
    op = operation("GET", path)
    response = client.get(path)
    expect_status(response, 200, op, check=MODELS_STATUS)
    body = json_object(response, op, check=MODELS_BODY)
    records = body.get("data")
    for record in records if isinstance(records, list) else []:
        if isinstance(record, dict) and record.get("id") == model_id:
            return record
    raise ContractViolation(
        f"Model {model_id} is not in the catalog",
        expected=f"an entry with id {model_id!r} in data[] (the model just answered a request)",
        received=[r.get("id") for r in records[:20] if isinstance(r, dict)]
        if isinstance(records, list)
        else body,
        check=CATALOG_ENTRY,
        operation=op,
    )
