"""Apply an OpenAPI Overlay 1.0 document: the diffable contract layer over a vendor's spec.

Vendor documents are kept byte-for-byte as published; everything a contract test needs that they
lack lives in ``specs/<name>/contract-overlay.yaml``, so updating to a newer vendor document is a
file swap plus re-running ``gatecheck specs lint``.

Targets are RFC 9535 JSONPath, evaluated by ``jsonpath-rfc9535``: the Overlay specification names
RFC 9535 as its query language (1.1 says so outright), and that library implements exactly the
RFC (filters, descendant segments, normalized locations) with no dialect of its own, so an overlay
that works here works in other Overlay tools.

Semantics, following Overlay 1.0 as clarified by the 1.1 text and the behaviour of the common tools
(bump.sh, Speakeasy):

- ``update`` on an object merges recursively: nested objects merge, everything else (arrays,
  scalars) is replaced.  On an array it appends the update value as one entry.
- ``remove: true`` deletes each selected node from its parent, whatever its type (1.1 allows
  primitives; we need it to drop 3.0-only keywords such as ``example``).
- Stricter than the specification, on purpose: a target that selects **nothing** is an error, as
  is an action with both or neither of ``update``/``remove`` and an unknown action field.  The
  spec allows zero matches, but for a contract layer a silent no-op means the vendor renamed
  something and part of the contract quietly stopped applying.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import jsonpath_rfc9535 as jsonpath

from gatecheck.errors import SpecInvalidError

__all__ = ["apply_overlay", "check_overlay"]

_ACTION_FIELDS = {"target", "description", "update", "remove"}


def check_overlay(overlay: object, *, source: str) -> list[dict[str, Any]]:
    """Check the Overlay document's shape and return its actions, so errors name the file first."""
    if not isinstance(overlay, Mapping):
        raise SpecInvalidError(f"{source}: an overlay must be a mapping, got {type(overlay).__name__}")
    version = overlay.get("overlay")
    if not isinstance(version, str) or not version.startswith("1."):
        raise SpecInvalidError(f"{source}: field 'overlay' must be an Overlay version such as 1.0.0")
    info = overlay.get("info")
    if not isinstance(info, Mapping) or not {"title", "version"} <= info.keys():
        raise SpecInvalidError(f"{source}: field 'info' must be a mapping with 'title' and 'version'")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise SpecInvalidError(f"{source}: field 'actions' must be a non-empty list")
    for number, action in enumerate(actions, start=1):
        _check_action(action, where=f"{source}: action {number}")
    return actions


def _check_action(action: object, *, where: str) -> None:
    if not isinstance(action, Mapping) or not isinstance(action.get("target"), str):
        raise SpecInvalidError(f"{where}: an action must be a mapping with a string 'target'")
    unknown = sorted(k for k in action if k not in _ACTION_FIELDS and not str(k).startswith("x-"))
    if unknown:
        raise SpecInvalidError(
            f"{where}: unknown field(s) {', '.join(unknown)}; allowed: target, update, remove"
        )
    removes = action.get("remove", False)
    if not isinstance(removes, bool):
        raise SpecInvalidError(f"{where}: 'remove' must be true or false")
    if removes == ("update" in action):
        raise SpecInvalidError(f"{where}: give exactly one of 'update' or 'remove: true'")
    try:
        jsonpath.compile(action["target"])
    except jsonpath.JSONPathError as exc:
        raise SpecInvalidError(
            f"{where}: target {action['target']!r} is not RFC 9535 JSONPath: {exc}"
        ) from None


def apply_overlay(document: Mapping[str, Any], overlay: object, *, source: str) -> dict[str, Any]:
    """Return a new document with every action applied in order; ``document`` is left untouched."""
    result = copy.deepcopy(dict(document))
    for number, action in enumerate(check_overlay(overlay, source=source), start=1):
        where = f"{source}: action {number} (target {action['target']})"
        nodes = jsonpath.find(action["target"], result)
        if not nodes:
            raise SpecInvalidError(f"{where}: selects nothing; the document changed or the path is misspelt")
        if action.get("remove", False):
            _remove(result, [node.location for node in nodes], where=where)
        else:
            for node in nodes:
                _update(node.value, action["update"], where=where)
    return result


def _update(target: object, update: object, *, where: str) -> None:
    if isinstance(target, list):
        target.append(copy.deepcopy(update))
    elif isinstance(target, dict):
        if not isinstance(update, Mapping):
            raise SpecInvalidError(f"{where}: selects an object, so 'update' must be a mapping")
        _merge(target, update)
    else:
        raise SpecInvalidError(
            f"{where}: selects a {type(target).__name__}; update its parent object instead"
        )


def _merge(target: dict[str, Any], update: Mapping[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _remove(root: dict[str, Any], locations: list[tuple[str | int, ...]], *, where: str) -> None:
    # Resolve every parent before deleting anything, so array indices stay valid; deleting from
    # a parent that an earlier removal detached is harmless.
    if () in locations:
        raise SpecInvalidError(f"{where}: cannot remove the whole document")
    parents: list[tuple[Any, str | int]] = []
    for location in dict.fromkeys(locations):  # a query such as $[0,0] selects a node twice
        parent: Any = root
        for step in location[:-1]:
            parent = parent[step]
        parents.append((parent, location[-1]))
    for parent, key in sorted(
        parents, key=lambda item: item[1] if isinstance(item[1], int) else -1, reverse=True
    ):
        del parent[key]
