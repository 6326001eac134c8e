"""gatecheck's schemathesis checks on hand-made answers: each fires where it should, only there."""

from __future__ import annotations

import json

import pytest
from contract_spec_fixtures import case, response, sse
from schemathesis.core.failures import FailureGroup, ServerError

from gatecheck.checks.schemathesis_checks import (
    GatecheckFailure,
    error_envelope,
    failure_keys,
    generation_id,
    sse_done,
    sse_events,
    sse_usage_chunk,
    usage_cost,
)

CHUNK = {"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": "hi"}}]}
TOTALS = {"prompt_tokens": 2, "completion_tokens": 1, "total_tokens": 3}
USAGE = {"id": "c1", "object": "chat.completion.chunk", "choices": [], "usage": {**TOTALS, "cost": 0.001}}
STREAM_BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}
WITH_USAGE = {**STREAM_BODY, "stream_options": {"include_usage": True}}


def _stream(*chunks: object, done: bool = True) -> str:
    events = [json.dumps(c) for c in chunks] + (["[DONE]"] if done else [])
    return sse(*events)


def _fails(check, resp, c, check_name: str) -> GatecheckFailure:  # type: ignore[no-untyped-def]
    with pytest.raises(GatecheckFailure) as caught:
        check(None, resp, c)
    failure = caught.value
    assert failure.check == check_name
    assert failure.key == f"POST /chat/completions::{check_name}"
    return failure


@pytest.mark.slow
def test_error_envelope_accepts_the_envelope_and_refuses_plain_text() -> None:
    c = case(body={})
    error_envelope(None, response(400, '{"error": {"message": "bad"}}', "application/json"), c)
    error_envelope(None, response(200, "ok", "text/plain"), c)  # not an error: out of scope
    failure = _fails(error_envelope, response(500, "boom", "text/plain"), c, "error_envelope")
    assert failure.violation.check == "error-envelope" and "Expected:" in failure.message


def test_usage_cost_needs_a_non_negative_cost_where_the_spec_documents_usage() -> None:
    c = case(body={"model": "m", "messages": []})
    usage_cost(None, response(200, '{"usage": {"cost": 0.0}}', "application/json"), c)
    usage_cost(None, response(400, '{"error": {"message": "x"}}', "application/json"), c)
    _fails(usage_cost, response(200, '{"usage": {"total_tokens": 3}}', "application/json"), c, "usage_cost")
    _fails(usage_cost, response(200, '{"usage": {"cost": -1}}', "application/json"), c, "usage_cost")
    _fails(usage_cost, response(200, "{}", "application/json"), c, "usage_cost")


def test_usage_cost_looks_into_the_streams_usage_chunk() -> None:
    c = case(body=WITH_USAGE)
    usage_cost(None, response(200, _stream(CHUNK, USAGE), "text/event-stream"), c)
    no_cost = {**USAGE, "usage": TOTALS}
    failure = _fails(usage_cost, response(200, _stream(CHUNK, no_cost), "text/event-stream"), c, "usage_cost")
    assert "event 1" in failure.title


def test_generation_id_is_required_on_chat_answers_only() -> None:
    chat = case(body={"model": "m", "messages": []})
    ok = response(200, "{}", "application/json", **{"X-Generation-Id": "gen-1"})
    generation_id(None, ok, chat)
    _fails(generation_id, response(200, "{}", "application/json"), chat, "generation_id")
    generation_id(None, response(200, "{}", "application/json"), case(body={"model": "m", "input": "x"}))


def test_sse_events_validates_each_event_and_the_content_type() -> None:
    c = case(body=STREAM_BODY)
    sse_events(None, response(200, _stream(CHUNK), "text/event-stream"), c)
    bad = {**CHUNK, "object": "chat.completion"}
    failure = _fails(sse_events, response(200, _stream(CHUNK, bad), "text/event-stream"), c, "sse_events")
    assert "Event 1" in failure.title and "$.object" in failure.title
    json_answer = response(200, '{"usage": {"cost": 0}}', "application/json")
    assert "text/event-stream" in _fails(sse_events, json_answer, c, "sse_events").message


def test_sse_done_requires_the_terminator_the_spec_declares() -> None:
    c = case(body=STREAM_BODY)
    sse_done(None, response(200, _stream(CHUNK), "text/event-stream"), c)
    _fails(sse_done, response(200, _stream(CHUNK, done=False), "text/event-stream"), c, "sse_done")
    after = _stream(CHUNK) + "data: " + json.dumps(CHUNK) + "\n\n"
    _fails(sse_done, response(200, after, "text/event-stream"), c, "sse_done")
    typed = case("/messages", body={"stream": True})
    sse_done(None, response(200, sse('{"type": "message_stop"}'), "text/event-stream"), typed)


