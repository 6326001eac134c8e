"""Structured outputs on Chat Completions: response_format json_object and json_schema are honoured.

Only the answer's content is judged, with its finish_reason shown beside it: a gateway that drops
``response_format`` answers in prose, which no JSON parser accepts, whatever the token budget.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest

from gatecheck.check_ids import STRUCTURED_JSON_OBJECT, STRUCTURED_JSON_SCHEMA, STRUCTURED_STATUS, CheckId
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, dig, expect_status, json_object

pytestmark = pytest.mark.capability("structured-outputs")

#: OpenAI refuses json_object mode unless the messages mention JSON.
JSON_PROMPT = 'Reply with the JSON object {"ok": true} and nothing else.'
SCHEMA_PROMPT = "Report the weather in Paris as JSON: the city and a temperature in degrees Celsius."
#: Strict mode wants every property required and no others allowed (OpenAI's strict subset).
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "temperature_c": {"type": "number"}},
    "required": ["city", "temperature_c"],
    "additionalProperties": False,
}
#: Room for a short JSON document (the mock's json_object answer quotes the prompt).
JSON_TOKENS = 48
#: The check a mode's non-JSON answer fails, by response_format type.
_MODE_CHECKS: dict[str, CheckId] = {
    "json_object": STRUCTURED_JSON_OBJECT,
    "json_schema": STRUCTURED_JSON_SCHEMA,
}


def _content(client: httpx.Client, chat_path: str, chat_op: str, body: dict[str, Any]) -> tuple[str, str]:
    """(the answer's content, a one-line account of it for failure messages)."""
    response = client.post(chat_path, json=body)
    expect_status(response, 200, chat_op, check=STRUCTURED_STATUS)
    answer = json_object(response, chat_op)
    content = dig(answer, "choices.0.message.content")
    finish = dig(answer, "choices.0.finish_reason")
    return (content if isinstance(content, str) else ""), f"finish_reason {finish!r}, content: {content!r}"


def _parsed(content: str, received: str, *, mode: str, op: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        raise ContractViolation(
            f"Answer is not JSON although response_format asked for {mode}",
            expected="choices[0].message.content: a JSON document",
            received=received,
            check=_MODE_CHECKS[mode],
            operation=op,
        ) from None


def test_json_object_mode_yields_json(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """response_format json_object yields content that parses as a JSON object"""
    body = chat_request(
        profile, prompt=JSON_PROMPT, max_tokens=JSON_TOKENS, response_format={"type": "json_object"}
    )
    content, received = _content(client, chat_path, chat_op, body)
    if not isinstance(_parsed(content, received, mode="json_object", op=chat_op), dict):
        raise ContractViolation(
            "json_object answer is JSON but not an object",
            expected="choices[0].message.content: a JSON object",
            received=received,
            check=STRUCTURED_JSON_OBJECT,
            operation=chat_op,
        )


def test_strict_json_schema_output_validates(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """response_format json_schema with strict yields content valid against the schema"""
    schema_format = {"name": "weather_report", "strict": True, "schema": SCHEMA}
    body = chat_request(
        profile,
        prompt=SCHEMA_PROMPT,
        max_tokens=JSON_TOKENS,
        response_format={"type": "json_schema", "json_schema": schema_format},
    )
    content, received = _content(client, chat_path, chat_op, body)
    document = _parsed(content, received, mode="json_schema", op=chat_op)
    problem = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document))
    if problem is not None:
        raise ContractViolation(
            "json_schema answer does not match the schema",
            expected=f"content valid against {json.dumps(SCHEMA)} (strict: true)",
            received=f"{received} ({problem.message})",
            check=STRUCTURED_JSON_SCHEMA,
            operation=chat_op,
        )
