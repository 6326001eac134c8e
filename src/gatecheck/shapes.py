"""Observed response shapes: which fields a target actually returns, per operation.

This is the recording half, at the base layer so the HTTP client can feed it
(:func:`gatecheck.http.make_client` records every 2xx JSON body).  A *shape* is a set of field
paths (``choices[].message.content``) with the JSON types seen there, never values, so recording
a body cannot leak its content into a report.  :mod:`gatecheck.reports.shapes` compares shapes
with the spec.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

__all__ = ["field_paths", "record_shape", "reset", "snapshot"]

MAX_DEPTH = 12
_MAX_ITEMS = 50  # array elements inspected per array: enough to see every variant, cheap on big lists

_lock = threading.Lock()
_observed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
_samples: dict[str, int] = defaultdict(int)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _walk(value: Any, path: str, out: dict[str, set[str]], depth: int) -> None:
    if path:
        out[path].add(_json_type(value))
    if depth >= MAX_DEPTH:
        return
    if isinstance(value, Mapping):
        for key, child in value.items():
            _walk(child, f"{path}.{key}" if path else str(key), out, depth + 1)
    elif isinstance(value, list):
        for child in value[:_MAX_ITEMS]:
            _walk(child, f"{path}[]", out, depth + 1)


def field_paths(body: Any) -> dict[str, str]:
    """``{path: type}`` for every field of a JSON body; several types at one path are joined by ``|``."""
    out: dict[str, set[str]] = defaultdict(set)
    _walk(body, "", out, 0)
    return {path: "|".join(sorted(types)) for path, types in sorted(out.items())}


def record_shape(operation: str, body: Any) -> None:
    """Remember the shape of one JSON response of ``operation`` (``"POST /v1/chat/completions"``).

    The path may carry the base URL's prefix; the report maps it onto the spec's template.  The
    mock's own control API (``/_mock/``) is not part of any contract and is ignored.
    """
    if "/_mock/" in operation or not isinstance(body, dict | list):
        return
    paths: dict[str, set[str]] = defaultdict(set)
    _walk(body, "", paths, 0)
    with _lock:
        _samples[operation] += 1
        for path, types in paths.items():
            _observed[operation][path] |= types


def snapshot() -> dict[str, dict[str, Any]]:
    """What this process recorded, as JSON-ready data: ``{operation: {samples, observed}}``."""
    with _lock:
        return {
            op: {
                "samples": _samples[op],
                "observed": {p: sorted(t) for p, t in sorted(_observed[op].items())},
            }
            for op in sorted(_samples)
        }


def reset() -> None:
    """Forget everything recorded (between sessions, and in tests)."""
    with _lock:
        _observed.clear()
        _samples.clear()
