"""Usage inserts: one transaction per call, or one per turn of the event loop.

``record`` commits before it returns: for streams, scripts and tests.  ``arecord`` is the
inference plane's group commit: the rows of every request that reaches it in the same turn of
the event loop go into one ``executemany`` in one transaction, run by a callback scheduled with
``call_soon`` (so after the requests already runnable have added theirs), and each caller
resumes only once that ``COMMIT`` has returned.  Handlers answer after ``arecord`` returns, so
an answered request is a committed one, and a ``kill -9`` can lose only requests that were never
answered (``database.py`` says why a WAL commit survives the process).  A batch that fails fails
every request in it: none is answered as if it had been recorded.

A commit costs about 100 µs on the benchmark machine whatever it holds; under load a batch
holds a dozen requests or more, so each pays a tenth of it (bench/RESULTS.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from gatecheck.mock.store import usage
from gatecheck.mock.store.cache import Cache
from gatecheck.mock.store.database import Database

__all__ = ["Recorder"]


class _Batch:
    """The rows one event loop gathered this turn, and the requests waiting for their commit."""

    __slots__ = ("rows", "waiters")

    def __init__(self) -> None:
        self.rows: list[usage.Row] = []
        self.waiters: list[asyncio.Future[None]] = []


class Recorder:
    def __init__(self, db: Database, cache: Cache) -> None:
        self._db = db
        self._cache = cache
        self._batches: dict[asyncio.AbstractEventLoop, _Batch] = {}  # only while a flush is due

    def record(self, row: usage.Row) -> None:
        """Insert ``row``, committed when this returns."""
        self._commit([row])

    async def arecord(self, row: usage.Row) -> None:
        """Insert ``row`` with the others of this event-loop turn; committed when this returns."""
        loop = asyncio.get_running_loop()
        batch = self._batches.get(loop)
        if batch is None:
            batch = self._batches[loop] = _Batch()
            loop.call_soon(self._flush, loop)
        waiter = loop.create_future()
        batch.rows.append(row)
        batch.waiters.append(waiter)
        await waiter

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        batch = self._batches.pop(loop)
        try:
            self._commit(batch.rows)
        except Exception as exc:  # every request of the batch fails: none was recorded
            for waiter in batch.waiters:
                if not waiter.done():
                    waiter.set_exception(RuntimeError(f"usage not recorded: {exc!r}"))
            return
        for waiter in batch.waiters:
            if not waiter.done():  # a cancelled request's row is committed all the same
                waiter.set_result(None)

    def _commit(self, rows: Sequence[usage.Row]) -> None:
        with self._db.lock:  # held across the commit and the totals, so spend never sees between
            with self._db.write(usage_only=True) as conn:
                inserted = usage.insert_many(conn, rows)
            self._cache.added(rows, complete=inserted == len(rows))
