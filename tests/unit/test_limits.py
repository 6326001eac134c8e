"""The run's limits: each one, crossed, becomes what it means (a failure or inconclusive)."""

from __future__ import annotations

import gzip
import itertools
import zlib
from pathlib import Path

import httpx
import pytest

from gatecheck.budget import TOKEN_CEILING, Budget
from gatecheck.errors import BudgetExhausted, UsageError
from gatecheck.failures import ContractViolation
from gatecheck.http import make_client
from gatecheck.limits import (
    ENV,
    AnswerLimitExceeded,
    Limits,
    StreamLimitExceeded,
    TargetNotAnswering,
    parse_limits,
)
from gatecheck.reading import CappedDecoder, ReadGuard
from gatecheck.scenario.polling import DEFAULT_TIMEOUT, MOCK_SETTLE_SECONDS, settle_timeout


class Clock:
    """A clock tests move by hand: no wall time in assertions."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_parse_limits_names_and_values() -> None:
    limits = parse_limits(["stream-duration=60", "body-bytes=1024"])
    assert limits.stream_duration == 60 and limits.body_bytes == 1024
    assert Limits().request_deadline == parse_limits([]).request_deadline
    for bad in ("nope=1", "stream-duration", "body-bytes=lots", "stream-events=0"):
        with pytest.raises(UsageError):
            parse_limits([bad])


def test_the_settle_limit_bounds_waiting_on_a_real_target_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--limit settle=S`` reaches the suites through the environment; the mock keeps its 1 s"""
    monkeypatch.setenv(ENV, parse_limits(["settle=3.5"]).to_env())
    assert settle_timeout(is_mock=False) == 3.5
    assert settle_timeout(is_mock=True) == MOCK_SETTLE_SECONDS
    monkeypatch.delenv(ENV)
    assert settle_timeout(is_mock=False) == DEFAULT_TIMEOUT == Limits().settle


def test_a_stream_that_never_ends_fails_at_its_event_limit() -> None:
    guard = ReadGuard("POST /chat", Limits(stream_events=5), stream=True, timeout=30)
    with pytest.raises(StreamLimitExceeded) as caught:
        for _ in range(10):
            guard.feed(b"data: {}\n\n")
    assert isinstance(caught.value, ContractViolation) and caught.value.check == "stream-limit-events"


def test_a_stream_that_trickles_fails_at_its_event_gap() -> None:
    clock = Clock()
    guard = ReadGuard("POST /chat", Limits(), stream=True, timeout=30, clock=clock)
    guard.feed(b"data: {}\n\n")
    for _ in range(29):  # one byte a second, never completing an event
        clock.now += 1
        guard.feed(b"x")
    clock.now += 2
    with pytest.raises(StreamLimitExceeded, match="no complete event for 31 s"):
        guard.feed(b"x")


def test_a_slow_plain_answer_is_inconclusive_not_failed() -> None:
    clock = Clock()
    guard = ReadGuard("GET /models", Limits(request_deadline=10), stream=False, timeout=30, clock=clock)
    guard.feed(b"{")
    clock.now = 11
    with pytest.raises(AnswerLimitExceeded, match="10 s request deadline") as caught:
        guard.feed(b"}")
    assert not isinstance(caught.value, AssertionError)


def test_a_gzip_bomb_never_expands_beyond_one_chunk_past_the_cap() -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    decoder, produced = CappedDecoder("gzip"), 0
    for piece in decoder.decode(bomb):
        assert len(piece) <= 64 * 1024
        produced += len(piece)
        if produced > 1024 * 1024:
            break
    assert produced <= 1024 * 1024 + 64 * 1024


def test_raw_deflate_is_decoded_too() -> None:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = compressor.compress(b'{"ok": true}') + compressor.flush()
    assert b"".join(CappedDecoder("deflate").decode(raw)) == b'{"ok": true}'


def _client(answer: object, budget: Budget | None = None, **limits: object) -> httpx.Client:
    return make_client(
        "http://gw.test/v1",
        "k" * 12,
        budget=budget or Budget(),
        limits=Limits(**limits),  # type: ignore[arg-type]
        transport=httpx.MockTransport(answer),  # type: ignore[arg-type]
    )


def test_the_client_stops_reading_a_gzip_bomb_at_the_body_cap() -> None:
    bomb = gzip.compress(b"\0" * (32 * 1024 * 1024))

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", "content-encoding": "gzip"}
        return httpx.Response(200, headers=headers, content=iter([bomb]))

    with _client(answer, body_bytes=1024 * 1024) as client, pytest.raises(AnswerLimitExceeded, match="cap"):
        client.get("models")


def test_the_client_fails_a_stream_without_end_at_its_byte_limit() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        chunks = itertools.repeat(b"data: " + b"x" * 1000 + b"\n\n")
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=chunks)

    with (
        _client(answer, stream_bytes=100_000) as client,
        pytest.raises(StreamLimitExceeded, match="bytes"),
        client.stream("POST", "chat/completions", json={"stream": True}) as response,
    ):
        for _ in response.iter_bytes():
            pass


def test_timeouts_in_a_row_trip_the_breaker_and_an_answer_resets_it() -> None:
    budget = Budget()
    calls = {"n": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if request.url.path.endswith("ok"):
            return httpx.Response(200, json={})
        raise httpx.ReadTimeout("no answer", request=request)

    with _client(answer, budget, breaker_timeouts=2) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("slow")
        client.get("ok")  # resets the count
        for _ in range(2):
            with pytest.raises(httpx.ReadTimeout):
                client.get("slow")
        with pytest.raises(TargetNotAnswering, match="2 timeouts in a row"):
            client.get("ok")
    assert calls["n"] == 4  # the refused request never left


def test_requests_are_charged_before_they_leave_with_their_token_ceiling() -> None:
    sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(400, json={"error": {"message": "no"}})

    budget = Budget(max_requests=10, max_tokens=300)
    with _client(answer, budget) as client:
        client.post("chat/completions", json={"max_tokens": 200, "stream": True})
        assert budget.tokens == 0  # a refusal costs nothing: the reservation was released
        client.post("chat/completions", json={"max_tokens": 200, "stream": True})
        with pytest.raises(Exception, match="token budget spent"):
            client.post("chat/completions", json={"max_tokens": 400})
    assert len(sent) == 2


@pytest.mark.parametrize("shared", [False, True], ids=["in-memory", "run-wide-file"])
def test_a_request_asking_for_any_integer_of_tokens_is_charged_without_overflow(
    shared: bool, tmp_path: Path
) -> None:
    """schemathesis sends ``max_completion_tokens: 2**63 - 1``: no budget may crash on it."""
    huge = 2**63 - 1

    def budget(name: str, max_tokens: int | None) -> Budget:
        return Budget(max_tokens=max_tokens, path=tmp_path / name if shared else None)

    unlimited = budget("unlimited.sqlite3", None)
    for _ in range(3):
        unlimited.charge_request(huge)
    unlimited.settle(huge, 12)
    assert unlimited.requests == 3 and unlimited.tokens == 2 * TOKEN_CEILING + 12
    capped = budget("capped.sqlite3", 1_000_000)
    with pytest.raises(BudgetExhausted, match="token budget spent"):
        capped.charge_request(huge)
    assert capped.requests == 0
