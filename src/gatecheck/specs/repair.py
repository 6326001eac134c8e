"""Loading levels: what gatecheck does with a spec that has problems, instead of refusing it.

Most problems of real documents are slips whose meaning is not in doubt, and each has a repair
that keeps that meaning (or touches only an annotation), applied to the copy gatecheck tests:

================================  ==================================================================
problem (last pointer token)      repair
================================  ==================================================================
``exclusiveMinimum: true``        OpenAPI 3.0's form: becomes ``exclusiveMinimum: <minimum>`` (same
(or ``exclusiveMaximum``)         bound, 3.1 spelling); ``false`` or no bound to take: dropped
``required`` with duplicates      duplicates removed (the same set of names)
``default`` its schema refuses    dropped (an annotation: nothing is validated against it)
``$recursiveAnchor``              dropped (2019-09 keyword; 2020-12 ignores it anyway)
``nullable: true`` (3.1)          ``null`` added to ``type`` (and ``enum``), or ``anyOf`` with
                                  ``{type: "null"}`` where there is no ``type``: what 3.0 meant
================================  ==================================================================

Anything else cannot be repaired: every operation that reaches the problem (through its own
subtree or its ``$ref``s) is *broken*, and the contract suite reports it not run, with the
problem as the reason, while the rest of the document is tested.  ``--strict`` refuses any
problem at all, for CI on your own spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gatecheck.specs.oas import iter_operations
from gatecheck.specs.pointers import pointer, resolve_pointer, split_pointer
from gatecheck.specs.validation import Problem

__all__ = ["Repaired", "broken_operations", "repair"]

_Fix = Callable[[dict[str, Any], str], str | None]


@dataclass(frozen=True)
class Repaired:
    """The document to test, which problems were repaired in it (and how), and which remain."""

    document: dict[str, Any]
    repaired: tuple[tuple[Problem, str], ...]
    remaining: tuple[Problem, ...]


def _exclusive_bound(parent: dict[str, Any], key: str) -> str | None:
    if not isinstance(parent.get(key), bool):
        return None
    bound = "minimum" if key == "exclusiveMinimum" else "maximum"
    flag = parent.pop(key)
    if flag and isinstance(parent.get(bound), int | float):
        parent[key] = parent.pop(bound)
        return f"3.0 form read as {key}: {parent[key]}"
    return f"{key}: {str(flag).lower()} with no {bound} to take: dropped"


def _dedupe(parent: dict[str, Any], key: str) -> str | None:
    value = parent.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    parent[key] = list(dict.fromkeys(value))
    return "duplicate names removed"


def _drop(parent: dict[str, Any], key: str) -> str | None:
    del parent[key]
    return f"{key} dropped"


def _nullable(parent: dict[str, Any], key: str) -> str | None:
    if parent.pop(key) is not True:
        return f"{key}: false dropped"
    kind = parent.get("type")
    if isinstance(kind, str | list):
        parent["type"] = [*([kind] if isinstance(kind, str) else kind), "null"]
        if isinstance(parent.get("enum"), list) and None not in parent["enum"]:
            parent["enum"] = [*parent["enum"], None]
        return f"read as type: {parent['type']}"
    rest = dict(parent)
    parent.clear()
    parent["anyOf"] = [rest, {"type": "null"}]
    return "read as anyOf: [the schema, {type: null}]"


_FIXES: dict[str, _Fix] = {
    "nullable": _nullable,
    "exclusiveMinimum": _exclusive_bound,
    "exclusiveMaximum": _exclusive_bound,
    "required": _dedupe,
    "default": _drop,
    "$recursiveAnchor": _drop,
}


def repair(document: dict[str, Any], problems: Iterable[Problem]) -> Repaired:
    """``document`` with every repairable problem repaired (copied along each path, never mutated)."""
    repaired: list[tuple[Problem, str]] = []
    remaining: list[Problem] = []
    # Deepest first: a repair that reshapes a schema (nullable -> anyOf) moves what is inside it.
    for problem in sorted(problems, key=lambda p: -len(split_pointer(p.pointer or ""))):
        tokens = split_pointer(problem.pointer) if problem.pointer else []
        fix = _FIXES.get(tokens[-1]) if tokens else None
        copied = _copied_path(document, tokens) if fix else None
        how = None
        if fix is not None and copied is not None and tokens[-1] in copied[1]:
            how = fix(copied[1], tokens[-1])
        if how is None or copied is None:
            remaining.append(problem)
        else:
            document = copied[0]
            repaired.append((problem, how))
    return Repaired(document, tuple(repaired), tuple(remaining))


def _copied_path(document: dict[str, Any], tokens: list[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A new root whose containers down to the parent of ``tokens`` are copies, and that parent."""
    root = dict(document)
    node: Any = root
    for token in tokens[:-1]:
        if isinstance(node, dict) and isinstance(node.get(token), dict | list):
            node[token] = type(node[token])(node[token])
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node[int(token)] = type(node[int(token)])(node[int(token)])
            node = node[int(token)]
        else:
            return None
    return (root, node) if isinstance(node, dict) else None


def broken_operations(document: Mapping[str, Any], problems: Iterable[Problem]) -> dict[str, str]:
    # Warnings never break an operation: the document means what it says there.
    """``METHOD /path`` -> the first unrepaired problem the operation reaches (itself or by ``$ref``)."""
    located = [p for p in problems if p.pointer is not None and p.severity == "error"]
    if not located:
        return {}
    broken: dict[str, str] = {}
    for method, path, _ in iter_operations(document):
        reach = _reach(document, [pointer(("paths", path, method.lower()))], path)
        for problem in located:
            assert problem.pointer is not None
            if any(problem.pointer == r or problem.pointer.startswith(r + "/") for r in reach):
                broken[f"{method} {path}"] = f"spec problem at #{problem.pointer}: {problem.message}"
                break
    return broken


def _reach(document: Mapping[str, Any], start: list[str], path: str) -> set[str]:
    """The operation's own pointer, its path item's parameters, and everything its ``$ref``s reach."""
    seen = set(start) | {pointer(("paths", path, "parameters"))}
    todo = list(seen)
    while todo:
        stack = [resolve_pointer(document, todo.pop())]
        while stack:
            node = stack.pop()
            if isinstance(node, Mapping):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#") and ref[1:] not in seen:
                    seen.add(ref[1:])
                    todo.append(ref[1:])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return seen
