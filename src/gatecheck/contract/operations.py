"""The operations of a spec as the contract suite runs them: one pytest item each.

Each operation is classified by :func:`gatecheck.checks.safety.classify` (read, inference or
write) and given the key it is called with: inference with the inference key, everything else
with the management key when the target has one.  That rule needs no per-vendor table: both
vendors' management keys may read the catalog and account endpoints, OpenRouter's may not call
models, and Requesty's manage-rights key may do both.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gatecheck.checks.safety import Kind, classify
from gatecheck.profiles import Profile
from gatecheck.specs.select import reachable_components

__all__ = ["HTTP_METHODS", "ContractOperation", "iter_operations", "single_operation_document"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class ContractOperation:
    """One operation of the spec, as a contract test item."""

    method: str  # upper case
    path: str
    kind: Kind

    @property
    def label(self) -> str:
        """``POST /chat/completions``: the test id, and the operation in every failure key."""
        return f"{self.method} {self.path}"

    @property
    def uses_management_key(self) -> bool:
        return self.kind != "inference"


def iter_operations(document: Mapping[str, Any], profile: Profile) -> Iterator[ContractOperation]:
    """Every operation of ``document`` in spec order."""
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if isinstance(item, Mapping) and isinstance(item.get(method), Mapping):
                kind = classify(method, path, profile, item[method], document)
                yield ContractOperation(method.upper(), path, kind)


def single_operation_document(document: Mapping[str, Any], method: str, path: str) -> dict[str, Any]:
    """``document`` with only ``method path`` left: one pytest item tests one operation.

    Only the components the operation reaches stay (so schemathesis' cost follows the operation,
    not a 3 MB document); links go, since they name operations that are no longer in the
    document (the stateful test uses the whole spec).
    """
    item = document["paths"][path]
    kept = {k: v for k, v in item.items() if k not in HTTP_METHODS}
    operation = copy.deepcopy(item[method.lower()])
    for response in (operation.get("responses") or {}).values():
        if isinstance(response, dict):
            response.pop("links", None)
    kept[method.lower()] = operation
    single = {k: v for k, v in document.items() if k not in ("paths", "components", "webhooks")}
    single["paths"] = {path: kept}
    components = document.get("components")
    if isinstance(components, Mapping):
        reached = reachable_components(document, [kept])
        single["components"] = {**{k: v for k, v in components.items() if k == "securitySchemes"}, **reached}
    return single
