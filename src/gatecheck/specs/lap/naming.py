"""Names the OpenAPI document needs but LAP does not carry: operationIds and response descriptions.

Both are derived, never stored, so compiling the same LAP twice (or LAP -> OpenAPI -> LAP -> OpenAPI)
gives byte-identical output and reports can key on operationIds across runs.
"""

from __future__ import annotations

from http import HTTPStatus

__all__ = ["operation_id", "reason_phrase"]

# Gateway-specific codes that ``http.HTTPStatus`` does not know; the seed uses 524 and 529.
_EXTRA_PHRASES = {
    520: "Web Server Returned an Unknown Error",
    521: "Web Server Is Down",
    522: "Connection Timed Out",
    523: "Origin Is Unreachable",
    524: "A Timeout Occurred",
    529: "Site Is Overloaded",
}


def operation_id(method: str, path: str) -> str:
    """``POST /guardrails/{id}/assignments`` -> ``postGuardrailsByIdAssignments``.

    A path parameter reads as "By<Name>"; any non-alphanumeric character splits words, so
    ``/api_keys`` and ``/api-keys`` collide and the parser rejects the second as a duplicate.
    """
    words: list[str] = []
    for segment in path.split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            words.append("By")
            segment = segment[1:-1]
        words.extend(_words(segment))
    return method.lower() + "".join(word[:1].upper() + word[1:] for word in words)


def _words(segment: str) -> list[str]:
    return "".join(char if char.isalnum() else " " for char in segment).split()


def reason_phrase(status: int) -> str:
    if status in _EXTRA_PHRASES:
        return _EXTRA_PHRASES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"
