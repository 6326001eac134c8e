"""How a stream is delivered: as it is produced, and saying the same as the plain answer."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from gatecheck.check_ids import STREAM_DELTAS_MATCH, STREAM_FINISH_MATCHES
from gatecheck.checks import stream as checks
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import LONG_PROMPT, capture_stream, chat_request, dig, expect_status, json_object

pytestmark = pytest.mark.capability("streaming")

#: Enough tokens for a stream to need many chunks; still a fraction of a cent on a real model.
LONG_ANSWER_TOKENS = 40


def test_stream_is_not_buffered(
    client: httpx.Client,
    paced_streams: float | None,
    profile: Profile,
    chat_path: str,
    chat_op: str,
    report_property: Callable[[str, object], None],
) -> None:
    """Tokens arrive as they are produced, not buffered until the answer is complete"""
    body = chat_request(profile, prompt=LONG_PROMPT, max_tokens=LONG_ANSWER_TOKENS, stream=True)
    capture = capture_stream(client, chat_path, body, operation=chat_op)
    checks.check_status(capture)
    report_property("time_to_first_byte_s", round(capture.first_byte or -1, 4))
    report_property("time_to_first_token_s", round(capture.first_token or -1, 4))
    report_property("total_time_s", round(capture.total, 4))
    report_property("reads", len(capture.reads))
    # Only a target whose pace is known (the mock, paced by the fixture) can be judged buffered;
    # elsewhere a burst is inconclusive, since a fast server sends one too.
    chunks = len([c for _, c in checks.content_chunks(capture) if checks.carries_token(c)])
    production = None if paced_streams is None else paced_streams * max(chunks - 1, 0)
    checks.check_not_buffered(capture, production=production)


def _plain_answer(client: httpx.Client, body: dict, chat_op: str, chat_path: str) -> tuple[str, str]:
    response = client.post(chat_path, json=body)
    expect_status(response, 200, chat_op)
    answer = json_object(response, chat_op)
    return str(dig(answer, "choices.0.message.content", "") or ""), str(
        dig(answer, "choices.0.finish_reason")
    )


def test_streamed_deltas_match_the_plain_answer(
    client: httpx.Client,
    profile: Profile,
    chat_path: str,
    chat_op: str,
    report_property: Callable[[str, object], None],
) -> None:
    """Streamed deltas join into the same answer as the non-streamed request"""
    plain = chat_request(profile)
    first = _plain_answer(client, plain, chat_op, chat_path)
    capture = capture_stream(client, chat_path, chat_request(profile, stream=True), operation=chat_op)
    checks.check_status(capture)
    second = _plain_answer(client, plain, chat_op, chat_path)
    # Only a target that answers the same request the same way twice can be held to an equal
    # text; any other is held to the same finish semantics.
    deterministic = first == second
    report_property("deterministic", deterministic)
    streamed = checks.joined_content(capture)
    finishes = [
        c["choices"][0].get("finish_reason") for _, c in checks.content_chunks(capture) if c.get("choices")
    ]
    streamed_finish = next((f for f in reversed(finishes) if f), None)
    if deterministic and streamed != first[0]:
        raise ContractViolation(
            "Streamed answer differs from the non-streamed answer",
            expected=f"the deltas to join into {first[0]!r} (the target answers deterministically)",
            received=streamed,
            check=STREAM_DELTAS_MATCH,
            operation=chat_op,
        )
    if streamed_finish != first[1]:
        raise ContractViolation(
            "Streamed answer finishes differently from the non-streamed answer",
            expected=f"finish_reason {first[1]!r}",
            received=f"finish_reason {streamed_finish!r}",
            check=STREAM_FINISH_MATCHES,
            operation=chat_op,
        )
