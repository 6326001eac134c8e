"""Reading answers inside scenarios: every way an answer can be unusable is a ContractViolation.

A scenario that does ``response.json()["usage"]["cost"]`` fails with a ``KeyError`` traceback
that says nothing about the gateway; these helpers fail with what was expected and what came
back (status, content type, the body), so the report reads as a finding.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

import httpx

from gatecheck.check_ids import JSON_BODY, STATUS, CheckId
from gatecheck.failures import ContractViolation, excerpt

__all__ = ["MISSING", "describe", "dig", "expect_status", "json_body", "json_object", "operation", "require"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: What :func:`dig` returns for an absent field, so ``None`` (JSON null) stays distinguishable.
MISSING: Final = _Missing()


def operation(method: str, path: str) -> str:
    """The operation label failures carry, such as ``POST /chat/completions``."""
    return f"{method.upper()} /{path.lstrip('/')}"


def describe(response: httpx.Response) -> str:
    """``HTTP 400 application/json: {...}``: what came back, in one line for a failure message.

    The body is decoded as the target declared it (Content-Encoding undone, then its charset,
    UTF-8 when it names none).  Bytes that are not text in that charset are shown as the bytes
    they were, never as replacement characters, so the report holds what the target sent.
    """
    try:
        raw = response.content
    except httpx.ResponseNotRead:
        raw = response.read()
    content_type = response.headers.get("content-type", "(no content type)")
    coding = response.headers.get("content-encoding", "identity").strip().lower()
    decoded = f" ({coding}-decoded)" if coding not in ("", "identity") else ""
    if not raw:
        return f"HTTP {response.status_code} {content_type}{decoded}: (empty body)"
    charset = response.charset_encoding or "utf-8"
    try:
        shown = excerpt(raw.decode(charset), 300)
    except (UnicodeDecodeError, LookupError):
        shown = f"{len(raw)} bytes that are not {charset} text: {excerpt(repr(raw[:200]), 300)}"
    return f"HTTP {response.status_code} {content_type}{decoded}: {shown}"


def expect_status(
    response: httpx.Response,
    expected: int | Collection[int],
    operation: str,
    *,
    check: CheckId = STATUS,
    title: str | None = None,
) -> None:
    """Raise unless the status is ``expected`` (one code or several acceptable ones)."""
    allowed = (expected,) if isinstance(expected, int) else tuple(expected)
    if response.status_code in allowed:
        return
    wanted = " or ".join(f"HTTP {code}" for code in allowed)
    raise ContractViolation(
        title or f"Expected {wanted}, got HTTP {response.status_code}",
        expected=wanted,
        received=describe(response),
        check=check,
        operation=operation,
    )


def json_body(response: httpx.Response, operation: str, *, check: CheckId = JSON_BODY) -> Any:
    """The parsed body; a body that is not JSON is the gateway's fault, not a harness crash."""
    try:
        return response.json()
    except ValueError:
        raise ContractViolation(
            "Response body is not JSON",
            expected="a JSON body",
            received=describe(response),
            check=check,
            operation=operation,
        ) from None


def json_object(response: httpx.Response, operation: str, *, check: CheckId = JSON_BODY) -> dict[str, Any]:
    """The parsed body, which must be a JSON object (every OpenAI-style answer is one)."""
    body = json_body(response, operation, check=check)
    if not isinstance(body, dict):
        raise ContractViolation(
            "Response body is not a JSON object",
            expected="a JSON object",
            received=body,
            check=check,
            operation=operation,
        )
    return body


def dig(document: Any, path: str, default: Any = MISSING) -> Any:
    """The value at a dotted path (``choices.0.message.content``), or ``default`` if absent."""
    current = document
    for part in path.split(".") if path else ():
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif (
            isinstance(current, list)
            and part.lstrip("-").isdigit()
            and -len(current) <= int(part) < len(current)
        ):
            current = current[int(part)]
        else:
            return default
    return current


def require(document: Any, path: str, *, operation: str, check: CheckId, what: str = "") -> Any:
    """The value at a dotted path; its absence is a violation naming the field."""
    value = dig(document, path)
    if value is MISSING:
        raise ContractViolation(
            f"Field {path} is missing",
            expected=f"{path} present{f' ({what})' if what else ''}",
            received=document,
            check=check,
            operation=operation,
        )
    return value
