"""The bundled OpenRouter LAP (a verbatim copy of the vendor's file) against a committed snapshot.

Regenerate the snapshot after an intended compiler change with::

    GATECHECK_UPDATE_SNAPSHOTS=1 python -m pytest tests/specs/test_lap_seed.py

and review the JSON diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from gatecheck.specs.lap import compile_lap, emit_lap, parse_lap

SEED = Path(__file__).parents[2] / "specs" / "openrouter" / "openrouter.lap"
SNAPSHOT = Path(__file__).parent / "snapshots" / "openrouter.openapi.json"
METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return compile_lap(SEED.read_text(encoding="utf-8"), filename=str(SEED))


def operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def test_seed_compiles_to_valid_openapi_with_39_operations(spec: dict[str, Any]) -> None:
    validate(spec)
    ops = operations(spec)
    assert len(ops) == 39
    assert len({op["operationId"] for op in ops.values()}) == 39
    endpoints = parse_lap(SEED.read_text(encoding="utf-8")).endpoints
    assert set(ops) == {f"{e.method} {e.path}" for e in endpoints}


def test_seed_matches_snapshot(spec: dict[str, Any]) -> None:
    text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("GATECHECK_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    if not SNAPSHOT.exists():
        pytest.fail(f"{SNAPSHOT} is missing; create it with GATECHECK_UPDATE_SNAPSHOTS=1")
    assert json.loads(SNAPSHOT.read_text(encoding="utf-8")) == json.loads(text)
    assert SNAPSHOT.read_text(encoding="utf-8") == text, "same content, different key order or layout"


def test_seed_quirk_marketing_seo_is_split_and_deduplicated(spec: dict[str, Any]) -> None:
    (category,) = [p for p in spec["paths"]["/models"]["get"]["parameters"] if p["name"] == "category"]
    values = category["schema"]["enum"]
    assert values[:4] == ["programming", "roleplay", "marketing", "seo"]
    assert len(values) == len(set(values)) == 12
    assert "marketing/seo" not in values


def test_seed_spot_checks(spec: dict[str, Any]) -> None:
    ops = operations(spec)
    assert ops["GET /generation"]["parameters"] == [
        {"name": "id", "in": "query", "required": True, "schema": {"type": "string"}}
    ]
    assert list(ops["POST /credits/coinbase"]["responses"]) == ["410"]
    assert "requestBody" not in ops["POST /credits/coinbase"]
    completion = ops["POST /chat/completions"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "system_fingerprint" not in completion["required"] and "usage" in completion["required"]
    body = ops["POST /responses"]["requestBody"]
    assert body["required"] is False
    props = body["content"]["application/json"]["schema"]["properties"]
    assert props["service_tier"]["default"] == "auto" and props["store"] == {
        "type": "boolean",
        "default": False,
    }
    assert props["prompt"]["required"] == ["id"]
    created = ops["POST /keys"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert created["properties"]["data"]["properties"]["expires_at"] == {
        "type": ["string", "null"],
        "format": "date-time",
    }


def test_seed_round_trips_through_emit_lap(spec: dict[str, Any]) -> None:
    assert compile_lap(emit_lap(spec)) == spec
