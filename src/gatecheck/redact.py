"""Secrets never leave gatecheck: every report, log line and cassette passes through here.

Two layers: exact values the run knows to be secret (the target's keys, the mock's keys and
every key a suite creates) and patterns for things that look like credentials anyway
(``Authorization`` headers, vendor key prefixes), so a key the run never registered, such as
one a gateway echoes back, is still masked.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

__all__ = ["MASK", "Redactor", "default_redactor", "url_secrets"]

MASK = "[REDACTED]"

_PATTERNS = [
    re.compile(r"(?i)(authorization\s*[:=]\s*[\"']?(?:bearer|basic)\s+)[^\s\"',}]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{12,}"),
    re.compile(r"()\b(?:sk-or-v1-|sk-proj-|sk-ant-|sk-|rqsty-|gc-mock-|gc-admin-|gc-key-)[A-Za-z0-9_-]{12,}"),
]
_MIN_SECRET = 6  # shorter values would mask innocent words


class Redactor:
    """Masks registered secrets and credential-shaped strings; thread-safe, cheap when empty."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Register a value to mask wherever it appears."""
        if secret and len(secret) >= _MIN_SECRET:
            with self._lock:
                self._secrets.add(secret)

    @property
    def secrets(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._secrets)

    def text(self, value: str) -> str:
        """Mask secrets in a string."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            value = value.replace(secret, MASK)
        for pattern in _PATTERNS:
            value = pattern.sub(lambda m: m.group(1) + MASK, value)
        return value

    def data(self, value: Any) -> Any:
        """Mask secrets anywhere in a JSON-like structure, keys included.

        Tuples stay tuples (named ones keep their type: a pytest skip's ``longrepr`` must stay
        one), and objects made with ``attrs`` (allure's result model) are masked in place.
        """
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.data(k): self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, tuple):
            items = [self.data(v) for v in value]
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
        for field in getattr(type(value), "__attrs_attrs__", ()):
            setattr(value, field.name, self.data(getattr(value, field.name)))
        return value

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Header pairs with credentials masked whole, whatever their format."""
        sensitive = {"authorization", "x-api-key", "api-key", "cookie", "set-cookie", "proxy-authorization"}
        return [(k, MASK if k.lower() in sensitive else self.text(v)) for k, v in headers]


def url_secrets(url: str | None) -> list[str]:
    """Credentials a URL carries: userinfo (user and password) and every query value.

    A gateway URL has no business carrying a query string, so every value in it is treated as
    a credential (``?key=...``, ``?api-key=...``), whatever its name or shape.
    """
    if not url:
        return []
    parts = urlsplit(url)
    found = [parts.username or "", parts.password or ""]
    found += [unquote(v) for v in (parts.username, parts.password) if v]
    for _, value in parse_qsl(parts.query, keep_blank_values=False):
        found += [value, quote(value, safe="")]
    return [f for f in dict.fromkeys(found) if f]


#: The process-wide redactor: the plugin registers the target's keys here and every writer uses it.
default_redactor = Redactor()
