"""The helpers scenarios share: statuses, JSON, fields, polling, keys, request bodies."""

from __future__ import annotations

import json

import httpx
import pytest

from gatecheck.failures import ContractViolation
from gatecheck.profiles import get_profile
from gatecheck.redact import Redactor
from gatecheck.scenario import (
    MISSING,
    chat_request,
    create_key,
    dig,
    embedding_request,
    eventually,
    expect_status,
    json_body,
    json_object,
    json_pointer,
    model_record,
    operation,
    require,
    tool_request,
)

OP = "POST /chat/completions"


def test_operation_label() -> None:
    assert operation("post", "/chat/completions") == OP
    assert operation("GET", "models") == "GET /models"


def test_expect_status_names_expected_and_received() -> None:
    expect_status(httpx.Response(404), (400, 404), OP)
    with pytest.raises(ContractViolation) as caught:
        expect_status(httpx.Response(500, json={"error": {"message": "boom"}}), 200, OP, check="x")
    found = caught.value
    assert (found.title, found.expected, found.check) == ("Expected HTTP 200, got HTTP 500", "HTTP 200", "x")
    assert "HTTP 500 application/json" in found.received and "boom" in found.received


def test_non_json_body_is_a_violation_not_a_crash() -> None:
    response = httpx.Response(200, text="<html>Bad Gateway</html>", headers={"content-type": "text/html"})
    with pytest.raises(ContractViolation) as caught:
        json_body(response, OP)
    assert caught.value.title == "Response body is not JSON" and "text/html" in caught.value.received
    with pytest.raises(ContractViolation, match="not a JSON object"):
        json_object(httpx.Response(200, json=[1]), OP)


def test_dig_and_require() -> None:
    doc = {"choices": [{"message": {"content": None}}], "usage": {"cost": 0}}
    assert dig(doc, "choices.0.message.content") is None
    assert dig(doc, "choices.-1.message") == {"content": None}
    assert dig(doc, "choices.3") is MISSING and dig(doc, "usage.cost.x", 5) == 5
    assert require(doc, "usage.cost", operation=OP, check="c") == 0
    with pytest.raises(ContractViolation) as caught:
        require(doc, "usage.total_tokens", operation=OP, check="usage", what="an integer")
    assert caught.value.title == "Field usage.total_tokens is missing"
    assert caught.value.expected == "usage.total_tokens present (an integer)"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_eventually_returns_once_the_check_passes() -> None:
    clock, calls = FakeClock(), []

    def attempt() -> str:
        calls.append(clock.now)
        if len(calls) < 3:
            raise ContractViolation("not yet", expected="x", received="y", check="c")
        return "done"

    assert eventually(attempt, 5, clock=clock, sleep=clock.sleep) == "done"
    assert len(calls) == 3


def test_eventually_gives_up_at_the_deadline_with_the_last_violation() -> None:
    clock = FakeClock()

    def attempt() -> None:
        raise ContractViolation("usage did not grow", expected="+0.1 USD", received=clock.now, check="c")

    with pytest.raises(ContractViolation) as caught:
        eventually(attempt, 3, clock=clock, sleep=clock.sleep)
    assert clock.now == pytest.approx(3)
    assert caught.value.received == clock.now
    assert "(within 3 s;" in caught.value.expected


def test_eventually_does_not_retry_other_errors() -> None:
    clock = FakeClock()
    with pytest.raises(KeyError):
        eventually(lambda: {}["x"], 3, clock=clock, sleep=clock.sleep)
    assert clock.now == 0


def test_request_bodies_come_from_the_profile() -> None:
    profile = get_profile("openrouter")
    body = chat_request(profile, stream=True, include_usage=True)
    assert body["model"] == profile.model("chat") and body["stream_options"] == {"include_usage": True}
    assert body["max_tokens"] <= 16
    assert tool_request(profile)["tool_choice"]["function"]["name"] == "get_weather"
    assert embedding_request(profile) == {"model": profile.model("embedding"), "input": "gatecheck"}
    assert "stream" not in chat_request(profile)


def test_json_pointer() -> None:
    doc = {"data": {"a/b": [1, {"~k": 2}]}}
    assert json_pointer(doc, "") is doc
    assert json_pointer(doc, "/data/a~1b/1/~0k") == 2
    with pytest.raises(KeyError):
        json_pointer(doc, "/data/missing")


@pytest.mark.parametrize(
    ("profile_name", "answer", "expected_body"),
    [
        (
            "requesty",
            {"id": "k1", "name": "n", "key": "rqsty-secret-value-123456"},
            {"name": "n", "limit": 5},
        ),
        (
            "openrouter",
            {"data": {"hash": "k1", "name": "n"}, "key": "rqsty-secret-value-123456"},
            {"name": "n", "limit": 5},
        ),
    ],
)
def test_create_key_follows_the_profile(profile_name: str, answer: dict, expected_body: dict) -> None:
    profile = get_profile(profile_name)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json=answer)

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://gw/v1/") as client:
        key = create_key(client, profile, name="n", limit=5, redactor=(redactor := Redactor()))
    assert (key.id, key.value) == ("k1", "rqsty-secret-value-123456")
    assert seen[0].url.path == "/v1" + profile.path("keys")
    assert json.loads(seen[0].content) == expected_body
    assert redactor.secrets == {"rqsty-secret-value-123456"}


def test_create_key_without_an_id_is_a_violation() -> None:
    handler = lambda request: httpx.Response(200, json={"name": "n"})  # noqa: E731
    with (
        httpx.Client(transport=httpx.MockTransport(handler), base_url="http://gw/") as client,
        pytest.raises(ContractViolation, match="lacks its id or value"),
    ):
        create_key(client, get_profile("requesty"), name="n")


def test_model_record_finds_the_entry_or_says_it_is_missing() -> None:
    catalog = {"data": [{"id": "a/b", "input_price": 1}]}
    handler = lambda request: httpx.Response(200, json=catalog)  # noqa: E731
    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://gw/") as client:
        assert model_record(client, get_profile("requesty"), "a/b")["input_price"] == 1
        with pytest.raises(ContractViolation, match="not in the catalog"):
            model_record(client, get_profile("requesty"), "c/d")
