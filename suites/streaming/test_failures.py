"""Upstream failures during a stream: a real status before the first byte, an error event after."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from gatecheck.check_ids import STREAM_EARLY_FAILURE_STATUS
from gatecheck.checks import stream as checks
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation, excerpt
from gatecheck.profiles import Profile
from gatecheck.scenario import capture_stream, chat_request

pytestmark = pytest.mark.capability("streaming")


def test_failure_before_first_byte_is_an_http_error(
    client: httpx.Client,
    profile: Profile,
    chat_path: str,
    chat_op: str,
    upstream_failure: Callable[..., None],
) -> None:
    """An upstream failure before the first token is an HTTP error status, not a 200 stream"""
    upstream_failure("cut-before-first-token")
    body = chat_request(profile, stream=True)
    with client.stream("POST", chat_path, json=body) as response:
        response.read()
    if not 400 <= response.status_code < 600:
        raise ContractViolation(
            f"Stream that could not start was answered HTTP {response.status_code}",
            expected="an HTTP 4xx/5xx status with an error envelope (no token was ever sent)",
            received=f"HTTP {response.status_code} {response.headers.get('content-type', '')}: "
            f"{excerpt(response.text, 300)}",
            check=STREAM_EARLY_FAILURE_STATUS,
            operation=chat_op,
        )
    check_error_envelope(response, operation=chat_op)


def test_failure_mid_stream_ends_with_an_error_event(
    client: httpx.Client,
    profile: Profile,
    chat_path: str,
    chat_op: str,
    upstream_failure: Callable[..., None],
) -> None:
    """An upstream failure after the first token ends the stream with an error event, cleanly"""
    upstream_failure("cut-mid-stream", count=1)
    capture = capture_stream(client, chat_path, chat_request(profile, stream=True), operation=chat_op)
    checks.check_status(capture)
    checks.check_ends_with_error_event(capture)
