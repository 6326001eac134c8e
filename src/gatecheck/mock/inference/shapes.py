"""Per-flavor data: the one place a vendor name selects behaviour (besides the route tables).

Handlers never test the flavor; they read a field of :class:`Shapes`.  Each field names a
documented difference between Requesty (000/002 seeds) and OpenRouter (003/004 seeds, and
OpenRouter's streaming and error-handling guides).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.routing import (
    Candidate,
    RouteRequest,
    openrouter_candidates,
    requesty_candidates,
)
from gatecheck.profiles import Profile

__all__ = ["OPENROUTER", "REQUESTY", "Shapes", "shapes_for"]

# ids: unique per process by a counter, across processes by a random stem (no syscall per request)
_PROCESS = secrets.token_hex(8)
_SERIAL = itertools.count(1)


@dataclass(frozen=True)
class Shapes:
    name: str
    id_prefix: str  # completion ids: "chatcmpl-…" (002) / "gen-…" (OpenRouter generation ids)
    unknown_model_status: int  # Requesty documents only 400 for chat; OpenRouter lists 404
    # an upstream timeout: OpenRouter documents 408; Requesty's contract lists no timeout status
    # (and no 504), so its "upstream provider error" 502
    timeout_status: int
    generation_header: str | None  # OpenRouter returns X-Generation-Id on every inference response
    provider_field: bool  # OpenRouter answers name the provider that served them
    processing_comment: bytes | None  # OpenRouter's SSE keep-alive
    part_types: frozenset[str]  # accepted chat content part types
    candidates: Callable[[Context, RouteRequest], list[Candidate]]
    default_model: Callable[[Profile], str | None]
    # Requesty's spec documents 401 on GET /models; OpenRouter's lists no 401 on its catalog
    # endpoints, which are public on the real service
    catalog_auth: bool
    # OpenRouter's contract declares the [DONE] terminator on Responses streams too; OpenAI's
    # Responses API (which Requesty passes through) ends with response.completed alone
    responses_done: bool
    # OpenRouter always ends a chat stream with the usage chunk (its usage-accounting guide; the
    # official ChatStreamOptions marks include_usage "deprecated: no effect"); OpenAI and Requesty
    # send it only when stream_options.include_usage asks
    stream_usage_always: bool

    def new_id(self, prefix: str | None = None) -> str:
        """A fresh id with the flavor's prefix, or ``prefix`` for objects with their own (``resp_``)."""
        return f"{prefix or self.id_prefix}{_PROCESS}{next(_SERIAL):08x}"

    def headers(self, generation_id: str) -> dict[str, str]:
        return {self.generation_header: generation_id} if self.generation_header else {}


REQUESTY = Shapes(
    name="requesty",
    id_prefix="chatcmpl-",
    unknown_model_status=400,
    timeout_status=502,
    generation_header=None,
    provider_field=False,
    processing_comment=None,
    part_types=frozenset({"text", "image_url", "input_file", "file"}),
    candidates=requesty_candidates,
    default_model=lambda profile: profile.default_model,
    catalog_auth=True,
    responses_done=False,
    stream_usage_always=False,
)

OPENROUTER = Shapes(
    name="openrouter",
    id_prefix="gen-",
    unknown_model_status=404,
    timeout_status=408,
    generation_header="X-Generation-Id",
    provider_field=True,
    processing_comment=b": OPENROUTER PROCESSING\n\n",
    part_types=frozenset({"text", "image_url", "file", "input_audio"}),
    candidates=openrouter_candidates,
    # Without "model" OpenRouter serves the account's default model; the mock's account default
    # is the profile's chat model (the profile itself documents no default).
    default_model=lambda profile: profile.default_model or profile.model("chat"),
    catalog_auth=False,
    responses_done=True,
    stream_usage_always=True,
)

_ALL = {"requesty": REQUESTY, "openrouter": OPENROUTER}


def shapes_for(flavor: str) -> Shapes:
    return _ALL[flavor]
