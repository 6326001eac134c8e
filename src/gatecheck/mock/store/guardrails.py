"""Guardrails (OpenRouter): policies assigned to keys or to members, enforced on inference.

A guardrail applies to a key when it is assigned to the key itself or to the member who
created the key.  An empty or missing list means "no restriction", as in OpenRouter's
examples where ``allowed_models: null`` sits beside a provider list.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Guardrail",
    "applying_to",
    "assign",
    "assignments",
    "delete",
    "forget_key",
    "get",
    "insert",
    "list_guardrails",
    "unassign",
    "update",
]

_LISTS = ("allowed_providers", "ignored_providers", "allowed_models")
_SCALARS = ("name", "description", "limit_usd", "reset_interval", "enforce_zdr")
# each assignment kind: table, column holding the assignee, and what a listing reads from where
_KINDS = {
    "keys": (
        "guardrail_keys",
        "key_id",
        "a.*, k.name AS key_name, k.label AS key_label",
        "guardrail_keys a JOIN keys k ON k.id = a.key_id",
    ),
    "members": ("guardrail_members", "user_id", "a.*", "guardrail_members a"),
}


@dataclass(frozen=True)
class Guardrail:
    id: str
    name: str
    description: str | None
    limit_usd: float | None
    reset_interval: str | None
    allowed_providers: tuple[str, ...] | None
    ignored_providers: tuple[str, ...] | None
    allowed_models: tuple[str, ...] | None
    enforce_zdr: bool
    created_at: str
    updated_at: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Guardrail:
        lists = {name: None if row[name] is None else tuple(json.loads(row[name])) for name in _LISTS}
        return cls(
            id=row["id"],
            name=row["name"],
            description=row["description"],
            limit_usd=row["limit_usd"],
            reset_interval=row["reset_interval"],
            enforce_zdr=bool(row["enforce_zdr"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            **lists,
        )


def _encode(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in _LISTS and name not in _SCALARS and name not in ("created_at", "updated_at"):
            raise ValueError(f"not a guardrail field: {name}")
        if name in _LISTS and value is not None:
            value = json.dumps(list(value))
        out[name] = int(value) if isinstance(value, bool) else value
    return out


def insert(conn: sqlite3.Connection, created_at: str, **fields: Any) -> str:
    row = {"id": str(uuid.uuid4()), "created_at": created_at, **_encode(fields)}
    conn.execute(
        f"INSERT INTO guardrails ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )
    return row["id"]


def update(conn: sqlite3.Connection, guardrail_id: str, **fields: Any) -> None:
    row = _encode(fields)
    if row:
        sets = ", ".join(f"{name} = ?" for name in row)
        conn.execute(f"UPDATE guardrails SET {sets} WHERE id = ?", [*row.values(), guardrail_id])


def get(conn: sqlite3.Connection, guardrail_id: str) -> Guardrail | None:
    row = conn.execute("SELECT * FROM guardrails WHERE id = ?", (guardrail_id,)).fetchone()
    return None if row is None else Guardrail.from_row(row)


def forget_key(conn: sqlite3.Connection, key_id: str) -> None:
    """A deleted key leaves every guardrail, so assignment listings show live keys only."""
    conn.execute("DELETE FROM guardrail_keys WHERE key_id = ?", (key_id,))


def delete(conn: sqlite3.Connection, guardrail_id: str) -> bool:
    return conn.execute("DELETE FROM guardrails WHERE id = ?", (guardrail_id,)).rowcount > 0


def list_guardrails(conn: sqlite3.Connection, offset: int, limit: int) -> tuple[list[Guardrail], int]:
    rows = conn.execute(
        "SELECT * FROM guardrails ORDER BY created_at, rowid LIMIT ? OFFSET ?", (limit, offset)
    ).fetchall()
    total = conn.execute("SELECT COUNT(*) FROM guardrails").fetchone()[0]
    return [Guardrail.from_row(r) for r in rows], int(total)


def applying_to(conn: sqlite3.Connection, key_id: str, creator_user_id: str | None) -> list[Guardrail]:
    """Every guardrail that governs ``key_id``: assigned to it, or to its creator."""
    rows = conn.execute(
        """SELECT * FROM guardrails WHERE id IN (
               SELECT guardrail_id FROM guardrail_keys WHERE key_id = ?
               UNION SELECT guardrail_id FROM guardrail_members WHERE user_id = ?)
           ORDER BY created_at, rowid""",
        (key_id, creator_user_id),
    ).fetchall()
    return [Guardrail.from_row(r) for r in rows]


def assign(
    conn: sqlite3.Connection, kind: str, guardrail_id: str, ids: list[str], by: str | None, now: str
) -> int:
    """Assign ``ids`` (key ids or user ids); the number newly assigned (repeats count once)."""
    table, column, _, _ = _KINDS[kind]
    count = 0
    for assignee in dict.fromkeys(ids):
        count += conn.execute(
            f"INSERT OR IGNORE INTO {table} (id, guardrail_id, {column}, assigned_by, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (str(uuid.uuid4()), guardrail_id, assignee, by, now),
        ).rowcount
    return count


def unassign(conn: sqlite3.Connection, kind: str, guardrail_id: str, ids: list[str]) -> int:
    table, column, _, _ = _KINDS[kind]
    return sum(
        conn.execute(
            f"DELETE FROM {table} WHERE guardrail_id = ? AND {column} = ?", (guardrail_id, assignee)
        ).rowcount
        for assignee in dict.fromkeys(ids)
    )


def assignments(
    conn: sqlite3.Connection, kind: str, guardrail_id: str | None, offset: int, limit: int
) -> tuple[list[sqlite3.Row], int]:
    """Assignment rows of one guardrail, or of all when ``guardrail_id`` is None; and the total."""
    _, _, columns, source = _KINDS[kind]
    where, params = ("WHERE a.guardrail_id = ?", [guardrail_id]) if guardrail_id else ("", [])
    rows = conn.execute(
        f"SELECT {columns} FROM {source} {where} ORDER BY a.created_at, a.rowid LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    total = conn.execute(f"SELECT COUNT(*) FROM {source} {where}", params).fetchone()[0]
    return rows, int(total)
