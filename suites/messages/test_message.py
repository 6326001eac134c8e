"""The message object: identity and content blocks, a stop_reason that says why it ended, usage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.check_ids import MESSAGES_SHAPE, MESSAGES_STOP_REASON, MESSAGES_USAGE
from gatecheck.checks.usage import check_usage
from gatecheck.failures import ContractViolation

if TYPE_CHECKING:
    from conftest import Answer  # the fixtures' type, for readers and type checkers only

pytestmark = pytest.mark.capability("messages")


def _shape_problem(message: dict[str, Any]) -> tuple[str, str] | None:
    """(what is wrong, what was expected) for the first departure from the documented shape."""
    if not isinstance(message.get("id"), str) or not message["id"]:
        return "has no id", "id: a non-empty string"
    if message.get("type") != "message":
        return f"has type {message.get('type')!r}", "type: 'message'"
    if message.get("role") != "assistant":
        return f"has role {message.get('role')!r}", "role: 'assistant'"
    if not isinstance(message.get("model"), str) or not message["model"]:
        return "names no model", "model: the id of the model that answered"
    content = message.get("content")
    blocks_ok = isinstance(content, list) and all(
        isinstance(b, dict)
        and isinstance(b.get("type"), str)
        and (b["type"] != "text" or isinstance(b.get("text"), str))
        for b in content
    )
    if not blocks_ok or not content:
        return "content is not a list of content blocks", "content: [{type: 'text', text: '...'}, ...]"
    return None


def test_message_has_the_documented_shape(limited_message: Answer) -> None:
    """An answer is a message from the assistant with an id, the model and a list of content blocks"""
    message = limited_message.message()
    if problem := _shape_problem(message):
        raise ContractViolation(
            f"Message {problem[0]}",
            expected=problem[1],
            received=message,
            check=MESSAGES_SHAPE,
            operation=limited_message.operation,
        )


def _expect_stop_reason(answer: Answer, wanted: str, why: str) -> None:
    message = answer.message()
    if message.get("stop_reason") != wanted:
        raise ContractViolation(
            f"stop_reason is {message.get('stop_reason')!r} for an answer {why}",
            expected=f"stop_reason: {wanted!r}",
            received=f"stop_reason: {message.get('stop_reason')!r}; content: {message.get('content')!r}",
            check=MESSAGES_STOP_REASON,
            operation=answer.operation,
        )


def test_stop_reason_is_max_tokens_when_cut_short(limited_message: Answer) -> None:
    """An answer cut short by max_tokens reports stop_reason max_tokens"""
    _expect_stop_reason(
        limited_message, "max_tokens", f"cut short by max_tokens: {limited_message.request['max_tokens']}"
    )


def test_stop_reason_is_end_turn_when_complete(complete_message: Answer) -> None:
    """An answer the model finished by itself reports stop_reason end_turn"""
    _expect_stop_reason(complete_message, "end_turn", "the model finished by itself")


def test_usage_reports_input_and_output_tokens(limited_message: Answer) -> None:
    """usage reports input_tokens and output_tokens, the output within max_tokens"""
    message = limited_message.message()
    op = limited_message.operation
    usage = check_usage(message.get("usage"), limited_message.request, api="messages", operation=op)
    if usage["input_tokens"] == 0:
        raise ContractViolation(
            "Message usage reports no input tokens for a non-empty prompt",
            expected="usage.input_tokens > 0",
            received=f"usage: {dict(usage)!r}",
            check=MESSAGES_USAGE,
            operation=op,
        )
