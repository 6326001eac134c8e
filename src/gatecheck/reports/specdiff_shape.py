"""One schema, normalised to what a client can rely on, so equivalent spellings compare equal.

Vendors rewrite schemas without changing what they accept: an ``enum`` becomes an ``anyOf`` of
``const``s, ``nullable: true`` (3.0) becomes ``type: [x, "null"]`` or an ``anyOf`` with a
``{type: "null"}`` branch (3.1), an inline schema moves behind a ``$ref``.  A diff that compares
spellings reports each of those as a breaking change.  :func:`shape` reduces a schema to types,
allowed values, properties, required names and items, with ``$ref`` followed and combinators
folded, so that only changes of meaning are left to compare.

Folding rules: ``allOf`` intersects (types, values) and unites (properties, required);
``anyOf``/``oneOf`` unite types and values, and a branch with no restriction makes the whole
unrestricted (an empty set of types means "unknown": never compared, never reported).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Shape", "resolve", "shape"]

_MAX_REFS = 32


@dataclass
class Shape:
    """What a schema allows; ``values`` are canonical JSON texts (None: any value of the types)."""

    types: frozenset[str] = frozenset()
    values: frozenset[str] | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Any = None


def resolve(node: Any, doc: Mapping[str, Any]) -> Any:
    """``node`` with local ``$ref``s followed (a dangling or cyclic one resolves to ``{}``)."""
    for _ in range(_MAX_REFS):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str):
            return node
        if not ref.startswith("#/"):
            return {}
        target: Any = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target if isinstance(target, Mapping) else {}
    return {}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _own(node: Mapping[str, Any]) -> Shape:
    """The node's own keywords, before its combinators."""
    kind = node.get("type")
    types = {t for t in (kind if isinstance(kind, list) else [kind]) if isinstance(t, str)}
    if node.get("nullable") is True and types:
        types.add("null")
    values: set[str] | None = None
    if "const" in node:
        values = {_canonical(node["const"])}
    elif isinstance(node.get("enum"), list):
        values = {_canonical(v) for v in node["enum"]}
    if values is not None and "null" in values:
        values.discard("null")  # null as a value is "nullable", which types say
        types |= {"null"} if types else set()
    if values is not None and not types:
        types = {_json_type(json.loads(v)) for v in values}
    properties = node.get("properties")
    properties = {str(k): v for k, v in properties.items()} if isinstance(properties, Mapping) else {}
    required = node.get("required")
    return Shape(
        types=frozenset(str(t) for t in types),
        values=frozenset(values) if values is not None else None,
        properties=properties,
        required=frozenset(r for r in required if isinstance(r, str))
        if isinstance(required, list)
        else frozenset(),
        items=node.get("items"),
    )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    names: dict[type, str] = {str: "string", list: "array", dict: "object"}
    return names.get(type(value), "null")


def shape(node: Any, doc: Mapping[str, Any], depth: int = 0) -> Shape:
    """The normalised shape of ``node`` in ``doc`` (combinators folded ``depth`` levels deep at most)."""
    node = resolve(node, doc)
    if not isinstance(node, Mapping) or depth > 8:
        return Shape()
    result = _own(node)
    parts = node.get("allOf")
    for part in parts if isinstance(parts, list) else []:
        result = _intersect(result, shape(part, doc, depth + 1))
    for keyword in ("anyOf", "oneOf"):
        branches = node.get(keyword)
        if isinstance(branches, list) and branches:
            result = _intersect(result, _unite([shape(b, doc, depth + 1) for b in branches]))
    if not result.types and result.properties:
        result.types = frozenset({"object"})
    if node.get("nullable") is True and result.types:  # beside combinators too, as 3.0 meant it
        result.types = result.types | {"null"}
    return result


def _intersect(a: Shape, b: Shape) -> Shape:
    """Both must hold (``allOf``, or a node's own keywords beside its combinators)."""
    types = a.types & b.types if a.types and b.types else a.types or b.types
    if a.types and b.types and not types and {"integer", "number"} <= a.types | b.types:
        types = frozenset({"integer"})
    values = (
        a.values & b.values if a.values is not None and b.values is not None else _either(a.values, b.values)
    )
    return Shape(
        types=types,
        values=values,
        properties={**b.properties, **a.properties},
        required=a.required | b.required,
        items=a.items if a.items is not None else b.items,
    )


def _unite(branches: Iterable[Shape]) -> Shape:
    """Any one may hold (``anyOf``/``oneOf``): a ``{type: null}`` branch only adds null."""
    branches = list(branches)
    real = [b for b in branches if b.types != frozenset({"null"})]
    nullable = len(real) < len(branches)
    types: frozenset[str] = frozenset()
    if real and all(b.types for b in real):
        types = frozenset().union(*(b.types for b in real)) | ({"null"} if nullable else set())
    values = None
    if real and all(b.values is not None for b in real):
        values = frozenset().union(*(b.values for b in real if b.values is not None))
    properties: dict[str, Any] = {}
    for branch in real:
        properties.update({k: v for k, v in branch.properties.items() if k not in properties})
    required = frozenset.intersection(*(b.required for b in real)) if real else frozenset()
    items = next((b.items for b in real if b.items is not None), None)
    return Shape(types=types, values=values, properties=properties, required=required, items=items)


def _either(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return a if a is not None else b
