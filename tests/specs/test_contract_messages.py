"""Messages a client sends back as it received them satisfy the request contract."""

from __future__ import annotations

import jsonschema
import pytest

from gatecheck.specs.registry import load_spec

TOOL_ROUND_TRIP = [
    {"role": "user", "content": "Weather in Paris?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "call_1", "content": '{"temp_c": 18}'},
]


def _validator(document: dict, schema: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{schema}", **document})


def test_requesty_accepts_a_tool_call_conversation_sent_back_verbatim() -> None:
    validator = _validator(load_spec("requesty").document, "CreateChatCompletionRequest")
    assert list(validator.iter_errors({"messages": TOOL_ROUND_TRIP})) == []


@pytest.mark.parametrize("bad", [{"role": "wizard", "content": "x"}, {"role": "user"}])
def test_requesty_still_refuses_malformed_messages(bad: dict) -> None:
    validator = _validator(load_spec("requesty").document, "CreateChatCompletionRequest")
    assert list(validator.iter_errors({"messages": [bad]}))
