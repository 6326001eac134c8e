"""One sqlite file, opened durably, shared safely by the server's threads.

Why the stdlib ``sqlite3`` and no ORM: the schema is nine tables and a few dozen statements,
every query is hand-written anyway to get sums right, and the mock must install nothing beyond
the harness.  Why one connection behind a lock rather than one per thread: ASGI handlers and
uvicorn's thread pool come and go, and per-thread connections would leak with them; the lock
also makes every transaction's read-then-write sequence trivially atomic in this process,
while ``BEGIN IMMEDIATE`` and the busy timeout keep a second process on the same file honest.
Statements take microseconds, so holding the lock (even from the event loop) costs nothing
measurable next to an HTTP round trip.

Durability: ``journal_mode=WAL`` with ``synchronous=NORMAL``.  In WAL mode a commit appends the
transaction to the ``-wal`` file with ``write()`` before returning, so once ``COMMIT`` returns
the data is in the operating system's page cache and survives the process being killed
(``kill -9``), which is the failure a test harness meets.  Only an operating-system crash or
power loss can lose the last commits (never corrupt the file); ``FULL`` would guard against that
with an fsync per request, which buys nothing for a mock and slows every test.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gatecheck.mock.store.schema import migrate

__all__ = ["Database"]

_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


class Database:
    """The connection, its lock, and transactions; every store function takes the connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits implicitly
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        try:
            for pragma in _PRAGMAS:
                self._conn.execute(pragma)
            self.version = migrate(self._conn, str(path))
        except BaseException:
            self._conn.close()
            raise

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all of it commits, or none of it on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot for several queries."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close; later calls are no-ops."""
        with self._lock:
            if self._conn is None:
                return
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None  # type: ignore[assignment]
