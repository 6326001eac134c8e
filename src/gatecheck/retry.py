"""One retry policy for every request gatecheck sends: a legal rate limit is waited out, not blamed.

A gateway that answers 429 (or 503) with ``Retry-After`` is doing what RFC 9110 asks of it;
reporting that as "Expected HTTP 200, got HTTP 429" would be a false alarm.  So every sender
(scenario clients through :class:`RetryTransport`, the contract suite's session through
:meth:`RetryPolicy.send`) waits as the header says and sends again, a bounded number of times:

- at most :attr:`RetryPolicy.max_retries` retries, each charged to the run's budget (``charge``);
- no single wait longer than :attr:`RetryPolicy.max_wait`, none that would end past the run's
  deadline; a longer ask is given up at once rather than slept through;
- one Retry-After holds back every sender of the run (:class:`Pause`), so concurrent tests
  (threads, or xdist worker processes through :data:`SHARED_DIR_ENV`) do not keep hammering a
  gateway that asked for quiet;
- every 429/503 answer is recorded (:class:`Ledger`): the rate-limit check judges each one's
  Retry-After, and the test that saw it gets its retries and seconds waited as properties.

When the retries run out the last answer is handed back unchanged; the pytest plugin turns a
failure that followed into *inconclusive: rate-limited*, with these figures.  Clock and sleep are
injected, so gatecheck's own tests never wait on the wall clock.
"""

from __future__ import annotations

import contextvars
import dataclasses
import email.utils
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx

from gatecheck.errors import BudgetExhausted
from gatecheck.tls import transport as tls_transport

__all__ = [
    "LEDGER",
    "NO_RETRY",
    "RETRY_STATUSES",
    "SHARED_DIR_ENV",
    "Ledger",
    "Pause",
    "RetryPolicy",
    "RetryTransport",
    "Sighting",
    "Tally",
    "default_policy",
    "parse_retry_after",
    "retries_enabled",
    "tallying",
]

R = TypeVar("R")

#: Statuses that may carry Retry-After and are worth another try (RFC 9110 §10.2.3).
RETRY_STATUSES = (429, 503)
#: Request extensions that send a request once, whatever it is answered (scenarios that judge the 429 itself).
NO_RETRY = {"gatecheck_retry": False}
#: A 429 with no usable Retry-After is still a rate limit; wait this long before the next try.
DEFAULT_WAIT = 2.0


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds a Retry-After value asks for: delay-seconds or an HTTP-date; None when unusable.

    ``now`` is the wall-clock time (``time.time()``) an HTTP-date is measured from; a date in
    the past asks for no wait at all.  A signed or fractional number is not delay-seconds.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(int(text))
    if not text or text[0] in "+-" or text[0].isdigit():
        return None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(frozen=True)
class Sighting:
    """One 429/503 answer: where, with which Retry-After, and in which test."""

    operation: str
    status: int
    retry_after: str | None
    test: str | None


@dataclass
class Tally:
    """What rate limits cost one test: answers seen, retries sent, seconds waited, given up or not."""

    limited: int = 0
    retries: int = 0
    waited: float = 0.0
    gave_up: str | None = None  # why the last rate-limited request was not retried again
    last: Sighting | None = None

    def summary(self) -> str:
        """The figures, for an *inconclusive: rate-limited* reason."""
        last = self.last
        answer = (
            f"{last.operation} answered {last.status} (Retry-After: {last.retry_after!r})" if last else ""
        )
        return (
            f"{answer}; {self.limited} rate-limited answer(s), {self.retries} retries, "
            f"{self.waited:.1f} s waited; gave up: {self.gave_up}"
        )


_CURRENT: contextvars.ContextVar[tuple[str, Tally, bool] | None] = contextvars.ContextVar(
    "gatecheck_retry_test", default=None
)


@contextmanager
def tallying(test: str, *, retry: bool = True) -> Iterator[Tally]:
    """Charge rate limits seen in this context to ``test``; ``retry=False`` sends everything once."""
    tally = Tally()
    token = _CURRENT.set((test, tally, retry))
    try:
        yield tally
    finally:
        _CURRENT.reset(token)


def retries_enabled() -> bool:
    current = _CURRENT.get()
    return current is None or current[2]


#: A directory every process of one run shares (xdist workers inherit it): the pause and the
#: ledger live there, so one worker's Retry-After slows all of them and every 429 is judged once.
SHARED_DIR_ENV = "GATECHECK_RATE_LIMIT_DIR"


def _shared_file(name: str) -> Path | None:
    folder = os.environ.get(SHARED_DIR_ENV)
    return Path(folder) / name if folder else None


class Ledger:
    """Every 429/503 the run saw, in order (thread-safe).

    ``shared``: also kept in the run's shared directory (:data:`SHARED_DIR_ENV`), so every
    process of the run reads every process's sightings.
    """

    def __init__(self, *, shared: bool = False) -> None:
        self._lock = threading.Lock()
        self._sightings: list[Sighting] = []
        self.shared = shared

    def _file(self) -> Path | None:
        return _shared_file("ledger.jsonl") if self.shared else None

    def record(self, operation: str, status: int, retry_after: str | None) -> Sighting:
        current = _CURRENT.get()
        sighting = Sighting(operation, status, retry_after, current[0] if current else None)
        with self._lock:
            self._sightings.append(sighting)
            if path := self._file():
                with path.open("a", encoding="utf-8") as out:  # one short write: atomic with O_APPEND
                    out.write(json.dumps(dataclasses.asdict(sighting)) + "\n")
        if current:
            current[1].limited += 1
            current[1].last = sighting
        return sighting

    def sightings(self, status: int | None = None) -> list[Sighting]:
        with self._lock:
            path = self._file()
            found = self._read(path) if path is not None and path.exists() else list(self._sightings)
        return [s for s in found if status is None or s.status == status]

    @staticmethod
    def _read(path: Path) -> list[Sighting]:
        found = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(Sighting(**json.loads(line)))
            except (ValueError, TypeError):
                continue  # a line another process is still writing
        return found

    def clear(self) -> None:
        with self._lock:
            self._sightings.clear()


