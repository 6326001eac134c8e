"""Requesty's key API through its routes: the whole key lifecycle, usage reports, access lists."""

from __future__ import annotations

from collections.abc import Iterator
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


async def _envelope(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MockHTTPError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


@pytest.fixture
def settings() -> MockSettings:
    return MockSettings(flavor="requesty")


@pytest.fixture
def accounts(settings: MockSettings) -> Iterator[SqliteAccounts]:
    accounts = open_accounts(settings)
    yield accounts
    accounts.close()


@pytest.fixture
def client(settings: MockSettings, accounts: SqliteAccounts) -> Iterator[TestClient]:
    app = Starlette(
        routes=[Mount(settings.prefix, routes=management.routes(settings, accounts))],
        exception_handlers={MockHTTPError: _envelope},
    )
    with TestClient(
        app, base_url="http://mock", headers={"Authorization": f"Bearer {settings.admin_key}"}
    ) as c:
        yield c


def infer(accounts: SqliteAccounts, key: str, model: str = MODEL, cost: float = 0.02, n: int = 1) -> None:
    """What the inference plane does per request: authenticate, authorize, record."""
    caller = accounts.authenticate(key, "inference")
    accounts.authorize_inference(caller, model)
    for i in range(n):
        gen = f"gen-{caller.key_id}-{model}-{cost}-{i}"
        accounts.record(caller, UsageRecord(gen, model, "openai", 100, 50, cost, streamed=i % 2 == 0))


def error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == status
    return body["error"]["message"]


def test_key_lifecycle(client: TestClient, accounts: SqliteAccounts) -> None:
    created = client.post("/v1/api-keys", json={"name": "ci", "limit": 1.0, "labels": ["team:qa"]})
    assert created.status_code == 200, created.text
    key = created.json()
    value, key_id = key.pop("key"), key["id"]
    assert key == {
        "id": key_id,
        "name": "ci",
        "limit": 1.0,
        "labels": ["team:qa"],
        "created_at": key["created_at"],
    }

    listed = client.get("/v1/api-keys").json()["data"]
    assert key in listed and all("key" not in k for k in listed)
    assert client.get(f"/v1/api-keys/{key_id}").json() == key
    assert value not in client.get("/v1/api-keys").text

    infer(accounts, value, MODEL, cost=0.1, n=3)
    infer(accounts, value, OTHER, cost=0.2)
    usage = client.get(f"/v1/api-keys/{key_id}/usage").json()
    assert usage["total_requests"] == 4 and usage["total_tokens"] == 600
    assert usage["total_cost"] == pytest.approx(0.5)
    assert {row["model"]: row["requests"] for row in usage["breakdown"]} == {MODEL: 3, OTHER: 1}

    lowered = client.patch(f"/v1/api-keys/{key_id}/limit", json={"limit": 0.5})
    assert lowered.json()["limit"] == 0.5
    with pytest.raises(MockHTTPError) as refused:
        infer(accounts, value)
    assert refused.value.status == 402

    assert client.delete(f"/v1/api-keys/{key_id}").json() == {"id": key_id, "deleted": True}
    with pytest.raises(MockHTTPError) as gone:
        accounts.authenticate(value, "inference")
    assert gone.value.status == 401
    error(client.get(f"/v1/api-keys/{key_id}"), 404)
    error(client.get(f"/v1/api-keys/{key_id}/usage"), 404)
    error(client.delete(f"/v1/api-keys/{key_id}"), 404)


@pytest.mark.parametrize("body", [{}, {"limit": None}])
def test_the_limit_body_is_required_and_numeric(client: TestClient, body: dict) -> None:
    """The contract overlay requires ``limit`` (a number): no body may clear or skip it."""
    key_id = client.post("/v1/api-keys", json={"name": "x", "limit": 3}).json()["id"]
    error(client.patch(f"/v1/api-keys/{key_id}/limit", json=body), 400)
    assert client.get(f"/v1/api-keys/{key_id}").json()["limit"] == 3


def test_organization_usage_counts_every_key_including_deleted(
    client: TestClient, accounts: SqliteAccounts, settings: MockSettings
) -> None:
    made = client.post("/v1/api-keys", json={"name": "short-lived"}).json()
    infer(accounts, made["key"], cost=0.25)
    infer(accounts, settings.api_key, cost=0.5, n=2)
    client.delete(f"/v1/api-keys/{made['id']}")
    org = client.get("/v1/organization/usage").json()
    assert (org["total_requests"], org["total_cost"]) == (3, 1.25)


def test_expiry_is_reported_and_enforced(client: TestClient, accounts: SqliteAccounts) -> None:
    created = client.post("/v1/api-keys", json={"name": "old", "expiry": "2001-01-01T00:00:00Z"}).json()
    assert created["expiry"] == "2001-01-01T00:00:00.000Z"
    with pytest.raises(MockHTTPError) as expired:
        infer(accounts, created["key"])
    assert expired.value.status == 401


def test_access_list_is_a_mock_extension_on_create(client: TestClient, accounts: SqliteAccounts) -> None:
    created = client.post("/v1/api-keys", json={"name": "listed", "allowed_models": [MODEL]}).json()
    assert created["allowed_models"] == [MODEL]
    infer(accounts, created["key"], MODEL)
    with pytest.raises(MockHTTPError) as refused:
        infer(accounts, created["key"], OTHER)
    assert refused.value.status == 403


def test_management_needs_manage_rights(client: TestClient, settings: MockSettings) -> None:
    as_inference = {"Authorization": f"Bearer {settings.api_key}"}
    assert "manage rights" in error(client.get("/v1/api-keys", headers=as_inference), 403)
    error(client.get("/v1/organization/usage", headers={"Authorization": ""}), 401)
    error(client.get("/v1/api-keys", headers={"Authorization": "Bearer nope"}), 401)


@pytest.mark.parametrize(
    ("method", "path", "body", "param"),
    [
        ("POST", "/v1/api-keys", {}, "name"),
        ("POST", "/v1/api-keys", {"name": 5}, "name"),
        ("POST", "/v1/api-keys", {"name": "n", "limit": "ten"}, "limit"),
        ("POST", "/v1/api-keys", {"name": "n", "limit": -1}, "limit"),
        ("POST", "/v1/api-keys", {"name": "n", "limit": None}, "limit"),
        ("POST", "/v1/api-keys", {"name": "n", "labels": "a"}, "labels"),
        ("POST", "/v1/api-keys", {"name": "n", "expiry": "next tuesday"}, "expiry"),
        ("POST", "/v1/api-keys", {"name": "n", "allowed_models": [1]}, "allowed_models"),
        ("PATCH", "/v1/api-keys/{id}/limit", {"limit": True}, "limit"),
        ("PATCH", "/v1/api-keys/{id}/limit", '{"limit": 1e400}', "limit"),  # parses as infinity
        ("PATCH", "/v1/api-keys/{id}/limit", '{"limit": NaN}', "limit"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    client: TestClient, method: str, path: str, body: dict | str, param: str
) -> None:
    key_id = client.post("/v1/api-keys", json={"name": "target"}).json()["id"]
    sent = {"content": body} if isinstance(body, str) else {"json": body}
    response = client.request(method, path.format(id=key_id), **sent)  # type: ignore[arg-type]
    error(response, 400)
    assert response.json()["error"]["param"] == param


@pytest.mark.parametrize("raw", [b"{", b"[]", b'"x"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_400(client: TestClient, raw: bytes) -> None:
    error(client.post("/v1/api-keys", content=raw, headers={"Content-Type": "application/json"}), 400)
