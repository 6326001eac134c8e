"""A rate limit that outlasts the retries makes a test inconclusive, never failed, and is recorded."""

from __future__ import annotations

import pytest

SUITE = '''
import httpx
import pytest

from gatecheck.retry import Ledger, Pause, RetryPolicy, RetryTransport

SLEPT = []


def limited(after: int = 99):
    """A client whose gateway answers 429 (Retry-After: 1) to its first ``after`` requests."""
    sent = []

    def handler(request):
        sent.append(request)
        if len(sent) <= after:
            return httpx.Response(429, headers={"Retry-After": "1"}, json={"error": {"message": "slow down"}})
        return httpx.Response(200, json={"ok": True})

    policy = RetryPolicy(
        clock=lambda: float(len(SLEPT)), sleep=SLEPT.append, pause=Pause(), ledger=Ledger(), max_retries=2
    )
    transport = RetryTransport(httpx.MockTransport(handler), policy=policy)
    client = httpx.Client(base_url="http://gw.test/v1/", transport=transport)
    client.sent = sent
    return client


def test_needs_an_answer():
    """A scenario about something else meets a rate limit that does not lift."""
    assert limited().get("models").status_code == 200, "Expected HTTP 200"


def test_rate_limit_lifts():
    """The rate limit lifts after one wait: the test passes and its wait is recorded."""
    assert limited(after=1).get("models").status_code == 200


@pytest.mark.capability("rate-limits")
def test_about_rate_limits():
    """A scenario about rate limits keeps its own verdict (and sends once)."""
    client = limited()
    status = client.get("models").status_code
    assert status == 200, f"Expected HTTP 200, got {status} after {len(client.sent)} request(s)"


def test_genuine_failure():
    """A failure with no rate limit in sight stays a failure."""
    assert limited(after=0).get("models").status_code == 404
'''


def test_rate_limits_never_fail_a_test_that_is_not_about_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("-rsf", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*inconclusive: rate-limited: GET /v1/models answered 429 (Retry-After: '1'); "
            "3 rate-limited answer(s), 2 retries, 2.0 s waited; gave up: 2 retries spent*"
        ]
    )
    result.stdout.fnmatch_lines(["E * AssertionError: Expected HTTP 200, got 429 after 1 request(s)"])
    result.stdout.fnmatch_lines(["FAILED *test_genuine_failure*"])


def test_retries_and_waits_are_recorded_on_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    pytester.makeconftest(
        """
def pytest_runtest_logreport(report):
    if report.when == "call":
        print("PROPS", report.nodeid.split("::")[-1], dict(report.user_properties))
"""
    )
    result = pytester.runpytest("-s", "-p", "no:cacheprovider", "-k", "lifts or genuine")
    result.stdout.fnmatch_lines(
        [
            "*PROPS test_rate_limit_lifts {'rate_limit_retries': 1, 'rate_limit_wait_s': 1.0}",
            "*PROPS test_genuine_failure {}",
        ]
    )


def test_a_named_role_makes_an_unclaimed_capability_apply(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import pytest

@pytest.mark.capability("rate-limits", or_role="rate_limited")
def test_named_route():
    """Runs where the profile claims rate limits, or the user named a rate-limited model."""
'''
    )
    unnamed = pytester.runpytest("--profile", "openai", "-rs", "-p", "no:cacheprovider")
    unnamed.assert_outcomes(skipped=1)
    unnamed.stdout.fnmatch_lines(["*not applicable: profile openai does not claim 'rate-limits'*"])
    named = pytester.runpytest(
        "--profile", "openai", "--model", "rate_limited=slow-route", "-p", "no:cacheprovider"
    )
    named.assert_outcomes(passed=1)
