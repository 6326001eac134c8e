"""Extra JSON fields a gateway needs in every inference request (``--body-field NAME=JSON``).

Added by a transport wrapper rather than by each suite, so every request body a suite builds
carries them and no suite has to know.  A field the request sets itself wins: a scenario that
tests a field (``models`` for fallbacks, ``stream``) must send what it means to test.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

__all__ = ["ExtraBodyTransport"]

#: A body with any of these is an inference request; management calls (keys, guardrails) are left alone.
_INFERENCE_FIELDS = ("model", "messages", "input", "query", "prompt")


class ExtraBodyTransport(httpx.BaseTransport):
    """Wraps a transport; adds ``fields`` to JSON object bodies of inference POSTs."""

    def __init__(self, inner: httpx.BaseTransport, fields: Mapping[str, Any]) -> None:
        self._inner, self._fields = inner, dict(fields)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(self._with_fields(request))

    def close(self) -> None:
        self._inner.close()

    def _with_fields(self, request: httpx.Request) -> httpx.Request:
        if request.method != "POST" or "json" not in request.headers.get("content-type", ""):
            return request
        try:
            body = json.loads(request.read())
        except ValueError:
            return request  # not ours to repair: the target should see what the suite sent
        if not isinstance(body, dict) or not any(name in body for name in _INFERENCE_FIELDS):
            return request
        merged = {**self._fields, **body}
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        return httpx.Request(
            request.method, request.url, headers=headers, json=merged, extensions=request.extensions
        )
