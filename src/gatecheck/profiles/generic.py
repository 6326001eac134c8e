"""The profile of a spec that comes without one: what it claims is read off its operations.

``gatecheck run --spec FILE`` with no ``--profile`` tests the spec as written.  The claims are
inferred from each operation's *request schema*, never from its path (a gateway may mount chat
at ``/v2/generate``):

==============================================  ===========================================
a POST whose JSON request has                   is the endpoint (and claims)
==============================================  ===========================================
``messages`` and ``system``                     ``messages`` (Anthropic Messages)
``messages``                                    ``chat``; ``stream`` -> streaming,
                                                ``stream_options`` -> stream-usage, ``tools``,
                                                ``response_format`` -> structured-outputs
``input`` and ``previous_response_id``/
``max_output_tokens``                           ``responses``
``input`` and ``encoding_format``/``dimensions``  ``embeddings``
``query`` and ``documents``                     ``rerank``
==============================================  ===========================================

A GET whose operationId or last path segment is ``models`` lists ``models``.  Of several
candidates, a path without parameters wins, then the request with most model-call fields (``model``,
``stream``, ``tools``...: ``/chat/completions`` over ``/threads``), then the shortest path
(``/models`` over ``/embeddings/models``).  Everything
else (the models to ask for, the catalog shape) comes from the bundled ``openai`` profile, the
plain OpenAI-compatible server, so the built-in mock can answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from gatecheck.profiles import Profile, get_profile
from gatecheck.specs.oas import iter_operations, request_fields

__all__ = ["GENERIC", "generic_profile", "infer_endpoints"]

GENERIC = "generic"
_BASE = "openai"

_ENDPOINTS: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    # name, every one of these fields, at least one of these (empty: no such condition)
    ("messages", frozenset({"messages", "system"}), frozenset()),
    ("chat", frozenset({"messages"}), frozenset()),
    ("responses", frozenset({"input"}), frozenset({"previous_response_id", "max_output_tokens"})),
    ("embeddings", frozenset({"input"}), frozenset({"encoding_format", "dimensions"})),
    ("rerank", frozenset({"query", "documents"}), frozenset()),
)
_MODEL_CALL_FIELDS = frozenset({"model", "stream", "stream_options", "tools", "response_format"})
_CHAT_FEATURES = {
    "stream": "streaming",
    "stream_options": "stream-usage",
    "tools": "tools",
    "response_format": "structured-outputs",
}


def _endpoint(fields: set[str]) -> str | None:
    for name, every, some in _ENDPOINTS:
        if every <= fields and (not some or some & fields):
            return name
    return None


def infer_endpoints(document: Mapping[str, Any]) -> tuple[dict[str, str], set[str]]:
    """Named endpoint paths and the capabilities their request schemas show."""
    candidates: dict[str, list[tuple[str, set[str]]]] = {}
    for method, path, operation in iter_operations(document):
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if method == "GET" and "models" in (last, operation.get("operationId")):
            candidates.setdefault("models", []).append((path, set()))
        name = _endpoint(request_fields(document, operation)) if method == "POST" else None
        if name is not None:
            candidates.setdefault(name, []).append((path, request_fields(document, operation)))
    paths: dict[str, str] = {}
    claims: set[str] = set()
    for name, found in candidates.items():
        path, fields = min(found, key=_preference)
        paths[name] = path
        claims.add(name)
        if name in ("chat", "responses", "messages") and "stream" in fields:
            claims.add("streaming")
        if name == "chat":
            claims |= {claim for field, claim in _CHAT_FEATURES.items() if field in fields}
    return paths, claims


def _preference(candidate: tuple[str, set[str]]) -> tuple[bool, int, int, int]:
    """No path parameters, then most model-call fields, then the shortest path."""
    path, fields = candidate
    return ("{" in path, -len(fields & _MODEL_CALL_FIELDS), path.count("/"), len(path))


def generic_profile(document: Mapping[str, Any], spec: str) -> Profile:
    """The profile for ``spec`` (a path), with its claims inferred from ``document``."""
    paths, claims = infer_endpoints(document)
    base = get_profile(_BASE)
    return dataclasses.replace(
        base,
        name=GENERIC,
        title="Generic (claims inferred from the spec)",
        spec=spec,
        capabilities=frozenset(claims),
        paths=paths,
        source=f"inferred from {spec}",
    )
