"""Rate limiting: a 429 tells the client when to come back."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import parsedate_to_datetime

import httpx
import pytest

from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, expect_status


def _valid_retry_after(value: str) -> bool:
    """Seconds (RFC 9110 delay-seconds) or an HTTP date; gateways send the first."""
    if value.strip().isdigit():
        return True
    try:
        return parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False


@pytest.mark.capability("rate-limits")
def test_rate_limited_answer_carries_retry_after(
    client: httpx.Client,
    profile: Profile,
    chat_path: str,
    chat_op: str,
    upstream_failure: Callable[..., None],
) -> None:
    """A 429 answer carries a Retry-After header and an error envelope"""
    upstream_failure("429")
    response = client.post(chat_path, json=chat_request(profile))
    expect_status(response, 429, chat_op, check="rate-limit-status")
    check_error_envelope(response, operation=chat_op)
    retry_after = response.headers.get("retry-after")
    if retry_after is None or not _valid_retry_after(retry_after):
        raise ContractViolation(
            "429 answer lacks a usable Retry-After",
            expected="Retry-After: <seconds> or an HTTP date",
            received=f"Retry-After: {retry_after!r}; headers: {sorted(response.headers.keys())}",
            check="retry-after",
            operation=chat_op,
        )
