"""The Response object: identity, status, a message output with output_text, and usage that adds up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.check_ids import RESPONSES_SHAPE, RESPONSES_USAGE
from gatecheck.failures import ContractViolation

if TYPE_CHECKING:
    from conftest import ResponsesApi  # the fixture's type, for readers and type checkers only

pytestmark = pytest.mark.capability("responses")

#: A short answer may be cut by max_output_tokens; either way the object is a finished response.
FINISHED = ("completed", "incomplete")
USAGE_FIELDS = ("input_tokens", "output_tokens", "total_tokens")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _shape_problem(response: dict[str, Any]) -> tuple[str, str] | None:
    """(what is wrong, what was expected) for the first departure from the documented shape."""
    if not isinstance(response.get("id"), str) or not response["id"]:
        return "has no id", "id: a non-empty string"
    if response.get("object") != "response":
        return f"has object {response.get('object')!r}", "object: 'response'"
    if response.get("status") not in FINISHED:
        return f"has status {response.get('status')!r}", f"status: one of {', '.join(FINISHED)}"
    if not isinstance(response.get("model"), str) or not response["model"]:
        return "names no model", "model: the id of the model that answered"
    messages = [i for i in response.get("output") or [] if isinstance(i, dict) and i.get("type") == "message"]
    if not messages:
        return "has no message in output", "output: [{type: 'message', ...}] (the answer)"
    parts = [p for p in messages[0].get("content") or [] if isinstance(p, dict)]
    if messages[0].get("role") != "assistant" or not any(
        p.get("type") == "output_text" and isinstance(p.get("text"), str) for p in parts
    ):
        return (
            "has a message without output_text",
            "output[].role 'assistant' and content [{type: 'output_text', text: '...'}]",
        )
    return None


def test_response_object_has_the_documented_shape(responses_api: ResponsesApi) -> None:
    """A response is an object 'response' with id, status, model, a message with output_text, and usage"""
    response = responses_api.create(responses_api.body())
    if problem := _shape_problem(response):
        raise ContractViolation(
            f"Response object {problem[0]}",
            expected=problem[1],
            received=response,
            check=RESPONSES_SHAPE,
            operation=responses_api.op,
        )
    usage = response.get("usage")
    counts: list[Any] = [usage.get(k) if isinstance(usage, dict) else None for k in USAGE_FIELDS]
    if not all(_is_count(n) for n in counts) or counts[0] + counts[1] != counts[2]:
        raise ContractViolation(
            "Response usage is missing or does not add up",
            expected="usage.input_tokens + usage.output_tokens == usage.total_tokens, all integers >= 0",
            received=f"usage: {usage!r}",
            check=RESPONSES_USAGE,
            operation=responses_api.op,
        )
