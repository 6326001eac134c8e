"""What a run may still spend: requests, tokens, and patience with a target that does not answer.

One budget holds for the whole run, across suites, pytest-xdist workers and threads: its state
lives in a small sqlite file in the run's private work folder, whose path ``gatecheck run``
passes to every suite process (``--gatecheck-budget``; xdist workers get it from their
controller); each charge is one ``BEGIN IMMEDIATE``
transaction, so two processes can never both take the last request.  Without a file (unit
tests, a client made on its own) the state is in memory, under a lock.

Requests are charged *before* they are sent, so the request budget is never exceeded, not
merely noticed afterwards.  Tokens are reserved before sending too, at the request's ceiling
(its ``max_tokens``, or :data:`DEFAULT_CEILING`, plus its prompt's size); a plain answer's
``usage.total_tokens`` then replaces the reservation, a streamed one keeps it.  A request that
would go over either budget is refused with :class:`~gatecheck.errors.BudgetExhausted` and
counted, so the verdict can say how much was not run.

The same state counts timeouts in a row (any answer resets it): at the run's
``breaker-timeouts`` the target is declared not answering and every later request is refused
at once (the circuit breaker of :mod:`gatecheck.limits`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatecheck.errors import BudgetExhausted
from gatecheck.limits import TargetNotAnswering

__all__ = [
    "DEFAULT_CEILING",
    "REAL_TARGET_DEFAULT_REQUESTS",
    "REAL_TARGET_DEFAULT_TOKENS",
    "Budget",
    "Spent",
    "last_refusal_here",
    "refused_here",
]

#: Budgets against a real gateway when none is given (the built-in mock is unlimited).
REAL_TARGET_DEFAULT_REQUESTS = 500
REAL_TARGET_DEFAULT_TOKENS = 50_000
#: Output tokens reserved for a request that names no ``max_tokens``.
DEFAULT_CEILING = 256

#: Refusals seen by this thread (of this process): a test that swallowed one (Hypothesis
#: runs many examples and carries on) is still reported not run, never passed.
_HERE = threading.local()

#: The most tokens one request is charged for.  Generated requests may ask for any integer as
#: ``max_tokens`` (schemathesis sends 2**63 - 1); no answer is that long, and charging it whole
#: would overflow the budget file's 64-bit counters.  It is still far above any token budget, so
#: such a request is refused wherever a token budget is set.
TOKEN_CEILING = 2**40

_COLUMNS = ("max_requests", "max_tokens", "requests", "tokens", "refused", "timeouts", "tripped")


@dataclass(frozen=True)
class Spent:
    """A snapshot of the budget: what was spent, refused, and whether the breaker tripped."""

    max_requests: int | None
    max_tokens: int | None
    requests: int
    tokens: int
    refused: int
    timeouts: int
    tripped: str | None


class _Memory:
    def __init__(self, state: dict[str, Any]) -> None:
        self._state, self._lock = state, threading.Lock()

    def transact(self, change: Callable[[dict[str, Any]], Any]) -> Any:
        with self._lock:
            return change(self._state)

    def peek(self, column: str) -> Any:
        return self._state[column]


class _File:
    """The state row in sqlite; one connection per thread and process, every change one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            # Durable against a crashed process (WAL, committed pages in the OS cache), not against
            # a crashed machine, which ends the run anyway; an fsync per request would cost ms each.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def create(self, state: dict[str, Any]) -> None:
        conn = self._connection()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS budget (id INTEGER PRIMARY KEY CHECK (id = 1), "
            + ", ".join(_COLUMNS)
            + ")"
        )
        marks = ", ".join("?" * len(_COLUMNS))
        conn.execute(
            f"INSERT OR REPLACE INTO budget (id, {', '.join(_COLUMNS)}) VALUES (1, {marks})",
            [state[c] for c in _COLUMNS],
        )

    def peek(self, column: str) -> Any:
        """One column, read without taking the write lock."""
        assert column in _COLUMNS
        return self._connection().execute(f"SELECT {column} FROM budget WHERE id = 1").fetchone()[0]

    def transact(self, change: Callable[[dict[str, Any]], Any]) -> Any:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM budget WHERE id = 1").fetchone()
            state = dict(zip(_COLUMNS, row, strict=True))
            before = dict(state)
            result = change(state)
            if state != before:
                conn.execute(
                    f"UPDATE budget SET {', '.join(f'{c} = ?' for c in _COLUMNS)} WHERE id = 1",
                    [state[c] for c in _COLUMNS],
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return result


class Budget:
    """Counts what a run spends; ``None`` limits mean unlimited (the built-in mock)."""

    def __init__(
        self, max_requests: int | None = None, max_tokens: int | None = None, *, path: Path | None = None
    ) -> None:
        state = dict.fromkeys(_COLUMNS, 0) | {
            "max_requests": max_requests,
            "max_tokens": max_tokens,
            "tripped": None,
        }
        if path is None:
            self._store: _Memory | _File = _Memory(state)
        else:
            self._store = _File(path)
            self._store.create(state)

    @classmethod
    def shared(cls, path: str | Path) -> Budget:
        """The budget a parent process created at ``path`` (limits and spending included)."""
        budget = cls.__new__(cls)
        budget._store = _File(Path(path))
        return budget

    @property
    def path(self) -> Path | None:
        return self._store.path if isinstance(self._store, _File) else None

    def spent(self) -> Spent:
        return self._store.transact(lambda s: Spent(**s))

    # Kept for callers that read these as attributes.
    @property
    def requests(self) -> int:
        return self.spent().requests

    @property
    def tokens(self) -> int:
        return self.spent().tokens

    def charge_request(self, reserve_tokens: int = 0) -> None:
        """Account one request about to be sent (and its token ceiling), or refuse it.

        Refused with :class:`TargetNotAnswering` once the breaker tripped, else with
        :class:`BudgetExhausted` when either budget would be exceeded.
        """

        reserve_tokens = _bounded(reserve_tokens)

        def change(s: dict[str, Any]) -> str | None:
            if s["tripped"]:
                return s["tripped"]
            if s["max_requests"] is not None and s["requests"] >= s["max_requests"]:
                s["refused"] += 1
                return (
                    f"request budget spent ({s['requests']} of {s['max_requests']}); "
                    "raise --max-requests to allow more"
                )
            cap, tokens = s["max_tokens"], s["tokens"]
            if cap is not None and (tokens >= cap or tokens + max(0, reserve_tokens) > cap):
                s["refused"] += 1
                return (
                    f"token budget spent ({s['tokens']} of {s['max_tokens']} used or reserved, "
                    f"this request would reserve {reserve_tokens}); raise --max-tokens to allow more"
                )
            s["requests"] += 1
            s["tokens"] += reserve_tokens
            return None

        refusal = self._store.transact(change)
        if refusal and refusal.startswith("target not answering"):
            raise TargetNotAnswering(refusal)
        if refusal:
            _HERE.refused = refused_here() + 1
            _HERE.last = refusal
            raise BudgetExhausted(refusal)

    def charge_tokens(self, count: int) -> None:
        """Tokens spent beyond what was reserved (an answer's usage, after the fact)."""
        self.settle(0, count)

    def settle(self, reserved: int, actual: int) -> None:
        """Replace a reservation with what the answer says it used."""
        delta = _bounded(actual) - _bounded(reserved)
        if delta:
            self._store.transact(lambda s: s.update(tokens=max(0, s["tokens"] + delta)))

    def note_timeout(self, what: str, threshold: int) -> str | None:
        """Count a timeout; returns the breaker's message once ``threshold`` came in a row."""

        def change(s: dict[str, Any]) -> str | None:
            s["timeouts"] += 1
            if s["timeouts"] >= threshold and not s["tripped"]:
                s["tripped"] = f"target not answering: {s['timeouts']} timeouts in a row, the last {what}"
            return s["tripped"]

        return self._store.transact(change)

    def note_answer(self) -> None:
        """An answer arrived: timeouts are no longer in a row (a read, and a write only after timeouts)."""
        if self._store.peek("timeouts"):
            self._store.transact(lambda s: s.update(timeouts=0))

    @property
    def tripped(self) -> str | None:
        return self._store.peek("tripped")


def _bounded(tokens: int) -> int:
    return min(max(0, tokens), TOKEN_CEILING)


def refused_here() -> int:
    """How many requests this thread had refused so far (compare before and after a test)."""
    return int(getattr(_HERE, "refused", 0))


def last_refusal_here() -> str:
    return str(getattr(_HERE, "last", ""))
