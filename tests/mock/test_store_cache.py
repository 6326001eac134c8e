"""The store's hot path: cached keys are never stale, and group-committed usage is never lost.

Every way a key or guardrail can change is followed at once by an authentication or an
authorisation that sees the change; spend that limits read from memory equals the SQL sum; a
request recorded with ``arecord`` is committed (visible to another connection) when it returns.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gatecheck.mock.accounts import UsageRecord
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts, open_accounts

MODEL, OTHER = "openai/gpt-4o-mini", "anthropic/claude-sonnet-4-20250514"
NOW = datetime(2025, 3, 12, 15, 30, tzinfo=UTC)


@pytest.fixture(params=["requesty", "openrouter"])
def accounts(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqliteAccounts]:
    settings = MockSettings(flavor=request.param, db_path=tmp_path / "mock.db", clock=lambda: NOW)
    accounts = open_accounts(settings)
    yield accounts
    accounts.close()


def status_of(call: object, *args: object) -> int:
    with pytest.raises(MockHTTPError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.status


def usage(cost: float, generation_id: str | None = None) -> UsageRecord:
    generation_id = generation_id or f"gen-{uuid.uuid4().hex}"
    return UsageRecord(generation_id, MODEL, "openai", 3, 2, cost, streamed=False)


def committed(accounts: SqliteAccounts, generation_ids: list[str]) -> set[str]:
    """Which of ``generation_ids`` another connection sees: committed, not merely queued."""
    with closing(sqlite3.connect(accounts.path)) as conn:
        marks = ", ".join("?" for _ in generation_ids)
        rows = conn.execute(
            f"SELECT generation_id FROM usage WHERE generation_id IN ({marks})", generation_ids
        )
        return {r[0] for r in rows}


def sql_spend(accounts: SqliteAccounts, key_id: str) -> float:
    with closing(sqlite3.connect(accounts.path)) as conn:
        return float(conn.execute("SELECT TOTAL(cost) FROM usage WHERE key_id = ?", (key_id,)).fetchone()[0])


# ------------------------------------------------------------------------------ keys: never stale


def test_key_changes_are_seen_by_the_next_authentication(accounts: SqliteAccounts) -> None:
    views = {name: accounts.keys.create(name) for name in ("disable", "expire", "delete")}
    for view in views.values():
        accounts.authenticate(view.value, "inference")  # cached now
    accounts.keys.update(views["disable"].row.id, disabled=True)
    accounts.keys.update(views["expire"].row.id, expires_at=datetime(2025, 3, 12, 15, 0, tzinfo=UTC))
    accounts.keys.delete(views["delete"].row.id)
    for view in views.values():
        assert status_of(accounts.authenticate, view.value, "inference") == 401, view.row.name
    accounts.keys.update(views["disable"].row.id, disabled=False)
    accounts.authenticate(views["disable"].value, "inference")


def test_access_list_and_limit_changes_apply_to_a_cached_caller(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("listed")
    caller = accounts.authenticate(view.value, "inference")
    accounts.authorize_inference(caller, OTHER)
    accounts.keys.update(view.row.id, allowed_models=[MODEL])
    assert status_of(accounts.authorize_inference, caller, OTHER) == 403
    assert accounts.authenticate(view.value, "inference").allowed_models == frozenset({MODEL})
    accounts.record(caller, usage(0.5))
    accounts.authorize_inference(caller, MODEL)
    accounts.keys.update(view.row.id, limit_usd=0.5)
    assert status_of(accounts.authorize_inference, caller, MODEL) == 402


def test_guardrail_changes_apply_at_once(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("railed")
    caller = accounts.authenticate(view.value, "inference")
    accounts.authorize_inference(caller, OTHER)
    rail = accounts.guardrails.create(name="openai only", allowed_models=[MODEL])
    accounts.guardrails.assign("keys", rail.id, [view.row.id])
    assert status_of(accounts.authorize_inference, caller, OTHER) == 403
    accounts.guardrails.update(rail.id, allowed_models=[MODEL, OTHER])
    accounts.authorize_inference(caller, OTHER)
    accounts.guardrails.update(rail.id, allowed_models=[MODEL])
    accounts.guardrails.unassign("keys", rail.id, [view.row.id])
    accounts.authorize_inference(caller, OTHER)
    accounts.guardrails.assign("keys", rail.id, [view.row.id])
    accounts.guardrails.delete(rail.id)
    accounts.authorize_inference(caller, OTHER)


def test_reset_and_pkce_keys_are_seen_at_once(accounts: SqliteAccounts) -> None:
    code = accounts.pkce.issue("https://app.example/cb", "user_gc_owner").code
    value = accounts.pkce.exchange(code, None, None)[0]
    accounts.authenticate(value, "inference")
    accounts.reset()
    assert status_of(accounts.authenticate, value, "inference") == 401


def test_a_change_by_another_process_is_seen_by_the_next_authentication(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("shared file")
    accounts.authenticate(view.value, "inference")
    with closing(sqlite3.connect(accounts.path)) as other, other:  # as another process would
        other.execute("UPDATE keys SET disabled = 1 WHERE id = ?", (view.row.id,))
    assert status_of(accounts.authenticate, view.value, "inference") == 401


# ------------------------------------------------------------------------------ spend: exact


def test_memory_spend_equals_the_sql_sum_whatever_the_path(accounts: SqliteAccounts) -> None:
    view = accounts.keys.create("capped", limit_usd=1.0)
    caller = accounts.authenticate(view.value, "inference")
    accounts.authorize_inference(caller, MODEL)  # the total is in memory from here on
    accounts.record(caller, usage(0.25))
    repeated = usage(0.25)

    async def batch() -> None:  # one event-loop turn: one transaction, a repeated id among them
        await asyncio.gather(*(accounts.arecord(caller, r) for r in (repeated, repeated, usage(0.25))))

    asyncio.run(batch())
    assert sql_spend(accounts, view.row.id) == 0.75
    accounts.authorize_inference(caller, MODEL)
    accounts.record(caller, usage(0.25))
    assert status_of(accounts.authorize_inference, caller, MODEL) == 402
    assert accounts.keys.get(view.row.id).limit_remaining == 0.0


def test_parallel_batched_requests_on_one_key_sum_exactly(accounts: SqliteAccounts) -> None:
    caller = accounts.authenticate(accounts.keys.create("busy", limit_usd=1000.0).value, "inference")
    accounts.authorize_inference(caller, MODEL)

    async def load() -> None:
        async def client() -> None:
            for _ in range(25):
                await accounts.arecord(caller, usage(0.25))

        await asyncio.gather(*(client() for _ in range(16)))

    asyncio.run(load())
    report = accounts.reports.usage(caller.key_id)
    assert (report.totals.requests, report.totals.cost) == (400, 100.0)
    accounts.keys.update(caller.key_id, limit_usd=100.0)
    assert status_of(accounts.authorize_inference, caller, MODEL) == 402


# ------------------------------------------------------------------------------ group commit


def test_arecord_returns_only_once_its_row_is_committed(accounts: SqliteAccounts) -> None:
    caller = accounts.authenticate(accounts.ctx.settings.api_key, "inference")
    seen_on_return: list[bool] = []

    async def request(index: int) -> None:
        generation_id = f"gen-ack-{index}"
        await accounts.arecord(caller, usage(0.01, generation_id))
        seen_on_return.append(committed(accounts, [generation_id]) == {generation_id})

    async def load() -> None:
        await asyncio.gather(*(request(i) for i in range(32)))

    asyncio.run(load())
    assert seen_on_return == [True] * 32


def test_a_failed_batch_fails_every_request_in_it_and_records_none(accounts: SqliteAccounts) -> None:
    caller = accounts.authenticate(accounts.ctx.settings.api_key, "inference")

    async def batch() -> list[object]:
        records = [usage(0.01, "gen-a"), usage(0.01, "gen-b")]
        return await asyncio.gather(*(accounts.arecord(caller, r) for r in records), return_exceptions=True)

    with accounts.ctx.db.read() as conn:
        conn.execute("PRAGMA query_only = ON")  # the next commit fails, as a full disk would
    try:
        outcomes = asyncio.run(batch())
    finally:
        with accounts.ctx.db.read() as conn:
            conn.execute("PRAGMA query_only = OFF")
    assert all(isinstance(o, Exception) for o in outcomes), outcomes
    assert committed(accounts, ["gen-a", "gen-b"]) == set()
