"""OpenRouter's management API through its routes: keys, /key, credits, generations, activity,
members, /models/user and the PKCE exchange."""

from __future__ import annotations

import base64
import hashlib
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
from gatecheck.mock.catalog import default_catalog
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts, open_accounts
from gatecheck.specs.registry import load_spec

MODEL, OTHER = "openai/gpt-4o-mini", "anthropic/claude-sonnet-4-20250514"


def _data_fields(path: str) -> set[str]:
    """The fields the bundled OpenRouter spec (the LAP's @returns) lists under ``data``."""
    response = load_spec("openrouter").document["paths"][path]["get"]["responses"]["200"]
    return set(response["content"]["application/json"]["schema"]["properties"]["data"]["properties"])


KEY_FIELDS = _data_fields("/keys/{hash}")
CURRENT_KEY_FIELDS = _data_fields("/key")
GENERATION_FIELDS = _data_fields("/generation")


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
def settings(clock: Clock) -> MockSettings:
    return MockSettings(flavor="openrouter", clock=clock)


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


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def infer(
    accounts: SqliteAccounts, key: str, generation_id: str, model: str = MODEL, cost: float = 0.1
) -> None:
    caller = accounts.authenticate(key, "inference")
    accounts.authorize_inference(caller, model)
    accounts.record(
        caller,
        UsageRecord(
            generation_id,
            model,
            "OpenAI",
            120,
            30,
            cost,
            streamed=True,
            latency_ms=42.0,
            finish_reason="stop",
        ),
    )


def error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == status
    return response.json()["error"]["message"]


def test_key_lifecycle(client: TestClient, accounts: SqliteAccounts) -> None:
    created = client.post("/api/v1/keys", json={"name": "ci", "limit": 1.0, "limit_reset": "daily"})
    assert created.status_code == 201, created.text
    value, data = created.json()["key"], created.json()["data"]
    assert set(data) == KEY_FIELDS and value not in created.text.replace(f'"key":"{value}"', "")
    assert (data["limit"], data["limit_remaining"], data["usage"], data["disabled"]) == (1.0, 1.0, 0.0, False)
    key_hash = data["hash"]

    assert key_hash in [k["hash"] for k in client.get("/api/v1/keys").json()["data"]]
    assert value not in client.get("/api/v1/keys").text + client.get(f"/api/v1/keys/{key_hash}").text

    for n in range(3):
        infer(accounts, value, f"gen-{n}")
    got = client.get(f"/api/v1/keys/{key_hash}").json()["data"]
    assert got["usage"] == pytest.approx(0.3) and got["usage_daily"] == pytest.approx(0.3)
    assert got["limit_remaining"] == pytest.approx(0.7)
    mine = client.get("/api/v1/key", headers=bearer(value)).json()["data"]
    assert set(mine) == CURRENT_KEY_FIELDS and mine["is_management_key"] is False
    assert mine["usage"] == pytest.approx(0.3)

    patched = client.patch(f"/api/v1/keys/{key_hash}", json={"limit": 0.3, "name": "renamed"}).json()["data"]
    assert (patched["name"], patched["limit_remaining"]) == ("renamed", 0.0) and patched["updated_at"]
    with pytest.raises(MockHTTPError) as capped:
        infer(accounts, value, "gen-over")
    assert capped.value.status == 402

    client.patch(f"/api/v1/keys/{key_hash}", json={"disabled": True})
    assert key_hash not in [k["hash"] for k in client.get("/api/v1/keys").json()["data"]]
    listed = client.get("/api/v1/keys", params={"include_disabled": "true"}).json()["data"]
    assert [k["disabled"] for k in listed if k["hash"] == key_hash] == [True]
    with pytest.raises(MockHTTPError) as disabled:
        accounts.authenticate(value, "inference")
    assert disabled.value.status == 401

    assert client.delete(f"/api/v1/keys/{key_hash}").json() == {"deleted": True}
    error(client.get("/api/v1/key", headers=bearer(value)), 401)
    for method in ("GET", "PATCH", "DELETE"):
        error(client.request(method, f"/api/v1/keys/{key_hash}", json={}), 404)