def test_a_stream_cut_short_by_schemathesis_is_not_judged_for_its_end() -> None:
    cut = response(200, _stream(CHUNK, done=False), "text/event-stream")
    cut.stream_cut_short = True
    sse_done(None, cut, case(body=STREAM_BODY))
    sse_usage_chunk(None, cut, case(body=WITH_USAGE))


def test_sse_usage_chunk_wants_one_final_chunk_with_no_choices() -> None:
    c = case(body=WITH_USAGE)
    sse_usage_chunk(None, response(200, _stream(CHUNK, USAGE), "text/event-stream"), c)
    twice = response(200, _stream(CHUNK, USAGE, USAGE), "text/event-stream")
    assert _fails(sse_usage_chunk, twice, c, "sse_usage_chunk").violation.check == "stream-usage-count"
    with_choice = {**USAGE, "choices": CHUNK["choices"]}
    shaped = response(200, _stream(CHUNK, with_choice), "text/event-stream")
    assert _fails(sse_usage_chunk, shaped, c, "sse_usage_chunk").violation.check == "stream-usage-shape"
    # Without include_usage the check has nothing to say; data that is not JSON is sse_events' finding.
    sse_usage_chunk(None, twice, case(body=STREAM_BODY))
    sse_usage_chunk(None, response(200, sse("{not json"), "text/event-stream"), c)


def test_failure_keys_name_the_operation_and_the_check() -> None:
    ours = GatecheckFailure.__new__(GatecheckFailure)
    c = case(body={})
    try:
        error_envelope(None, response(502, "down", "text/html"), c)
    except GatecheckFailure as exc:
        ours = exc
    theirs = ServerError(operation="POST /chat/completions", status_code=502)
    group = FailureGroup([ours, theirs])
    assert failure_keys(group) == [
        "POST /chat/completions::error_envelope",
        "POST /chat/completions::not_a_server_error",
    ]


def test_usage_tokens_judges_counts_totals_and_the_limit_of_plain_answers() -> None:
    from gatecheck.checks.schemathesis_checks import usage_tokens

    c = case(body={"model": "m", "messages": [], "max_tokens": 5})
    ok = {"usage": {"prompt_tokens": 2, "completion_tokens": 5, "total_tokens": 7}}
    usage_tokens(None, response(200, json.dumps(ok), "application/json"), c)
    usage_tokens(None, response(200, "{}", "application/json"), c)  # no usage: not this check's point
    usage_tokens(None, response(400, '{"usage": {"prompt_tokens": -1}}', "application/json"), c)
    for usage, says in [
        ({"prompt_tokens": 2, "completion_tokens": 5, "total_tokens": 8}, "does not add up"),
        ({"prompt_tokens": 2, "completion_tokens": 6, "total_tokens": 8}, "max_tokens ignored"),
        ({"prompt_tokens": -2, "completion_tokens": 5, "total_tokens": 3}, "usage.prompt_tokens"),
        ({"prompt_tokens": 2, "completion_tokens": 4.5, "total_tokens": 6.5}, "4.5"),
    ]:
        answer = response(200, json.dumps({"usage": usage}), "application/json")
        assert says in str(_fails(usage_tokens, answer, c, "usage_tokens").violation)
    two = case(body={"model": "m", "messages": [], "max_tokens": 5, "n": 2})  # the limit is per choice
    usage_tokens(
        None,
        response(
            200,
            json.dumps({"usage": {**ok["usage"], "completion_tokens": 10, "total_tokens": 12}}),
            "application/json",
        ),
        two,
    )


def test_usage_tokens_judges_the_final_usage_of_a_stream() -> None:
    from gatecheck.checks.schemathesis_checks import usage_tokens

    c = case(body={**WITH_USAGE, "max_tokens": 5})
    usage_tokens(None, response(200, _stream(CHUNK, USAGE), "text/event-stream"), c)
    usage_tokens(None, response(200, _stream(CHUNK), "text/event-stream"), c)  # no usage asked for
    over = {**USAGE, "usage": {"prompt_tokens": 2, "completion_tokens": 6, "total_tokens": 8}}
    failure = _fails(
        usage_tokens, response(200, _stream(CHUNK, over), "text/event-stream"), c, "usage_tokens"
    )
    assert "max_tokens ignored" in str(failure.violation) and "the usage chunk (event 1)" in str(
        failure.violation
    )
    cut = response(200, _stream(CHUNK, over), "text/event-stream")
    cut.stream_cut_short = True  # read only in part: its end is not there to judge
    usage_tokens(None, cut, c)


def test_retry_after_judges_429_answers_only() -> None:
    from gatecheck.checks.schemathesis_checks import retry_after

    c = case(body={})
    retry_after(None, response(429, "{}", "application/json", **{"Retry-After": "2"}), c)
    retry_after(None, response(200, "{}", "application/json"), c)
    failure = _fails(
        retry_after, response(429, "{}", "application/json", **{"Retry-After": "-1"}), c, "retry_after"
    )
    assert "'-1'" in str(failure.violation)
