"""Guardrail management: CRUD and assignments, with all-or-nothing assignment batches."""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.faults import (
    GUARDRAIL_ASSIGN_MISCOUNT,
    GUARDRAIL_UNASSIGN_IGNORED,
    GUARDRAIL_UPDATE_IGNORED,
)
from gatecheck.mock.store import guardrails, keys
from gatecheck.mock.store.context import OWNER_ID, Context
from gatecheck.mock.store.guardrails import Guardrail
from gatecheck.mock.store.periods import iso

__all__ = ["GuardrailService", "Kind"]

Kind = Literal["keys", "members"]
_ASSIGNEE: dict[str, str] = {"keys": "key_id", "members": "user_id"}  # assignment row column


class GuardrailService:
    """Raises 404 for an unknown guardrail, 400 for a batch naming unknown keys or members."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def create(self, **fields: Any) -> Guardrail:
        now = iso(self.ctx.now())
        with self.ctx.db.write() as conn:
            guardrail_id = guardrails.insert(conn, now, updated_at=now, **fields)
            return guardrails.get(conn, guardrail_id)  # type: ignore[return-value]

    def page(self, offset: int, limit: int) -> tuple[list[Guardrail], int]:
        with self.ctx.db.read() as conn:
            return guardrails.list_guardrails(conn, offset, limit)

    def get(self, guardrail_id: str) -> Guardrail:
        with self.ctx.db.read() as conn:
            return self._existing(conn, guardrail_id)

    def update(self, guardrail_id: str, **fields: Any) -> Guardrail:
        with self.ctx.db.write() as conn:
            self._existing(conn, guardrail_id)
            if not self.ctx.fault(GUARDRAIL_UPDATE_IGNORED):
                guardrails.update(conn, guardrail_id, **fields, updated_at=iso(self.ctx.now()))
            return self._existing(conn, guardrail_id)

    def delete(self, guardrail_id: str) -> None:
        with self.ctx.db.write() as conn:
            if not guardrails.delete(conn, guardrail_id):
                raise MockHTTPError(404, f"guardrail {guardrail_id!r} not found")

    def assign(self, kind: Kind, guardrail_id: str, ids: list[str]) -> int:
        """Assign every id or none: an unknown key or member fails the whole batch with 400."""
        with self.ctx.db.write() as conn:
            self._existing(conn, guardrail_id)
            unknown = self._unknown(conn, kind, ids)
            if unknown:
                what = "API keys" if kind == "keys" else "members"
                raise MockHTTPError(400, f"unknown {what}: {', '.join(unknown)}")
            added = guardrails.assign(conn, kind, guardrail_id, ids, OWNER_ID, iso(self.ctx.now()))  # type: ignore[arg-type]
            if self.ctx.fault(GUARDRAIL_ASSIGN_MISCOUNT):
                return guardrails.assignments(conn, kind, guardrail_id, 0, 0)[1]
            return added

    def unassign(self, kind: Kind, guardrail_id: str, ids: list[str]) -> int:
        """Remove the assignments that exist; ids that were not assigned count zero."""
        with self.ctx.db.write() as conn:
            self._existing(conn, guardrail_id)
            if self.ctx.fault(GUARDRAIL_UNASSIGN_IGNORED):  # counted as removed, yet kept
                rows, _ = guardrails.assignments(conn, kind, guardrail_id, 0, -1)
                return len(set(ids) & {row[_ASSIGNEE[kind]] for row in rows})
            return guardrails.unassign(conn, kind, guardrail_id, ids)

    def assignments(
        self, kind: Kind, guardrail_id: str | None, offset: int, limit: int
    ) -> tuple[list[sqlite3.Row], int]:
        with self.ctx.db.read() as conn:
            if guardrail_id is not None:
                self._existing(conn, guardrail_id)
            return guardrails.assignments(conn, kind, guardrail_id, offset, limit)

    def _existing(self, conn: sqlite3.Connection, guardrail_id: str) -> Guardrail:
        rail = guardrails.get(conn, guardrail_id)
        if rail is None:
            raise MockHTTPError(404, f"guardrail {guardrail_id!r} not found")
        return rail

    def _unknown(self, conn: sqlite3.Connection, kind: Kind, ids: list[str]) -> list[str]:
        if kind == "members":
            known = {r[0] for r in conn.execute("SELECT user_id FROM members")}
            return [i for i in ids if i not in known]
        return [i for i in ids if (row := keys.get(conn, i)) is None or row.role != "inference"]
