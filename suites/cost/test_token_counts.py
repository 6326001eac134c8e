"""Token accounting: counts are whole, add up, and obey the output limit the request set.

A client pays by these counts, and gatecheck's own cost guard relies on the limit being
honoured.  The "cut" scenarios ask for a long answer (forty words) under a limit of a few
tokens, so the answer is certainly cut and must say so; a target that ignored the limit did not
cut it, which only the limit scenario can blame.  The judging is :mod:`gatecheck.checks.usage`.

Chat, Responses (plain and streamed) and embeddings are here; Messages in the messages suite,
whose shared answers are cut by ``max_tokens`` already.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gatecheck.checks import stream as stream_checks
from gatecheck.checks.stream_usage import json_payloads, streamed_usage
from gatecheck.checks.usage import (
    APIS,
    check_cut_reported,
    check_output_within_limit,
    check_token_counts,
    check_token_total,
    check_usage,
    output_limit,
)
from gatecheck.profiles import Profile
from gatecheck.scenario import (
    LONG_PROMPT,
    capture_stream,
    chat_request,
    embedding_request,
    expect_status,
    json_object,
    operation,
)
from gatecheck.verdicts import inconclusive

#: Far fewer tokens than LONG_PROMPT needs, so a chat answer is always cut.
CHAT_LIMIT = 5
#: OpenAI's minimum for max_output_tokens, still far fewer than LONG_PROMPT needs.
RESPONSES_LIMIT = 16


def _answer(client: httpx.Client, path: str, body: dict[str, Any], op: str) -> dict[str, Any]:
    response = client.post(path, json=body)
    expect_status(response, 200, op)
    return json_object(response, op)


def _require_cut(usage: dict[str, Any], body: dict[str, Any], api: str) -> None:
    """A target that billed past the limit did not cut the answer: its cut report cannot be judged."""
    output, limit = usage[APIS[api].output or ""], output_limit(body, api)
    if limit is not None and output > limit[1]:
        inconclusive(f"the answer was not cut: {output} output tokens under {limit[0]} {limit[1]}")


@pytest.mark.capability("chat")
def test_chat_usage_adds_up(client: httpx.Client, profile: Profile, chat_path: str, chat_op: str) -> None:
    """A chat answer's token counts are non-negative integers and total_tokens adds up"""
    usage = _answer(client, chat_path, chat_request(profile), chat_op).get("usage")
    check_token_counts(usage, api="chat", operation=chat_op)
    check_token_total(usage, api="chat", operation=chat_op)


@pytest.mark.capability("chat")
def test_chat_max_tokens_bounds_the_billed_tokens(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A chat answer bills no more completion tokens than max_tokens allows"""
    body = chat_request(profile, prompt=LONG_PROMPT, max_tokens=CHAT_LIMIT)
    check_usage(_answer(client, chat_path, body, chat_op).get("usage"), body, api="chat", operation=chat_op)


@pytest.mark.capability("chat")
def test_chat_answer_cut_by_max_tokens_says_length(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A chat answer cut by max_tokens reports finish_reason length"""
    body = chat_request(profile, prompt=LONG_PROMPT, max_tokens=CHAT_LIMIT)
    answer = _answer(client, chat_path, body, chat_op)
    check_token_counts(answer.get("usage"), api="chat", operation=chat_op)
    _require_cut(answer["usage"], body, "chat")
    check_cut_reported(answer, api="chat", operation=chat_op)


@pytest.mark.capability("streaming")
@pytest.mark.capability("stream-usage")
def test_streamed_chat_obeys_max_tokens(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A streamed chat answer bills no more than max_tokens and its finish chunk says length"""
    body = chat_request(profile, prompt=LONG_PROMPT, max_tokens=CHAT_LIMIT, stream=True, include_usage=True)
    capture = capture_stream(client, chat_path, body, operation=chat_op)
    stream_checks.check_status(capture)
    chunks = stream_checks.content_chunks(capture)
    # Where the usage chunk sits and what it looks like is the streaming suite's point; here, its counts.
    usages = [(i, c["usage"]) for i, c in chunks if isinstance(c.get("usage"), dict)]
    if not usages:
        inconclusive("the stream carried no usage, so its billed tokens cannot be judged")
    index, usage = usages[-1]
    where = f"the usage chunk (event {index})"
    check_token_counts(usage, api="chat", operation=chat_op, where=where)
    check_output_within_limit(usage, body, api="chat", operation=chat_op, where=where)
    finishes = [c for _, c in chunks if (c.get("choices") or [{}])[0].get("finish_reason")]
    check_cut_reported(finishes[-1] if finishes else {}, api="chat", operation=chat_op)


def _responses_request(profile: Profile, **extra: Any) -> tuple[str, str, dict[str, Any]]:
    """(path, operation, body) of a long Responses ask under a limit that certainly cuts it."""
    path = profile.path("responses")
    body: dict[str, Any] = {"input": LONG_PROMPT, "max_output_tokens": RESPONSES_LIMIT, "temperature": 0}
    if model := profile.model("chat"):
        body["model"] = model
    return path, operation("POST", path), {**body, **extra}


@pytest.mark.capability("responses")
def test_responses_usage_adds_up_and_obeys_max_output_tokens(client: httpx.Client, profile: Profile) -> None:
    """A Responses answer's usage adds up, stays within max_output_tokens and reports the cut"""
    path, op, body = _responses_request(profile)
    answer = _answer(client, path, body, op)
    usage = check_usage(answer.get("usage"), body, api="responses", operation=op)
    _require_cut(dict(usage), body, "responses")
    check_cut_reported(answer, api="responses", operation=op)


@pytest.mark.capability("responses")
@pytest.mark.capability("streaming")
def test_streamed_responses_usage_adds_up_and_reports_the_cut(client: httpx.Client, profile: Profile) -> None:
    """A streamed Responses answer's usage adds up, stays within max_output_tokens and reports the cut"""
    path, op, body = _responses_request(profile, stream=True)
    capture = capture_stream(client, path, body, operation=op)
    stream_checks.check_status(capture)
    streamed = streamed_usage(json_payloads(capture), "responses")
    if streamed is None:
        # How a Responses stream must end is the responses suite's point; here, what its end bills.
        inconclusive("the stream ended without response.completed or response.incomplete to read usage from")
    usage = check_usage(streamed.usage, body, api="responses", operation=op, where=streamed.where)
    _require_cut(dict(usage), body, "responses")
    check_cut_reported(streamed.answer, api="responses", operation=op)


@pytest.mark.capability("embeddings")
def test_embeddings_usage_adds_up(client: httpx.Client, profile: Profile) -> None:
    """An embeddings answer's token counts are non-negative integers and total_tokens equals prompt_tokens"""
    path = profile.path("embeddings")
    op = operation("POST", path)
    body = embedding_request(profile)
    check_usage(_answer(client, path, body, op).get("usage"), body, api="embeddings", operation=op)
