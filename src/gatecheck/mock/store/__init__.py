"""sqlite persistence behind the :class:`~gatecheck.mock.accounts.Accounts` seam.

Modules, lowest first:

- ``periods``   UTC time format and the daily/weekly/monthly windows spend limits reset on
- ``schema``    migrations (``schema_version`` + an ordered list), applied by the code on open
- ``database``  the connection: WAL, durability, one lock (why: see its docstring)
- ``keys``, ``usage``, ``guardrails``, ``codes``   row-level functions inside a transaction
- ``context``   what services share: database, live settings, clock, fault switches
- ``key_service``, ``reports``, ``guardrail_service``, ``pkce``   what management routes call
- ``cache``     keys, guardrails and spend in memory for the hot path, dropped on every change
- ``recorder``  usage inserts, group-committed per event-loop turn for the inference plane
- ``accounts``  SqliteAccounts: authenticate / authorize_inference / record, reset, close
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store.accounts import SqliteAccounts
from gatecheck.mock.store.key_service import KeyView

__all__ = ["KeyView", "SqliteAccounts", "open_accounts"]


def open_accounts(settings: MockSettings) -> SqliteAccounts:
    """Open (creating and migrating as needed) the database at ``settings.db_path``, or a
    temporary file removed by ``close()`` when it is None; the bootstrap keys are ensured."""
    if settings.db_path is not None:
        path = Path(settings.db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteAccounts(settings, path, temporary=False)
    handle, name = tempfile.mkstemp(prefix="gatecheck-mock-", suffix=".sqlite3")
    os.close(handle)
    return SqliteAccounts(settings, Path(name), temporary=True)
