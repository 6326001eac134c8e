"""The mock's database schema, as an ordered list of migrations the code applies itself.

``schema_version`` holds how many migrations a file has had; opening a file runs the missing
ones in order, each in its own transaction, so a database written by an older gatecheck keeps
every key and usage record.  Append new migrations, never edit a released one.

Storage rules the schema encodes:

- a key is stored as the sha256 of its value (``secret_sha256``); its public id (Requesty
  ``id``, OpenRouter ``hash``) is separate and random, so the id reveals nothing about the value;
- deleting a key only stamps ``deleted_at``: its usage stays in organisation reports and a
  deleted key is told apart from an unknown one (401 "deleted" versus 401 "invalid");
- usage rows are never updated, only inserted, so parallel requests cannot lose each other's
  spend; totals are sums at read time.  ``accounted = 0`` marks rows the ``usage-not-recorded``
  fault hides from usage reports (limits and ``GET /generation`` still see them; ``usage.py``);
- timestamps are ISO text in UTC; usage also keeps ``ts`` (epoch seconds) for window sums.
"""

from __future__ import annotations

import sqlite3

from gatecheck.errors import UsageError

__all__ = ["MIGRATIONS", "migrate"]

_V1 = (
    """CREATE TABLE keys (
        id TEXT PRIMARY KEY,
        secret_sha256 TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('inference', 'management')),
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        labels TEXT NOT NULL DEFAULT '[]',
        allowed_models TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        limit_usd REAL,
        limit_reset TEXT,
        include_byok_in_limit INTEGER NOT NULL DEFAULT 0,
        expires_at TEXT,
        creator_user_id TEXT,
        bootstrap INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        deleted_at TEXT
    )""",
    """CREATE TABLE usage (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        generation_id TEXT NOT NULL UNIQUE,
        key_id TEXT NOT NULL,
        accounted INTEGER NOT NULL DEFAULT 1,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cost REAL NOT NULL,
        streamed INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        finish_reason TEXT,
        endpoint TEXT NOT NULL,
        extra TEXT NOT NULL DEFAULT '{}',
        ts REAL NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX usage_by_key ON usage (key_id, ts)",
    """CREATE TABLE members (
        user_id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        role TEXT NOT NULL
    )""",
    """INSERT INTO members VALUES
        ('user_gc_owner', 'owner@gatecheck.invalid', 'Ada', 'Owner', 'org:admin'),
        ('user_gc_member', 'member@gatecheck.invalid', 'Bo', 'Member', 'org:member')""",
    """CREATE TABLE guardrails (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        limit_usd REAL,
        reset_interval TEXT,
        allowed_providers TEXT,
        ignored_providers TEXT,
        allowed_models TEXT,
        enforce_zdr INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT
    )""",
    """CREATE TABLE guardrail_keys (
        id TEXT PRIMARY KEY,
        guardrail_id TEXT NOT NULL REFERENCES guardrails (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL REFERENCES keys (id),
        assigned_by TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (guardrail_id, key_id)
    )""",
    """CREATE TABLE guardrail_members (
        id TEXT PRIMARY KEY,
        guardrail_id TEXT NOT NULL REFERENCES guardrails (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES members (user_id),
        assigned_by TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (guardrail_id, user_id)
    )""",
    """CREATE TABLE auth_codes (
        code_sha256 TEXT PRIMARY KEY,
        app_id INTEGER NOT NULL,
        callback_url TEXT NOT NULL,
        challenge TEXT,
        method TEXT,
        limit_usd REAL,
        limit_reset TEXT,
        expires_at TEXT,
        key_label TEXT,
        user_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        used_at TEXT
    )""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)


def _version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the database to the newest schema; the version reached.  ``conn`` is in autocommit.

    The version is read inside the write transaction, so two processes opening one new file
    at once apply each migration exactly once.
    """
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _version(conn)
            if current >= len(MIGRATIONS):
                conn.execute("COMMIT")
                break
            for statement in MIGRATIONS[current]:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (current + 1,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    if current > len(MIGRATIONS):
        raise UsageError(
            f"mock database {where} has schema version {current}, newer than this gatecheck "
            f"knows ({len(MIGRATIONS)}); use a newer gatecheck or another --db file"
        )
    return current
