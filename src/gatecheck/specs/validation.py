"""Is an OpenAPI document valid?  openapi-spec-validator's answer, located and cached.

openapi-spec-validator is the validator openapi-core (and so the rest of the stack) is built on.
Three things are added around it: internal ``$ref``s are checked first, with their location,
because the validator stops at the first dangling one with a message that dumps the whole
document; errors inside a schema, which the validator reports relative to that schema, are
anchored back to their place in the document; and link targets are checked, which it does not do.
Results are cached per process by content: the CLI, the registry and the tests ask about the same
few documents again and again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from gatecheck.errors import SpecInvalidError
from gatecheck.specs.oas import format_location, iter_operations, openapi_version

__all__ = ["Problem", "validate_openapi"]

_VALIDATORS = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator}
_MAX_MESSAGE = 300
_Parts = tuple[str | int, ...]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding; ``location`` is ``<document> <JSONPath>`` or ``file:line:column``."""

    severity: Severity
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


def validate_openapi(document: Mapping[str, Any], *, label: str) -> tuple[Problem, ...]:
    """Every problem found in an OpenAPI 3.0/3.1 document, each located in it."""
    try:
        version = openapi_version(document, source=label)
    except SpecInvalidError as exc:
        return (Problem("error", label, str(exc).removeprefix(f"{label}: ")),)
    text = json.dumps(document, sort_keys=True, default=str)
    found = _validate_cached(hashlib.sha256(text.encode()).hexdigest(), text, version)
    return tuple(Problem("error", f"{label} {where}", message) for where, message in found)


@functools.lru_cache(maxsize=32)
def _validate_cached(_digest: str, text: str, version: str) -> tuple[tuple[str, str], ...]:
    # Keyed by digest, which is cheap to compare; the text rides along so a miss can parse it.
    document = json.loads(text)
    found = [(format_location(parts), message) for parts, message in _dangling_refs(document, document, ())]
    errors = _VALIDATORS[version](document).iter_errors()
    while True:
        try:
            error = next(errors)
        except StopIteration:
            break
        except Exception as exc:
            # The validator's second pass can crash on shapes its first pass already rejected
            # (a parameter without 'in', a dangling $ref): say so only when nothing else did.
            if not found:
                found.append(("$", f"the validator could not finish: {_first_line(repr(exc))}"))
            break
        found.append((_locate(document, error), _first_line(error.message)))
    found.extend(_link_problems(document))
    return tuple(dict.fromkeys(found))


def _dangling_refs(node: Any, root: Mapping[str, Any], parts: _Parts) -> Iterator[tuple[_Parts, str]]:
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and _resolve_pointer(root, ref) is None:
            yield (*parts, "$ref"), f"$ref {ref!r} points to nothing in this document"
        for key, value in node.items():
            yield from _dangling_refs(value, root, (*parts, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _dangling_refs(value, root, (*parts, index))


def _resolve_pointer(root: Any, ref: str) -> Any:
    node = root
    pointer = unquote(ref[1:])
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _locate(document: Mapping[str, Any], error: Any) -> str:
    """The error's place in the whole document.

    Errors from the validator's first pass carry a path from the root; errors found inside one
    schema carry a path from that schema, so look for the schema whose sub-path holds exactly the
    offending value (first match wins; duplicates of a broken schema are rare and equally broken).
    """
    relative: _Parts = tuple(error.path)
    if _follow(document, relative) == (True, error.instance):
        return format_location(relative)
    for parts in _walk(document, ()):
        if _follow(_follow(document, parts)[1], relative) == (True, error.instance):
            return format_location(parts + relative)
    return format_location(relative)


def _walk(node: Any, parts: _Parts) -> Iterator[_Parts]:
    if isinstance(node, Mapping):
        yield parts
        for key, value in node.items():
            yield from _walk(value, (*parts, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*parts, index))


def _follow(node: Any, parts: _Parts) -> tuple[bool, Any]:
    for part in parts:
        in_mapping = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if not (in_mapping or in_list):
            return False, None
        node = node[part]
    return True, node


def _link_problems(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Links naming an operationId that does not exist: the validator does not look."""
    known = {op.get("operationId") for _, _, op in iter_operations(document)}
    for method, path, operation in iter_operations(document):
        for status, response in (operation.get("responses") or {}).items():
            links = response.get("links") if isinstance(response, Mapping) else None
            for name, link in (links or {}).items():
                target = link.get("operationId") if isinstance(link, Mapping) else None
                if target is not None and target not in known:
                    parts = ("paths", path, method.lower(), "responses", str(status), "links", name)
                    yield format_location(parts), f"link names unknown operationId {target!r}"


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "invalid"
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"
