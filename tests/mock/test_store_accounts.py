"""SqliteAccounts through the Accounts protocol, as the inference plane calls it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from gatecheck.mock.accounts import Principal, UsageRecord
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts, open_accounts

MODEL = "openai/gpt-4o-mini"


class Clock:
    """settings.clock for tests: time moves only when a test says so."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 12, 15, 30, tzinfo=UTC))  # a Wednesday


@pytest.fixture(params=["requesty", "openrouter"])
def settings(request: pytest.FixtureRequest, clock: Clock) -> MockSettings:
    return MockSettings(flavor=request.param, clock=clock)


@pytest.fixture
def accounts(settings: MockSettings) -> Iterator[SqliteAccounts]:
    accounts = open_accounts(settings)
    yield accounts
    accounts.close()


def spend(accounts: SqliteAccounts, principal: Principal, cost: float, model: str = MODEL) -> str:
    """One inference request as the inference plane accounts it; its generation id."""
    generation_id = f"gen-{uuid.uuid4().hex}"
    accounts.record(principal, UsageRecord(generation_id, model, "openai", 10, 5, cost, streamed=False))
    return generation_id


def status_of(call: object, *args: object) -> int:
    with pytest.raises(MockHTTPError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.status


def test_bootstrap_keys_have_their_roles(accounts: SqliteAccounts, settings: MockSettings) -> None:
    assert accounts.authenticate(settings.api_key, "inference").role == "inference"
    assert accounts.authenticate(settings.admin_key, "management").role == "management"


@pytest.mark.parametrize("token", [None, "", "gc-mock-not-a-key"])
def test_missing_or_unknown_key_is_401(accounts: SqliteAccounts, token: str | None) -> None:
    assert status_of(accounts.authenticate, token, "inference") == 401


# the status each vendor's spec documents for a valid key of the wrong role
WRONG_ROLE = {"requesty": 403, "openrouter": 401}


def test_wrong_role_gets_the_flavors_documented_status(
    accounts: SqliteAccounts, settings: MockSettings
) -> None:
    expected = WRONG_ROLE[settings.flavor]
    assert status_of(accounts.authenticate, settings.admin_key, "inference") == expected
    assert status_of(accounts.authenticate, settings.api_key, "management") == expected
    with pytest.raises(MockHTTPError) as caught:
        accounts.authenticate(settings.api_key, "management", wrong_role_status=403)
    assert caught.value.status == 403


def test_created_keys_are_inference_keys(accounts: SqliteAccounts, settings: MockSettings) -> None:
    view = accounts.keys.create("worker")
    assert accounts.authenticate(view.value, "inference").key_id == view.row.id
    assert status_of(accounts.authenticate, view.value, "management") == WRONG_ROLE[settings.flavor]


def test_expired_disabled_and_deleted_keys_are_401(accounts: SqliteAccounts, clock: Clock) -> None:
    expiring = accounts.keys.create("expiring", expires_at="2025-03-12T16:00:00Z")
    disabled = accounts.keys.create("disabled")
    deleted = accounts.keys.create("deleted")
    accounts.authenticate(expiring.value, "inference")
    clock.advance(minutes=30)
    assert status_of(accounts.authenticate, expiring.value, "inference") == 401
    accounts.keys.update(disabled.row.id, disabled=True)
    assert status_of(accounts.authenticate, disabled.value, "inference") == 401
    accounts.keys.delete(deleted.row.id)
    assert status_of(accounts.authenticate, deleted.value, "inference") == 401
    assert status_of(accounts.keys.get, deleted.row.id) == 404


def test_spend_at_the_limit_is_402(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("capped", limit_usd=0.05)
    caller = accounts.authenticate(view.value, "inference")
    spend(accounts, caller, 0.03)
    accounts.authorize_inference(caller, MODEL)
    spend(accounts, caller, 0.02)
    assert status_of(accounts.authorize_inference, caller, MODEL) == 402
    assert accounts.keys.get(view.row.id).limit_remaining == 0.0
    accounts.keys.update(view.row.id, limit_usd=1.0)
    accounts.authorize_inference(caller, MODEL)


@pytest.mark.parametrize(
    ("period", "still_blocked", "free_again"),
    [
        ("daily", {"hours": 8}, {"hours": 9}),  # 15:30 + 8h30 is midnight UTC
        ("weekly", {"days": 4}, {"days": 5}),  # Wednesday + 5 days reaches Monday
        ("monthly", {"days": 19}, {"days": 20}),  # 12 March + 20 days is 1 April
    ],
)
def test_limit_resets_at_the_start_of_its_window(
    accounts: SqliteAccounts, clock: Clock, period: str, still_blocked: dict, free_again: dict
) -> None:
    view = accounts.keys.create("periodic", limit_usd=0.01, limit_reset=period)
    caller = accounts.authenticate(view.value, "inference")
    spend(accounts, caller, 0.01)
    start = clock.now
    clock.now = start + timedelta(**still_blocked)
    assert status_of(accounts.authorize_inference, caller, MODEL) == 402
    clock.now = start + timedelta(**free_again)
    accounts.authorize_inference(caller, MODEL)
    fresh = accounts.keys.get(view.row.id)
    assert (fresh.limit_remaining, fresh.usage) == (0.01, 0.01)


def test_windowed_usage_figures(accounts: SqliteAccounts, clock: Clock) -> None:
    caller = accounts.authenticate(accounts.keys.create("w").value, "inference")
    spend(accounts, caller, 1.0)  # Wednesday 12 March
    clock.advance(days=4)  # Sunday 16 March: same week and month, another day
    spend(accounts, caller, 2.0)
    clock.advance(days=1)  # Monday 17 March: a new week
    spend(accounts, caller, 4.0)
    view = accounts.keys.get(caller.key_id)
    assert (view.usage, view.usage_daily, view.usage_weekly, view.usage_monthly) == (7.0, 4.0, 4.0, 7.0)


def test_access_list_allows_only_its_models(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("listed", allowed_models=[MODEL])
    caller = accounts.authenticate(view.value, "inference")
    assert caller.allowed_models == frozenset({MODEL})
    accounts.authorize_inference(caller, MODEL)
    assert status_of(accounts.authorize_inference, caller, "anthropic/claude-sonnet-4-20250514") == 403


def test_parallel_records_on_one_key_sum_exactly(accounts: SqliteAccounts) -> None:
    caller = accounts.authenticate(accounts.keys.create("busy").value, "inference")
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda _: spend(accounts, caller, 0.25), range(400)))
    report = accounts.reports.usage(caller.key_id)
    assert (report.totals.requests, report.totals.tokens, report.totals.cost) == (400, 6000, 100.0)


def test_recording_one_generation_twice_bills_it_once(accounts: SqliteAccounts) -> None:
    caller = accounts.authenticate(accounts.keys.create("dup").value, "inference")
    record = UsageRecord("gen-same", MODEL, "openai", 1, 1, 0.5, streamed=True)
    accounts.record(caller, record)
    accounts.record(caller, record)
    assert accounts.reports.usage(caller.key_id).totals.requests == 1


def test_reset_keeps_only_the_bootstrap_keys(accounts: SqliteAccounts, settings: MockSettings) -> None:
    extra = accounts.keys.create("temporary")
    bootstrap = accounts.authenticate(settings.api_key, "inference")
    spend(accounts, bootstrap, 1.0)
    accounts.guardrails.create(name="g")
    accounts.reset()
    assert status_of(accounts.authenticate, extra.value, "inference") == 401
    assert accounts.authenticate(settings.api_key, "inference").key_id == bootstrap.key_id
    assert accounts.authenticate(settings.admin_key, "management").role == "management"
    assert accounts.reports.usage(None).totals.requests == 0
    assert accounts.guardrails.page(0, 10)[1] == 0


def test_a_temporary_database_is_removed_on_close(settings: MockSettings) -> None:
    accounts = open_accounts(settings)
    path = accounts.path
    assert path.exists()
    accounts.close()
    assert not path.exists()
    assert not path.with_name(path.name + "-wal").exists()


def test_requests_without_a_generation_id_are_each_recorded(accounts: SqliteAccounts) -> None:
    caller = accounts.authenticate(accounts.keys.create("anon-gen").value, "inference")
    for _ in range(2):
        accounts.record(caller, UsageRecord("", MODEL, "openai", 1, 1, 0.5, streamed=False))
    assert accounts.reports.usage(caller.key_id).totals.requests == 2


def test_a_principal_without_a_key_has_nothing_to_enforce(accounts: SqliteAccounts) -> None:
    """The inference plane's anonymous caller under the auth-not-enforced fault."""
    accounts.authorize_inference(Principal(key_id="anonymous", role="inference"), MODEL)


def test_guardrail_providers_match_slugs_and_display_names(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("bedrock only")
    rail = accounts.guardrails.create(name="eu", allowed_providers=["Amazon Bedrock"])
    accounts.guardrails.assign("keys", rail.id, [view.row.id])
    caller = accounts.authenticate(view.value, "inference")
    assert caller.allowed_providers == frozenset({"amazon-bedrock"})
    accounts.authorize_inference(caller, "anthropic/claude-sonnet-4-20250514", "amazon-bedrock")
    assert (
        status_of(accounts.authorize_inference, caller, "anthropic/claude-sonnet-4-20250514", "anthropic")
        == 403
    )
