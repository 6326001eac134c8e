"""Pick operations out of a spec (``--operations``) and cut the document down to them.

A selection item is a ``METHOD /path`` glob (``POST /chat/*``, ``* /models``), an operationId or
a tag (globs too, matched without regard to case).  Cutting the document down before schemathesis
sees it is what makes a run over 10 operations of a 288-operation document cost what a run over
a 10-operation document costs: only the components the kept operations reach (through ``$ref``,
transitively) stay, and links to operations that are gone are dropped.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from typing import Any

from gatecheck.errors import UsageError
from gatecheck.specs.oas import HTTP_METHODS, iter_operations
from gatecheck.specs.pointers import pointer, resolve_pointer, split_pointer

__all__ = ["parse_selection", "reachable_components", "select_operations", "subset"]


def parse_selection(values: Iterable[str] | None) -> list[str]:
    """``--operations`` values (repeated or comma-separated) as a list of items."""
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def _matches(item: str, method: str, path: str, operation: Mapping[str, Any]) -> bool:
    if " " in item:
        want_method, want_path = item.split(None, 1)
        return fnmatch.fnmatchcase(method, want_method.upper()) and fnmatch.fnmatchcase(
            path, want_path.strip()
        )
    pattern = item.lower()
    names = [str(operation.get("operationId", ""))] + [str(t) for t in operation.get("tags") or []]
    return any(fnmatch.fnmatchcase(name.lower(), pattern) for name in names if name)


def select_operations(document: Mapping[str, Any], items: list[str]) -> set[tuple[str, str]]:
    """``(METHOD, path)`` of every operation some item matches; an item matching none is a UsageError."""
    chosen: set[tuple[str, str]] = set()
    operations = list(iter_operations(document))
    for item in items:
        found = {(m, p) for m, p, op in operations if _matches(item, m, p, op)}
        if not found:
            tags = sorted({str(t) for _, _, op in operations for t in op.get("tags") or []})
            known = f"; tags: {', '.join(tags[:30])}" if tags else ""
            raise UsageError(
                f"--operations {item!r} matches no operation of the spec "
                f"(give 'METHOD /path' globs, operationIds or tags{known})"
            )
        chosen |= found
    return chosen


def reachable_components(document: Mapping[str, Any], roots: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """The components (by section and name) that ``roots`` reach through local ``$ref``s."""
    kept: dict[str, dict[str, Any]] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            tokens = split_pointer(ref[1:]) if isinstance(ref, str) and ref.startswith("#/") else []
            if len(tokens) >= 3 and tokens[0] == "components" and tokens[2] not in kept.get(tokens[1], {}):
                target = resolve_pointer(document, pointer(tokens[:3]))
                if target is not None:
                    kept.setdefault(tokens[1], {})[tokens[2]] = target
                    stack.append(target)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return kept


def subset(document: Mapping[str, Any], operations: set[tuple[str, str]]) -> dict[str, Any]:
    """``document`` with only ``operations`` (and what they reach); shared nodes are not copied."""
    paths: dict[str, Any] = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        methods = {m for m in HTTP_METHODS if (m.upper(), str(path)) in operations}
        if methods:
            paths[path] = {k: v for k, v in item.items() if k not in HTTP_METHODS or k in methods}
    kept_ids = {
        op.get("operationId") for m, p, op in iter_operations({"paths": paths}) if (m, p) in operations
    }
    for item in paths.values():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), Mapping):
                item[method] = _without_dangling_links(item[method], kept_ids)
    out = {k: v for k, v in document.items() if k not in ("paths", "components", "webhooks")}
    out["paths"] = paths
    components = document.get("components")
    if isinstance(components, Mapping):
        reached = reachable_components(document, [paths])
        kept = {k: v for k, v in components.items() if k in ("securitySchemes",)}
        kept.update(reached)
        out["components"] = kept
    return out


def _without_dangling_links(operation: Mapping[str, Any], kept_ids: set[Any]) -> dict[str, Any]:
    responses = operation.get("responses")
    if not isinstance(responses, Mapping):
        return dict(operation)
    new_responses = {}
    for status, response in responses.items():
        links = response.get("links") if isinstance(response, Mapping) else None
        if isinstance(links, Mapping):
            kept = {
                n: link
                for n, link in links.items()
                if not isinstance(link, Mapping) or link.get("operationId") in kept_ids
            }
            response = (
                {**response, "links": kept} if kept else {k: v for k, v in response.items() if k != "links"}
            )
        new_responses[status] = response
    return {**operation, "responses": new_responses}
