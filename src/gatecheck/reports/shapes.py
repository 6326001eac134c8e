"""Observed response shapes: which fields a target actually returns, per operation.

Recording lives in :mod:`gatecheck.shapes` (the HTTP client feeds it; the runner's event plugin
flushes it at the end of the session); this module compares what was seen with the paths the
spec documents.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from gatecheck.shapes import MAX_DEPTH as _MAX_DEPTH
from gatecheck.shapes import field_paths, record_shape, reset, snapshot

_OPEN = ".*"  # suffix marking an object whose keys the spec leaves free (maps, metadata)

__all__ = [
    "compare",
    "documented_paths",
    "field_paths",
    "find_operation",
    "merge_snapshots",
    "record_shape",
    "reset",
    "schema_paths",
    "snapshot",
]


def merge_snapshots(snapshots: Iterable[Mapping[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Combine the snapshots of several processes (xdist workers, suites, shards)."""
    observed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    samples: dict[str, int] = defaultdict(int)
    for snap in snapshots:
        for op, shape in snap.items():
            samples[op] += int(shape.get("samples", 0))
            for path, types in shape.get("observed", {}).items():
                observed[op][path] |= set(types)
    return {
        op: {"samples": samples[op], "observed": {p: sorted(t) for p, t in sorted(observed[op].items())}}
        for op in sorted(samples)
    }


_CYCLE: dict[str, Any] = {"x-gatecheck-cycle": True}


def _resolve(node: Any, document: Mapping[str, Any], seen: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return _CYCLE, seen  # a recursive (or external) schema: whatever is below is documented
        seen = (*seen, ref)
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        node = target
    return node, seen


def _schema_types(node: Mapping[str, Any]) -> set[str]:
    kind = node.get("type")
    types = set(kind) if isinstance(kind, list) else ({kind} if isinstance(kind, str) else set())
    if node.get("nullable") is True:
        types.add("null")
    if not types and "properties" in node:
        types.add("object")
    if not types and "items" in node:
        types.add("array")
    return types


def _schema_walk(
    node: Any, path: str, document: Mapping[str, Any], out: dict[str, set[str]], seen: tuple
) -> None:
    node, seen = _resolve(node, document, seen)
    if node is _CYCLE:
        out[f"{path}{_OPEN}" if path else "*"] = set()
        return
    if not isinstance(node, Mapping) or len(seen) > 40 or path.count(".") + path.count("[]") > _MAX_DEPTH:
        return
    for combinator in ("allOf", "anyOf", "oneOf"):
        for part in node.get(combinator, []) or []:
            _schema_walk(part, path, document, out, seen)
    if path:
        out[path] |= _schema_types(node)
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        for key, child in properties.items():
            _schema_walk(child, f"{path}.{key}" if path else str(key), document, out, seen)
    extra = node.get("additionalProperties")
    if "object" in _schema_types(node) and (not properties or extra not in (None, False)):
        out[f"{path}{_OPEN}" if path else "*"] = set()
    if "items" in node:
        _schema_walk(node["items"], f"{path}[]", document, out, seen)


def schema_paths(schema: Any, document: Mapping[str, Any] | None = None) -> dict[str, list[str]]:
    """The field paths a JSON Schema documents, ``$ref``/``allOf``/``oneOf`` resolved.

    A path ending in ``.*`` marks an object with free-form keys: anything below it counts as
    documented.
    """
    out: dict[str, set[str]] = defaultdict(set)
    _schema_walk(schema, "", document or {}, out, ())
    return {path: sorted(types) for path, types in sorted(out.items())}


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template.rstrip("/"))
    body = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"(?:^|.*?)({body})/?$")


def find_operation(document: Mapping[str, Any], operation: str) -> tuple[str, str] | None:
    """The spec's ``(method, path template)`` for an observed ``"METHOD /concrete/path"``, if any.

    The observed path may carry the base URL's prefix (``/v1``, ``/api/v1``) that the spec keeps
    in ``servers``; the longest matching template wins, literal segments preferred.
    """
    method, _, path = operation.partition(" ")
    path = "/" + path.split("?", 1)[0].strip("/")
    best: tuple[int, str] | None = None
    for template, item in (document.get("paths") or {}).items():
        if not isinstance(item, Mapping) or method.lower() not in item:
            continue
        if _template_regex(template).match(path):
            score = len(template) - 10 * template.count("{")
            if best is None or score > best[0]:
                best = (score, template)
    return (method.upper(), best[1]) if best else None


def _json_schema_of(response: Any, document: Mapping[str, Any]) -> Any:
    response, _ = _resolve(response, document, ())
    content = response.get("content", {}) if isinstance(response, Mapping) else {}
    for media, body in content.items():
        if "json" in media and isinstance(body, Mapping) and "schema" in body:
            return body["schema"]
    return None


def documented_paths(document: Mapping[str, Any], method: str, template: str) -> dict[str, list[str]] | None:
    """Field paths of the operation's success response schema, or None if the spec gives none."""
    operation = ((document.get("paths") or {}).get(template) or {}).get(method.lower())
    if not isinstance(operation, Mapping):
        return None
    responses = operation.get("responses") or {}
    for code in ("200", "201", "202", "2XX", "2xx", "default"):
        if code in responses and (schema := _json_schema_of(responses[code], document)) is not None:
            return schema_paths(schema, document)
    return None


def _covered(path: str, documented: Mapping[str, Any]) -> bool:
    if path in documented or "*" in documented:
        return True
    for open_path in (p[: -len(_OPEN)] for p in documented if p.endswith(_OPEN)):
        if path.startswith((open_path + ".", open_path + "[]")):
            return True
    return False


def compare(observed: Mapping[str, Any], documented: Mapping[str, Any] | None) -> dict[str, Any]:
    """Undocumented fields (returned, not in the spec) and never-seen fields (in the spec, never returned)."""
    if documented is None:
        return {"documented": None, "undocumented": [], "never_seen": []}
    real = sorted(p for p in documented if not p.endswith(_OPEN) and p != "*")
    return {
        "documented": real,
        "undocumented": sorted(p for p in observed if not _covered(p, documented)),
        "never_seen": [p for p in real if p not in observed],
    }
