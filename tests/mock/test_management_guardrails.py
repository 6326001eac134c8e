"""OpenRouter guardrails: the 13 endpoints' shapes, and their enforcement on inference."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
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

MODEL, OTHER = "openai/gpt-4o-mini", "anthropic/claude-sonnet-4-20250514"
BASE = "/api/v1/guardrails"
GUARDRAIL_FIELDS = {
    "id", "name", "description", "limit_usd", "reset_interval", "allowed_providers", "ignored_providers",
    "allowed_models", "enforce_zdr", "created_at", "updated_at",
}  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 12, 15, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def _envelope(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MockHTTPError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(clock: Clock) -> Iterator[SqliteAccounts]:
    accounts = open_accounts(MockSettings(flavor="openrouter", clock=clock))
    yield accounts
    accounts.close()


@pytest.fixture
def client(accounts: SqliteAccounts) -> Iterator[TestClient]:
    settings = accounts.ctx.settings
    app = Starlette(
        routes=[Mount(settings.prefix, routes=management.routes(settings, accounts))],
        exception_handlers={MockHTTPError: _envelope},
    )
    with TestClient(
        app, base_url="http://mock", headers={"Authorization": f"Bearer {settings.admin_key}"}
    ) as c:
        yield c


def new_key(client: TestClient, **fields: Any) -> tuple[str, str]:
    """(hash, value) of a fresh inference key."""
    made = client.post("/api/v1/keys", json={"name": "k", **fields}).json()
    return made["data"]["hash"], made["key"]


def status(accounts: SqliteAccounts, value: str, model: str = MODEL, provider: str | None = None) -> int:
    """The status the inference plane would answer before any work: 200 when authorized."""
    try:
        accounts.authorize_inference(accounts.authenticate(value, "inference"), model, provider)
    except MockHTTPError as exc:
        return exc.status
    return 200


def guardrail(client: TestClient, **fields: Any) -> str:
    created = client.post(BASE, json={"name": "rail", **fields})
    assert created.status_code == 201, created.text
    return created.json()["data"]["id"]


def test_crud(client: TestClient) -> None:
    created = client.post(BASE, json={"name": "prod", "limit_usd": 5, "reset_interval": "weekly"})
    data = created.json()["data"]
    assert created.status_code == 201 and set(data) == GUARDRAIL_FIELDS
    assert (data["limit_usd"], data["reset_interval"], data["allowed_models"]) == (5.0, "weekly", None)
    assert client.get(f"{BASE}/{data['id']}").json()["data"] == data
    patched = client.patch(f"{BASE}/{data['id']}", json={"allowed_providers": ["openai"]}).json()["data"]
    assert (patched["allowed_providers"], patched["limit_usd"], patched["name"]) == (["openai"], 5.0, "prod")
    listing = client.get(BASE).json()
    assert listing["total_count"] == 1 and listing["data"][0]["id"] == data["id"]
    assert client.delete(f"{BASE}/{data['id']}").json() == {"deleted": True}
    for method in ("GET", "PATCH", "DELETE"):
        assert client.request(method, f"{BASE}/{data['id']}", json={}).status_code == 404


def test_key_assignments(client: TestClient) -> None:
    rail = guardrail(client)
    (k1, _), (k2, _) = new_key(client), new_key(client)
    path = f"{BASE}/{rail}/assignments/keys"
    assert client.post(path, json={"key_hashes": [k1, k1, k2]}).json() == {"assigned_count": 2}
    assert client.post(path, json={"key_hashes": [k1]}).json() == {"assigned_count": 0}
    listed = client.get(path).json()
    assert listed["total_count"] == 2
    assert set(listed["data"][0]) == {
        "id",
        "key_hash",
        "guardrail_id",
        "key_name",
        "key_label",
        "assigned_by",
        "created_at",
    }
    assert client.get(f"{BASE}/assignments/keys", params={"limit": 1}).json()["total_count"] == 2
    assert client.post(f"{path}/remove", json={"key_hashes": [k1, "0" * 64]}).json() == {
        "unassigned_count": 1
    }
    assert client.post(path, json={"key_hashes": [k1, "0" * 64]}).status_code == 400  # all or nothing
    assert client.get(path).json()["total_count"] == 1


def test_member_assignments(client: TestClient) -> None:
    rail = guardrail(client)
    path = f"{BASE}/{rail}/assignments/members"
    assert client.post(path, json={"member_user_ids": ["user_gc_member"]}).json() == {"assigned_count": 1}
    item = client.get(path).json()["data"][0]
    assert item["user_id"] == "user_gc_member" and item["guardrail_id"] == rail
    assert client.get(f"{BASE}/assignments/members").json()["total_count"] == 1
    assert client.post(path, json={"member_user_ids": ["user_nobody"]}).status_code == 400
    assert client.post(f"{path}/remove", json={"member_user_ids": ["user_gc_member"]}).json() == {
        "unassigned_count": 1
    }


def test_allowed_models_and_providers_are_enforced(client: TestClient, accounts: SqliteAccounts) -> None:
    key_hash, value = new_key(client)
    rail = guardrail(client, allowed_models=[MODEL, OTHER], allowed_providers=["OpenAI", "azure"])
    assert status(accounts, value, OTHER) == 200  # not assigned yet
    client.post(f"{BASE}/{rail}/assignments/keys", json={"key_hashes": [key_hash]})
    assert status(accounts, value, MODEL) == 200
    assert status(accounts, value, MODEL, "azure") == 200
    assert status(accounts, value, "google/gemini-2.5-flash") == 403
    assert status(accounts, value, OTHER) == 403  # allowed model, but the anthropic provider is not
    client.patch(f"{BASE}/{rail}", json={"allowed_providers": [], "ignored_providers": ["azure"]})
    assert status(accounts, value, OTHER) == 200
    assert status(accounts, value, MODEL, "azure") == 403
    client.post(f"{BASE}/{rail}/assignments/keys/remove", json={"key_hashes": [key_hash]})
    assert status(accounts, value, MODEL, "azure") == 200


def test_member_guardrail_governs_the_members_keys(client: TestClient, accounts: SqliteAccounts) -> None:
    _, theirs = new_key(client, creator_user_id="user_gc_member")
    _, ours = new_key(client)
    rail = guardrail(client, allowed_models=[OTHER])
    client.post(f"{BASE}/{rail}/assignments/members", json={"member_user_ids": ["user_gc_member"]})
    assert (status(accounts, theirs), status(accounts, ours)) == (403, 200)
    client.delete(f"{BASE}/{rail}")
    assert status(accounts, theirs) == 200


def test_budget_is_enforced_per_reset_interval(
    client: TestClient, accounts: SqliteAccounts, clock: Clock
) -> None:
    key_hash, value = new_key(client)
    rail = guardrail(client, limit_usd=0.5, reset_interval="daily")
    client.post(f"{BASE}/{rail}/assignments/keys", json={"key_hashes": [key_hash]})
    caller = accounts.authenticate(value, "inference")
    accounts.record(caller, UsageRecord("g1", MODEL, "openai", 1, 1, 0.5, streamed=False))
    assert status(accounts, value) == 402
    clock.now += timedelta(hours=9)  # past midnight UTC
    assert status(accounts, value) == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "", {}),
        ("POST", "", {"name": ""}),
        ("POST", "", {"name": "x", "limit_usd": "5"}),
        ("POST", "", {"name": "x", "reset_interval": "hourly"}),
        ("POST", "", {"name": "x", "allowed_models": "openai/gpt-4o-mini"}),
        ("POST", "", {"name": "x", "description": None}),
        ("PATCH", "/{id}", {"enforce_zdr": "yes"}),
        ("POST", "/{id}/assignments/keys", {}),
        ("POST", "/{id}/assignments/members/remove", {"member_user_ids": [1]}),
    ],
)
def test_bad_input_is_400(client: TestClient, method: str, path: str, body: dict) -> None:
    rail = guardrail(client)
    response = client.request(method, BASE + path.format(id=rail), json=body)
    assert response.status_code == 400, response.text


def test_paging_the_schema_allows_is_clamped_and_what_it_refuses_is_400(client: TestClient) -> None:
    for n in range(3):
        guardrail(client, name=f"g{n}")
    # the schema states no range, so these are valid requests, served as the nearest page
    assert len(client.get(BASE, params={"limit": 0}).json()["data"]) == 1
    assert len(client.get(BASE, params={"limit": 1000, "offset": -5}).json()["data"]) == 3
    assert client.get(BASE, params={"offset": 2**64}).json()["data"] == []
    for params in ({"offset": "x"}, {"limit": ""}, {"limit": "null"}, {"limit": ["1", "2"]}):
        assert client.get(BASE, params=params).status_code == 400, params
    assert client.get(f"{BASE}/not-a-uuid").status_code == 400  # the id is format: uuid
