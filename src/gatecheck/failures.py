"""Contract violations: what a gateway did wrong, in a form reports can compare across runs.

Modelled on schemathesis' failures: a typed ``AssertionError`` with a fixed ``title``, a
message in "Expected … / Received …" form and a stable ``key`` (scenario or operation + check)
that baselines and drift reports compare, never the message text.  The check is a registered id
(:mod:`gatecheck.check_ids`), never a string made up at the raise.
"""

from __future__ import annotations

import json
from typing import Any

from gatecheck.check_ids import CheckId, failure_key

__all__ = ["ContractViolation", "excerpt"]

_EXCERPT_LIMIT = 500


def excerpt(value: Any, limit: int = _EXCERPT_LIMIT) -> str:
    """Render a received value compactly so a failure message stays readable."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


class ContractViolation(AssertionError):
    """The gateway departed from its contract at one identifiable point."""

    def __init__(
        self,
        title: str,
        *,
        expected: str,
        received: Any,
        check: CheckId,
        operation: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.title = title
        self.expected = expected
        self.received = received
        self.check = check
        self.operation = operation
        self.details = details or {}
        super().__init__(self.message)

    @property
    def key(self) -> str:
        """Stable identity for baselines and drift: never includes message text."""
        return failure_key(self.operation, self.check)

    @property
    def message(self) -> str:
        where = f" [{self.operation}]" if self.operation else ""
        return f"{self.title}{where}\nExpected: {self.expected}\nReceived: {excerpt(self.received)}"

    def __str__(self) -> str:
        return self.message
