"""The error-envelope check: accepts the OpenAI shape, names what came back otherwise."""

from __future__ import annotations

import httpx
import pytest

from gatecheck.checks.envelope import check_error_envelope, error_message
from gatecheck.failures import ContractViolation

OP = "POST /chat/completions"


def _response(status: int, content: bytes, content_type: str | None = "application/json") -> httpx.Response:
    headers = {"content-type": content_type} if content_type else {}
    return httpx.Response(status, content=content, headers=headers)


def test_accepts_an_envelope_and_returns_the_error() -> None:
    response = _response(400, b'{"error": {"message": "\'messages\' is required", "code": 400}}')
    assert check_error_envelope(response, operation=OP)["code"] == 400
    assert error_message(response, operation=OP) == "'messages' is required"


def test_accepts_json_with_a_charset() -> None:
    response = _response(401, b'{"error": {"message": "no key"}}', "application/json; charset=utf-8")
    check_error_envelope(response, operation=OP)


@pytest.mark.parametrize(
    ("content", "content_type", "title"),
    [
        (b"Bad Request", "text/plain", "Error body is not JSON"),
        (b'{"error": {"message": "x"}}', None, "Error body is not JSON"),
        (b"{not json", "application/json", "Error body is not JSON"),
        (b'{"detail": "bad"}', "application/json", "Error body lacks the error object"),
        (b'{"error": "bad"}', "application/json", "Error body lacks the error object"),
        (b'{"error": {"message": "  "}}', "application/json", "Error envelope has no message"),
        (b'{"error": {"code": 400}}', "application/json", "Error envelope has no message"),
    ],
)
def test_rejects_what_is_not_an_envelope(content: bytes, content_type: str | None, title: str) -> None:
    with pytest.raises(ContractViolation) as caught:
        check_error_envelope(_response(400, content, content_type), operation=OP)
    violation = caught.value
    assert violation.title == title
    assert violation.check == "error-envelope"
    assert violation.operation == OP
    assert "HTTP 400" in str(violation.received)
