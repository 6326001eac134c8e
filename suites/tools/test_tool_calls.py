"""Function calling: tool_choice is honoured, arguments fit the parameters, results continue the talk."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx
import jsonschema
import pytest

from gatecheck.check_ids import (
    TOOL_CALL_ARGUMENTS,
    TOOL_CALL_ID,
    TOOL_CALLS,
    TOOL_CALLS_FINISH_REASON,
    TOOL_CHOICE,
    TOOL_RESULT,
)
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import WEATHER_TOOL, chat_request, dig, expect_status, json_object

if TYPE_CHECKING:
    from conftest import ChatAnswer  # the fixtures' type, for readers and type checkers only

pytestmark = pytest.mark.capability("tools")

FORCED = WEATHER_TOOL["function"]["name"]
#: A finished call and its result, as a client sends them back; ids are the client's to choose.
CALL_ID = "call_gatecheck_1"
WEATHER_RESULT = '{"city": "Paris", "temperature_c": 18, "conditions": "sunny"}'
FINISHED = ("stop", "length")


def _calls(answer: ChatAnswer) -> list[dict[str, Any]]:
    """The message's tool calls; none at all is a violation (every request here asks for one)."""
    message = answer.message()
    calls = message.get("tool_calls")
    if not isinstance(calls, list) or not calls or not all(isinstance(c, dict) for c in calls):
        raise ContractViolation(
            "Answer carries no tool_calls",
            expected="choices[0].message.tool_calls: [{id, type: 'function', function: {name, arguments}}]",
            received=message,
            check=TOOL_CALLS,
            operation=answer.operation,
        )
    return calls


def test_forced_tool_choice_calls_the_named_function(forced_call: ChatAnswer) -> None:
    """A tool_choice naming a function makes the answer call exactly that function"""
    calls = _calls(forced_call)
    names = [dig(call, "function.name") for call in calls]
    if names != [FORCED]:
        raise ContractViolation(
            f"tool_choice named {FORCED} but the answer calls {', '.join(map(str, names))}",
            expected=f"one tool call, to {FORCED} (forced by tool_choice; get_time was offered first)",
            received=calls,
            check=TOOL_CHOICE,
            operation=forced_call.operation,
        )
    if not isinstance(calls[0].get("id"), str) or not calls[0]["id"]:
        raise ContractViolation(
            "Tool call has no id",
            expected="tool_calls[0].id: a non-empty string (the tool result must name it)",
            received=calls,
            check=TOOL_CALL_ID,
            operation=forced_call.operation,
        )


def test_tool_call_arguments_match_the_function_parameters(forced_call: ChatAnswer) -> None:
    """Each tool call's arguments are a JSON string valid against its function's parameters"""
    offered = forced_call.tools()
    for position, call in enumerate(_calls(forced_call)):
        name, arguments = dig(call, "function.name"), dig(call, "function.arguments")
        where = f"tool_calls[{position}] ({name})"
        try:
            parsed = json.loads(arguments) if isinstance(arguments, str) else None
        except ValueError:
            parsed = None
        if name not in offered or not isinstance(parsed, dict):
            raise ContractViolation(
                f"Arguments of {where} are not a JSON object for an offered function",
                expected=f"function.name one of {sorted(offered)}, function.arguments a JSON object string",
                received=call,
                check=TOOL_CALL_ARGUMENTS,
                operation=forced_call.operation,
            )
        schema = offered[name]["parameters"]
        problem = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(schema).iter_errors(parsed)
        )
        if problem is not None:
            raise ContractViolation(
                f"Arguments of {where} do not match the function's parameters",
                expected=f"arguments valid against {json.dumps(schema)}",
                received=f"{arguments} ({problem.message})",
                check=TOOL_CALL_ARGUMENTS,
                operation=forced_call.operation,
            )


def test_tool_call_finishes_with_tool_calls(auto_call: ChatAnswer) -> None:
    """An answer in which the model calls a tool finishes with finish_reason tool_calls"""
    calls = auto_call.message().get("tool_calls")
    finish = dig(auto_call.body(), "choices.0.finish_reason")
    if not calls:
        pytest.skip(f"inconclusive: the model answered in text (tool_choice auto, finish_reason {finish!r})")
    if finish != "tool_calls":
        raise ContractViolation(
            f"An answer with tool_calls finishes with {finish!r}",
            expected="choices[0].finish_reason: 'tool_calls' (the model chose to call a tool)",
            received=f"finish_reason: {finish!r}; tool_calls: {json.dumps(calls)}",
            check=TOOL_CALLS_FINISH_REASON,
            operation=auto_call.operation,
        )


def _follow_up(profile: Profile) -> dict[str, Any]:
    """The conversation after the client ran get_weather: the call, then its result.

    The assistant turn's content is ``""``, not the ``null`` answers carry: Requesty's request
    schema (seed 000, ChatMessage) requires a string or an array, and OpenAI accepts both.
    """
    call = {"id": CALL_ID, "type": "function", "function": {"name": FORCED, "arguments": '{"city": "Paris"}'}}
    body = chat_request(profile, prompt="What is the weather in Paris?", tools=[WEATHER_TOOL])
    body["messages"] += [
        {"role": "assistant", "content": "", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": CALL_ID, "content": WEATHER_RESULT},
    ]
    return body


def test_tool_result_continues_the_conversation(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A tool result sent back after the assistant's tool call gets an ordinary text answer"""
    response = client.post(chat_path, json=_follow_up(profile))
    expect_status(
        response, 200, chat_op, check=TOOL_RESULT, title="A conversation with a tool result was refused"
    )
    answer = json_object(response, chat_op)
    content, finish = dig(answer, "choices.0.message.content"), dig(answer, "choices.0.finish_reason")
    if not isinstance(content, str) or not content.strip() or finish not in FINISHED:
        raise ContractViolation(
            "A tool result did not get a text answer",
            expected=f"choices[0].message.content: text, finish_reason one of {', '.join(FINISHED)}",
            received=dig(answer, "choices.0", answer),
            check=TOOL_RESULT,
            operation=chat_op,
        )