#: The run-wide ledger.
LEDGER = Ledger(shared=True)


class Pause:
    """A run-wide hold: until the latest Retry-After has passed, no sender sends.

    In one process it is kept on the monotonic clock; ``shared`` also keeps it, as wall-clock
    time, in the run's shared directory, so other processes' senders hold too.
    """

    def __init__(self, *, shared: bool = False) -> None:
        self._lock = threading.Lock()
        self._until = 0.0
        self.shared = shared

    def hold(self, seconds: float, *, now: float, wall: float) -> None:
        with self._lock:
            self._until = max(self._until, now + seconds)
            path = _shared_file("pause") if self.shared else None
            if path is not None and wall + seconds > self._read(path):
                scratch = path.with_name(f"pause.{os.getpid()}.{threading.get_ident()}")
                scratch.write_text(repr(wall + seconds), encoding="utf-8")
                os.replace(scratch, path)  # atomic: readers see the old or the new time

    def remaining(self, *, now: float, wall: float) -> float:
        with self._lock:
            local = self._until - now
            path = _shared_file("pause") if self.shared else None
            shared = self._read(path) - wall if path is not None else 0.0
        return max(0.0, local, shared)

    @staticmethod
    def _read(path: Path) -> float:
        try:
            return float(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0.0


@dataclass
class RetryPolicy:
    """How long and how often to wait out a rate limit; shared by every sender of a run."""

    max_retries: int = 3
    max_wait: float = 30.0  # the longest one Retry-After may make gatecheck wait
    deadline: float | None = None  # a ``clock()`` time after which no wait starts
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time  # what an HTTP-date is measured against
    sleep: Callable[[float], None] = time.sleep
    pause: Pause = field(default_factory=Pause)
    ledger: Ledger = field(default_factory=lambda: LEDGER)

    def send(
        self,
        send: Callable[[], R],
        *,
        status: Callable[[R], int],
        retry_after: Callable[[R], str | None],
        operation: str,
        charge: Callable[[], None] | None = None,
        discard: Callable[[R], None] = lambda _: None,
        retry: bool = True,
    ) -> R:
        """``send()`` once, then again while the answer is a rate limit worth waiting for.

        ``charge`` pays for each retry (the first send is the caller's to pay); ``discard``
        releases an answer that is retried.  The last answer is returned, rate-limited or not.
        """
        current = _CURRENT.get()
        tally = current[1] if current else Tally()
        retry = retry and (current is None or current[2])
        attempt = 0
        while True:
            self._wait(self.pause.remaining(now=self.clock(), wall=self.wall()), tally)
            response = send()
            code = status(response)
            if code not in RETRY_STATUSES:
                return response
            header = retry_after(response)
            self.ledger.record(operation, code, header)
            delay = parse_retry_after(header, now=self.wall())
            if delay is None and code == 429:
                delay = DEFAULT_WAIT
            if delay is None:  # a 503 without Retry-After is an outage, not a rate limit
                return response
            self.pause.hold(min(delay, self.max_wait), now=self.clock(), wall=self.wall())
            reason = self._refusal(attempt, delay, retry)
            if reason is None and charge is not None:
                try:
                    charge()
                except BudgetExhausted as exc:
                    reason = f"the budget allows no retry ({exc})"
            if reason is not None:
                tally.gave_up = reason
                return response
            discard(response)
            attempt += 1
            tally.retries += 1
            self._wait(delay, tally)

    def _refusal(self, attempt: int, delay: float, retry: bool) -> str | None:
        """Why this answer is not retried, or None to retry it."""
        if not retry:
            return "this test sends without retrying"
        if attempt >= self.max_retries:
            return f"{self.max_retries} retries spent"
        if delay > self.max_wait:
            return f"Retry-After asks for {delay:.0f} s, more than the {self.max_wait:g} s gatecheck waits"
        if self.deadline is not None and self.clock() + delay > self.deadline:
            return "the wait would end past the run's deadline"
        return None

    def _wait(self, seconds: float, tally: Tally) -> None:
        if seconds > 0:
            self.sleep(seconds)
            tally.waited += seconds


#: The run-wide policy every client and session uses unless given another.
default_policy = RetryPolicy(pause=Pause(shared=True))


class RetryTransport(httpx.BaseTransport):
    """An httpx transport that retries rate-limited answers under a :class:`RetryPolicy`.

    ``charge`` pays for each retry: the client's request hook charges only the first send.
    A request sent with ``extensions=NO_RETRY`` is sent once.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        policy: RetryPolicy | None = None,
        charge: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner or tls_transport()
        self.policy = policy
        self.charge = charge

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        policy = self.policy or default_policy
        return policy.send(
            lambda: self.inner.handle_request(request),
            status=lambda r: r.status_code,
            retry_after=lambda r: r.headers.get("retry-after"),
            operation=f"{request.method} {request.url.path}",
            charge=self.charge,
            discard=lambda r: r.close(),
            retry=request.extensions.get("gatecheck_retry", True) is not False,
        )

    def close(self) -> None:
        self.inner.close()
