"""What changed between two versions of an OpenAPI spec, each change breaking or not.

Compares operations, parameters, request bodies and responses (every status code, its JSON
schema: fields, required fields, types, allowed values) after normalising equivalent spellings
(:mod:`gatecheck.reports.specdiff_shape`: enum vs ``anyOf`` of ``const``, ``nullable`` vs
``type: [x, null]``, ``$ref`` vs inline, 3.0 vs 3.1).  Direction matters: a request that
accepts less is breaking, a response that returns less (or something new where a client
expected something known) is breaking.

=========================  ===================================  ==================================
change                     in a request (client -> gateway)     in a response (gateway -> client)
=========================  ===================================  ==================================
field/parameter removed    breaking                             breaking
field added                breaking only if required            not breaking
became required            breaking                             not breaking
no longer required         not breaking                         breaking
type narrowed / changed    breaking                             breaking when types were added
allowed value removed      breaking                             not breaking
allowed value added        not breaking                         not breaking (noted)
status code removed        -                                    breaking for 2xx, else noted
=========================  ===================================  ==================================

Shared schemas are compared once per pair and their findings reused at every place they are
used, so two 3 MB documents diff in about a second.  Rendering is in
:mod:`gatecheck.reports.specdiff_render`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from gatecheck.reports.specdiff_shape import Shape, resolve, shape

__all__ = ["Change", "diff_specs", "has_breaking", "to_json"]

_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
_MAX_DEPTH = 24

_Found = tuple[str, str, bool, str]  # (where, relative to the schema; kind; breaking; message)


@dataclass(frozen=True, order=True)
class Change:
    """One difference; ``location`` is ``METHOD /path`` plus where inside it."""

    location: str
    kind: str
    breaking: bool
    message: str

    @property
    def operation(self) -> str:
        """``METHOD /path``: what reports group changes by."""
        return " ".join(self.location.split(" ")[:2])


def _values(values: frozenset[str]) -> str:
    return ", ".join(sorted(values, key=str))


@dataclass
class _SchemaDiffer:
    """Compares two schemas in one direction; memoised per pair of schema objects."""

    old_doc: Mapping[str, Any]
    new_doc: Mapping[str, Any]
    #: Keyed by the ids of the two schema objects, which the entry keeps alive so ids stay unique.
    memo: dict[tuple[int, int, bool], tuple[Any, Any, list[_Found]]] = field(default_factory=dict)

    def compare(self, old: Any, new: Any, request: bool, depth: int = 0) -> list[_Found]:
        old, new = resolve(old, self.old_doc), resolve(new, self.new_doc)
        key = (id(old), id(new), request)
        if key in self.memo:
            return self.memo[key][2]
        if depth > _MAX_DEPTH:
            return []
        self.memo[key] = (old, new, [])  # a cycle back to this pair adds nothing
        a, b = shape(old, self.old_doc), shape(new, self.new_doc)
        found = [*self._types(a, b, request), *self._values(a, b, request)]
        for name in sorted(set(a.properties) | set(b.properties)):
            found += self._property(a, b, name, request, depth)
        if a.items is not None and b.items is not None:
            found += [
                (f"[]{w}", k, br, m) for w, k, br, m in self.compare(a.items, b.items, request, depth + 1)
            ]
        self.memo[key] = (old, new, found)
        return found

    @staticmethod
    def _types(a: Shape, b: Shape, request: bool) -> list[_Found]:
        if not a.types or not b.types or a.types == b.types:
            return []
        widened, narrowed = b.types - a.types, a.types - b.types
        if widened == {"number"} and narrowed == {"integer"}:
            widened, narrowed = frozenset({"number"}), frozenset()  # integer -> number only widens
        breaking = bool(narrowed) if request else bool(widened)
        message = f"type {'|'.join(sorted(a.types))} -> {'|'.join(sorted(b.types))}"
        return [("", "type-changed", breaking, message)]

    @staticmethod
    def _values(a: Shape, b: Shape, request: bool) -> list[_Found]:
        if a.values is None and b.values is None:
            return []
        if b.values is None:
            return [("", "enum-removed", not request, "no longer restricted to a list of values")]
        if a.values is None:
            return [("", "enum-added", request, f"now restricted to {_values(b.values)}")]
        found: list[_Found] = []
        if removed := a.values - b.values:
            found.append(("", "enum-value-removed", request, f"values no longer allowed: {_values(removed)}"))
        if added := b.values - a.values:
            note = "" if request else " (clients matching values exhaustively may need updating)"
            found.append(("", "enum-value-added", False, f"values added: {_values(added)}{note}"))
        return found

    def _property(self, a: Shape, b: Shape, name: str, request: bool, depth: int) -> list[_Found]:
        where = f".{name}"
        if name not in b.properties:
            return [(where, "field-removed", True, f"{'request' if request else 'response'} field removed")]
        if name not in a.properties:
            required = name in b.required
            message = f"{'required ' if required else ''}field added"
            return [(where, "field-added", request and required, message)]
        found: list[_Found] = []
        was, now = name in a.required, name in b.required
        if was != now:
            message = "became required" if now else "no longer required"
            found.append((where, "required-changed", now if request else was, message))
        inner = self.compare(a.properties[name], b.properties[name], request, depth + 1)
        return found + [(where + w, k, br, m) for w, k, br, m in inner]


def _mapping(value: Any) -> Mapping[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def _operations(doc: Mapping[str, Any]) -> dict[str, tuple[Mapping[str, Any], list[Any]]]:
    out: dict[str, tuple[Mapping[str, Any], list[Any]]] = {}
    for path, item in _mapping(doc.get("paths")).items():
        item = resolve(item, doc)
        if not isinstance(item, Mapping):
            continue
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, Mapping):
                own = operation.get("parameters") if isinstance(operation.get("parameters"), list) else []
                out[f"{method.upper()} {path}"] = (operation, [*shared, *own])
    return out


def _parameters(params: list[Any], doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    out = {}
    for param in params:
        param = resolve(param, doc)
        if isinstance(param, Mapping) and isinstance(param.get("name"), str):
            out[f"{param.get('in', 'query')}:{param['name']}"] = param
    return out


def _json_schema(holder: Any, doc: Mapping[str, Any]) -> Any:
    """The JSON schema of a request body or response (``$ref``s followed), or None."""
    content = _mapping(resolve(holder, doc)).get("content")
    for media, body in _mapping(content).items():
        if "json" in media and isinstance(body, Mapping):
            return body.get("schema")
    return None


@dataclass
class _Differ:
    old_doc: Mapping[str, Any]
    new_doc: Mapping[str, Any]
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.schemas = _SchemaDiffer(self.old_doc, self.new_doc)

    def add(self, location: str, kind: str, breaking: bool, message: str) -> None:
        self.changes.append(Change(location, kind, breaking, message))

    def schema(self, old: Any, new: Any, where: str, request: bool) -> None:
        for inner, kind, breaking, message in self.schemas.compare(old, new, request):
            self.add(where + inner, kind, breaking, message)

    def operation(
        self, key: str, old: tuple[Mapping[str, Any], list[Any]], new: tuple[Mapping[str, Any], list[Any]]
    ) -> None:
        (old_op, old_params), (new_op, new_params) = old, new
        self.parameters(key, _parameters(old_params, self.old_doc), _parameters(new_params, self.new_doc))
        self.request_body(key, old_op.get("requestBody"), new_op.get("requestBody"))
        self.responses(key, _mapping(old_op.get("responses")), _mapping(new_op.get("responses")))

    def parameters(
        self, key: str, a: Mapping[str, Mapping[str, Any]], b: Mapping[str, Mapping[str, Any]]
    ) -> None:
        for name in sorted(set(a) | set(b)):
            where = f"{key} parameter {name}"
            if name not in b:
                self.add(where, "parameter-removed", True, "parameter removed")
            elif name not in a:
                required = bool(b[name].get("required"))
                self.add(
                    where, "parameter-added", required, f"{'required ' if required else ''}parameter added"
                )
            else:
                was, now = bool(a[name].get("required")), bool(b[name].get("required"))
                if was != now:
                    self.add(
                        where, "required-changed", now, "became required" if now else "no longer required"
                    )
                self.schema(a[name].get("schema"), b[name].get("schema"), where, True)

    def request_body(self, key: str, old: Any, new: Any) -> None:
        old_body, new_body = _json_schema(old, self.old_doc), _json_schema(new, self.new_doc)
        was = bool(_mapping(resolve(old, self.old_doc)).get("required"))
        now = bool(_mapping(resolve(new, self.new_doc)).get("required"))
        if now and not was and old is not None:
            self.add(f"{key} request", "required-changed", True, "request body became required")
        if old_body is not None and new_body is not None:
            self.schema(old_body, new_body, f"{key} request", True)
        elif old_body is not None:
            self.add(f"{key} request", "request-body-removed", True, "JSON request body no longer documented")
        elif new_body is not None and now:
            self.add(f"{key} request", "request-body-added", True, "a JSON request body is now required")

    def responses(self, key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for code in sorted(set(old) | set(new)):
            where = f"{key} response {code}"
            success = code.startswith("2")
            if code not in new:
                message = "success response removed" if success else "error response no longer documented"
                self.add(where, "response-removed", success, message)
            elif code not in old:
                self.add(where, "response-added", False, "response added")
            else:
                old_schema = _json_schema(old[code], self.old_doc)
                new_schema = _json_schema(new[code], self.new_doc)
                if old_schema is not None and new_schema is not None:
                    self.schema(old_schema, new_schema, where, False)


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
            differ.operation(key, before[key], after[key])
    return sorted(set(differ.changes))


def has_breaking(changes: list[Change]) -> bool:
    return any(c.breaking for c in changes)


def to_json(changes: list[Change]) -> list[dict[str, Any]]:
    """Machine-readable changes: each with its operation, for grouping."""
    return [{"operation": c.operation, **asdict(c)} for c in changes]


def dumps(changes: list[Change]) -> str:
    return json.dumps(to_json(changes), indent=2)
