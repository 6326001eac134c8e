"""Is an OpenAPI document valid?  Every problem, each at a JSON pointer with the rule it breaks.

Real vendor documents are imperfect (the official OpenAI and OpenRouter ones both are), so the
question is never only "valid or not" but "what exactly is wrong, and where".  The checks, each
fast enough for a 3 MB document in about a second (jsonschema-rs does the schema work):

1. internal ``$ref``s that point to nothing;
2. the document against the official OpenAPI 3.0/3.1 JSON Schema (openapi-spec-validator ships
   them), reporting the innermost failing branch of a ``oneOf``/``anyOf``, never the whole node;
3. in 3.1, every Schema Object against the JSON Schema 2020-12 meta-schema, which the OpenAPI
   schema leaves open (``exclusiveMinimum: true`` is a 3.0 habit 2020-12 refuses);
4. every ``default`` against the schema it sits in;
5. link targets and duplicate ``operationId``s, which no JSON Schema can see;
6. in 3.1, ``nullable`` (a warning): valid, but not a keyword any more, so JSON Schema ignores
   it and the ``null`` the author meant to allow is refused.

A problem's ``pointer`` is an RFC 6901 JSON pointer into the document; its ``rule`` is the schema
path of the failing validator; its message shows the offending value shortened, never a dump.
Results are cached per process by content: the CLI, the registry and the tests ask about the
same few documents again and again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal
from urllib.parse import unquote

import jsonschema
import jsonschema_rs
from openapi_schema_validator import OAS30Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from gatecheck.errors import HarnessBug, SpecInvalidError
from gatecheck.specs.oas import iter_operations, openapi_version
from gatecheck.specs.pointers import Parts, pointer, resolve_pointer

__all__ = ["SHAPE_ERRORS", "Problem", "structure_problems", "validate_openapi"]

#: What code that walks a document raises where a mapping holds a list, a number a mapping...
SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError, ValueError)

_MAX_MESSAGE = 240
_MAX_VALUE = 60
_META_2020 = "https://json-schema.org/draft/2020-12/schema"
_SPEC_URI = "urn:gatecheck:document"
_NOT_SCHEMA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding: ``location`` is ``<document> #<JSON pointer>`` or ``file:line:column``."""

    severity: Severity
    location: str
    message: str
    rule: str = ""  # the schema path of the failing validator, or the name of the check
    pointer: str | None = None  # RFC 6901, when the problem sits at a place in an OpenAPI document

    def __str__(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.location}: {self.severity}: {self.message}{rule}"


def validate_openapi(document: Mapping[str, Any], *, label: str) -> tuple[Problem, ...]:
    """Every problem found in an OpenAPI 3.0/3.1 document, each located in it."""
    try:
        version = openapi_version(document, source=label)
    except SpecInvalidError as exc:
        return (Problem("error", label, str(exc).removeprefix(f"{label}: "), "openapi-version"),)
    text = json.dumps(document, sort_keys=True, default=str)
    try:
        found = _validate_cached(hashlib.sha256(text.encode()).hexdigest(), version, _Frozen(document))
        warnings = _nullable(document) if version != "3.0" else []
    except SHAPE_ERRORS as exc:
        # The semantic checks assume the shape the OpenAPI schema gives; where the document
        # breaks it, the schema's own complaints are the problems to report.
        found, warnings = tuple(_structure(document, version)), []
        if not found:
            raise HarnessBug(f"checking the spec {label}", exc) from None
    problems = [Problem("error", f"{label} #{where}", message, rule, where) for where, message, rule in found]
    problems += [Problem("warning", f"{label} #{w}", m, r, w) for w, m, r in warnings]
    return tuple(problems)


