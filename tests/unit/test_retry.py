"""The one retry policy: Retry-After read per RFC 9110, waits bounded, retries charged, figures kept.

Every test injects a fake clock whose ``sleep`` advances it, so nothing waits on the wall clock.
"""

from __future__ import annotations

import email.utils
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gatecheck.budget import Budget
from gatecheck.errors import BudgetExhausted
from gatecheck.retry import (
    NO_RETRY,
    Ledger,
    Pause,
    RetryPolicy,
    RetryTransport,
    parse_retry_after,
    tallying,
)

NOW = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT


class FakeClock:
    """monotonic and wall time that only ``sleep`` moves; it records every sleep."""

    def __init__(self) -> None:
        self.t = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def wall(self) -> float:
        return NOW + self.t - 100.0

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _policy(clock: FakeClock, **kwargs: object) -> RetryPolicy:
    return RetryPolicy(
        clock=clock, wall=clock.wall, sleep=clock.sleep, pause=Pause(), ledger=Ledger(), **kwargs
    )  # type: ignore[arg-type]


def _answers(*answers: tuple[int, str | None]) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering in turn with (status, Retry-After); the last answer repeats."""
    sent: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        status, retry_after = queue.pop(0) if len(queue) > 1 else queue[0]
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return httpx.Response(status, headers=headers, json={"status": status})

    return httpx.MockTransport(handler), sent


def _client(transport: httpx.BaseTransport, policy: RetryPolicy, budget: Budget) -> httpx.Client:
    """A client wired as :func:`gatecheck.http.make_client` wires it: the hook pays the first send."""
    return httpx.Client(
        base_url="http://gateway.test/v1/",
        transport=RetryTransport(transport, policy=policy, charge=budget.charge_request),
        event_hooks={"request": [lambda _r: budget.charge_request()]},
    )


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0.0),
        ("3", 3.0),
        (" 120 ", 120.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # a date in the past asks for no wait
        ("Wednesday, 21-Oct-15 07:28:05 GMT", 5.0),  # RFC 850, obsolete but allowed to be read
    ],
)
def test_retry_after_reads_delay_seconds_and_http_dates(value: str, seconds: float) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize("value", [None, "", "-5", "+5", "1.5", "soon", "١٢", "Wed, 21 Oct 2015 07:28:10"])
def test_retry_after_that_is_neither_is_unusable(value: str | None) -> None:
    assert parse_retry_after(value, now=NOW) is None


def test_a_429_is_waited_out_and_retried_and_each_retry_is_charged(clock: FakeClock) -> None:
    transport, sent = _answers((429, "2"), (429, "Wed, 21 Oct 2015 07:28:05 GMT"), (200, None))
    policy, budget = _policy(clock), Budget()
    with tallying("t") as tally, _client(transport, policy, budget) as client:
        response = client.post("chat/completions", json={})
    assert response.status_code == 200
    assert (len(sent), budget.requests) == (3, 3)
    assert clock.slept == [2.0, 3.0]  # the date is read against the wall clock after the first wait
    assert (tally.limited, tally.retries, tally.waited, tally.gave_up) == (2, 2, 5.0, None)
    assert [s.retry_after for s in policy.ledger.sightings(429)] == ["2", "Wed, 21 Oct 2015 07:28:05 GMT"]
    assert {s.test for s in policy.ledger.sightings()} == {"t"}
    assert policy.ledger.sightings()[0].operation == "POST /v1/chat/completions"


def test_retries_are_bounded_and_the_last_answer_is_returned(clock: FakeClock) -> None:
    transport, sent = _answers((429, "1"))
    policy = _policy(clock, max_retries=3)
    with tallying("t") as tally, _client(transport, policy, Budget()) as client:
        response = client.get("models")
    assert response.status_code == 429
    assert len(sent) == 4
    assert tally.gave_up == "3 retries spent"
    assert "GET /v1/models answered 429 (Retry-After: '1')" in tally.summary()
    assert "4 rate-limited answer(s), 3 retries, 3.0 s waited" in tally.summary()


def test_a_wait_longer_than_the_bound_is_not_slept_through(clock: FakeClock) -> None:
    transport, sent = _answers((429, "3600"))
    with tallying("t") as tally, _client(transport, _policy(clock, max_wait=30.0), Budget()) as client:
        assert client.get("models").status_code == 429
    assert (len(sent), clock.slept) == (1, [])
    assert tally.gave_up is not None and "3600 s" in tally.gave_up


def test_no_wait_ends_past_the_run_deadline(clock: FakeClock) -> None:
    transport, sent = _answers((429, "5"), (200, None))
    with tallying("t") as tally, _client(transport, _policy(clock, deadline=clock() + 3), Budget()) as client:
        assert client.get("models").status_code == 429
    assert (len(sent), tally.gave_up) == (1, "the wait would end past the run's deadline")


def test_no_request_exceeds_the_budget(clock: FakeClock) -> None:
    transport, sent = _answers((429, "1"))
    budget = Budget(max_requests=2)
    with tallying("t") as tally, _client(transport, _policy(clock), budget) as client:
        assert client.get("models").status_code == 429
        with pytest.raises(BudgetExhausted):
            client.get("models")
    assert (len(sent), budget.requests) == (2, 2)
    assert tally.gave_up is not None and "budget" in tally.gave_up


def test_a_429_without_retry_after_waits_a_default_and_a_bare_503_is_not_retried(clock: FakeClock) -> None:
    transport, sent = _answers((429, None), (503, None))
    with _client(transport, _policy(clock), Budget()) as client:
        assert client.get("models").status_code == 503
    assert (len(sent), clock.slept) == (2, [2.0])


def test_a_503_with_retry_after_is_retried(clock: FakeClock) -> None:
    transport, sent = _answers((503, "1"), (200, None))
    with _client(transport, _policy(clock), Budget()) as client:
        assert client.get("models").status_code == 200
    assert len(sent) == 2


def test_a_request_or_a_test_may_opt_out_of_retrying(clock: FakeClock) -> None:
    transport, sent = _answers((429, "0"), (429, "0"), (200, None))
    policy = _policy(clock)
    with _client(transport, policy, Budget()) as client:
        assert client.get("models", extensions=NO_RETRY).status_code == 429
        with tallying("judges-429", retry=False) as tally:
            assert client.get("models").status_code == 429
        assert client.get("models").status_code == 200
    assert len(sent) == 3
    assert len(policy.ledger.sightings()) == 2  # seen and recorded even when not retried
    assert (tally.limited, tally.retries, tally.gave_up) == (1, 0, "this test sends without retrying")


def test_one_retry_after_holds_back_every_sender(clock: FakeClock) -> None:
    transport, _ = _answers((429, "4"), (200, None))
    policy = _policy(clock, max_retries=0)
    with _client(transport, policy, Budget()) as client:
        assert client.get("models").status_code == 429  # no retry: but the pause is set
        with tallying("other") as tally:
            assert client.get("models").status_code == 200
    assert clock.slept == [4.0]
    assert tally.waited == 4.0


def test_the_ledger_keeps_every_sighting_across_threads() -> None:
    ledger = Ledger()

    def record() -> None:
        for _ in range(200):
            ledger.record("GET /x", 429, "1")

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(ledger.sightings(429)) == 800


def test_streamed_requests_are_retried_before_any_body_is_read(clock: FakeClock) -> None:
    transport, sent = _answers((429, "1"), (200, None))
    with (
        _client(transport, _policy(clock), Budget()) as client,
        client.stream("POST", "chat/completions") as r,
    ):
        assert r.status_code == 200
        assert r.read()
    assert len(sent) == 2


def _http_date(offset: float) -> str:
    return email.utils.formatdate(NOW + offset, usegmt=True)


def test_http_dates_as_gateways_format_them_round_trip() -> None:
    assert parse_retry_after(_http_date(7), now=NOW) == 7.0


@pytest.fixture(autouse=True)
def _no_leaked_context() -> Iterator[None]:
    yield
    from gatecheck.retry import retries_enabled

    assert retries_enabled()


def test_shared_ledger_and_pause_reach_every_process_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two instances stand for two xdist workers: they meet only through the shared directory."""
    from gatecheck.retry import SHARED_DIR_ENV

    monkeypatch.setenv(SHARED_DIR_ENV, str(tmp_path))
    one, two = Ledger(shared=True), Ledger(shared=True)
    one.record("POST /v1/chat/completions", 429, "-5")
    assert [s.retry_after for s in two.sightings(429)] == ["-5"]
    first, second = Pause(shared=True), Pause(shared=True)
    first.hold(4.0, now=10.0, wall=NOW)
    assert second.remaining(now=500.0, wall=NOW + 1.0) == 3.0  # wall-clock across processes
    assert second.remaining(now=500.0, wall=NOW + 9.0) == 0.0
    monkeypatch.delenv(SHARED_DIR_ENV)
    assert Ledger(shared=True).sightings() == []  # no run directory: this process only
