"""What every service of the store shares: the database, the live settings, and the clock."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from gatecheck.mock.faults import FaultMode
from gatecheck.mock.settings import MockSettings, generate_key
from gatecheck.mock.store.database import Database
from gatecheck.mock.store.periods import as_utc

__all__ = ["ID_FORMATS", "OWNER_ID", "Context"]

# the seeded organisation owner (schema migration 1); bootstrap and API-created keys belong to it
OWNER_ID = "user_gc_owner"

# a key's public id per flavor: Requesty shows UUIDs, OpenRouter a 64-hex "hash".  Both are
# random, never derived from the key value.
ID_FORMATS: dict[str, Callable[[], str]] = {
    "requesty": lambda: str(uuid.uuid4()),
    "openrouter": lambda: secrets.token_hex(32),
}


@dataclass
class Context:
    """Passed to every service; ``settings`` is the live object the admin API mutates."""

    db: Database
    settings: MockSettings
    # key values minted by this process, kept in memory only, for the ``key-value-in-get`` fault
    plaintexts: dict[str, str] = field(default_factory=dict)

    def now(self) -> datetime:
        return as_utc(self.settings.clock())

    def fault(self, mode: FaultMode) -> bool:
        """Whether fault ``mode`` is on right now (read live: the admin API swaps the set)."""
        return mode.on(self.settings.faults)

    def new_id(self) -> str:
        return ID_FORMATS[self.settings.flavor]()

    def new_key_value(self) -> str:
        return generate_key(self.settings.key_prefix)
