"""The error envelope: every error answer is ``{"error": {"message": "...", ...}}`` as JSON.

OpenAI SDKs build their exceptions from exactly this shape; a gateway that answers an error as
plain text or as ``{"detail": ...}`` leaves clients with "unknown error" and no reason.
"""

from __future__ import annotations

from typing import Any

import httpx

from gatecheck.check_ids import ERROR_ENVELOPE
from gatecheck.failures import ContractViolation, excerpt

__all__ = ["check_error_envelope", "error_message"]

_ENVELOPE = '{"error": {"message": "<non-empty text>", ...}} as application/json'


def _violation(title: str, response: httpx.Response, received: Any, operation: str) -> ContractViolation:
    return ContractViolation(
        title,
        expected=_ENVELOPE,
        received=f"HTTP {response.status_code} {response.headers.get('content-type', '(no content type)')}: "
        f"{excerpt(received, 300)}",
        check=ERROR_ENVELOPE,
        operation=operation,
    )


def check_error_envelope(response: httpx.Response, *, operation: str) -> dict[str, Any]:
    """Raise unless the answer is a JSON error envelope with a message; returns ``error``."""
    response.read()
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type.split(";")[0].lower():
        raise _violation("Error body is not JSON", response, response.text or "(empty body)", operation)
    try:
        body = response.json()
    except ValueError:
        raise _violation(
            "Error body is not JSON", response, response.text or "(empty body)", operation
        ) from None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        raise _violation("Error body lacks the error object", response, body, operation)
    message = error.get("message")
    if not isinstance(message, str) or not message.strip():
        raise _violation("Error envelope has no message", response, body, operation)
    return error


def error_message(response: httpx.Response, *, operation: str) -> str:
    """The envelope's message, after checking the envelope."""
    return str(check_error_envelope(response, operation=operation)["message"])
