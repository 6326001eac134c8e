"""Structured outputs on the Responses API: text.format json_schema shapes the output text.

Requesty's changelog (seed 001) announces JSON Schema and json_object modes on ``/v1/responses``,
"matching the Chat Completions feature set"; OpenRouter's Responses API takes ``text`` too (003).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from gatecheck.check_ids import RESPONSES_JSON_SCHEMA
from gatecheck.failures import ContractViolation

if TYPE_CHECKING:
    from conftest import ResponsesApi  # the fixture's type, for readers and type checkers only

pytestmark = [pytest.mark.capability("responses"), pytest.mark.capability("structured-outputs")]

#: Strict mode wants every property required and no others allowed (OpenAI's strict subset).
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "temperature_c": {"type": "number"}},
    "required": ["city", "temperature_c"],
    "additionalProperties": False,
}
#: Room for the JSON document (about 15 tokens); a fraction of a cent on a real model.
MAX_OUTPUT_TOKENS = 64
PROMPT = "Report the weather in Paris as JSON: the city and a temperature in degrees Celsius."


def test_json_schema_format_shapes_the_output_text(responses_api: ResponsesApi) -> None:
    """text.format json_schema (strict) yields output text that is JSON valid against the schema"""
    fmt = {"type": "json_schema", "name": "weather_report", "schema": SCHEMA, "strict": True}
    body = responses_api.body(PROMPT, max_output_tokens=MAX_OUTPUT_TOKENS, text={"format": fmt})
    response = responses_api.create(body)
    text = responses_api.output_text(response)
    received = f"status {response.get('status')!r}, output text: {text!r}"
    if not text:
        raise ContractViolation(
            "Response carries no output text",
            expected="a message item with output_text holding the JSON document",
            received=response,
            check=RESPONSES_JSON_SCHEMA,
            operation=responses_api.op,
        )
    try:
        document = json.loads(text)
    except ValueError:
        raise ContractViolation(
            "Output text is not JSON although text.format asked for a JSON schema",
            expected="output_text: a JSON document valid against the text.format schema",
            received=received,
            check=RESPONSES_JSON_SCHEMA,
            operation=responses_api.op,
        ) from None
    problem = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document))
    if problem is not None:
        raise ContractViolation(
            "Output text does not match the text.format schema",
            expected=f"JSON valid against {json.dumps(SCHEMA)}",
            received=f"{received} ({problem.message})",
            check=RESPONSES_JSON_SCHEMA,
            operation=responses_api.op,
        )
