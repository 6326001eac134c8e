"""Bounded waiting for what real gateways account asynchronously (usage, generation stats).

Requesty and OpenRouter record spend a moment after the answer; a scenario that reads usage once
would fail on a healthy gateway.  :func:`eventually` retries a check until it passes or a deadline
passes, then fails with the last violation, so a gateway that never accounts still fails, within
a bound the report states.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from gatecheck.failures import ContractViolation
from gatecheck.limits import Limits, current_limits

__all__ = ["DEFAULT_TIMEOUT", "MOCK_SETTLE_SECONDS", "eventually", "settle_timeout"]

T = TypeVar("T")

#: Seconds a real gateway is given to show a request in its usage and generation records, unless
#: the run says otherwise (``--limit settle=S``).
DEFAULT_TIMEOUT = Limits().settle
#: The built-in mock records a request before it answers and reads key state live: a short bound.
MOCK_SETTLE_SECONDS = 1.0


def settle_timeout(is_mock: bool) -> float:
    """Seconds to wait for accounting and key changes to show: the run's ``settle`` limit."""
    return MOCK_SETTLE_SECONDS if is_mock else current_limits().settle


def eventually(
    attempt: Callable[[], T],
    timeout: float = DEFAULT_TIMEOUT,
    *,
    interval: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``attempt()``'s result once it stops raising ContractViolation; the last one after ``timeout``.

    Only ContractViolation is retried: a transport error or a harness bug is not something
    waiting can fix.  The interval grows (up to 2 s) so a slow gateway is not hammered.
    """
    deadline = clock() + timeout
    tries = 0
    while True:
        tries += 1
        try:
            return attempt()
        except ContractViolation as violation:
            remaining = deadline - clock()
            if remaining <= 0:
                violation.expected += f" (within {timeout:g} s; {tries} attempts)"
                violation.details.setdefault("waited_seconds", timeout)
                raise
            sleep(min(interval, remaining))
            interval = min(interval * 1.5, 2.0)
