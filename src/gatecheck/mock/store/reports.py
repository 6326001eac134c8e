"""Read-only reports over usage: per key and organisation, generations, activity, credits, members."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from gatecheck.mock.accounts import Principal
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.faults import CREDITS_TOTAL_NEGATIVE, CREDITS_USAGE_STALE
from gatecheck.mock.store import keys, usage
from gatecheck.mock.store.context import Context
from gatecheck.mock.store.key_service import KeyService
from gatecheck.mock.store.periods import day_bounds
from gatecheck.mock.store.usage import Totals

__all__ = ["Report", "ReportService"]

# the mock organisation's purchased credits, in USD; settings.extra["credits"] overrides
DEFAULT_CREDITS = 100.0


@dataclass(frozen=True)
class Report:
    """A usage report: the totals and the same per model."""

    totals: Totals
    by_model: list[tuple[str, Totals]]


class ReportService:
    def __init__(self, ctx: Context, key_service: KeyService) -> None:
        self.ctx = ctx
        self.keys = key_service

    def usage(self, key_id: str | None) -> Report:
        """One key's report (404 when it is not a live key), or the organisation's when None."""
        if key_id is not None:
            self.keys.get(key_id)
        scope = None if key_id is None else [key_id]
        with self.ctx.db.read() as conn:
            return Report(usage.totals(conn, scope), usage.breakdown(conn, scope))

    def generation(self, generation_id: str, caller: Principal) -> sqlite3.Row:
        """A stored generation; an inference key sees only its own, a management key all."""
        with self.ctx.db.read() as conn:
            row = usage.generation(conn, generation_id)
        if row is None or (caller.role == "inference" and row["key_id"] != caller.key_id):
            raise MockHTTPError(404, f"generation {generation_id!r} not found")
        return row

    def activity(self, day: date | None, key_id: str | None, user_id: str | None) -> list[sqlite3.Row]:
        """Daily rows per model: one day, or the last 30 completed UTC days as OpenRouter does."""
        now = self.ctx.now()
        if day is None:
            end = day_bounds(now.date())[0]
            start = day_bounds(date.fromordinal(now.date().toordinal() - 30))[0]
        else:
            start, end = day_bounds(day)
        with self.ctx.db.read() as conn:
            scope = self._scope(conn, key_id, user_id)
            return usage.activity(conn, scope, start, end)

    def credits(self) -> tuple[float, float]:
        """(total credits purchased, total spent) for the organisation."""
        with self.ctx.db.read() as conn:
            spent = 0.0 if self.ctx.fault(CREDITS_USAGE_STALE) else usage.totals(conn, None).cost
        total = float(self.ctx.settings.extra.get("credits", DEFAULT_CREDITS))
        return (-total if self.ctx.fault(CREDITS_TOTAL_NEGATIVE) else total), spent

    def members(self, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        with self.ctx.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM members ORDER BY rowid LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
            total = conn.execute("SELECT COUNT(*) FROM members").fetchone()[0]
        return [dict(r) for r in rows], int(total)

    def member_ids(self) -> set[str]:
        with self.ctx.db.read() as conn:
            return {r[0] for r in conn.execute("SELECT user_id FROM members")}

    def _scope(self, conn: sqlite3.Connection, key_id: str | None, user_id: str | None) -> list[str] | None:
        """Key ids an activity query covers; 404 for an unknown key or member."""
        scope: set[str] | None = None
        if key_id is not None:
            row = keys.get(conn, key_id, include_deleted=True)
            if row is None:
                raise MockHTTPError(404, f"API key {key_id!r} not found")
            scope = {key_id}
        if user_id is not None:
            if conn.execute("SELECT 1 FROM members WHERE user_id = ?", (user_id,)).fetchone() is None:
                raise MockHTTPError(404, f"member {user_id!r} not found")
            owned = {r[0] for r in conn.execute("SELECT id FROM keys WHERE creator_user_id = ?", (user_id,))}
            scope = owned if scope is None else scope & owned
        return None if scope is None else sorted(scope)


def extra_of(row: sqlite3.Row) -> dict[str, Any]:
    """The free-form fields the inference plane attached to a usage record."""
    return dict(json.loads(row["extra"] or "{}"))
