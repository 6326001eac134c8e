"""Stream capture and framing checks, on streams built byte by byte (no server involved)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gatecheck import verdicts
from gatecheck.checks import stream as checks
from gatecheck.checks.stream import StreamCapture, capture_stream
from gatecheck.failures import ContractViolation

OP = "POST /chat/completions"
HEAD = {
    "id": "chatcmpl-1",
    "object": "chat.completion.chunk",
    "created": 1748200000,
    "model": "openai/gpt-4o-mini",
}
USAGE = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7, "cost": 0.0000021}


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, **fields: Any) -> dict[str, Any]:
    return {**HEAD, "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}], **fields}


def frame(payload: Any) -> bytes:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload)}\n\n".encode()


def good_frames(*, usage: bool = False) -> list[bytes]:
    frames = [
        frame(chunk({"role": "assistant", "content": ""})),
        frame(chunk({"content": "Hel"})),
        frame(chunk({"content": "lo"})),
        frame(chunk({}, "stop")),
    ]
    if usage:
        frames.append(frame({**HEAD, "choices": [], "usage": USAGE}))
    return [*frames, b"data: [DONE]\n\n"]


def capture(
    frames: list[bytes], *, content_type: str = "text/event-stream", status: int = 200
) -> StreamCapture:
    """Capture through a real httpx client; each frame is one network read."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"content-type": content_type}, content=iter(frames))

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://gw/v1/") as client:
        return capture_stream(client, "/chat/completions", {"stream": True}, operation=OP)


def violation(check: Any, cap: StreamCapture, **kwargs: Any) -> ContractViolation:
    with pytest.raises(ContractViolation) as caught:
        check(cap, **kwargs)
    assert caught.value.operation == OP
    return caught.value


ALL_CHECKS = [
    checks.check_status,
    checks.check_content_type,
    checks.check_data_is_json,
    checks.check_comments_stay_comments,
    checks.check_done_sentinel,
    checks.check_first_chunk_role,
    checks.check_chunk_identity,
    checks.check_single_finish_reason,
]


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_a_well_formed_stream_passes_every_check(check: Any) -> None:
    check(capture(good_frames()))


def test_capture_records_reads_items_and_times() -> None:
    cap = capture([b": OPENROUTER PROCESSING\n\n", *good_frames()])
    assert [n for _, n in cap.reads] == [len(f) for f in [b": OPENROUTER PROCESSING\n\n", *good_frames()]]
    assert [c.text for c in cap.comments] == ["OPENROUTER PROCESSING"]
    assert [e.data for e in cap.events][-1] == "[DONE]"
    assert [t.read for t in cap.items] == list(range(6))
    assert cap.first_byte is not None and cap.first_token is not None and cap.total >= cap.first_token
    assert checks.joined_content(cap) == "Hello"


def test_status_and_content_type_name_what_came_back() -> None:
    assert "HTTP 502" in violation(checks.check_status, capture([b'{"error": 1}'], status=502)).title
    wrong = violation(checks.check_content_type, capture(good_frames(), content_type="application/json"))
    assert "application/json" in str(wrong.received)


def test_non_json_data_names_the_event() -> None:
    frames = good_frames()
    frames[2] = frame("{'content': 'lo'}")
    found = violation(checks.check_data_is_json, capture(frames))
    assert found.title == "Event 2 data is not a JSON object"


def test_comment_sent_as_data_is_caught() -> None:
    found = violation(
        checks.check_comments_stay_comments, capture([b"data: : OPENROUTER PROCESSING\n\n", *good_frames()])
    )
    assert found.title == "Comment sent as data in event 0" and found.check == "stream-comment-as-data"


@pytest.mark.parametrize(
    ("frames", "title"),
    [
        (good_frames()[:-1], "Stream has no [DONE] sentinel"),
        ([*good_frames(), frame(chunk({"content": "late"}))], "Stream continues after [DONE]"),
        ([*good_frames(), b"data: [DONE]\n\n"], "Stream continues after [DONE]"),
        ([*good_frames()[:-1], b"data: [DO"], "Stream was cut off"),
    ],
    ids=["missing", "content-after", "twice", "cut"],
)
def test_done_sentinel_problems(frames: list[bytes], title: str) -> None:
    assert violation(checks.check_done_sentinel, capture(frames)).title == title


