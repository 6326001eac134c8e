"""A minimal valid instance of a JSON Schema, deterministically.

Forced tool calls and ``json_schema`` response formats must produce JSON that validates against
the caller's schema, or a gatecheck scenario checking that would fail against a correct mock.
The generator covers what function and structured-output schemas use (objects, arrays, scalars
with bounds and formats, enum/const, $ref, allOf/anyOf/oneOf); each choice between branches is
checked with ``jsonschema``.  A ``pattern`` is met by trying a few candidates: best effort.
"""

from __future__ import annotations

import math
import re
from typing import Any

import jsonschema
from jsonschema.validators import validator_for

__all__ = ["SchemaProblem", "check_schema", "instance"]

_FORMATS = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "00:00:00Z",
    "email": "mock@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
}
_PATTERN_CANDIDATES = ("mock", "a", "A", "0", "", "mock-1", "abc123", "A1", "a_b", "2025-01-01")
_MAX_DEPTH = 12
# a caller's schema may ask for absurd sizes; past these the instance is cut short (and invalid)
# rather than exhausting the server
_MAX_ITEMS = 256
_MAX_LENGTH = 8192


class SchemaProblem(ValueError):
    """The caller's schema is not a valid JSON Schema (a 400 for the request that sent it)."""


def check_schema(schema: Any) -> None:
    """Raise SchemaProblem unless ``schema`` is a valid JSON Schema."""
    if not isinstance(schema, dict | bool):
        raise SchemaProblem("must be a JSON Schema object")
    try:
        validator_for(schema, default=jsonschema.Draft202012Validator).check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise SchemaProblem(f"is not a valid JSON Schema: {exc.message}") from None


def _valid(value: Any, schema: Any, root: Any) -> bool:
    if isinstance(schema, dict) and isinstance(root, dict) and schema is not root:
        schema = {**schema, **{k: root[k] for k in ("$defs", "definitions") if k in root}}
    try:
        return jsonschema.Draft202012Validator(schema).is_valid(value)
    except Exception:  # an unresolvable $ref in the caller's schema: treat the branch as unusable
        return False


def instance(schema: Any, root: Any = None, variant: int = 0, depth: int = 0) -> Any:
    """A small value valid against ``schema``; ``variant`` makes array items distinct."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None if schema is False else "mock"
    if "$ref" in schema:
        return instance(_resolve(schema["$ref"], root), root, variant, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][variant % len(schema["enum"])]
    if "default" in schema and _valid(schema["default"], schema, root):
        return schema["default"]
    if "allOf" in schema:
        return instance(_merge(schema, root), root, variant, depth + 1)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return _branch(schema, key, root, variant, depth)
    return _typed(schema, _type_of(schema), root, variant, depth)


def _branch(schema: dict[str, Any], key: str, root: Any, variant: int, depth: int) -> Any:
    rest = {k: v for k, v in schema.items() if k != key}
    first = None
    for option in schema[key]:
        merged = {**rest, **option} if isinstance(option, dict) else option
        value = instance(merged, root, variant, depth + 1)
        first = value if first is None else first
        if _valid(value, schema, root):
            return value
    return first


def _resolve(ref: str, root: Any) -> Any:
    if not ref.startswith("#"):
        return {}
    node = root
    for part in ref.lstrip("#").strip("/").split("/"):
        if not part:
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node


def _merge(schema: dict[str, Any], root: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        part = _resolve(part["$ref"], root) if isinstance(part, dict) and "$ref" in part else part
        if not isinstance(part, dict):
            continue
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = sorted({*merged.get("required", []), *value})
            else:
                merged.setdefault(key, value)
    return merged


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind:
        return kind
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return "string"


def _typed(schema: dict[str, Any], kind: str, root: Any, variant: int, depth: int) -> Any:
    if kind == "object":
        return _object(schema, root, depth)
    if kind == "array":
        return _array(schema, root, depth)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer", variant)
    if kind == "boolean":
        return variant % 2 == 0
    if kind == "null":
        return None
    return _string(schema, variant)


def _object(schema: dict[str, Any], root: Any, depth: int) -> dict[str, Any]:
    properties = schema.get("properties", {})
    names = list(schema.get("required", []))
    for name in properties:  # fill up to minProperties with optional ones, in order
        if len(names) >= schema.get("minProperties", 0):
            break
        if name not in names:
            names.append(name)
    extra = schema.get("additionalProperties", {})
    return {
        n: instance(properties.get(n, extra if isinstance(extra, dict) else {}), root, 0, depth + 1)
        for n in names
    }


def _array(schema: dict[str, Any], root: Any, depth: int) -> list[Any]:
    prefix = schema.get("prefixItems", [])
    size = min(_MAX_ITEMS, max(schema.get("minItems", 0), len(prefix) if schema.get("items") is False else 0))
    items = schema.get("items", {})
    return [instance(prefix[i] if i < len(prefix) else items, root, i, depth + 1) for i in range(size)]


def _number(schema: dict[str, Any], integer: bool, variant: int) -> int | float:
    value: float = variant
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema:
        value = max(value, math.floor(schema["exclusiveMinimum"]) + 1)
    if step := schema.get("multipleOf"):
        value = math.ceil(value / step) * step
    if "maximum" in schema and value > schema["maximum"]:
        value = schema["maximum"]
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        value = schema["exclusiveMaximum"] - 1
    return math.ceil(value) if integer else value


def _string(schema: dict[str, Any], variant: int) -> str:
    base = _FORMATS.get(schema.get("format", ""), "mock" if variant == 0 else f"mock-{variant}")
    if pattern := schema.get("pattern"):
        base = _fit_pattern(pattern, base)
    low, high = min(schema.get("minLength", 0), _MAX_LENGTH), schema.get("maxLength")
    if len(base) < low:
        base += "x" * (low - len(base))
    return base[:high] if high is not None else base


def _fit_pattern(pattern: str, base: str) -> str:
    try:
        regex = re.compile(pattern)
    except re.error:
        return base
    for candidate in (base, *_PATTERN_CANDIDATES):
        if regex.search(candidate):
            return candidate
    return base
