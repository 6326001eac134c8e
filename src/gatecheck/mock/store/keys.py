"""Key rows: how keys are minted, hashed, found and changed.  Functions take a connection
inside the caller's transaction, so a handler composes several into one atomic step."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatecheck.mock.store.periods import parse_time

__all__ = ["KeyRow", "fingerprint", "get", "get_by_secret", "insert", "list_keys", "mask", "update"]

_EDITABLE = frozenset(
    {
        "name",
        "labels",
        "allowed_models",
        "disabled",
        "limit_usd",
        "limit_reset",
        "include_byok_in_limit",
        "expires_at",
        "updated_at",
        "deleted_at",
    }
)
_JSON_COLUMNS = frozenset({"labels", "allowed_models"})


def fingerprint(value: str) -> str:
    """What the database keeps of a key value: its sha256, hex.  Unsalted on purpose: keys are
    128 random bits, so there is nothing to brute-force, and lookup stays one index probe."""
    return hashlib.sha256(value.encode()).hexdigest()


def mask(value: str) -> str:
    """OpenRouter's ``label``: enough of the key to recognise it, too little to use it."""
    return f"{value[:10]}...{value[-3:]}"


@dataclass(frozen=True)
class KeyRow:
    """One stored key, as the code uses it (JSON columns decoded, times parsed)."""

    id: str
    role: str
    name: str
    label: str
    labels: tuple[str, ...]
    allowed_models: tuple[str, ...] | None
    disabled: bool
    limit_usd: float | None
    limit_reset: str | None
    include_byok_in_limit: bool
    expires_at: datetime | None
    creator_user_id: str | None
    bootstrap: bool
    created_at: str
    updated_at: str | None
    deleted_at: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> KeyRow:
        allowed = row["allowed_models"]
        return cls(
            id=row["id"],
            role=row["role"],
            name=row["name"],
            label=row["label"],
            labels=tuple(json.loads(row["labels"])),
            allowed_models=None if allowed is None else tuple(json.loads(allowed)),
            disabled=bool(row["disabled"]),
            limit_usd=row["limit_usd"],
            limit_reset=row["limit_reset"],
            include_byok_in_limit=bool(row["include_byok_in_limit"]),
            expires_at=parse_time(row["expires_at"]),
            creator_user_id=row["creator_user_id"],
            bootstrap=bool(row["bootstrap"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            deleted_at=row["deleted_at"],
        )

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


def _encode(column: str, value: Any) -> Any:
    if column in _JSON_COLUMNS and value is not None:
        return json.dumps(list(value))
    if isinstance(value, bool):
        return int(value)
    return value


def insert(conn: sqlite3.Connection, *, key_id: str, value: str, **columns: Any) -> None:
    """Store a new key; only the value's fingerprint and mask reach the database."""
    row = {"id": key_id, "secret_sha256": fingerprint(value), "label": mask(value), **columns}
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO keys ({names}) VALUES ({marks})", [_encode(c, v) for c, v in row.items()])


def get(conn: sqlite3.Connection, key_id: str, *, include_deleted: bool = False) -> KeyRow | None:
    row = conn.execute("SELECT * FROM keys WHERE id = ?", (key_id,)).fetchone()
    if row is None or (row["deleted_at"] is not None and not include_deleted):
        return None
    return KeyRow.from_row(row)


def get_by_secret(conn: sqlite3.Connection, value: str) -> KeyRow | None:
    row = conn.execute("SELECT * FROM keys WHERE secret_sha256 = ?", (fingerprint(value),)).fetchone()
    return None if row is None else KeyRow.from_row(row)


def list_keys(
    conn: sqlite3.Connection, *, role: str, include_disabled: bool, offset: int = 0, limit: int = -1
) -> list[KeyRow]:
    """Live keys of ``role``, oldest first, so ``offset`` pages are stable."""
    sql = "SELECT * FROM keys WHERE role = ? AND deleted_at IS NULL"
    if not include_disabled:
        sql += " AND disabled = 0"
    sql += " ORDER BY created_at, rowid LIMIT ? OFFSET ?"
    return [KeyRow.from_row(r) for r in conn.execute(sql, (role, limit, offset))]


def update(conn: sqlite3.Connection, key_id: str, **changes: Any) -> None:
    """Change the given columns; a column name outside the editable set is a bug, not input."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not changes:
        return
    assignments = ", ".join(f"{column} = ?" for column in changes)
    values = [_encode(c, v) for c, v in changes.items()]
    conn.execute(f"UPDATE keys SET {assignments} WHERE id = ?", [*values, key_id])
