"""Rate limiting: a 429 tells the client, in a form it can obey, when to come back.

Two scenarios.  The first asks for a 429 on purpose: on the built-in mock through its fault
plan, on a real gateway through a model or route the user names as always rate-limited
(``--model rate_limited=NAME``; naming one makes it apply even where the profile does not
claim ``rate-limits``, and then a missing Retry-After is allowed, a malformed one is not).
The second judges every 429 the run happened to meet, on any target: gatecheck's retry
policy records each one (:data:`gatecheck.retry.LEDGER`), and this scenario runs after all
others (``after_all``) to read them; under ``-n`` the workers share the record, and tests
still running on other workers when it runs are not in it.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from gatecheck.check_ids import RATE_LIMIT_STATUS
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.checks.rate_limits import check_retry_after, check_sightings
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.retry import LEDGER
from gatecheck.scenario import chat_request, expect_status
from gatecheck.verdicts import not_applicable

RATE_LIMITED_ROLE = "rate_limited"


def _rate_limited_model(gateway: Gateway, request: pytest.FixtureRequest) -> str | None:
    """The model to ask for a 429: the chat model made to fail on the mock, the user's named one elsewhere.

    A real target with no ``rate_limited`` model named makes the scenario not applicable (every
    429 the run meets is still judged by the scenario below).
    """
    if gateway.is_mock:
        request.getfixturevalue("upstream_failure")("429")
        return None
    model_for: Callable[[str], str] = request.getfixturevalue("model_for")
    return model_for(RATE_LIMITED_ROLE)


@pytest.mark.capability("rate-limits", or_role=RATE_LIMITED_ROLE)
def test_rate_limited_answer_carries_retry_after(
    gateway: Gateway,
    client: httpx.Client,
    profile: Profile,
    chat_path: str,
    chat_op: str,
    request: pytest.FixtureRequest,
) -> None:
    """A 429 answer carries a usable Retry-After header and an error envelope"""
    model = _rate_limited_model(gateway, request)
    # No sampling options: a route may refuse those (o-series: temperature) before it rate-limits.
    body = {k: v for k, v in chat_request(profile, model=model).items() if k not in ("temperature", "seed")}
    response = client.post(chat_path, json=body)
    expect_status(response, 429, chat_op, check=RATE_LIMIT_STATUS)
    check_error_envelope(response, operation=chat_op)
    value = response.headers.get("retry-after")
    if value is None and not profile.claims("rate-limits"):
        not_applicable(
            f"profile {profile.name} does not claim 'rate-limits' and the 429 carries no Retry-After "
            "(RFC 6585 allows that); its status and error envelope were right"
        )
    check_retry_after(value, operation=chat_op)


@pytest.mark.after_all
def test_every_rate_limited_answer_of_the_run_carries_retry_after(profile: Profile) -> None:
    """Every 429 the target gave during the run carries a usable Retry-After"""
    sightings = LEDGER.sightings(429)
    if not sightings:
        not_applicable("the target answered no 429 during this run: no Retry-After to judge")
    if not profile.claims("rate-limits"):
        # RFC 6585 lets a 429 omit Retry-After; only a profile's claim makes it required.
        sightings = [s for s in sightings if s.retry_after is not None]
        if not sightings:
            not_applicable(
                f"profile {profile.name} does not claim 'rate-limits' and no 429 carried Retry-After"
            )
    check_sightings(sightings)