def test_a_broken_connection_is_recorded_not_raised() -> None:
    def broken() -> Iterator[bytes]:
        yield good_frames()[0]
        raise httpx.ReadError("connection reset")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=broken())

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://gw/") as client:
        cap = capture_stream(client, "chat", {}, operation=OP)
    assert cap.transport_error == "ReadError: connection reset"
    assert violation(checks.check_done_sentinel, cap).title == "Stream was cut off"


def test_missing_role_names_the_first_chunk() -> None:
    frames = good_frames()
    frames[0] = frame(chunk({"content": ""}))
    assert (
        violation(checks.check_first_chunk_role, capture(frames)).title
        == "First chunk (event 0) lacks role: assistant"
    )


@pytest.mark.parametrize("name", ["id", "model", "created"])
def test_identity_changes_name_the_field_and_event(name: str) -> None:
    frames = good_frames()
    frames[2] = frame({**chunk({"content": "lo"}), name: "other"})
    found = violation(checks.check_chunk_identity, capture(frames))
    assert found.title == f"Chunk {name} changes within the stream at event 2"


def test_wrong_object_is_named() -> None:
    frames = good_frames()
    frames[1] = frame({**chunk({"content": "Hel"}), "object": "chat.completion"})
    assert (
        violation(checks.check_chunk_identity, capture(frames)).title
        == "Event 1 is not a chat.completion.chunk"
    )


@pytest.mark.parametrize(
    ("replace", "received"),
    [
        ({2: chunk({"content": "lo"}, "stop")}, "[2, 3]"),
        ({3: chunk({})}, "[]"),
        ({1: chunk({"content": "Hel"}, "length"), 3: chunk({})}, "[1]"),
    ],
    ids=["twice", "never", "early"],
)
def test_finish_reason_must_be_once_and_last(replace: dict[int, dict[str, Any]], received: str) -> None:
    frames = good_frames()
    for index, payload in replace.items():
        frames[index] = frame(payload)
    found = violation(checks.check_single_finish_reason, capture(frames))
    assert received in str(found.received)


def test_usage_chunk_accepted_and_returned() -> None:
    assert checks.check_usage_chunk(capture(good_frames(usage=True)), with_cost=True) == USAGE


@pytest.mark.parametrize(
    ("mutate", "check_id"),
    [
        (lambda f: f[:-2] + f[-1:], "stream-usage-count"),
        (lambda f: f[:-1] + f[-2:], "stream-usage-count"),
        (
            lambda f: [
                *f[:-2],
                frame({**HEAD, "choices": [{"index": 0, "delta": {}}], "usage": USAGE}),
                f[-1],
            ],
            "stream-usage-shape",
        ),
        (lambda f: [*f[:-3], f[-2], f[-3], f[-1]], "stream-usage-shape"),
        (
            lambda f: [*f[:-2], frame({**HEAD, "choices": [], "usage": {**USAGE, "total_tokens": 9}}), f[-1]],
            "stream-usage-totals",
        ),
        (
            lambda f: [*f[:-2], frame({**HEAD, "choices": [], "usage": {**USAGE, "cost": "0.1"}}), f[-1]],
            "usage-cost",
        ),
    ],
    ids=["missing", "twice", "has-choices", "not-last", "totals", "cost-string"],
)
def test_usage_chunk_problems(mutate: Any, check_id: str) -> None:
    found = violation(checks.check_usage_chunk, capture(mutate(good_frames(usage=True))), with_cost=True)
    assert found.check == check_id


def test_usage_cost_not_required_where_not_claimed() -> None:
    frames = good_frames(usage=True)
    frames[-2] = frame({**HEAD, "choices": [], "usage": {k: v for k, v in USAGE.items() if k != "cost"}})
    checks.check_usage_chunk(capture(frames), with_cost=False)


def _timed(times: list[float], total: float, reads: list[int] | None = None) -> StreamCapture:
    """A capture whose items arrived at ``times`` (the last repeats), in ``reads`` (default: one each)."""
    cap = capture(good_frames())
    at = [times[min(i, len(times) - 1)] for i in range(len(cap.items))]
    read = reads or list(range(len(cap.items)))
    cap.items = [checks.TimedItem(at[i], read[i], t.item) for i, t in enumerate(cap.items)]
    cap.total = total
    return cap


