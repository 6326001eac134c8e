"""The vendor error envelope, shared by every handler of both flavors.

Both Requesty and OpenRouter answer errors as ``{"error": {"message": ..., "type"/"code": ...}}``;
raising :class:`MockHTTPError` anywhere in a handler produces exactly that, with the status given.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MockHTTPError", "anthropic_envelope", "envelope"]

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "insufficient_quota",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "conflict_error",
    410: "gone_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    502: "upstream_error",
    503: "service_unavailable",
}


def envelope(status: int, message: str, *, param: str | None = None, **extra: Any) -> dict[str, Any]:
    """The error body: ``code`` is the HTTP status (OpenRouter), ``type`` the class (OpenAI)."""
    body: dict[str, Any] = {"message": message, "type": _TYPES.get(status, "error"), "code": status}
    if param is not None:
        body["param"] = param
    body.update(extra)
    return {"error": body}


# the error types Anthropic's Messages API documents (OpenRouter's AnthropicMessagesErrorResponse)
_ANTHROPIC_TYPES = {
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    429: "rate_limit_error",
    503: "overloaded_error",
    529: "overloaded_error",
}


def anthropic_envelope(body: dict[str, Any], status: int, request_id: str | None) -> dict[str, Any]:
    """``body`` as the Messages API's error: ``{"type": "error", "error": {type, message}, "request_id"}``.

    The inner object keeps ``code`` and ``param``, so the answer also satisfies the generic
    envelope (``error.message``, ``error.code``) the bundled contract holds every operation to.
    """
    kind = _ANTHROPIC_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")
    return {"type": "error", "error": {**body["error"], "type": kind}, "request_id": request_id}


class MockHTTPError(Exception):
    """Abort a handler with a vendor error envelope."""

    def __init__(
        self, status: int, message: str, *, param: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.param = status, message, param
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return envelope(self.status, self.message, param=self.param)
