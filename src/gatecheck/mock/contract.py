"""Every request is held to the flavor's bundled contract before any handler logic.

The spec (vendor document plus gatecheck's contract overlay) is what a conformance run holds the
mock to, so the mock refuses exactly what it declares invalid, on both planes: a query or path
parameter of the wrong type, outside its enum or format, missing when required or repeated when
it is not an array, and a JSON body that breaks its schema, each a 400 naming the offender (a
path parameter gets 404 instead where the operation documents no 400).  Handlers then apply the
semantic checks no schema can state (known model, known key).

:func:`guarded` wraps the routes of a table: each one the spec defines checks its parameters
before the handler runs, and leaves its :class:`Operation` in the ASGI scope, where the code that
reads the body (after authenticating) finds it through :func:`check_body`.  Validators are
compiled once per process with jsonschema-rs (schemathesis' own validator, a few microseconds a
request); an operation without parameters costs nothing but the scope entry.

Query values arrive as strings and are read as OpenAPI's form style serializes them: ``1`` is an
integer, ``true`` a boolean, ``''``, ``null`` or ``{}`` neither.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema_rs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from gatecheck.mock.errors import MockHTTPError
from gatecheck.specs.registry import load_spec

__all__ = ["Operation", "Param", "check_body", "guarded", "operations"]

Validator = Any  # jsonschema_rs validators share no public base class
Endpoint = Callable[[Request], Awaitable[Response]]

_SCOPE_KEY = "gatecheck.operation"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SHOWN = 200  # a validator's message quotes the value, which may be huge: cut it here


def _coerce(raw: str, types: tuple[str, ...]) -> Any:
    """A URL's string as the first schema type that reads it; unread, it stays a string and fails."""
    for kind in types:
        if kind == "string":
            return raw
        try:
            if kind in ("integer", "number") and _INTEGER.fullmatch(raw):
                return int(raw)
            if kind == "number" and _NUMBER.fullmatch(raw) and math.isfinite(value := float(raw)):
                return value
        except ValueError:  # more digits than int() reads: no integer a client means
            continue
        if kind == "boolean" and raw in ("true", "false"):
            return raw == "true"
    return raw


@dataclass(frozen=True)
class Param:
    """One query or path parameter: how to read its string(s), and its schema's validator."""

    name: str
    location: str
    required: bool
    types: tuple[str, ...]  # the schema's types; for an array, its items'
    array: bool
    explode: bool
    validator: Validator

    def value(self, raw: list[str]) -> Any:
        """The parameter's value from its occurrences in the URL (at least one)."""
        if not self.array:
            return _coerce(raw[0], self.types)
        items = raw if self.explode else [v for r in raw for v in r.split(",")]
        return [_coerce(item, self.types) for item in items]

    def error(self, status: int, problem: str) -> MockHTTPError:
        return MockHTTPError(status, f"{self.location} parameter '{self.name}' {problem}", param=self.name)


@dataclass(frozen=True)
class Operation:
    """What the contract says one (path template, method) accepts."""

    method: str
    path: str
    query: tuple[Param, ...]
    path_params: tuple[Param, ...]
    body: Validator | None
    path_status: int  # for a path parameter the schema refuses: 400 if documented, else 404

    def check_params(self, request: Request) -> None:
        """400 (or ``path_status``) for the first parameter the contract refuses."""
        for param in self.path_params:
            raw = request.path_params.get(param.name)
            if raw is not None:
                _validate(param, param.value([str(raw)]), self.path_status)
        query = request.query_params
        for param in self.query:
            raw = query.getlist(param.name)
            if not raw:
                if param.required:
                    raise param.error(400, "is required")
                continue
            if len(raw) > 1 and not param.array:
                raise param.error(400, "must be given once")
            _validate(param, param.value(raw), 400)

    def check_body(self, data: Any) -> None:
        """400 naming the first field of ``data`` (the parsed JSON body) the contract refuses."""
        if self.body is None or self.body.is_valid(data):
            return
        error = next(self.body.iter_errors(data))
        parts = list(error.instance_path)
        required = isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Required)
        if required:
            parts.append(error.kind.property)
        where = _json_path(parts)
        if required:
            raise MockHTTPError(400, f"'{where}' is required", param=where)
        message = error.message[:_SHOWN]
        if where:
            raise MockHTTPError(400, f"'{where}' is invalid: {message}", param=where)
        raise MockHTTPError(400, f"request body is invalid: {message}")


def _validate(param: Param, value: Any, status: int) -> None:
    if not param.validator.is_valid(value):
        error = next(param.validator.iter_errors(value))
        raise param.error(status, f"is invalid: {error.message[:_SHOWN]}")


