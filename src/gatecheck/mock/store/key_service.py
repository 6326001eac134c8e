"""Key management as the routes of both flavors need it: create, list, get, change, delete.

A key's plaintext exists in exactly one response, the one that created it: :class:`KeyView`
carries ``value`` only then, unless the ``key-value-in-get`` fault is on (the value then comes
from this process's memory, never from the database, which cannot give it back).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.faults import (
    DELETE_TWICE_200,
    DELETED_KEY_STILL_READABLE,
    GET_IGNORES_SET_FIELDS,
    KEY_VALUE_IN_GET,
    STALE_LIMIT_REMAINING,
)
from gatecheck.mock.store import guardrails, keys, usage
from gatecheck.mock.store.context import OWNER_ID, Context
from gatecheck.mock.store.keys import KeyRow
from gatecheck.mock.store.periods import iso, window_start

__all__ = ["KeyService", "KeyView"]


@dataclass(frozen=True)
class KeyView:
    """A key plus what it spent: all time, per current window, and what its limit leaves."""

    row: KeyRow
    usage: float
    usage_daily: float
    usage_weekly: float
    usage_monthly: float
    limit_remaining: float | None
    value: str | None = None


class KeyService:
    """Queries and changes on keys; raises MockHTTPError 404 for unknown or deleted ids."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def create(self, name: str, *, role: str = "inference", **fields: Any) -> KeyView:
        """Mint a key; the only view that carries its value.  API-created keys are inference keys."""
        value, key_id, now = self.ctx.new_key_value(), self.ctx.new_id(), iso(self.ctx.now())
        fields.setdefault("creator_user_id", OWNER_ID)
        with self.ctx.db.write() as conn:
            keys.insert(conn, key_id=key_id, value=value, role=role, name=name, created_at=now, **fields)
            self.ctx.plaintexts[key_id] = value
            view = self._view(conn, keys.get(conn, key_id))  # type: ignore[arg-type]
        return replace(view, value=value)

    def live(self, *, include_disabled: bool = True, offset: int = 0, limit: int = -1) -> list[KeyView]:
        """Live inference keys; management keys are not managed through the API."""
        with self.ctx.db.read() as conn:
            rows = keys.list_keys(
                conn, role="inference", include_disabled=include_disabled, offset=offset, limit=limit
            )
            return [self._forgetful(self._leaky(self._view(conn, row))) for row in rows]

    def get(self, key_id: str) -> KeyView:
        with self.ctx.db.read() as conn:
            row = self._live(conn, key_id, deleted=self.ctx.fault(DELETED_KEY_STILL_READABLE))
            return self._forgetful(self._leaky(self._view(conn, row)))

    def current(self, key_id: str) -> KeyView:
        """The calling key itself, whatever its role (``GET /key``)."""
        with self.ctx.db.read() as conn:
            row = keys.get(conn, key_id, include_deleted=True)
            if row is None:
                raise MockHTTPError(404, "key not found")
            return self._view(conn, row)

    def update(self, key_id: str, **changes: Any) -> KeyView:
        with self.ctx.db.write() as conn:
            self._live(conn, key_id)
            keys.update(conn, key_id, **changes, updated_at=iso(self.ctx.now()))
            return self._leaky(self._view(conn, self._live(conn, key_id)))

    def delete(self, key_id: str) -> None:
        """Soft delete: the key stops authenticating, its usage stays in organisation reports."""
        with self.ctx.db.write() as conn:
            if self.ctx.fault(DELETE_TWICE_200) and keys.get(conn, key_id) is None:
                return
            self._live(conn, key_id)
            now = iso(self.ctx.now())
            keys.update(conn, key_id, deleted_at=now, updated_at=now)
            guardrails.forget_key(conn, key_id)
        self.ctx.plaintexts.pop(key_id, None)

    def _live(self, conn: sqlite3.Connection, key_id: str, *, deleted: bool = False) -> KeyRow:
        row = keys.get(conn, key_id, include_deleted=deleted)
        if row is None or row.role != "inference":
            raise MockHTTPError(404, f"API key {key_id!r} not found")
        return row

    def _view(self, conn: sqlite3.Connection, row: KeyRow) -> KeyView:
        now = self.ctx.now()
        spent = usage.windowed_spend(conn, row.id, now)
        return KeyView(
            row=row,
            usage=spent[""],
            usage_daily=spent["daily"],
            usage_weekly=spent["weekly"],
            usage_monthly=spent["monthly"],
            limit_remaining=self._remaining(conn, row, now),
        )

    def _remaining(self, conn: sqlite3.Connection, row: KeyRow, now: datetime) -> float | None:
        if row.limit_usd is None:
            return None
        if self.ctx.fault(STALE_LIMIT_REMAINING):
            return row.limit_usd
        spent = usage.spend(conn, row.id, window_start(row.limit_reset, now))
        return max(0.0, row.limit_usd - spent)

    def _leaky(self, view: KeyView) -> KeyView:
        if not self.ctx.fault(KEY_VALUE_IN_GET):
            return view
        return replace(view, value=self.ctx.plaintexts.get(view.row.id))

    def _forgetful(self, view: KeyView) -> KeyView:
        """``get-ignores-set-fields``: the stored limit, labels and expiry read back as defaults."""
        if not self.ctx.fault(GET_IGNORES_SET_FIELDS):
            return view
        return replace(view, row=replace(view.row, limit_usd=None, labels=(), expires_at=None))
