"""JSON Schema -> LAP type text, the inverse of ``schema.py`` for the schemas LAP can express.

What LAP cannot say raises :class:`LapEmitError` naming the JSON pointer of the schema, rather than
writing LAP that would compile to something else: ``$ref`` and combinators, type unions other than
``[T, "null"]``, enum values containing LAP punctuation or blanks, a one-value enum that reads as a
format (``str(uuid)``), unknown formats.  Annotations and validation keywords LAP has no syntax for
(``description``, ``minimum``, ``pattern``...) are dropped: that is the "where LAP can express it".
"""

from __future__ import annotations

from typing import Any

from gatecheck.errors import SpecError
from gatecheck.specs.lap.lexer import PUNCTUATION
from gatecheck.specs.lap.model import NUMBER_FORMATS, STRING_FORMATS

__all__ = ["LapEmitError", "render_field", "render_fields", "render_type"]

_STRUCTURAL = ("$ref", "oneOf", "anyOf", "allOf", "not", "const", "prefixItems", "if", "patternProperties")
_LAP_TYPES = {"string": "str", "integer": "int", "number": "num", "boolean": "bool"}


class LapEmitError(SpecError):
    """An OpenAPI construct has no LAP v0.3 spelling; ``where`` is its JSON pointer."""

    def __init__(self, message: str, where: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")


def render_fields(properties: dict[str, Any], required: list[str], *, response: bool, where: str) -> str:
    """``{a: str, b!: int?}`` for a map or response body (``!`` marks required)."""
    fields = (
        render_field(name, schema, required=name in required, response=response, marks=True, where=where)
        for name, schema in properties.items()
    )
    return "{" + ", ".join(fields) + "}"


def render_field(
    name: str, schema: dict[str, Any], *, required: bool, response: bool, marks: bool, where: str
) -> str:
    """``name[!]: type[?][=default]``; ``marks`` is False at the top of a request, where @required says it."""
    where = f"{where}/properties/{name}"
    _check_word(name, "field name", where)
    lap_type, nullable = _render(schema, response=response, where=where)
    if response and not required and not nullable:
        lap_type = _nullable(lap_type)  # "may be absent" has no other LAP spelling in a response
    bang = "!" if marks and required and (nullable or not response) else ""
    return f"{name}{bang}: {lap_type}{_default(schema, where)}"


def _nullable(lap_type: str) -> str:
    return "map?" + lap_type[3:] if lap_type.startswith("map{") else lap_type + "?"


def render_type(schema: dict[str, Any], *, response: bool, where: str) -> str:
    """The LAP spelling of ``schema`` including its ``?`` and ``=default``."""
    lap_type, _ = _render(schema, response=response, where=where)
    return lap_type + _default(schema, where)


def _render(schema: dict[str, Any], *, response: bool, where: str) -> tuple[str, bool]:
    if bad := next((key for key in _STRUCTURAL if key in schema), None):
        raise LapEmitError(f"{bad!r} cannot be expressed in LAP v0.3", where)
    if "type" not in schema:
        return "any", False
    json_type, nullable = _split_type(schema["type"], where)
    mark = "?" if nullable else ""
    if json_type == "array":
        item = render_type(schema.get("items", {}), response=response, where=f"{where}/items")
        return f"[{item}]{mark}", nullable
    if json_type == "object":
        if "properties" not in schema:
            return f"map{mark}", nullable
        fields = render_fields(
            schema["properties"], schema.get("required", []), response=response, where=where
        )
        return f"map{mark}{fields}", nullable
    if json_type not in _LAP_TYPES:
        raise LapEmitError(f"type {json_type!r} cannot be expressed in LAP v0.3", where)
    return _LAP_TYPES[json_type] + _args(schema, json_type, where) + mark, nullable


def _split_type(declared: Any, where: str) -> tuple[str, bool]:
    if isinstance(declared, str):
        return declared, False
    others = [t for t in declared if t != "null"]
    if len(others) != 1 or len(declared) > 2:
        raise LapEmitError(f"type {declared!r}: LAP only has T and nullable T?", where)
    return others[0], "null" in declared


def _args(schema: dict[str, Any], json_type: str, where: str) -> str:
    values = [value for value in schema.get("enum", []) if value is not None]
    fmt = schema.get("format")
    if values and (json_type != "string" or fmt):
        raise LapEmitError("LAP has enums of plain strings only", where)
    if values:
        for value in values:
            _check_word(value, "enum value", where)
        if len(values) == 1 and values[0] in STRING_FORMATS:
            raise LapEmitError(f"one-value enum {values[0]!r} would read back as a format", where)
        return "(" + "/".join(values) + ")"
    if fmt is None:
        return ""
    known = STRING_FORMATS if json_type == "string" else NUMBER_FORMATS
    if json_type == "boolean" or fmt not in known:
        raise LapEmitError(f"format {fmt!r} of a {json_type} cannot be expressed in LAP v0.3", where)
    return f"({fmt})"


def _default(schema: dict[str, Any], where: str) -> str:
    if "default" not in schema or schema["default"] is None:
        return ""
    value = schema["default"]
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if isinstance(value, dict | list):
        raise LapEmitError("LAP defaults are scalars", where)
    _check_word(text, "default", where)
    return f"={text}"


def _check_word(text: Any, what: str, where: str) -> None:
    if not isinstance(text, str) or not text or any(c in PUNCTUATION or c.isspace() for c in text):
        raise LapEmitError(f"{what} {text!r} cannot be written in LAP (empty, blank or punctuation)", where)
