"""What changed between two versions of an OpenAPI spec, each change breaking or not.

Compares operations, parameters (added, removed, required-ness, types, enums), request bodies
and success responses (fields, required fields, types, enums), with ``$ref`` and ``allOf``
resolved.  Direction matters: a request that accepts less is breaking, a response that returns
less (or something new where a client expected something known) is breaking.

The rule in one line per case:

=========================  ===================================  ==================================
change                     in a request (client -> gateway)     in a response (gateway -> client)
=========================  ===================================  ==================================
field/parameter removed    breaking                             breaking
field added                breaking only if required            not breaking
became required            breaking                             not breaking
no longer required         not breaking                         breaking
type narrowed / changed    breaking                             breaking when types were added
enum value removed         breaking                             not breaking
enum value added           not breaking                         not breaking (noted)
=========================  ===================================  ==================================

``oneOf``/``anyOf`` variants are compared as the union of their fields (a simplification that
catches removed and retyped fields, not re-shuffled variants).  The ``gatecheck specs diff``
command (in the specs CLI) calls :func:`diff_specs` and :func:`render_markdown`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Change", "diff_specs", "has_breaking", "render_markdown", "to_json"]

_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
_MAX_DEPTH = 16


@dataclass(frozen=True, order=True)
class Change:
    """One difference; ``location`` is ``METHOD /path`` plus where inside it."""

    location: str
    kind: str
    breaking: bool
    message: str


@dataclass
class _Flat:
    types: set[str] = field(default_factory=set)
    enum: list[Any] | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: Any = None


def _resolve(node: Any, doc: Mapping[str, Any], seen: frozenset[str]) -> tuple[Any, frozenset[str]]:
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return {}, seen
        seen = seen | {ref}
        target: Any = doc
        for part in ref[2:].split("/"):
            target = (
                target.get(part.replace("~1", "/").replace("~0", "~"), {})
                if isinstance(target, Mapping)
                else {}
            )
        node = target
    return node, seen


def _flatten(node: Any, doc: Mapping[str, Any], seen: frozenset[str]) -> tuple[_Flat, frozenset[str]]:
    node, seen = _resolve(node, doc, seen)
    flat = _Flat()
    if not isinstance(node, Mapping):
        return flat, seen
    kind = node.get("type")
    flat.types |= set(kind) if isinstance(kind, list) else ({kind} if isinstance(kind, str) else set())
    if node.get("nullable") is True:
        flat.types.add("null")
    if isinstance(node.get("enum"), list):
        flat.enum = list(node["enum"])
    flat.properties.update(node.get("properties") or {})
    flat.required |= set(node.get("required") or [])
    flat.items = node.get("items")
    for combinator in ("allOf", "oneOf", "anyOf"):
        for part in node.get(combinator) or []:
            sub, _ = _flatten(part, doc, seen)
            flat.types |= sub.types
            flat.properties.update({k: v for k, v in sub.properties.items() if k not in flat.properties})
            if combinator == "allOf":
                flat.required |= sub.required
            flat.enum = flat.enum if flat.enum is not None else sub.enum
            flat.items = flat.items if flat.items is not None else sub.items
    if not flat.types and flat.properties:
        flat.types.add("object")
    return flat, seen


@dataclass
class _Differ:
    old_doc: Mapping[str, Any]
    new_doc: Mapping[str, Any]
    changes: list[Change] = field(default_factory=list)

    def add(self, location: str, kind: str, breaking: bool, message: str) -> None:
        self.changes.append(Change(location, kind, breaking, message))

    def schema(
        self,
        old: Any,
        new: Any,
        where: str,
        request: bool,
        seen: tuple = (frozenset(), frozenset()),
        depth: int = 0,
    ) -> None:
        if depth > _MAX_DEPTH:
            return
        a, seen_a = _flatten(old, self.old_doc, seen[0])
        b, seen_b = _flatten(new, self.new_doc, seen[1])
        self._types(a, b, where, request)
        self._enum(a, b, where, request)
        for name in sorted(set(a.properties) | set(b.properties)):
            self._property(a, b, name, f"{where}.{name}", request, (seen_a, seen_b), depth)
        if a.items is not None and b.items is not None:
            self.schema(a.items, b.items, f"{where}[]", request, (seen_a, seen_b), depth + 1)

    def _types(self, a: _Flat, b: _Flat, where: str, request: bool) -> None:
        if not a.types or not b.types or a.types == b.types:
            return
        widened, narrowed = b.types - a.types, a.types - b.types
        breaking = bool(narrowed) if request else bool(widened)
        self.add(
            where,
            "type-changed",
            breaking,
            f"type {'|'.join(sorted(a.types))} -> {'|'.join(sorted(b.types))}",
        )

    def _enum(self, a: _Flat, b: _Flat, where: str, request: bool) -> None:
        if a.enum is None or b.enum is None:
            if a.enum is not None and b.enum is None:
                self.add(where, "enum-removed", not request, "no longer restricted to an enum")
            elif a.enum is None and b.enum is not None:
                self.add(where, "enum-added", request, f"now restricted to {b.enum}")
            return
        removed = [v for v in a.enum if v not in b.enum]
        added = [v for v in b.enum if v not in a.enum]
        if removed:
            self.add(where, "enum-value-removed", request, f"enum values removed: {removed}")
        if added:
            note = "" if request else " (clients matching values exhaustively may need updating)"
            self.add(where, "enum-value-added", False, f"enum values added: {added}{note}")

    def _property(
        self, a: _Flat, b: _Flat, name: str, where: str, request: bool, seen: tuple, depth: int
    ) -> None:
        if name not in b.properties:
            self.add(where, "field-removed", True, f"{'request' if request else 'response'} field removed")
            return
        if name not in a.properties:
            required = name in b.required
            self.add(
                where, "field-added", request and required, f"{'required ' if required else ''}field added"
            )
            return
        was, now = name in a.required, name in b.required
        if was != now:
            breaking = now if request else was
            self.add(where, "required-changed", breaking, "became required" if now else "no longer required")
        self.schema(a.properties[name], b.properties[name], where, request, seen, depth + 1)


def _operations(doc: Mapping[str, Any]) -> dict[str, tuple[Mapping[str, Any], list[Any]]]:
    out = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        shared = list(item.get("parameters") or [])
        for method in _METHODS:
            if isinstance(item.get(method), Mapping):
                out[f"{method.upper()} {path}"] = (
                    item[method],
                    shared + list(item[method].get("parameters") or []),
                )
    return out


def _parameters(params: list[Any], doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    out = {}
    for param in params:
        param, _ = _resolve(param, doc, frozenset())
        if isinstance(param, Mapping) and "name" in param:
            out[f"{param.get('in', 'query')}:{param['name']}"] = param
    return out


def _json_schema(holder: Any, doc: Mapping[str, Any]) -> Any:
    holder, _ = _resolve(holder, doc, frozenset())
    content = holder.get("content") if isinstance(holder, Mapping) else None
    for media, body in (content or {}).items():
        if "json" in media and isinstance(body, Mapping):
            return body.get("schema")
    return None


def _diff_operation(d: _Differ, key: str, old: tuple, new: tuple) -> None:
    (old_op, old_params), (new_op, new_params) = old, new
    a, b = _parameters(old_params, d.old_doc), _parameters(new_params, d.new_doc)
    for name in sorted(set(a) | set(b)):
        where = f"{key} parameter {name}"
        if name not in b:
            d.add(where, "parameter-removed", True, "parameter removed")
        elif name not in a:
            required = bool(b[name].get("required"))
            d.add(where, "parameter-added", required, f"{'required ' if required else ''}parameter added")
        else:
            was, now = bool(a[name].get("required")), bool(b[name].get("required"))
            if was != now:
                d.add(where, "required-changed", now, "became required" if now else "no longer required")
            d.schema(a[name].get("schema"), b[name].get("schema"), where, True)
    old_body, new_body = (
        _json_schema(old_op.get("requestBody"), d.old_doc),
        _json_schema(new_op.get("requestBody"), d.new_doc),
    )
    if old_body is not None and new_body is not None:
        d.schema(old_body, new_body, f"{key} request", True)
    elif old_body is not None:
        d.add(f"{key} request", "request-body-removed", True, "JSON request body no longer documented")
    old_responses, new_responses = old_op.get("responses") or {}, new_op.get("responses") or {}
    for code in sorted(set(old_responses) | set(new_responses), key=str):
        where = f"{key} response {code}"
        if str(code).startswith("2") and code not in new_responses:
            d.add(where, "response-removed", True, "success response removed")
        elif code not in old_responses:
            d.add(where, "response-added", False, "response added")
        else:
            old_schema, new_schema = (
                _json_schema(old_responses[code], d.old_doc),
                _json_schema(new_responses[code], d.new_doc),
            )
            if old_schema is not None and new_schema is not None:
                d.schema(old_schema, new_schema, where, False)


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new`` (OpenAPI documents), sorted by location."""
    differ = _Differ(old, new)
    before, after = _operations(old), _operations(new)
    for key in sorted(set(before) | set(after)):
        if key not in after:
            differ.add(key, "operation-removed", True, "operation removed")
        elif key not in before:
            differ.add(key, "operation-added", False, "operation added")
        else:
            _diff_operation(differ, key, before[key], after[key])
    return sorted(set(differ.changes))


def has_breaking(changes: list[Change]) -> bool:
    return any(c.breaking for c in changes)


def to_json(changes: list[Change]) -> list[dict[str, Any]]:
    return [asdict(c) for c in changes]


def render_markdown(changes: list[Change], *, old_label: str = "old", new_label: str = "new") -> str:
    """The changes as Markdown, breaking ones first."""
    breaking = [c for c in changes if c.breaking]
    other = [c for c in changes if not c.breaking]
    lines = [
        f"# Spec diff: {old_label} -> {new_label}",
        "",
        f"{len(breaking)} breaking, {len(other)} non-breaking",
        "",
    ]
    for title, group in (("Breaking", breaking), ("Non-breaking", other)):
        lines += [f"## {title} ({len(group)})", ""]
        lines += [f"- `{c.location}` ({c.kind}): {c.message}" for c in group] or ["none"]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
