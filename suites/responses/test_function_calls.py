"""Streamed function calls on the Responses API: a function_call item, argument deltas, then done."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from gatecheck.check_ids import (
    RESPONSES_FUNCTION_CALL_ARGUMENTS,
    RESPONSES_FUNCTION_CALL_DELTAS,
    RESPONSES_FUNCTION_CALL_ITEM,
    RESPONSES_FUNCTION_CALL_ORDER,
    CheckId,
)
from gatecheck.failures import ContractViolation
from gatecheck.scenario import WEATHER_TOOL

if TYPE_CHECKING:
    from conftest import ResponseStream, StreamEvent  # the fixtures' types, for readers only

pytestmark = [
    pytest.mark.capability("responses"),
    pytest.mark.capability("streaming"),
    pytest.mark.capability("tools"),
]

ITEM_ADDED = "response.output_item.added"
ARGS_DELTA, ARGS_DONE = "response.function_call_arguments.delta", "response.function_call_arguments.done"
#: The forced function (conftest.FUNCTION_TOOL): its name and parameters.
FUNCTION: str = WEATHER_TOOL["function"]["name"]
PARAMETERS: dict[str, Any] = WEATHER_TOOL["function"]["parameters"]


def _fail(
    stream: ResponseStream, title: str, expected: str, received: Any, *, check: CheckId
) -> ContractViolation:
    return ContractViolation(
        title, expected=expected, received=received, check=check, operation=stream.operation
    )


def _call_item(stream: ResponseStream) -> StreamEvent:
    """The output_item.added event announcing the forced function call."""
    for event in stream.of_type(ITEM_ADDED):
        item = event.payload.get("item") or {}
        if item.get("type") == "function_call":
            if item.get("name") != FUNCTION or not item.get("call_id"):
                raise _fail(
                    stream,
                    f"Event {event.index} announces a call without call_id or to the wrong function",
                    f"item.type 'function_call', item.name {FUNCTION!r} (forced by tool_choice), a call_id",
                    item,
                    check=RESPONSES_FUNCTION_CALL_ITEM,
                )
            return event
    raise _fail(
        stream,
        "Stream announces no function_call item",
        f"a {ITEM_ADDED} event whose item is a function_call (tool_choice forced {FUNCTION})",
        stream.names(),
        check=RESPONSES_FUNCTION_CALL_ITEM,
    )


def _arguments(stream: ResponseStream, added: StreamEvent) -> str:
    """The call's arguments: deltas after the item was added, then a done event that repeats them."""
    index = added.payload.get("output_index")
    mine = [e for e in stream.of_type(ARGS_DELTA, ARGS_DONE) if e.payload.get("output_index") == index]
    done = [e for e in mine if e.type == ARGS_DONE]
    if len(done) != 1 or mine[-1] is not done[0] or mine[0].index < added.index:
        raise _fail(
            stream,
            f"Function call events of output {index} are out of order",
            f"{ITEM_ADDED} (event {added.index}), then {ARGS_DELTA}…, then one {ARGS_DONE}",
            stream.names(),
            check=RESPONSES_FUNCTION_CALL_ORDER,
        )
    joined = "".join(str(e.payload.get("delta") or "") for e in mine[:-1])
    arguments = done[0].payload.get("arguments")
    if not isinstance(arguments, str) or (len(mine) > 1 and joined != arguments):
        raise _fail(
            stream,
            f"Argument deltas do not join into the arguments of {done[0]}",
            f"the deltas to join into arguments {arguments!r}",
            joined,
            check=RESPONSES_FUNCTION_CALL_DELTAS,
        )
    return arguments


def test_streamed_function_call_events_arrive_in_order(call_stream: ResponseStream) -> None:
    """A streamed forced call is a function_call item, argument deltas, then done with JSON arguments"""
    arguments = _arguments(call_stream, _call_item(call_stream))
    try:
        parsed = json.loads(arguments)
    except ValueError:
        raise _fail(
            call_stream,
            "Function call arguments are not valid JSON",
            "arguments: a JSON object encoded as a string",
            arguments,
            check=RESPONSES_FUNCTION_CALL_ARGUMENTS,
        ) from None
    problem = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(PARAMETERS).iter_errors(parsed)
    )
    if problem is not None:
        where = "/".join(map(str, problem.absolute_path)) or "(top level)"
        raise _fail(
            call_stream,
            f"Function call arguments do not match the function's parameters at {where}",
            f"arguments valid against {json.dumps(PARAMETERS)}",
            f"{arguments} ({problem.message})",
            check=RESPONSES_FUNCTION_CALL_ARGUMENTS,
        )
