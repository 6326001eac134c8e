"""How one mock gateway instance is configured; every source (CLI, config file, fixture) builds one."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

__all__ = ["RETRY_AFTER_FORMS", "Flavor", "MockSettings", "RetryAfterForm", "generate_key"]

Flavor = Literal["requesty", "openrouter"]
#: How the mock's rate-limit 429s say when to come back: delay-seconds or an HTTP-date (RFC 9110).
RetryAfterForm = Literal["seconds", "date"]
RETRY_AFTER_FORMS: tuple[str, ...] = get_args(RetryAfterForm)


def generate_key(prefix: str = "gc-mock") -> str:
    """A fresh random key; printed at startup, never stored in plaintext."""
    return f"{prefix}-{secrets.token_hex(16)}"


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class MockSettings:
    """Everything a mock instance needs; defaults give a working gateway with fresh keys."""

    flavor: Flavor = "requesty"
    api_key: str = field(default_factory=generate_key)
    admin_key: str = field(default_factory=lambda: generate_key("gc-admin"))
    db_path: Path | None = None  # None: a temporary file, removed on shutdown
    faults: set[str] = field(default_factory=set)
    fault_plan: list[dict[str, Any]] = field(default_factory=list)  # upstream failures, see inference.routing
    fallback_policies: dict[str, list[str]] = field(default_factory=dict)  # Requesty "policy/<name>"
    first_token_delay: float = 0.0  # seconds before the first SSE chunk
    chunk_gap: float = 0.0  # seconds between SSE chunks
    # a "timeout" upstream is given up after this long: no scenario judges how long the upstream
    # took, only what the gateway did next, so a short wait (a longer one slowed every main job)
    upstream_timeout: float = 0.5
    rate_limit: int | None = None  # requests per minute per key; None: unlimited
    rate_limit_every: int = 0  # every Nth inference request is first answered 429 (0: never)
    retry_after_form: RetryAfterForm = "seconds"  # how those 429s say when to come back
    max_body_bytes: int = 1 << 20  # larger request bodies are refused with 413, on every route
    max_embedding_inputs: int = 2048  # OpenAI's documented limit; more is a 400 naming ``input``
    # the prefix of key values the key API and the PKCE exchange mint; a shape no redaction
    # pattern knows ("zz") proves that gatecheck masks created keys by value
    key_prefix: str = "gc-mock"
    catalog_path: Path | None = None  # None: the bundled fixtures/catalog.yaml
    clock: Callable[[], datetime] = _utcnow  # injectable, so limit resets and expiry test without sleeps
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        """The path prefix the flavor's spec serves under."""
        from gatecheck.profiles import get_profile  # the one place the prefix is written down

        return get_profile(self.flavor).mock_prefix
