"""The rate-limit check: a 429 tells the client, in a form it can obey, when to come back.

RFC 9110 §10.2.3 allows ``Retry-After: <delay-seconds>`` (a non-negative integer) or an
HTTP-date.  A client can obey neither a missing header, nor ``-5``, nor ``soon``; and a wait
beyond a day is no rate limit a client can sensibly honour.  The check names the value it got.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from gatecheck.check_ids import RETRY_AFTER
from gatecheck.failures import ContractViolation
from gatecheck.retry import Sighting, parse_retry_after

__all__ = ["PLAUSIBLE_WAIT", "check_retry_after", "check_sightings"]

#: The longest wait a Retry-After may plausibly ask for: a daily quota resets within a day.
PLAUSIBLE_WAIT = 86_400.0
_EXPECTED = "Retry-After: <non-negative delay-seconds> or an HTTP-date (RFC 9110 §10.2.3), at most a day"


def check_retry_after(
    value: str | None, *, operation: str, status: int = 429, now: float | None = None, where: str = ""
) -> float:
    """A rate-limited answer carries a usable Retry-After; returns the seconds it asks for."""
    shown = f"HTTP {status}{where}, Retry-After: {value!r}"
    if value is None:
        raise _violation(
            f"{status} answer lacks Retry-After", f"HTTP {status}{where} with no Retry-After", operation
        )
    seconds = parse_retry_after(value, now=time.time() if now is None else now)
    if seconds is None:
        text = value.strip()
        if text.startswith("-") and text[1:].replace(".", "", 1).isdigit():
            raise _violation(f"Retry-After is negative: {value!r}", shown, operation)
        raise _violation(
            f"Retry-After is neither delay-seconds nor an HTTP-date: {value!r}", shown, operation
        )
    if seconds > PLAUSIBLE_WAIT:
        raise _violation(f"Retry-After asks for an implausible {seconds:.0f} s: {value!r}", shown, operation)
    return seconds


def check_sightings(sightings: Iterable[Sighting], *, now: float | None = None) -> int:
    """Every 429 seen carries a usable Retry-After; returns how many were judged.

    The failure names the first bad one and how many of the others share its defect.
    """
    judged = 0
    bad: list[tuple[Sighting, ContractViolation]] = []
    for sighting in sightings:
        if sighting.status != 429:
            continue
        judged += 1
        try:
            check_retry_after(sighting.retry_after, operation=sighting.operation, now=now)
        except ContractViolation as unusable:
            bad.append((sighting, unusable))
    if bad:
        first, violation = bad[0]
        seen_in = f" (seen in {first.test})" if first.test else ""
        raise ContractViolation(
            violation.title,
            expected=_EXPECTED,
            received=f"{violation.received}{seen_in}; {len(bad)} of {judged} 429 answers unusable",
            check=RETRY_AFTER,
            operation=first.operation,
        )
    return judged


def _violation(title: str, received: str, operation: str) -> ContractViolation:
    return ContractViolation(
        title, expected=_EXPECTED, received=received, check=RETRY_AFTER, operation=operation
    )