class _Frozen:
    """Carries the document into the cache without making it part of the key."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return True


_Found = tuple[str, str, str]


@functools.lru_cache(maxsize=32)
def _validate_cached(_digest: str, version: str, frozen: _Frozen) -> tuple[_Found, ...]:
    document = frozen.document
    found: list[_Found] = [(pointer(parts), message, "$ref") for parts, message in _dangling_refs(document)]
    found += _structure(document, version)
    if version == "3.1":
        found += _schema_objects(document)
    found += _defaults(document, version)
    found += _operation_ids(document)
    found += _link_problems(document)
    return tuple(dict.fromkeys(found))


# ---------------------------------------------------------------- $ref


def _dangling_refs(root: Mapping[str, Any]) -> Iterator[tuple[Parts, str]]:
    stack: list[tuple[Any, Parts]] = [(root, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if (
                isinstance(ref, str)
                and ref.startswith("#")
                and resolve_pointer(root, unquote(ref[1:])) is None
            ):
                yield (*parts, "$ref"), f"$ref {ref!r} points to nothing in this document"
            stack.extend((value, (*parts, str(key))) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*parts, index)) for index, value in enumerate(node))


# ---------------------------------------------------------------- the OpenAPI schema


@functools.cache
def _oas_validator(version: str) -> Any:
    folder = resources.files("openapi_spec_validator") / "resources" / "schemas" / f"v{version}"
    return jsonschema_rs.validator_for(json.loads((folder / "schema.json").read_text(encoding="utf-8")))


@functools.cache
def _meta_validator() -> Any:
    return jsonschema_rs.Draft202012Validator({"$ref": _META_2020})


def structure_problems(document: Mapping[str, Any], *, label: str) -> list[str]:
    """Where ``document`` breaks the OpenAPI schema itself (wrong types, missing fields), one line each."""
    version = openapi_version(document, source=label)
    return [f"#{where}: {message}" for where, message, _ in _structure(document, version)]


def _structure(document: Mapping[str, Any], version: str) -> list[_Found]:
    return [
        _describe(error, (), f"OpenAPI {version} schema")
        for error in _oas_validator(version).iter_errors(document)
    ]


def _schema_objects(document: Mapping[str, Any]) -> list[_Found]:
    found = []
    for parts, schema in _root_schemas(document):
        for error in _meta_validator().iter_errors(schema):
            found.append(_describe(error, parts, "JSON Schema 2020-12"))
    return found


def _describe(error: Any, base: Parts, rulebook: str) -> _Found:
    """The innermost failing branch of ``error``: its pointer, its message shortened, its rule."""
    error = _innermost(error)
    where = pointer((*base, *(str(p) for p in error.instance_path)))
    rule = f"{rulebook}: {pointer(tuple(str(p) for p in error.schema_path))}"
    return where, _shorten(error.message, error.instance), rule


def _innermost(error: Any) -> Any:
    """For ``oneOf``/``anyOf``, the deepest error of the branches, skipping the "$ref required" one."""
    for _ in range(32):
        context = getattr(error.kind, "context", None)
        if not context:
            return error
        candidates = [e for branch in context for e in branch if not _is_reference_branch(e)]
        if not candidates:
            return error
        error = max(candidates, key=lambda e: len(e.instance_path))
    return error


def _is_reference_branch(error: Any) -> bool:
    path = [str(p) for p in error.schema_path]
    return (
        "Reference" in path or "reference" in path or (path[-1:] == ["required"] and "$ref" in error.message)
    )


def _shorten(message: str, value: Any) -> str:
    """The validator's message with the offending value shortened (never a dump of a whole schema)."""
    dump = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    if len(dump) > _MAX_VALUE and dump in message:
        message = message.replace(dump, dump[: _MAX_VALUE - 1] + "…", 1)
    line = message.strip().splitlines()[0] if message.strip() else "invalid"
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"


# ---------------------------------------------------------------- Schema Objects


