"""Small helpers every answer uses: the response head (id, created, model, provider) and JSON."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.routing import Routed

__all__ = ["Meta", "citation", "dumps", "fingerprint", "json_response"]


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(payload), status, headers, media_type="application/json")


@dataclass(frozen=True)
class Meta:
    """The identity of one answer; every chunk of a stream repeats it."""

    id: str
    created: int
    routed: Routed
    provider_field: bool

    @classmethod
    def new(cls, ctx: Context, routed: Routed, prefix: str | None = None) -> Meta:
        return cls(ctx.shapes.new_id(prefix), int(time.time()), routed, ctx.shapes.provider_field)

    def head(self, kind: str) -> dict[str, Any]:
        head: dict[str, Any] = {
            "id": self.id,
            "object": kind,
            "created": self.created,
            "model": self.routed.reported_model,
        }
        if self.provider_field:
            head["provider"] = self.routed.provider.name
        # OpenRouter's official ChatResult requires it (nullable); OpenAI's chat objects carry it
        head["system_fingerprint"] = fingerprint(self.routed.reported_model)
        return head


def fingerprint(model: str) -> str:
    """A stable ``fp_…`` per model, as OpenAI derives one from the serving configuration."""
    return "fp_" + hashlib.blake2s(model.encode(), digest_size=5).hexdigest()


def citation(c: Any) -> dict[str, Any]:
    """A ``url_citation`` annotation as Chat Completions carries it."""
    return {
        "type": "url_citation",
        "url_citation": {
            "url": c.url,
            "title": c.title,
            "content": c.content,
            "start_index": c.start,
            "end_index": c.end,
        },
    }
