"""Every management operation answers a status its bundled spec documents, with a body that
validates against the documented schema (``load_spec(name).document``, overlays applied)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount
from starlette.testclient import TestClient

from gatecheck.mock import management
from gatecheck.mock.accounts import UsageRecord
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts, open_accounts
from gatecheck.specs.registry import load_spec

MODEL = "openai/gpt-4o-mini"


async def _envelope(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MockHTTPError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


class Contract:
    """Sends requests to the mock and checks each answer against the spec's operation."""

    def __init__(self, spec_name: str, settings: MockSettings, accounts: SqliteAccounts) -> None:
        self.document = load_spec(spec_name).document
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource("urn:spec", resource)
        self.settings, self.accounts = settings, accounts
        app = Starlette(
            routes=[Mount(settings.prefix, routes=management.routes(settings, accounts))],
            exception_handlers={MockHTTPError: _envelope},
        )
        self.client = TestClient(app, headers={"Authorization": f"Bearer {settings.admin_key}"})
        self.seen: set[tuple[str, str]] = set()

    def call(
        self, method: str, template: str, status: int, *, ids: dict[str, str] | None = None, **kw: Any
    ) -> Any:
        response = self.client.request(method, self.settings.prefix + template.format(**(ids or {})), **kw)
        assert response.status_code == status, f"{method} {template}: {response.status_code} {response.text}"
        operation = self.document["paths"][template][method.lower()]
        documented = operation["responses"]
        assert str(status) in documented or "default" in documented, (
            f"{method} {template}: {status} undocumented"
        )
        self.seen.add((method, template))
        key = str(status) if str(status) in documented else "default"
        if "application/json" in documented[key].get("content", {}):
            pointer = _pointer(
                "paths", template, method.lower(), "responses", key, "content", "application/json"
            )
            validator = Draft202012Validator(
                {"$ref": f"urn:spec#{pointer}/schema"},
                registry=self.registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            problems = [
                f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(response.json())
            ]
            assert not problems, f"{method} {template} {status}: {problems}"
        return response.json() if response.content else None

    def infer(self, key: str, generation_id: str) -> None:
        caller = self.accounts.authenticate(key, "inference")
        self.accounts.record(caller, UsageRecord(generation_id, MODEL, "OpenAI", 10, 5, 0.01, streamed=True))

    def management_operations(self) -> set[tuple[str, str]]:
        """Every operation of the spec that the management plane serves."""
        served = {
            (m, r.path) for r in management.routes(self.settings, self.accounts) for m in r.methods or ()
        }  # type: ignore[attr-defined]
        return {(m, p) for m, p in served if m != "HEAD"}


@pytest.fixture
def contract(request: pytest.FixtureRequest) -> Iterator[Contract]:
    flavor = request.param
    settings = MockSettings(flavor=flavor)
    accounts = open_accounts(settings)
    contract = Contract(flavor, settings, accounts)
    with contract.client:
        yield contract
    accounts.close()


@pytest.mark.parametrize("contract", ["requesty"], indirect=True)
def test_requesty_management_conforms(contract: Contract) -> None:
    c = contract
    made = c.call(
        "POST",
        "/api-keys",
        200,
        json={"name": "ci", "limit": 5, "labels": ["x"], "expiry": "2999-01-01T00:00:00Z"},
    )
    ids = {"key_id": made["id"]}
    c.infer(made["key"], "gen-1")
    c.call("GET", "/api-keys", 200)
    c.call("GET", "/api-keys/{key_id}", 200, ids=ids)
    c.call("GET", "/api-keys/{key_id}/usage", 200, ids=ids)
    c.call("PATCH", "/api-keys/{key_id}/limit", 200, ids=ids, json={"limit": 1})
    c.call("GET", "/organization/usage", 200)
    c.call("POST", "/api-keys", 400, json={"name": "x", "limit": "ten"})
    c.call("GET", "/api-keys", 403, headers={"Authorization": f"Bearer {c.settings.api_key}"})
    c.call("GET", "/api-keys", 401, headers={"Authorization": "Bearer nope"})
    c.call("DELETE", "/api-keys/{key_id}", 200, ids=ids)
    c.call("GET", "/api-keys/{key_id}", 404, ids=ids)
    assert c.seen >= c.management_operations()


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@pytest.mark.parametrize("contract", ["openrouter"], indirect=True)
def test_openrouter_management_conforms(contract: Contract) -> None:
    c = contract
    as_key = {"Authorization": f"Bearer {c.settings.api_key}"}
    made = c.call("POST", "/keys", 201, json={"name": "ci", "limit": 5, "limit_reset": "weekly"})
    ids = {"hash": made["data"]["hash"]}
    c.infer(made["key"], "gen-1")
    c.call("GET", "/keys", 200, params={"include_disabled": "true", "offset": 0})
    c.call("GET", "/keys/{hash}", 200, ids=ids)
    c.call("PATCH", "/keys/{hash}", 200, ids=ids, json={"name": "renamed", "disabled": False})
    c.call("GET", "/key", 200, headers={"Authorization": f"Bearer {made['key']}"})
    c.call("GET", "/generation", 200, params={"id": "gen-1"})
    c.call("GET", "/activity", 200)
    c.call("GET", "/credits", 200)
    c.call("POST", "/credits/coinbase", 410)
    c.call("GET", "/organization/members", 200)
    c.call("GET", "/models/user", 200)

    rail = c.call("POST", "/guardrails", 201, json={"name": "g", "limit_usd": 1, "allowed_models": [MODEL]})
    gid = {"id": rail["data"]["id"]}
    c.call("GET", "/guardrails", 200)
    c.call("GET", "/guardrails/{id}", 200, ids=gid)
    c.call("PATCH", "/guardrails/{id}", 200, ids=gid, json={"reset_interval": "daily"})
    c.call("POST", "/guardrails/{id}/assignments/keys", 200, ids=gid, json={"key_hashes": [ids["hash"]]})
    c.call(
        "POST",
        "/guardrails/{id}/assignments/members",
        200,
        ids=gid,
        json={"member_user_ids": ["user_gc_member"]},
    )
    c.call("GET", "/guardrails/{id}/assignments/keys", 200, ids=gid)
    c.call("GET", "/guardrails/{id}/assignments/members", 200, ids=gid)
    c.call("GET", "/guardrails/assignments/keys", 200)
    c.call("GET", "/guardrails/assignments/members", 200)
    c.call(
        "POST", "/guardrails/{id}/assignments/keys/remove", 200, ids=gid, json={"key_hashes": [ids["hash"]]}
    )
    c.call(
        "POST",
        "/guardrails/{id}/assignments/members/remove",
        200,
        ids=gid,
        json={"member_user_ids": ["user_gc_member"]},
    )
    c.call("DELETE", "/guardrails/{id}", 200, ids=gid)
    c.call("GET", "/guardrails/{id}", 404, ids=gid)

    pkce = {
        "callback_url": "https://app.example/cb",
        "code_challenge": _s256("v" * 43),
        "code_challenge_method": "S256",
    }
    code = c.call("POST", "/auth/keys/code", 200, json=pkce)["data"]["id"]
    c.call("POST", "/auth/keys", 403, json={"code": code, "code_verifier": "wrong"})
    c.call("POST", "/auth/keys", 200, json={"code": code, "code_verifier": "v" * 43})

    c.call("POST", "/keys", 400, json={})
    c.call("GET", "/keys", 401, headers=as_key)
    c.call("GET", "/credits", 403, headers=as_key)
    c.call("DELETE", "/keys/{hash}", 200, ids=ids)
    c.call("GET", "/keys/{hash}", 404, ids=ids)
    assert c.seen >= c.management_operations()


@pytest.mark.parametrize("contract", ["openrouter"], indirect=True)
def test_an_unlimited_key_conforms(contract: Contract) -> None:
    """No limit is ``limit: null`` (seed 004: "null = unlimited"), as the overlay allows."""
    contract.call("GET", "/key", 200)
    contract.call("GET", "/keys/{hash}", 200, ids={"hash": contract.accounts.keys.live()[0].row.id})
