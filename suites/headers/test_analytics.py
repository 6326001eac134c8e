"""Analytics headers (001 changelog): ``HTTP-Referer`` and ``X-Title`` label requests by app.

Apps send them on every request, so a gateway must serve requests that carry them.  Their values
come from the client and may be anything: a gateway that copies them into error messages
reflects caller-controlled text into places (logs, dashboards, HTML error pages) that trust it.
"""

from __future__ import annotations

import secrets

import pytest

from gatecheck.check_ids import ANALYTICS_HEADERS, ANALYTICS_HEADERS_ECHO, ANALYTICS_HEADERS_ERROR
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, dig, expect_status, json_object

pytestmark = [pytest.mark.capability("analytics-headers"), pytest.mark.capability("chat")]

#: A model id no catalog has, so the request fails after the headers were read.
UNKNOWN_MODEL = "gatecheck/no-such-model-7f3a"


def _analytics(marker: str = "") -> dict[str, str]:
    return {
        "HTTP-Referer": f"https://gatecheck.invalid/{marker or 'app'}",
        "X-Title": f"gatecheck {marker or 'suite'}",
    }


def test_analytics_headers_are_accepted(
    gateway: Gateway, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A request carrying HTTP-Referer and X-Title is served"""
    with gateway.client(**_analytics()) as client:
        response = client.post(chat_path, json=chat_request(profile))
    expect_status(
        response,
        200,
        chat_op,
        check=ANALYTICS_HEADERS,
        title="A request with analytics headers is not served",
    )
    if not isinstance(dig(json_object(response, chat_op), "choices.0.message"), dict):
        raise ContractViolation(
            "A request with analytics headers gets no answer",
            expected="choices[0].message",
            received=response.text,
            check=ANALYTICS_HEADERS,
            operation=chat_op,
        )


def test_analytics_headers_are_not_echoed_into_errors(
    gateway: Gateway, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """Error answers do not repeat the HTTP-Referer or X-Title values sent"""
    marker = f"gc-{secrets.token_hex(6)}"
    with gateway.client(**_analytics(marker)) as client:
        response = client.post(chat_path, json=chat_request(profile, model=UNKNOWN_MODEL))
    if not 400 <= response.status_code < 500:
        raise ContractViolation(
            "A request for an unknown model is not refused",
            expected="HTTP 4xx (the scenario needs an error answer to inspect)",
            received=f"HTTP {response.status_code}",
            check=ANALYTICS_HEADERS_ERROR,
            operation=chat_op,
        )
    if marker in response.text:
        raise ContractViolation(
            "Error answer echoes the analytics headers",
            expected=f"an error body without the values sent in HTTP-Referer / X-Title (marked {marker!r})",
            received=response.text,
            check=ANALYTICS_HEADERS_ECHO,
            operation=chat_op,
        )
