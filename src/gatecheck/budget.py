"""A request and token budget, so a run against a real gateway never burns money by accident.

Requests are charged before they are sent (the budget is never exceeded, not merely noticed
afterwards); tokens are charged from each JSON answer's ``usage.total_tokens``, and a run
that has spent its tokens sends nothing more.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from gatecheck.errors import BudgetExhausted

__all__ = ["Budget"]


@dataclass
class Budget:
    """Counts what a run spends; ``None`` limits mean unlimited (the built-in mock)."""

    max_requests: int | None = None
    max_tokens: int | None = None
    requests: int = 0
    tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def charge_request(self) -> None:
        """Account one request about to be sent, or refuse it."""
        with self._lock:
            if self.max_tokens is not None and self.tokens >= self.max_tokens:
                raise BudgetExhausted(
                    f"token budget spent ({self.tokens} of {self.max_tokens}); "
                    "raise --max-tokens to allow more"
                )
            if self.max_requests is not None and self.requests >= self.max_requests:
                raise BudgetExhausted(
                    f"request budget spent ({self.requests} of {self.max_requests}); "
                    "raise --max-requests to allow more"
                )
            self.requests += 1

    def charge_tokens(self, count: int) -> None:
        with self._lock:
            self.tokens += max(0, count)

    def split(self, parts: int) -> Budget:
        """This budget's share for one of ``parts`` parallel workers."""

        def share(limit: int | None) -> int | None:
            return None if limit is None else max(1, limit // max(1, parts))

        return Budget(share(self.max_requests), share(self.max_tokens))
