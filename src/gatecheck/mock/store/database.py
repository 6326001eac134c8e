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

Checkpoints (copying the WAL into the main file, with an fsync) run on a thread of their own
with its own connection, every half second, instead of inside whichever commit crossed
sqlite's 1000-page mark: there they blocked the event loop for up to 20 ms and took most of the
time spent committing.  A checkpoint never affects what a commit guarantees: a committed
transaction is in the WAL, and sqlite reads it from there until it has been copied.

Caches: the store keeps what every inference request reads (keys, guardrails, spend) in memory
(``cache.py``).  ``generation`` is how they know to drop it: it moves on every write transaction
that is not declared usage-only, and whenever another connection has committed to the file.
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
    "PRAGMA wal_autocheckpoint=0",  # the checkpointer thread does it (see the module docstring)
)
_CHECKPOINT_EVERY = 0.5  # seconds


class Database:
    """The connection, its lock, and transactions; every store function takes the connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits implicitly
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()  # held by every transaction, and by cache fills (cache.py)
        self.generation = 0  # moves when cached rows may be stale: see the module docstring
        try:
            for pragma in _PRAGMAS:
                self._conn.execute(pragma)
            self.version = migrate(self._conn, str(path))
            self._data_version = self._external_version()
        except BaseException:
            self._conn.close()
            raise
        self._checkpointer = _Checkpointer(path)

    @contextmanager
    def write(self, *, usage_only: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction: all of it commits, or none of it on any exception.

        Every write moves ``generation`` (so every cache is dropped) unless ``usage_only``: the
        caller promises it only inserts usage rows, and updates the spend totals itself.
        """
        with self.lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            finally:
                if not usage_only:
                    self.generation += 1

    def check_external(self) -> None:
        """Move ``generation`` if another connection (another process) committed since the last
        check: sqlite's ``data_version`` changes on their commits, never on this connection's."""
        with self.lock:
            version = self._external_version()
            if version != self._data_version:
                self._data_version = version
                self.generation += 1

    def _external_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot for several queries.  (Should one write
        anyway, it moves ``generation`` like any write: caches never rely on it not to.)"""
        with self.lock:
            changes = self._conn.total_changes
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")
                if self._conn.total_changes != changes:
                    self.generation += 1

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close; later calls are no-ops."""
        self._checkpointer.stop()
        with self.lock:
            if self._conn is None:
                return
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None  # type: ignore[assignment]


class _Checkpointer:
    """A daemon thread that checkpoints the WAL (PASSIVE: it never waits for, nor blocks, the
    server's reads and writes) on a connection of its own, until ``stop``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"gatecheck-checkpoint-{path.name}", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, timeout=10)
        try:
            while not self._stopping.wait(_CHECKPOINT_EVERY):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:  # busy or the like: the next round copies what this one did not
                    continue
        finally:
            conn.close()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