def test_a_paced_stream_is_not_buffered() -> None:
    checks.check_not_buffered(_timed([0.01, 0.02, 0.05, 0.08, 0.1], 0.1), production=0.1, min_reads=2)


def test_a_stream_in_several_reads_passes_whatever_its_pace() -> None:
    checks.check_not_buffered(_timed([0.001, 0.001, 0.001, 0.001, 0.002], 0.002), min_reads=2)


@pytest.mark.parametrize(
    ("times", "total", "reads", "production"),
    [
        ([0.5], 0.5, [0, 0, 0, 0, 0], None),  # a fast server behind a slow start, or a buffer
        ([0.001], 0.002, [0, 0, 0, 0, 0], None),  # a stub that writes everything at once
        ([0.001], 0.002, [0, 0, 0, 0, 0], 0.004),  # known, but too quick to show anything
    ],
    ids=["one-late-read", "one-quick-read", "quick-production"],
)
def test_a_burst_from_a_target_of_unknown_pace_is_inconclusive(
    times: list[float], total: float, reads: list[int], production: float | None
) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        checks.check_not_buffered(_timed(times, total, reads), production=production, min_reads=2)
    reason = str(skipped.value)
    assert verdicts.outcome_of_skip(reason) == verdicts.INCONCLUSIVE
    assert f"of {total:.3f} s" in reason and "1 reads" in reason


@pytest.mark.parametrize(
    ("times", "total", "reads"),
    [
        ([0.5], 0.5, [0, 0, 0, 0, 0]),
        ([0.48, 0.49, 0.49, 0.49, 0.5], 0.5, None),
    ],
    ids=["one-read", "one-burst-at-the-end"],
)
def test_a_buffered_stream_of_known_pace_is_caught(
    times: list[float], total: float, reads: list[int] | None
) -> None:
    found = violation(checks.check_not_buffered, _timed(times, total, reads), production=0.4, min_reads=2)
    assert found.check == "stream-buffered"
    assert "at least 0.400 s" in str(found)


def _tool_frames(*deltas: dict[str, Any]) -> list[bytes]:
    body = [frame(chunk({"role": "assistant", "content": None}))]
    body += [frame(chunk({"tool_calls": [d]})) for d in deltas]
    return [*body, frame(chunk({}, "tool_calls")), b"data: [DONE]\n\n"]


FIRST = {"index": 0, "id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}


def test_tool_call_fragments_reassemble() -> None:
    frames = _tool_frames(
        FIRST,
        {"index": 0, "function": {"arguments": '{"city":'}},
        {"index": 0, "function": {"arguments": '"Paris"}'}},
    )
    assert checks.check_tool_call_deltas(capture(frames)) == {
        0: {"id": "call_1", "name": "get_weather", "arguments": '{"city":"Paris"}'}
    }


@pytest.mark.parametrize(
    ("deltas", "check_id"),
    [
        ((FIRST, {"function": {"arguments": "{}"}}), "stream-tool-call-index"),
        (({**FIRST, "id": None}, {"index": 0, "function": {"arguments": "{}"}}), "stream-tool-call-id"),
        ((FIRST, {"index": 0, "function": {"arguments": '{"city": '}}), "stream-tool-call-arguments"),
        ((), "stream-tool-call"),
    ],
    ids=["no-index", "no-id", "bad-json", "none"],
)
def test_tool_call_problems(deltas: tuple[dict[str, Any], ...], check_id: str) -> None:
    assert violation(checks.check_tool_call_deltas, capture(_tool_frames(*deltas))).check == check_id


def test_error_event_ends_a_failed_stream() -> None:
    frames = [*good_frames()[:2], frame({"error": {"message": "upstream disconnected", "code": 502}})]
    assert checks.check_ends_with_error_event(capture(frames))["code"] == 502


@pytest.mark.parametrize(
    "frames",
    [good_frames()[:2], [*good_frames()[:2], b'data: {"error": {"mess']],
    ids=["no-error-event", "cut"],
)
def test_failed_stream_without_an_error_event_is_caught(frames: list[bytes]) -> None:
    assert violation(checks.check_ends_with_error_event, capture(frames)).check == "stream-error-event"