def test_offset_pages_through_keys(client: TestClient) -> None:
    for n in range(3):
        client.post("/api/v1/keys", json={"name": f"k{n}"})
    everything = [k["hash"] for k in client.get("/api/v1/keys").json()["data"]]
    assert len(everything) == 4  # the bootstrap inference key and three new ones
    assert [k["hash"] for k in client.get("/api/v1/keys", params={"offset": 2}).json()["data"]] == everything[
        2:
    ]
    # both valid per the schema (no minimum; a plain string): a page is clamped, a flag truthy
    assert [k["hash"] for k in client.get("/api/v1/keys", params={"offset": -1}).json()["data"]] == everything
    assert len(client.get("/api/v1/keys", params={"include_disabled": "maybe"}).json()["data"]) == 4


def test_current_key_knows_a_management_key(client: TestClient) -> None:
    data = client.get("/api/v1/key").json()["data"]
    assert data["is_management_key"] is True and set(data["rate_limit"]) == {"requests", "interval", "note"}


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/keys", 401), ("/api/v1/organization/members", 401), ("/api/v1/guardrails", 401),
     ("/api/v1/credits", 403), ("/api/v1/activity", 403)],
)  # fmt: skip
def test_an_inference_key_gets_the_status_the_lap_lists(
    client: TestClient, settings: MockSettings, path: str, status: int
) -> None:
    assert "management" in error(client.get(path, headers=bearer(settings.api_key)), status)


def test_missing_and_unknown_keys_are_401(client: TestClient) -> None:
    error(client.get("/api/v1/keys", headers={"Authorization": ""}), 401)
    error(client.get("/api/v1/keys", headers=bearer("sk-or-v1-unknown")), 401)


def test_credits_and_the_retired_coinbase_endpoint(client: TestClient, accounts: SqliteAccounts) -> None:
    value = client.post("/api/v1/keys", json={"name": "spender"}).json()["key"]
    infer(accounts, value, "gen-a", cost=1.5)
    assert client.get("/api/v1/credits").json() == {"data": {"total_credits": 100.0, "total_usage": 1.5}}
    error(client.post("/api/v1/credits/coinbase", json={}), 410)


def test_generation_has_every_lap_field(
    client: TestClient, accounts: SqliteAccounts, settings: MockSettings
) -> None:
    caller = accounts.authenticate(settings.api_key, "inference")
    extra = {"http_referer": "https://app.example", "native_tokens_reasoning": 7, "not_a_field": 1}
    accounts.record(caller, UsageRecord("gen-x", MODEL, "OpenAI", 11, 22, 0.5, streamed=True, extra=extra))
    data = client.get("/api/v1/generation", params={"id": "gen-x"}, headers=bearer(settings.api_key)).json()[
        "data"
    ]
    assert set(data) == GENERATION_FIELDS
    assert (data["tokens_prompt"], data["tokens_completion"], data["total_cost"]) == (11, 22, 0.5)
    assert (data["streamed"], data["provider_name"], data["model"]) == (True, "OpenAI", MODEL)
    assert (data["http_referer"], data["native_tokens_reasoning"]) == ("https://app.example", 7)
    assert client.get("/api/v1/generation", params={"id": "gen-x"}).status_code == 200  # management sees all
    other = client.post("/api/v1/keys", json={"name": "other"}).json()["key"]
    error(client.get("/api/v1/generation", params={"id": "gen-x"}, headers=bearer(other)), 404)
    error(client.get("/api/v1/generation", params={"id": "gen-none"}), 404)
    error(client.get("/api/v1/generation"), 400)


def test_activity_rows_per_day_and_model(client: TestClient, accounts: SqliteAccounts, clock: Clock) -> None:
    made = client.post("/api/v1/keys", json={"name": "active", "creator_user_id": "user_gc_member"}).json()
    infer(accounts, made["key"], "g1")
    infer(accounts, made["key"], "g2", model=OTHER, cost=0.2)
    clock.now += timedelta(days=1)
    infer(accounts, made["key"], "g3")
    clock.now += timedelta(days=1)
    rows = client.get("/api/v1/activity").json()["data"]
    assert sorted((r["date"], r["model"], r["requests"]) for r in rows) == [
        ("2025-03-12", OTHER, 1),
        ("2025-03-12", MODEL, 1),
        ("2025-03-13", MODEL, 1),
    ]
    one_day = client.get("/api/v1/activity", params={"date": "2025-03-13"}).json()["data"]
    assert [(r["model"], r["prompt_tokens"], r["usage"]) for r in one_day] == [(MODEL, 120, 0.1)]
    by_key = client.get("/api/v1/activity", params={"api_key_hash": made["data"]["hash"]}).json()["data"]
    assert len(by_key) == 3
    assert client.get("/api/v1/activity", params={"user_id": "user_gc_owner"}).json()["data"] == []
    error(client.get("/api/v1/activity", params={"date": "13/03/2025"}), 400)
    error(client.get("/api/v1/activity", params={"api_key_hash": "0" * 64}), 404)
    error(client.get("/api/v1/activity", params={"user_id": "user_nobody"}), 404)


