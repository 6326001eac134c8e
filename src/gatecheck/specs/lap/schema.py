"""LAP types as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), shared by requests and responses.

The one place the two differ is which map fields are ``required``.  In a request, only what the
LAP marks (``@required`` at the top, ``name!`` inside maps) is required.  In a response the LAP
lists the fields the API returns, so every field is required unless it is nullable (``T?``) -- and
``name!: T?`` means "always present, possibly null".  That rule applies at every depth, which is
what gives the contract checks something to check inside the ubiquitous ``{data: map{...}}``.
"""

from __future__ import annotations

from typing import Any

from gatecheck.specs.lap.model import LapField, LapType

__all__ = ["ERROR_RESPONSE", "JSON_TYPES", "field_schema", "is_required", "object_schema", "type_schema"]

Schema = dict[str, Any]

JSON_TYPES = {
    "str": "string",
    "int": "integer",
    "num": "number",
    "bool": "boolean",
    "map": "object",
    "array": "array",
}

# LAP's @errors carries codes only; the envelope is the one OpenAI-compatible gateways share.
ERROR_RESPONSE: Schema = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "message": {"type": "string"},
                "code": {"type": ["integer", "string"]},
                "metadata": {"type": "object"},
            },
        }
    },
}


def type_schema(lap_type: LapType, *, response: bool) -> Schema:
    """``any`` is ``{}`` whether nullable or not: it already admits null."""
    if lap_type.kind == "any":
        return {}
    json_type = JSON_TYPES[lap_type.kind]
    schema: Schema = {"type": [json_type, "null"] if lap_type.nullable else json_type}
    if lap_type.format:
        schema["format"] = lap_type.format
    if lap_type.enum:
        # JSON Schema checks ``enum`` independently of ``type``, so a nullable enum must list null.
        schema["enum"] = [*lap_type.enum, None] if lap_type.nullable else list(lap_type.enum)
    if lap_type.item is not None:
        schema["items"] = type_schema(lap_type.item, response=response)
    if lap_type.fields is not None:
        members = object_schema(lap_type.fields, response=response)
        schema.update((key, value) for key, value in members.items() if key != "type")
    return schema


def field_schema(field: LapField, *, response: bool) -> Schema:
    schema = type_schema(field.type, response=response)
    if field.default is not None:
        schema["default"] = field.default
    return schema


def is_required(field: LapField, *, response: bool) -> bool:
    return field.required_in_map or (response and not field.type.nullable)


def object_schema(
    fields: tuple[LapField, ...], *, response: bool, required: tuple[str, ...] | None = None
) -> Schema:
    """An object with ``properties``; ``required`` overrides the per-field rule (for request bodies)."""
    if required is None:
        required = tuple(f.name for f in fields if is_required(f, response=response))
    schema: Schema = {
        "type": "object",
        "properties": {f.name: field_schema(f, response=response) for f in fields},
    }
    if required:
        schema["required"] = list(required)
    return schema
