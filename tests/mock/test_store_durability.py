"""The store on disk: restarts keep everything, kill -9 loses no commit, no plaintext key is kept."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from gatecheck.errors import UsageError
from gatecheck.mock.accounts import UsageRecord
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import SqliteAccounts, open_accounts
from gatecheck.mock.store.schema import MIGRATIONS

MODEL = "openai/gpt-4o-mini"


def _record(accounts: SqliteAccounts, key_value: str, generation_id: str, cost: float) -> None:
    caller = accounts.authenticate(key_value, "inference")
    accounts.record(caller, UsageRecord(generation_id, MODEL, "openai", 7, 3, cost, streamed=True))


def test_restart_keeps_keys_limits_usage_and_guardrails(tmp_path: Path) -> None:
    first = MockSettings(flavor="openrouter", db_path=tmp_path / "mock.db")
    accounts = open_accounts(first)
    view = accounts.keys.create("kept", limit_usd=2.5, limit_reset="monthly")
    _record(accounts, view.value, "gen-kept", 0.75)
    rail = accounts.guardrails.create(name="kept rail", allowed_models=[MODEL])
    accounts.guardrails.assign("keys", rail.id, [view.row.id])
    accounts.close()

    second = MockSettings(flavor="openrouter", db_path=tmp_path / "mock.db")  # fresh bootstrap keys
    accounts = open_accounts(second)
    try:
        again = accounts.keys.get(view.row.id)
        assert (again.row.limit_usd, again.row.limit_reset, again.usage) == (2.5, "monthly", 0.75)
        caller = accounts.authenticate(view.value, "inference")
        assert caller.allowed_models == frozenset({MODEL})
        assert accounts.reports.generation("gen-kept", caller)["cost"] == 0.75
        assert accounts.guardrails.get(rail.id).name == "kept rail"
        for settings in (first, second):  # both generations of bootstrap keys still work
            accounts.authenticate(settings.api_key, "inference")
            accounts.authenticate(settings.admin_key, "management")
    finally:
        accounts.close()
    assert (tmp_path / "mock.db").exists(), "a named database must survive close()"


def test_no_plaintext_key_or_code_reaches_the_database(tmp_path: Path) -> None:
    settings = MockSettings(flavor="openrouter", db_path=tmp_path / "mock.db")
    accounts = open_accounts(settings)
    created = [accounts.keys.create(f"k{i}").value for i in range(3)]
    code = accounts.pkce.issue("https://app.example/cb", "user_gc_owner").code
    exchanged = accounts.pkce.exchange(code, None, None)[0]
    secrets = [settings.api_key, settings.admin_key, *created, code, exchanged]
    files = [tmp_path / name for name in ("mock.db", "mock.db-wal")]
    on_disk_open = b"".join(p.read_bytes() for p in files if p.exists())
    accounts.close()
    on_disk_closed = (tmp_path / "mock.db").read_bytes()
    for secret in secrets:
        assert secret.encode() not in on_disk_open + on_disk_closed
    # the public id is not the stored fingerprint either
    with sqlite3.connect(tmp_path / "mock.db") as conn:
        rows = conn.execute("SELECT id, secret_sha256 FROM keys").fetchall()
    assert all(key_id != fingerprint for key_id, fingerprint in rows)
    assert hashlib.sha256(created[0].encode()).hexdigest() in {f for _, f in rows}


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from gatecheck.mock.accounts import UsageRecord
    from gatecheck.mock.settings import MockSettings
    from gatecheck.mock.store import SqliteAccounts, open_accounts

    settings = MockSettings(db_path=Path(sys.argv[1]), api_key=sys.argv[2])
    accounts = open_accounts(settings)
    caller = accounts.authenticate(settings.api_key, "inference")
    n = 0
    while True:
        n += 1
        accounts.record(caller, UsageRecord(f"gen-{n}", "m/x", "p", 1, 1, 0.5, streamed=False))
        print(n, flush=True)  # only after the commit returned
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_mid_load_loses_no_committed_write(tmp_path: Path) -> None:
    db, key = tmp_path / "mock.db", "gc-mock-killed-writer"
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(db), key],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert proc.stdout is not None
        acknowledged = 0
        while acknowledged < 200:
            line = proc.stdout.readline()
            assert line, "the writer died before writing"
            acknowledged = int(line)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    accounts = open_accounts(MockSettings(db_path=db, api_key=key))
    try:
        assert accounts.reports.usage(None).totals.requests >= acknowledged
    finally:
        accounts.close()


async def _chat_until_killed(base: str, key: str, proc: subprocess.Popen[str], answers: int) -> list[str]:
    """Chat on 16 connections; once ``answers`` requests were answered, ``kill -9`` the server
    while the others are in flight.  The ids of the answered requests."""
    answered: list[str] = []
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hello"}]}
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:

        async def connection() -> None:
            while len(answered) < answers:
                reply = await client.post("/chat/completions", json=body, timeout=10)
                assert reply.status_code == 200, reply.text
                answered.append(reply.json()["id"])  # the generation id the usage row is keyed by
            os.kill(proc.pid, signal.SIGKILL)

        await asyncio.gather(*(connection() for _ in range(16)), return_exceptions=True)
    return list(answered)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_under_http_load_loses_no_answered_request(tmp_path: Path) -> None:
    """Group commit: the inference plane answers a request only once its usage row committed."""
    db, key = tmp_path / "mock.db", "gc-mock-killed-server"
    command = [sys.executable, "-c", "from gatecheck.cli import main; main()", "mock", "--port", "0"]
    command += ["--db", str(db), "--api-key", key, "--admin-key", "gc-admin-killed-server"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().split()[-1]  # "gatecheck mock (requesty) serving http://...:PORT/v1"
        answered = asyncio.run(_chat_until_killed(base, key, proc, answers=400))
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(answered) >= 400
    with closing(sqlite3.connect(db)) as conn:
        stored = {row[0] for row in conn.execute("SELECT generation_id FROM usage")}
    assert set(answered) <= stored, f"{len(set(answered) - stored)} answered requests were not recorded"


def test_schema_is_versioned_and_a_newer_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "mock.db"
    open_accounts(MockSettings(db_path=db)).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
        conn.execute("INSERT INTO schema_version VALUES (?)", (len(MIGRATIONS) + 1,))
    with pytest.raises(UsageError, match="newer than this gatecheck"):
        open_accounts(MockSettings(db_path=db))


def test_durability_pragmas(tmp_path: Path) -> None:
    accounts = open_accounts(MockSettings(db_path=tmp_path / "mock.db"))
    try:
        with accounts.ctx.db.read() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        accounts.close()
