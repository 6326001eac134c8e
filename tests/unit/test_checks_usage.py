"""Token accounting and Retry-After checks: each fails naming the value, and passes conformant variations."""

from __future__ import annotations

from typing import Any

import pytest

from gatecheck.checks.rate_limits import check_retry_after, check_sightings
from gatecheck.checks.stream_usage import streamed_usage
from gatecheck.checks.usage import check_cut_reported, check_usage, output_limit
from gatecheck.failures import ContractViolation
from gatecheck.retry import Sighting

NOW = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT
OP = "POST /chat/completions"


def _violation(func: Any, *args: Any, **kwargs: Any) -> ContractViolation:
    with pytest.raises(ContractViolation) as caught:
        func(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("api", "usage", "request_body"),
    [
        (
            "chat",
            {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8, "cost": 0.1},
            {"max_tokens": 5},
        ),
        ("chat", {"prompt_tokens": 3, "completion_tokens": 9, "total_tokens": 12}, {"max_tokens": 5, "n": 2}),
        ("chat", {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}, {}),
        (
            "responses",
            {"input_tokens": 3, "output_tokens": 16, "total_tokens": 19},
            {"max_output_tokens": 16},
        ),
        ("messages", {"input_tokens": 3, "output_tokens": 5}, {"max_tokens": 5}),
        ("embeddings", {"prompt_tokens": 4, "total_tokens": 4}, {}),
    ],
)
def test_conformant_usage_passes(api: str, usage: dict[str, Any], request_body: dict[str, Any]) -> None:
    check_usage(usage, request_body, api=api, operation=OP)


@pytest.mark.parametrize(
    ("api", "usage", "request_body", "says"),
    [
        ("chat", None, {}, "Usage is missing"),
        ("chat", {"prompt_tokens": 3, "completion_tokens": 5}, {}, "usage.total_tokens"),
        ("chat", {"prompt_tokens": -3, "completion_tokens": 5, "total_tokens": 2}, {}, "-3"),
        ("chat", {"prompt_tokens": 3, "completion_tokens": 5.5, "total_tokens": 8.5}, {}, "5.5"),
        ("chat", {"prompt_tokens": True, "completion_tokens": 5, "total_tokens": 6}, {}, "True"),
        ("chat", {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 9}, {}, "does not add up"),
        (
            "chat",
            {"prompt_tokens": 3, "completion_tokens": 6, "total_tokens": 9},
            {"max_tokens": 5},
            "6 output",
        ),
        (
            "chat",
            {"prompt_tokens": 3, "completion_tokens": 6, "total_tokens": 9},
            {"max_completion_tokens": 5, "max_tokens": 50},
            "max_completion_tokens ignored",
        ),
        ("responses", {"input_tokens": 3, "output_tokens": 5, "total_tokens": 9}, {}, "does not add up"),
        ("messages", {"input_tokens": 3, "output_tokens": 9}, {"max_tokens": 5}, "max_tokens ignored"),
        ("embeddings", {"prompt_tokens": 4, "total_tokens": 5}, {}, "total_tokens == prompt_tokens"),
    ],
)
def test_broken_usage_fails_naming_the_value(
    api: str, usage: Any, request_body: dict[str, Any], says: str
) -> None:
    assert says in str(_violation(check_usage, usage, request_body, api=api, operation=OP))


def test_only_the_apis_own_limit_field_counts() -> None:
    assert output_limit({"max_output_tokens": 5}, "chat") is None
    assert output_limit({"max_tokens": 0}, "chat") is None
    assert output_limit({"max_output_tokens": 5}, "responses") == ("max_output_tokens", 5)