def _json_path(parts: list[str | int]) -> str:
    """``messages[2].content`` from the parts of a JSON pointer."""
    path = ""
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}" if path else str(part)
    return path


def check_body(request: Request, data: Any) -> None:
    """Check a parsed JSON body against the operation :func:`guarded` found for this request."""
    operation: Operation | None = request.scope.get(_SCOPE_KEY)
    if operation is not None:
        operation.check_body(data)


def guarded(routes: list[BaseRoute], spec_name: str, *, plane: str) -> list[BaseRoute]:
    """``routes`` with each one the spec defines checking its parameters first.

    ``plane`` marks the request when a parameter is refused, so the error renderer treats the 400
    as the handler's own errors would be (inference-plane faults bend inference errors only).
    """
    table = operations(spec_name)
    out: list[BaseRoute] = []
    for route in routes:
        operation = _operation_of(route, table)
        if operation is None:
            out.append(route)
            continue
        assert isinstance(route, Route) and route.methods is not None  # _operation_of found one
        endpoint = _checked(route.endpoint, operation, plane)
        out.append(Route(route.path, endpoint, methods=sorted(route.methods), name=route.name))
    return out


def _operation_of(route: BaseRoute, table: Mapping[tuple[str, str], Operation]) -> Operation | None:
    """The spec's operation for a single-method route (HEAD aside), if the spec defines it."""
    if not isinstance(route, Route) or route.methods is None:
        return None
    methods = route.methods - {"HEAD"}
    return table.get((route.path, next(iter(methods)))) if len(methods) == 1 else None


def _checked(endpoint: Endpoint, operation: Operation, plane: str) -> Endpoint:
    has_params = bool(operation.query or operation.path_params)

    async def checked(request: Request) -> Response:
        request.scope[_SCOPE_KEY] = operation
        if has_params:
            try:
                operation.check_params(request)
            except MockHTTPError:
                request.state.plane = plane
                raise
        return await endpoint(request)

    return checked


def _resolve(document: Mapping[str, Any], node: Any) -> Any:
    """A local ``$ref`` followed (``#/components/...``), for parameters and schema types."""
    while isinstance(node, Mapping) and isinstance(ref := node.get("$ref"), str) and ref.startswith("#/"):
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _validator(schema: Any, components: Mapping[str, Any], *, formats: bool) -> Validator:
    # the schema as root, with the document's components beside it for its $refs
    root = {**schema, "components": components} if isinstance(schema, dict) else schema
    return jsonschema_rs.Draft202012Validator(root, validate_formats=formats)


def _types(document: Mapping[str, Any], schema: Any) -> tuple[str, ...]:
    kind = _resolve(document, schema).get("type", ()) if isinstance(schema, Mapping) else ()
    return (kind,) if isinstance(kind, str) else tuple(kind)


def _param(document: Mapping[str, Any], spec: Mapping[str, Any]) -> Param:
    schema = spec.get("schema", {})
    types = _types(document, schema)
    array = "array" in types
    if array:
        types = _types(document, _resolve(document, schema).get("items", {}))
    return Param(
        name=spec["name"],
        location=spec["in"],
        required=bool(spec.get("required")) or spec["in"] == "path",
        types=types,
        array=array,
        explode=spec.get("explode", spec.get("style", "form") == "form"),
        validator=_validator(schema, document.get("components", {}), formats=True),
    )


def _operation(document: Mapping[str, Any], path: str, method: str, item: Mapping[str, Any]) -> Operation:
    op = item[method]
    specs = {}
    for spec in [*item.get("parameters", ()), *op.get("parameters", ())]:  # the operation's win
        spec = _resolve(document, spec)
        specs[(spec["name"], spec["in"])] = spec
    params = [_param(document, spec) for spec in specs.values() if spec["in"] in ("query", "path")]
    content = (_resolve(document, op.get("requestBody")) or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema")
    components = document.get("components", {})
    return Operation(
        method=method.upper(),
        path=path,
        query=tuple(p for p in params if p.location == "query"),
        path_params=tuple(p for p in params if p.location == "path"),
        # bodies are checked for types, enums and ranges; formats are the handlers' (dates, URLs)
        body=None if schema is None else _validator(schema, components, formats=False),
        path_status=400 if "400" in op.get("responses", {}) else 404,
    )


@cache
def operations(spec_name: str) -> Mapping[tuple[str, str], Operation]:
    """Every operation of a bundled spec, by (path template, METHOD); built once per process."""
    document = load_spec(spec_name).document
    return {
        (path, method.upper()): _operation(document, path, method, item)
        for path, item in document.get("paths", {}).items()
        for method in _METHODS
        if isinstance(item.get(method), Mapping)
    }
