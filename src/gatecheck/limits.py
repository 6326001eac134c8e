"""How long and how much gatecheck will wait for and read from a target, and what crossing it means.

A gate runs unattended against gateways that may be broken in any way: an answer that never
ends, a gzip bomb, a byte a second.  Every request therefore has limits, each with a default no
conformant gateway comes near (a real model streaming 4,000 tokens takes a few minutes, some
4,000 events and about 1 MB), each configurable with ``gatecheck run --limit NAME=VALUE``:

========================  ===========  ===========================================================
name                      default      what it bounds
========================  ===========  ===========================================================
``request-deadline``      120 s        one plain request in total: connect, headers and body
``stream-duration``       300 s        one streamed answer, first byte to last
``stream-gap``            timeout      silence between two complete SSE events (``--timeout``, 30 s)
``stream-events``         50,000       events (blank-line-terminated blocks) in one stream
``stream-bytes``          8 MiB        bytes of one stream, after decompression
``body-bytes``            8 MiB        a plain answer's body, after decompression
``breaker-timeouts``      2            timeouts in a row from one target before the run stops
``settle``                20 s         a real target's delay in showing a request in usage, generation
                                       stats and key state (the built-in mock: 1 s, it accounts first)
========================  ===========  ===========================================================

What crossing a limit means is decided here, once:

- a stream that does not end within its limits breaks the contract (a stream must end): a
  :class:`StreamLimitExceeded` is a :class:`~gatecheck.failures.ContractViolation`;
- a plain answer too slow or too large is not proof of anything: :class:`AnswerLimitExceeded`
  is reported *inconclusive* with the figures;
- a record that does not show within ``settle`` is the scenario's failure, and its message says
  how long it waited and how often it asked;
- timeouts in a row mean the target is not answering: :class:`TargetNotAnswering` is a harness
  error (exit 2) that ends the run early instead of waiting out every remaining request.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from typing import Literal

from gatecheck.check_ids import (
    STREAM_LIMIT_BYTES,
    STREAM_LIMIT_DURATION,
    STREAM_LIMIT_EVENTS,
    STREAM_LIMIT_GAP,
    CheckId,
)
from gatecheck.errors import TargetTimeout, UsageError
from gatecheck.failures import ContractViolation

__all__ = [
    "ENV",
    "SLOW_STREAM_CHECKS",
    "AnswerLimitExceeded",
    "Limits",
    "StreamLimit",
    "StreamLimitExceeded",
    "TargetNotAnswering",
    "current_limits",
    "parse_limits",
]

#: Stream limits that mean "too slow" rather than "too much": the breaker counts them as timeouts.
SLOW_STREAM_CHECKS = (STREAM_LIMIT_GAP, STREAM_LIMIT_DURATION)
StreamLimit = Literal["duration", "gap", "events", "bytes"]
#: The check each stream limit's crossing fails, by the limit's name.
STREAM_LIMIT_CHECKS: dict[StreamLimit, CheckId] = {
    "duration": STREAM_LIMIT_DURATION,
    "gap": STREAM_LIMIT_GAP,
    "events": STREAM_LIMIT_EVENTS,
    "bytes": STREAM_LIMIT_BYTES,
}
#: Environment variable that carries a run's limits (JSON) to its suite processes.
ENV = "GATECHECK_LIMITS"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits of one run; ``stream_gap`` of ``None`` means the request timeout."""

    request_deadline: float = 120.0
    stream_duration: float = 300.0
    stream_gap: float | None = None
    stream_events: int = 50_000
    stream_bytes: int = 8 * MIB
    body_bytes: int = 8 * MIB
    breaker_timeouts: int = 2
    settle: float = 20.0

    def gap(self, timeout: float) -> float:
        return self.stream_gap if self.stream_gap is not None else timeout

    def to_env(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def _names() -> dict[str, type]:
    kinds = {"float": float, "int": int, "float | None": float}
    return {f.name.replace("_", "-"): kinds[str(f.type)] for f in fields(Limits)}


def parse_limits(pairs: list[str] | tuple[str, ...], base: Limits | None = None) -> Limits:
    """``["stream-duration=60", ...]`` applied to ``base``; a bad pair is a one-line UsageError."""
    limits, names = base or Limits(), _names()
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or name not in names:
            raise UsageError(f"--limit {pair!r}: expected NAME=VALUE with NAME one of {', '.join(names)}")
        try:
            value = names[name](raw.strip())
        except ValueError:
            raise UsageError(f"--limit {name}: {raw.strip()!r} is not a number") from None
        if value <= 0:
            raise UsageError(f"--limit {name}: must be greater than 0")
        limits = replace(limits, **{name.replace("-", "_"): value})
    return limits


def current_limits() -> Limits:
    """The run's limits (from the environment ``gatecheck run`` sets), else the defaults."""
    raw = os.environ.get(ENV)
    if not raw:
        return Limits()
    try:
        data = json.loads(raw)
        return Limits(**{k: v for k, v in data.items() if k in {f.name for f in fields(Limits)}})
    except (ValueError, TypeError):
        return Limits()


class AnswerLimitExceeded(Exception):
    """A plain answer took too long or was too large to judge; reported as inconclusive."""

    def __init__(self, what: str, operation: str) -> None:
        self.what, self.operation = what, operation
        super().__init__(f"{operation}: {what}")


class StreamLimitExceeded(ContractViolation):
    """A streamed answer did not end within the run's limits: a stream must end."""

    def __init__(self, what: str, operation: str, *, limit: StreamLimit, expected: str) -> None:
        super().__init__(
            "Stream did not end within the run's limits",
            expected=expected,
            received=what,
            check=STREAM_LIMIT_CHECKS[limit],
            operation=operation,
        )


class TargetNotAnswering(TargetTimeout):
    """Timeouts in a row: the run stops early instead of waiting out every remaining request."""
