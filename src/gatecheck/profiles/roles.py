"""The model roles suites ask for: a profile names a model per role, a user overrides any of them.

One registry: the profile schema, ``--model ROLE=NAME``, ``gatecheck.toml``'s ``models`` table,
``gatecheck probe`` and the not-applicable reason all read it.  A role nobody named makes the
scenarios that need it *not applicable*, never failed: gatecheck cannot guess a gateway's models.
"""

from __future__ import annotations

__all__ = ["ROLES", "missing_role_reason"]

ROLES: dict[str, str] = {
    "chat": "a chat model that answers; chat, streaming, tools and cost scenarios use it",
    "chat_alt": "a second chat model, for scenarios that need two (routing, access lists)",
    "embedding": "an embeddings model",
    "rerank": "a rerank model",
    "failing": "a model or route that always fails upstream (error scenarios on real targets)",
    "rate_limited": "a model or route that always answers 429 (rate-limit scenarios on real targets)",
}


def missing_role_reason(role: str) -> str:
    """Why a scenario that needs a model for ``role`` is not applicable when nobody named one."""
    return f"name a model with --model {role}=NAME ({ROLES[role]})"
