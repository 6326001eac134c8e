"""The seam between the inference plane and the management plane.

Inference handlers ask :class:`Accounts` who is calling and whether they may, and tell it what
each request cost.  The management plane implements it on sqlite (``store/``); the inference
plane never touches the database itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

__all__ = ["Accounts", "Principal", "UsageRecord"]

Role = Literal["inference", "management"]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    key_id: str  # Requesty key id / OpenRouter key hash
    role: Role
    name: str = ""
    allowed_models: frozenset[str] | None = None  # access list / guardrail; None: any
    allowed_providers: frozenset[str] | None = None


@dataclass(frozen=True)
class UsageRecord:
    """What one completed inference request consumed; cost in USD."""

    generation_id: str
    model: str
    provider: str
    prompt_tokens: int
    completion_tokens: int
    cost: float
    streamed: bool
    latency_ms: float = 0.0
    finish_reason: str | None = None
    endpoint: str = "chat"
    extra: dict[str, object] = field(default_factory=dict)


class Accounts(Protocol):
    """Authorisation and accounting for the mock; raises MockHTTPError with the right status."""

    def authenticate(
        self, token: str | None, role: Role, *, wrong_role_status: int | None = None
    ) -> Principal:
        """Who holds ``token``: 401 when missing, unknown, expired, disabled or deleted.

        A key of the other role gets ``wrong_role_status``, defaulting to what the flavor's spec
        documents for the operation (Requesty 403; OpenRouter 401 where only 401 is listed).
        """
        ...

    def authorize_inference(self, principal: Principal, model: str, provider: str | None = None) -> None:
        """Refuse before any work: 402 when the key's spend reached its limit, 403 when the
        model or provider is outside its access list or guardrail."""
        ...

    def record(self, principal: Principal, usage: UsageRecord) -> None:
        """Account a completed request against the calling key, durably: committed on return."""
        ...

    async def arecord(self, principal: Principal, usage: UsageRecord) -> None:
        """:meth:`record` for handlers on the event loop: committed on return too, possibly
        together with other requests'.  Answer the request only after it returns."""
        ...
