"""What every inference request reads, held in memory: key rows, their guardrails, spend.

Read from sqlite, one chat request cost two read transactions and a dozen statements before it
was recorded; with this cache, authentication and authorisation run no SQL in the common case.

Why it is never stale:

- entries are built from committed rows while the database lock is held, and the whole cache is
  dropped whenever ``Database.generation`` moves: on every write transaction but the usage
  inserts (a key created, changed or deleted, a PKCE exchange, a guardrail change or assignment,
  a reset, the bootstrap; and any write a later route adds, as every write goes through
  ``Database.write``), and when another connection has committed to the file (checked on every
  authentication).  A lookup made after a management change returned reads the new rows;
- what depends on the clock or on fault modes (expiry, the checks faults bypass) is not cached:
  callers evaluate it on every request against the cached row;
- spend totals (per key and window start) start as the SQL sum of committed rows and then grow
  by each usage commit, under the same lock hold as the commit (``added``), so they equal that
  sum at every moment.  A batch in which a repeated generation id was ignored drops its keys'
  totals instead of guessing which row counted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from gatecheck.mock.accounts import Principal
from gatecheck.mock.store import guardrails, keys, usage
from gatecheck.mock.store.database import Database
from gatecheck.mock.store.guardrails import Guardrail
from gatecheck.mock.store.keys import KeyRow

__all__ = ["Cache", "CachedKey"]

_WINDOWS_PER_KEY = 8  # spend totals kept per key; past it (the clock crossed windows) start over


@dataclass(frozen=True)
class CachedKey:
    """A key as stored, the guardrails that apply to it, and the caller it makes."""

    row: KeyRow
    rails: tuple[Guardrail, ...]
    principal: Principal


class Cache:
    """Lookups by key value and by id, and spend per window; every method holds the db lock."""

    def __init__(self, db: Database, principal: Callable[[KeyRow, tuple[Guardrail, ...]], Principal]) -> None:
        self._db = db
        self._principal = principal
        self._generation = -1
        self._by_secret: dict[str, CachedKey] = {}  # by fingerprint; unknown values are not kept
        self._by_id: dict[str, CachedKey | None] = {}  # deleted keys too; None: no such key
        self._spend: dict[str, dict[float, float]] = {}  # key id -> window start (epoch s) -> USD

    def by_secret(self, value: str) -> CachedKey | None:
        """The key whose value is ``value`` (deleted ones too), or None."""
        fingerprint = keys.fingerprint(value)
        with self._db.lock:
            self._db.check_external()
            self._current()
            entry = self._by_secret.get(fingerprint)
            if entry is None:
                with self._db.read() as conn:
                    row = keys.get_by_secret(conn, value)
                    entry = None if row is None else self._entry(conn, row)
                if entry is not None:
                    self._by_secret[fingerprint] = self._by_id[entry.row.id] = entry
            return entry

    def by_id(self, key_id: str) -> CachedKey | None:
        """The key with public id ``key_id`` (deleted ones too), or None."""
        with self._db.lock:
            self._current()
            if key_id not in self._by_id:
                with self._db.read() as conn:
                    row = keys.get(conn, key_id, include_deleted=True)
                    self._by_id[key_id] = None if row is None else self._entry(conn, row)
            return self._by_id[key_id]

    def spend(self, key_id: str, since: datetime | None) -> float:
        """USD the key spent since ``since`` (all time when None), every row counted: limits' view."""
        start = float("-inf") if since is None else since.timestamp()
        with self._db.lock:
            self._current()
            totals = self._spend.setdefault(key_id, {})
            if start not in totals:
                if len(totals) >= _WINDOWS_PER_KEY:
                    totals.clear()
                with self._db.read() as conn:
                    totals[start] = usage.spend(conn, key_id, since)
            return totals[start]

    def added(self, rows: Iterable[usage.Row], complete: bool) -> None:
        """After usage rows committed, the lock still held: grow the totals they fall in.
        ``complete`` False (some row repeated a generation id and was ignored) forgets instead."""
        for row in rows:
            totals = self._spend.get(row.key_id)
            if not totals:
                continue
            if not complete:
                del self._spend[row.key_id]
                continue
            for start in totals:
                if row.ts >= start:
                    totals[start] += row.cost

    def _current(self) -> None:
        if self._generation != self._db.generation:
            self._by_secret.clear()
            self._by_id.clear()
            self._spend.clear()
            self._generation = self._db.generation

    def _entry(self, conn: sqlite3.Connection, row: KeyRow) -> CachedKey:
        rails = tuple(guardrails.applying_to(conn, row.id, row.creator_user_id))
        return CachedKey(row, rails, self._principal(row, rails))