def _root_schemas(document: Mapping[str, Any]) -> Iterator[tuple[Parts, Any]]:
    """Every Schema Object not inside another one: component schemas and ``schema``/``itemSchema`` fields."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    for name, schema in (schemas or {}).items() if isinstance(schemas, Mapping) else ():
        yield ("components", "schemas", str(name)), schema
    stack: list[tuple[Any, Parts]] = [
        (value, (str(key),)) for key, value in document.items() if key not in ("components", "info")
    ]
    if isinstance(components, Mapping):
        stack += [(v, ("components", str(k))) for k, v in components.items() if k != "schemas"]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in ("schema", "itemSchema") and isinstance(value, Mapping | bool):
                    yield (*parts, key), value
                elif key not in _NOT_SCHEMA_KEYS and not str(key).startswith("x-"):
                    stack.append((value, (*parts, str(key))))
        elif isinstance(node, list):
            stack.extend((value, (*parts, index)) for index, value in enumerate(node))


_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = (
    *("items", "additionalProperties", "not", "if", "then", "else", "contains", "contentSchema"),
    *("unevaluatedProperties", "unevaluatedItems", "propertyNames"),
)


def _subschemas(schema: Any, parts: Parts) -> Iterator[tuple[Parts, Mapping[str, Any]]]:
    """Every (sub)schema mapping inside ``schema``, with its place."""
    stack: list[tuple[Any, Parts]] = [(schema, parts)]
    while stack:
        node, here = stack.pop()
        if not isinstance(node, Mapping):
            continue
        yield here, node
        for key, value in node.items():
            if key in _SCHEMA_MAPS and isinstance(value, Mapping):
                stack.extend((v, (*here, key, str(k))) for k, v in value.items())
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                stack.extend((v, (*here, key, i)) for i, v in enumerate(value))
            elif key in _SCHEMA_VALUES:
                stack.append((value, (*here, key)))


def _defaults(document: Mapping[str, Any], version: str) -> list[_Found]:
    """Each ``default`` that its own schema refuses (a list where a string is expected, and so on)."""
    found: list[_Found] = []
    make = _default_validator_factory(document, version)
    for root, schema in _root_schemas(document):
        for parts, node in _subschemas(schema, root):
            if node.get("default") is None:
                continue  # ``default: null`` is how documents say "no default"
            try:
                error = jsonschema.exceptions.best_match(make(parts).iter_errors(node["default"]))
            except Exception:
                continue
            if error is not None:
                rule = f"default must match its schema: {error.validator}"
                found.append((pointer((*parts, "default")), _shorten(error.message, error.instance), rule))
    return found


def _nullable(document: Mapping[str, Any]) -> list[_Found]:
    """``nullable: true`` in a 3.1 document: the author's intent is clear, JSON Schema ignores it."""
    found = []
    for root, schema in _root_schemas(document):
        for parts, node in _subschemas(schema, root):
            if node.get("nullable") is True:
                message = "nullable is not a keyword in OpenAPI 3.1; as written, null is refused here"
                found.append((pointer((*parts, "nullable")), message, "OpenAPI 3.1: nullable was removed"))
    return found


def _default_validator_factory(document: Mapping[str, Any], version: str) -> Any:
    """Validators for the schema at a place, bound to the whole document so its ``$ref``s resolve."""
    spec = DRAFT4 if version == "3.0" else DRAFT202012
    registry: Registry[Any] = Registry().with_resource(_SPEC_URI, spec.create_resource(dict(document)))
    kind = OAS30Validator if version == "3.0" else jsonschema.Draft202012Validator
    return lambda parts: kind({"$ref": f"{_SPEC_URI}#{pointer(parts)}"}, registry=registry)


# ---------------------------------------------------------------- what no JSON Schema sees


def _operation_ids(document: Mapping[str, Any]) -> Iterator[_Found]:
    seen: dict[str, str] = {}
    for method, path, operation in iter_operations(document):
        name = operation.get("operationId")
        if not isinstance(name, str):
            continue
        where = pointer(("paths", path, method.lower(), "operationId"))
        if name in seen:
            yield where, f"operationId {name!r} is also used at {seen[name]}", "operationId is unique"
        else:
            seen[name] = where


def _link_problems(document: Mapping[str, Any]) -> Iterator[_Found]:
    """Links naming an operationId that does not exist."""
    known = {op.get("operationId") for _, _, op in iter_operations(document)}
    for method, path, operation in iter_operations(document):
        for status, response in (operation.get("responses") or {}).items():
            links = response.get("links") if isinstance(response, Mapping) else None
            for name, link in (links or {}).items():
                target = link.get("operationId") if isinstance(link, Mapping) else None
                if target is not None and target not in known:
                    parts = ("paths", path, method.lower(), "responses", str(status), "links", name)
                    yield pointer(parts), f"link names unknown operationId {target!r}", "link target exists"
