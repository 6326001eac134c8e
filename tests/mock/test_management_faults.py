"""Each management fault mode breaks exactly its own contract point, and only while it is on.

Every probe below observes one point from fresh state; turning a fault on must change the
observation of its own probe and of no other.  Faults are switched by replacing
``settings.faults`` after the store is open, as the admin API does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from gatecheck.mock.faults import FAULTS
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts, codes, open_accounts
from gatecheck.mock.store.context import OWNER_ID

MODEL = "openai/gpt-4o-mini"
NOW = datetime(2025, 3, 12, 15, 30, tzinfo=UTC)


def _status(call: Callable[[], object]) -> int:
    try:
        call()
    except MockHTTPError as exc:
        return exc.status
    return 200


def _spend(accounts: SqliteAccounts, value: str, cost: float, gen: str) -> None:
    caller = accounts.authenticate(value, "inference")
    accounts.record(caller, UsageRecord(gen, MODEL, "openai", 10, 10, cost, streamed=False))


def deleted_key(accounts: SqliteAccounts) -> int:
    view = accounts.keys.create("deleted")
    accounts.keys.delete(view.row.id)
    return _status(lambda: accounts.authenticate(view.value, "inference"))


def expired_key(accounts: SqliteAccounts) -> int:
    view = accounts.keys.create("expired", expires_at="2025-03-12T15:00:00Z")
    return _status(lambda: accounts.authenticate(view.value, "inference"))


def key_at_limit(accounts: SqliteAccounts) -> int:
    view = accounts.keys.create("capped", limit_usd=0.25)
    _spend(accounts, view.value, 0.25, "gen-capped")
    return _status(
        lambda: accounts.authorize_inference(accounts.authenticate(view.value, "inference"), MODEL)
    )


def value_after_create(accounts: SqliteAccounts) -> tuple[bool, bool]:
    view = accounts.keys.create("shown")
    listed = [v.value for v in accounts.keys.live() if v.row.id == view.row.id]
    return accounts.keys.get(view.row.id).value == view.value, listed == [view.value]


def recorded_spend(accounts: SqliteAccounts) -> tuple[float, int, float]:
    view = accounts.keys.create("spender")
    _spend(accounts, view.value, 0.5, "gen-spender")
    report = accounts.reports.usage(view.row.id)
    return report.totals.cost, report.totals.requests, accounts.keys.get(view.row.id).usage


def limit_remaining(accounts: SqliteAccounts) -> float | None:
    view = accounts.keys.create("remaining", limit_usd=1.0)
    _spend(accounts, view.value, 0.25, "gen-remaining")
    return accounts.keys.get(view.row.id).limit_remaining


def disabled_key(accounts: SqliteAccounts) -> int:
    view = accounts.keys.create("disabled")
    accounts.keys.update(view.row.id, disabled=True)
    return _status(lambda: accounts.authenticate(view.value, "inference"))


def deleted_key_read(accounts: SqliteAccounts) -> int:
    view = accounts.keys.create("read after delete")
    accounts.keys.delete(view.row.id)
    return _status(lambda: accounts.keys.get(view.row.id))


def second_delete(accounts: SqliteAccounts) -> int:
    view = accounts.keys.create("twice")
    accounts.keys.delete(view.row.id)
    return _status(lambda: accounts.keys.delete(view.row.id))


def management_key_refused(accounts: SqliteAccounts) -> bool:
    """Refused at all: the status (401 or 403) is the flavor's choice, not this fault's point."""
    return _status(lambda: accounts.authenticate(accounts.ctx.settings.admin_key, "inference")) >= 400


def inference_key_refused(accounts: SqliteAccounts) -> bool:
    """Refused on the management API at all, whichever of 401 or 403 the flavor answers."""
    return _status(lambda: accounts.authenticate(accounts.ctx.settings.api_key, "management")) >= 400


def fields_read_back(accounts: SqliteAccounts) -> tuple[Any, ...]:
    view = accounts.keys.create("set", limit_usd=2.0, labels=["a"], expires_at="2025-04-01T00:00:00Z")
    row = accounts.keys.get(view.row.id).row
    return row.limit_usd, row.labels, row.expires_at is not None


# -- governance: guardrails, access lists, PKCE, credits (suites/governance) ---------------------

OTHER_MODEL = "anthropic/claude-sonnet-4-20250514"
VERIFIER = "gatecheck-verifier-" + "v" * 40


def _inference_status(accounts: SqliteAccounts, value: str, model: str) -> int:
    return _status(lambda: accounts.authorize_inference(accounts.authenticate(value, "inference"), model))


def _guarded_key(accounts: SqliteAccounts, **rail: Any) -> tuple[str, str, str]:
    """A new key under a new guardrail: (key value, key id, guardrail id)."""
    view = accounts.keys.create("guarded")
    rail_id = accounts.guardrails.create(name="rail", **rail).id
    accounts.guardrails.assign("keys", rail_id, [view.row.id])
    return view.value, view.row.id, rail_id


def guardrail_other_model(accounts: SqliteAccounts) -> int:
    value, _, _ = _guarded_key(accounts, allowed_models=[MODEL])
    return _inference_status(accounts, value, OTHER_MODEL)


def guardrail_budget(accounts: SqliteAccounts) -> int:
    value, _, _ = _guarded_key(accounts, limit_usd=0.25)
    _spend(accounts, value, 0.25, "gen-guarded")
    return _inference_status(accounts, value, MODEL)


def guardrail_removed(accounts: SqliteAccounts) -> tuple[int, int]:
    value, key_id, rail_id = _guarded_key(accounts, allowed_models=[MODEL])
    removed = accounts.guardrails.unassign("keys", rail_id, [key_id])
    return removed, _inference_status(accounts, value, OTHER_MODEL)


def guardrail_patched(accounts: SqliteAccounts) -> str | None:
    rail = accounts.guardrails.create(name="patched", description="before")
    accounts.guardrails.update(rail.id, description="after")
    return accounts.guardrails.get(rail.id).description


def assigned_counts(accounts: SqliteAccounts) -> tuple[int, int]:
    rail_id = accounts.guardrails.create(name="counted").id
    first, second = (accounts.keys.create(name).row.id for name in ("first", "second"))
    return (
        accounts.guardrails.assign("keys", rail_id, [first]),
        accounts.guardrails.assign("keys", rail_id, [second]),
    )


def access_list_other_model(accounts: SqliteAccounts) -> int:
    view = accounts.keys.create("listed", allowed_models=[MODEL])
    return _inference_status(accounts, view.value, OTHER_MODEL)


def _code(accounts: SqliteAccounts) -> str:
    challenge = codes.s256(VERIFIER)
    return accounts.pkce.issue("https://app.example/cb", OWNER_ID, challenge=challenge, method="S256").code


def pkce_wrong_verifier(accounts: SqliteAccounts) -> int:
    code = _code(accounts)
    return _status(lambda: accounts.pkce.exchange(code, "not-" + VERIFIER, "S256"))


def pkce_second_exchange(accounts: SqliteAccounts) -> int:
    code = _code(accounts)
    accounts.pkce.exchange(code, VERIFIER, "S256")
    return _status(lambda: accounts.pkce.exchange(code, VERIFIER, "S256"))


def pkce_key_authenticates(accounts: SqliteAccounts) -> int:
    value, _ = accounts.pkce.exchange(_code(accounts), VERIFIER, "S256")
    return _status(lambda: accounts.authenticate(value, "inference"))


def credits_usage_is_org_usage(accounts: SqliteAccounts) -> bool:
    """Compared with organisation usage, so usage-not-recorded (which empties both) leaves it."""
    view = accounts.keys.create("paying")
    _spend(accounts, view.value, 0.5, "gen-paying")
    return accounts.reports.credits()[1] == accounts.reports.usage(None).totals.cost


def credits_total(accounts: SqliteAccounts) -> float:
    return accounts.reports.credits()[0]


PROBES: dict[str, Callable[[SqliteAccounts], Any]] = {
    "deleted-key-still-valid": deleted_key,
    "deleted-key-still-readable": deleted_key_read,
    "expired-key-still-valid": expired_key,
    "limit-not-enforced": key_at_limit,
    "key-value-in-get": value_after_create,
    "usage-not-recorded": recorded_spend,
    "stale-limit-remaining": limit_remaining,
    "disabled-key-still-valid": disabled_key,
    "delete-twice-200": second_delete,
    "management-key-can-infer": management_key_refused,
    "get-ignores-set-fields": fields_read_back,
    "inference-key-manages": inference_key_refused,
    "guardrail-not-enforced": guardrail_other_model,
    "guardrail-limit-not-enforced": guardrail_budget,
    "guardrail-unassign-ignored": guardrail_removed,
    "guardrail-update-ignored": guardrail_patched,
    "guardrail-assign-miscount": assigned_counts,
    "access-list-ignored": access_list_other_model,
    "pkce-verifier-not-checked": pkce_wrong_verifier,
    "pkce-code-reusable": pkce_second_exchange,
    "pkce-key-unusable": pkce_key_authenticates,
    "credits-usage-stale": credits_usage_is_org_usage,
    "credits-total-negative": credits_total,
}


@pytest.fixture(params=["requesty", "openrouter"])
def accounts(request: pytest.FixtureRequest) -> Iterator[SqliteAccounts]:
    accounts = open_accounts(MockSettings(flavor=request.param, clock=lambda: NOW))
    yield accounts
    accounts.close()


def observe(accounts: SqliteAccounts, faults: set[str]) -> dict[str, Any]:
    seen = {}
    for name, probe in PROBES.items():
        accounts.reset()
        accounts.ctx.settings.faults = set(faults)  # replaced, as the admin API does
        seen[name] = probe(accounts)
    return seen


def test_every_management_fault_has_a_probe() -> None:
    assert set(PROBES) == {name for name, mode in FAULTS.items() if mode.plane == "management"}


def test_the_baseline_keeps_every_contract(accounts: SqliteAccounts) -> None:
    assert observe(accounts, set()) == {
        "deleted-key-still-valid": 401,
        "deleted-key-still-readable": 404,
        "expired-key-still-valid": 401,
        "limit-not-enforced": 402,
        "key-value-in-get": (False, False),
        "usage-not-recorded": (0.5, 1, 0.5),
        "stale-limit-remaining": 0.75,
        "disabled-key-still-valid": 401,
        "delete-twice-200": 404,
        "management-key-can-infer": True,
        "get-ignores-set-fields": (2.0, ("a",), True),
        "inference-key-manages": True,
        "guardrail-not-enforced": 403,
        "guardrail-limit-not-enforced": 402,
        "guardrail-unassign-ignored": (1, 200),
        "guardrail-update-ignored": "after",
        "guardrail-assign-miscount": (1, 1),
        "access-list-ignored": 403,
        "pkce-verifier-not-checked": 403,
        "pkce-code-reusable": 403,
        "pkce-key-unusable": 200,
        "credits-usage-stale": True,
        "credits-total-negative": 100.0,
    }


@pytest.mark.parametrize("fault", sorted(PROBES))
def test_a_fault_changes_exactly_its_point(accounts: SqliteAccounts, fault: str) -> None:
    baseline, faulty = observe(accounts, set()), observe(accounts, {fault})
    changed = {name for name in PROBES if baseline[name] != faulty[name]}
    assert changed == {fault}, f"{fault} changed {sorted(changed)}: {faulty}"


def test_faults_are_read_live(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("toggled")
    accounts.keys.delete(view.row.id)
    accounts.ctx.settings.faults = {"deleted-key-still-valid"}
    accounts.authenticate(view.value, "inference")
    accounts.ctx.settings.faults.clear()
    assert _status(lambda: accounts.authenticate(view.value, "inference")) == 401


async def _envelope(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MockHTTPError)
    return JSONResponse(exc.body(), status_code=exc.status)


# per flavor: create path, where the value sits in its answer, and the get and list paths
_HTTP = {
    "requesty": ("/v1/api-keys", ("key",), "/v1/api-keys/{id}", "/v1/api-keys", ("id",)),
    "openrouter": ("/api/v1/keys", ("key",), "/api/v1/keys/{id}", "/api/v1/keys", ("data", "hash")),
}


@pytest.mark.parametrize("flavor", sorted(_HTTP))
def test_key_value_in_get_reaches_the_wire(flavor: str) -> None:
    settings = MockSettings(flavor=flavor)  # type: ignore[arg-type]
    accounts = open_accounts(settings)
    app = Starlette(
        routes=[Mount(settings.prefix, routes=management.routes(settings, accounts))],
        exception_handlers={MockHTTPError: _envelope},
    )
    create, value_at, get, listing, id_at = _HTTP[flavor]
    try:
        with TestClient(app, headers={"Authorization": f"Bearer {settings.admin_key}"}) as client:
            made = client.post(create, json={"name": "leaky"}).json()
            value, key_id = _dig(made, value_at), _dig(made, id_at)
            assert value not in client.get(get.format(id=key_id)).text + client.get(listing).text
            settings.faults = {"key-value-in-get"}
            assert value in client.get(get.format(id=key_id)).text
            assert value in client.get(listing).text
    finally:
        accounts.close()


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def test_expiry_uses_the_injected_clock() -> None:
    moments = [NOW]
    accounts = open_accounts(MockSettings(clock=lambda: moments[0]))
    try:
        view = accounts.keys.create("soon", expires_at="2025-03-12T16:00:00Z")
        accounts.authenticate(view.value, "inference")
        moments[0] = NOW + timedelta(hours=1)
        assert _status(lambda: accounts.authenticate(view.value, "inference")) == 401
    finally:
        accounts.close()