def test_members_page(client: TestClient) -> None:
    page = client.get("/api/v1/organization/members", params={"limit": 1, "offset": 1}).json()
    assert page["total_count"] == 2 and len(page["data"]) == 1
    assert set(page["data"][0]) == {"id", "email", "first_name", "last_name", "role"}
    assert len(client.get("/api/v1/organization/members", params={"limit": 0}).json()["data"]) == 1


def test_models_user_follows_guardrails(client: TestClient, accounts: SqliteAccounts) -> None:
    made = client.post("/api/v1/keys", json={"name": "narrow"}).json()
    everything = client.get("/api/v1/models/user", headers=bearer(made["key"])).json()["data"]
    assert len(everything) == len(default_catalog().models)
    rail = accounts.guardrails.create(name="only mini", allowed_models=[MODEL])
    accounts.guardrails.assign("keys", rail.id, [made["data"]["hash"]])
    narrowed = client.get("/api/v1/models/user", headers=bearer(made["key"])).json()["data"]
    assert [m["id"] for m in narrowed] == [MODEL]


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_pkce_exchange(client: TestClient, accounts: SqliteAccounts, method: str) -> None:
    verifier = "v" * 43 + method
    challenge = _s256(verifier) if method == "S256" else verifier
    issued = client.post(
        "/api/v1/auth/keys/code",
        json={"callback_url": "https://app.example/cb", "code_challenge": challenge,
              "code_challenge_method": method, "limit": 2.0, "key_label": "from app"},
    )  # fmt: skip
    assert issued.status_code == 200, issued.text
    code = issued.json()["data"]["id"]
    assert set(issued.json()["data"]) == {"id", "app_id", "created_at"}

    error(client.post("/api/v1/auth/keys", json={"code": code, "code_verifier": "wrong"}, headers={}), 403)
    exchanged = client.post("/api/v1/auth/keys", json={"code": code, "code_verifier": verifier}, headers={})
    assert exchanged.status_code == 200, exchanged.text
    assert exchanged.json()["user_id"] == "user_gc_owner"
    new_key = exchanged.json()["key"]
    caller = accounts.authenticate(new_key, "inference")
    view = accounts.keys.get(caller.key_id)
    assert (view.row.name, view.row.limit_usd) == ("from app", 2.0)
    error(client.post("/api/v1/auth/keys", json={"code": code, "code_verifier": verifier}), 403)  # single use


def test_pkce_edge_cases(client: TestClient) -> None:
    plain = client.post("/api/v1/auth/keys/code", json={"callback_url": "https://app.example/cb"}).json()
    assert client.post("/api/v1/auth/keys", json={"code": plain["data"]["id"]}).status_code == 200
    error(client.post("/api/v1/auth/keys", json={"code": "never-issued"}), 403)
    error(client.post("/api/v1/auth/keys", json={}), 400)
    error(client.post("/api/v1/auth/keys/code", json={"callback_url": "not a url"}), 400)
    error(
        client.post(
            "/api/v1/auth/keys/code",
            json={"callback_url": "https://a.example", "code_challenge_method": "md5"},
        ),
        400,
    )
    error(
        client.post(
            "/api/v1/auth/keys/code",
            json={"callback_url": "https://a.example"},
            headers={"Authorization": ""},
        ),
        401,
    )
    s256 = client.post(
        "/api/v1/auth/keys/code",
        json={
            "callback_url": "https://a.example",
            "code_challenge": _s256("x" * 43),
            "code_challenge_method": "S256",
        },
    ).json()["data"]["id"]
    error(
        client.post(
            "/api/v1/auth/keys",
            json={"code": s256, "code_verifier": "x" * 43, "code_challenge_method": "plain"},
        ),
        400,
    )
    error(client.post("/api/v1/auth/keys", json={"code": s256}), 403)
