"""Request bodies are checked against the flavor's bundled contract before any handler logic.

The spec (vendor document plus gatecheck's contract overlay) is what a conformance run holds the
mock to, so the mock refuses exactly what it declares invalid: a type, enum or range the
document states is a 400 naming the field, even for fields the simulation otherwise ignores
(``service_tier``, ``trace``...).  Handlers then apply the semantic checks no schema can state
(known model, known tool name).  Validators are compiled once per process with jsonschema-rs
(schemathesis' own validator, a few microseconds per request on the hot path).  The
``missing-messages-accepted`` fault applies here, where ``messages`` is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jsonschema_rs
from starlette.requests import Request

from gatecheck.mock.inference.body import Fields, bad, read_json
from gatecheck.mock.inference.context import Context
from gatecheck.specs.registry import load_spec

__all__ = ["read_request", "request_validators"]

Validator = Any  # jsonschema_rs validators share no public base class


def _json_schema(operation: Mapping[str, Any]) -> Any:
    content = (operation.get("requestBody") or {}).get("content") or {}
    return (content.get("application/json") or {}).get("schema")


@cache
def request_validators(spec_name: str) -> dict[tuple[str, str], Validator]:
    """Validators by (path, METHOD) for every JSON request body the spec defines."""
    document = load_spec(spec_name).document
    components = document.get("components", {})
    validators = {}
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and (schema := _json_schema(operation)) is not None:
                # the body schema as root, with the document's components beside it for its $refs
                root = {**schema, "components": components} if isinstance(schema, dict) else schema
                validators[(path, method.upper())] = jsonschema_rs.Draft202012Validator(root)
    return validators


def _where(error: Any) -> str:
    parts = list(error.instance_path)
    if isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Required):
        parts.append(error.kind.property)
    fields = Fields({})
    for part in parts:
        fields = Fields({}, fields.at(part))
    return fields.path


async def read_request(ctx: Context, request: Request, path: str) -> Fields:
    """The JSON body of an operation at ``path``, valid against the contract, as Fields."""
    data = await read_json(request, ctx.settings.max_body_bytes)
    if (
        "missing-messages-accepted" in ctx.faults
        and path == "/chat/completions"
        and data.get("messages") is None
    ):
        data["messages"] = [{"role": "user", "content": "(no messages)"}]  # the fault: required, yet served
    validator = ctx.request_validators.get((path, request.method))
    if validator is not None and (error := next(validator.iter_errors(data), None)) is not None:
        where = _where(error)
        if isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Required):
            bad(where, "is required")
        bad(where, f"is invalid: {error.message}" if where else f"request body is invalid: {error.message}")
    return Fields(data)
