"""Usage rows: one per completed inference request, summed at read time.

Two readers, on purpose: *reports* (usage totals and breakdowns, a key's ``usage*`` fields,
activity, credits) sum only ``accounted`` rows, while *limits* (:func:`spend`: enforcement and
``limit_remaining``) sum every row.  So the ``usage-not-recorded`` fault, which stores rows
unaccounted, breaks usage reporting and nothing else: a suite's limit scenarios still pass
under it, and the row still answers ``GET /generation``.  SQL filters are fixed fragments.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from gatecheck.mock.accounts import UsageRecord
from gatecheck.mock.store.periods import PERIODS, iso, window_start

__all__ = [
    "Row",
    "Totals",
    "activity",
    "breakdown",
    "generation",
    "insert",
    "insert_many",
    "row",
    "spend",
    "totals",
    "windowed_spend",
]


@dataclass(frozen=True)
class Totals:
    """What a usage report adds up: cost in USD, requests, tokens."""

    cost: float
    requests: int
    tokens: int


class Row(NamedTuple):
    """One usage row, in the table's column order (``seq`` aside)."""

    generation_id: str
    key_id: str
    accounted: int
    model: str
    provider: str
    prompt_tokens: int
    completion_tokens: int
    cost: float
    streamed: int
    latency_ms: float
    finish_reason: str | None
    endpoint: str
    extra: str
    ts: float  # epoch seconds, what windows compare
    created_at: str


_COLUMNS, _MARKS = ", ".join(Row._fields), ", ".join(["?"] * len(Row._fields))
_INSERT = f"INSERT OR IGNORE INTO usage ({_COLUMNS}) VALUES ({_MARKS})"


def row(key_id: str, usage: UsageRecord, now: datetime, accounted: bool) -> Row:
    """The usage row of one request."""
    return Row(
        usage.generation_id,
        key_id,
        int(accounted),
        usage.model,
        usage.provider,
        int(usage.prompt_tokens),
        int(usage.completion_tokens),
        float(usage.cost),
        int(usage.streamed),
        float(usage.latency_ms),
        usage.finish_reason,
        usage.endpoint,
        json.dumps(usage.extra, default=str) if usage.extra else "{}",
        now.timestamp(),
        iso(now),
    )


def insert(conn: sqlite3.Connection, key_id: str, usage: UsageRecord, now: datetime, accounted: bool) -> None:
    """Store one request; recording the same generation twice bills it once."""
    insert_many(conn, [row(key_id, usage, now, accounted)])


def insert_many(conn: sqlite3.Connection, rows: Sequence[Row]) -> int:
    """Store several requests in one statement; how many were new (a repeated generation is not)."""
    return conn.executemany(_INSERT, rows).rowcount


def spend(conn: sqlite3.Connection, key_id: str, since: datetime | None) -> float:
    """USD the key spent since ``since`` (all time when None), as limits see it: every row."""
    row = conn.execute(
        "SELECT TOTAL(cost) FROM usage WHERE key_id = ? AND ts >= ?",
        (key_id, since.timestamp() if since else float("-inf")),
    ).fetchone()
    return float(row[0])


def windowed_spend(conn: sqlite3.Connection, key_id: str, now: datetime) -> dict[str, float]:
    """Reported spend: all time under ``""``, and in the current daily/weekly/monthly windows."""
    starts = [window_start(period, now).timestamp() for period in PERIODS]  # type: ignore[union-attr]
    row = conn.execute(
        """SELECT TOTAL(cost),
                  TOTAL(CASE WHEN ts >= ? THEN cost END),
                  TOTAL(CASE WHEN ts >= ? THEN cost END),
                  TOTAL(CASE WHEN ts >= ? THEN cost END)
           FROM usage WHERE key_id = ? AND accounted = 1""",
        (*starts, key_id),
    ).fetchone()
    return {"": row[0], **{period: row[i + 1] for i, period in enumerate(PERIODS)}}


def _where(key_ids: list[str] | None) -> tuple[str, list[object]]:
    if key_ids is None:
        return "accounted = 1", []
    marks = ", ".join("?" for _ in key_ids)
    return f"accounted = 1 AND key_id IN ({marks})", list(key_ids)


def totals(conn: sqlite3.Connection, key_ids: list[str] | None) -> Totals:
    """Cost, requests and tokens of the given keys, or of the whole organisation when None."""
    where, params = _where(key_ids)
    row = conn.execute(
        f"SELECT TOTAL(cost), COUNT(*), TOTAL(prompt_tokens + completion_tokens) FROM usage WHERE {where}",
        params,
    ).fetchone()
    return Totals(float(row[0]), int(row[1]), int(row[2]))


def breakdown(conn: sqlite3.Connection, key_ids: list[str] | None) -> list[tuple[str, Totals]]:
    """The same totals per model, most expensive first."""
    where, params = _where(key_ids)
    rows = conn.execute(
        f"""SELECT model, TOTAL(cost) AS c, COUNT(*), TOTAL(prompt_tokens + completion_tokens)
            FROM usage WHERE {where} GROUP BY model ORDER BY c DESC, model""",
        params,
    )
    return [(r[0], Totals(float(r[1]), int(r[2]), int(r[3]))) for r in rows]


def generation(conn: sqlite3.Connection, generation_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM usage WHERE generation_id = ?", (generation_id,)).fetchone()


def activity(
    conn: sqlite3.Connection, key_ids: list[str] | None, start: datetime, end: datetime
) -> list[sqlite3.Row]:
    """Per UTC day, model and provider: requests, tokens and spend between ``start`` and ``end``."""
    where, params = _where(key_ids)
    return conn.execute(
        f"""SELECT substr(created_at, 1, 10) AS date, model, provider,
                   COUNT(*) AS requests, TOTAL(cost) AS usage,
                   SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens
            FROM usage WHERE {where} AND ts >= ? AND ts < ?
            GROUP BY date, model, provider ORDER BY date DESC, model, provider""",
        [*params, start.timestamp(), end.timestamp()],
    ).fetchall()