@pytest.mark.parametrize(
    ("api", "answer"),
    [
        ("chat", {"choices": [{"finish_reason": "length"}]}),
        ("responses", {"status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}}),
        ("messages", {"stop_reason": "max_tokens"}),
    ],
)
def test_a_cut_answer_says_so_in_its_apis_words(api: str, answer: dict[str, Any]) -> None:
    check_cut_reported(answer, api=api, operation=OP)
    words = {"chat": {"choices": [{"finish_reason": "stop"}]}, "responses": {"status": "completed"}}
    wrong = words.get(api, {"stop_reason": "end_turn"})
    assert "when the output limit cut the answer" in str(
        _violation(check_cut_reported, wrong, api=api, operation=OP)
    )


_CHAT_STREAM = [
    {"choices": [{"delta": {"content": "a"}}]},
    {"choices": [{"delta": {}, "finish_reason": "length"}]},
    {"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}},
]
_RESPONSES_STREAM = [
    {"type": "response.created", "response": {"status": "in_progress", "usage": None}},
    {"type": "response.output_text.delta", "delta": "a"},
    {
        "type": "response.incomplete",
        "response": {
            "status": "incomplete",
            "incomplete_details": {"reason": "max_output_tokens"},
            "usage": {"input_tokens": 3, "output_tokens": 16, "total_tokens": 19},
        },
    },
]
_MESSAGES_STREAM = [
    {"type": "message_start", "message": {"usage": {"input_tokens": 3, "output_tokens": 1}}},
    {"type": "content_block_delta", "delta": {"type": "text_delta", "text": "a"}},
    {"type": "message_delta", "delta": {"stop_reason": "max_tokens"}, "usage": {"output_tokens": 5}},
    {"type": "message_stop"},
]


@pytest.mark.parametrize(
    ("api", "events", "request_body", "usage"),
    [
        (
            "chat",
            _CHAT_STREAM,
            {"max_tokens": 5},
            {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8},
        ),
        (
            "responses",
            _RESPONSES_STREAM,
            {"max_output_tokens": 16},
            {"input_tokens": 3, "output_tokens": 16, "total_tokens": 19},
        ),
        ("messages", _MESSAGES_STREAM, {"max_tokens": 5}, {"input_tokens": 3, "output_tokens": 5}),
    ],
)
def test_a_streams_usage_is_read_from_its_end_and_judged_as_a_plain_answers(
    api: str, events: list[Any], request_body: dict[str, Any], usage: dict[str, Any]
) -> None:
    streamed = streamed_usage(list(enumerate(events)), api)
    assert streamed is not None and streamed.usage == usage
    check_usage(streamed.usage, request_body, api=api, operation=OP, where=streamed.where)
    check_cut_reported(streamed.answer, api=api, operation=OP)  # each of these streams was cut
    assert f"(event {len(events) - 1 if api != 'messages' else 2})" in streamed.where


def test_a_stream_without_its_end_has_no_usage_to_judge() -> None:
    assert streamed_usage(list(enumerate(_CHAT_STREAM[:2])), "chat") is None
    failed = [*_RESPONSES_STREAM[:2], {"type": "response.failed", "response": {"status": "failed"}}]
    assert streamed_usage(list(enumerate(failed)), "responses") is None
    assert streamed_usage(list(enumerate(_MESSAGES_STREAM[:2])), "messages") is None
    assert streamed_usage([(0, None)], "embeddings") is None  # embeddings do not stream


def test_a_streams_broken_usage_fails_naming_the_event() -> None:
    late = {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 9}}
    streamed = streamed_usage(list(enumerate([*_MESSAGES_STREAM[:3], late])), "messages")
    assert streamed is not None
    failure = _violation(
        check_usage, streamed.usage, {"max_tokens": 5}, api="messages", operation=OP, where=streamed.where
    )
    assert "9 output tokens billed, 5 allowed" in str(failure) and "(event 3)" in str(failure)
    said = _violation(check_cut_reported, streamed.answer, api="messages", operation=OP)
    assert "'end_turn'" in str(said)


@pytest.mark.parametrize(
    "value", ["0", "1", "120", "Wed, 21 Oct 2015 07:28:10 GMT", "Wed, 21 Oct 2015 07:00:00 GMT"]
)
def test_usable_retry_after_passes(value: str) -> None:
    check_retry_after(value, operation=OP, now=NOW)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (None, "lacks Retry-After"),
        ("-5", "negative: '-5'"),
        ("-0.5", "negative: '-0.5'"),
        ("soon", "neither delay-seconds nor an HTTP-date: 'soon'"),
        ("1.5", "'1.5'"),
        ("999999", "implausible 999999 s"),
    ],
)
def test_unusable_retry_after_fails_naming_the_value(value: str | None, says: str) -> None:
    assert says in str(_violation(check_retry_after, value, operation=OP, now=NOW))


def test_every_429_of_the_run_is_judged_and_the_first_bad_one_named() -> None:
    good = Sighting(OP, 429, "1", "t::a")
    assert check_sightings([good, Sighting(OP, 503, None, "t::b")], now=NOW) == 1
    bad = Sighting("GET /models", 429, "soon", "t::c")
    failure = _violation(check_sightings, [good, bad, Sighting(OP, 429, None, None)], now=NOW)
    assert failure.operation == "GET /models"
    assert (
        "'soon'" in str(failure) and "seen in t::c" in str(failure) and "2 of 3 429 answers" in str(failure)
    )
