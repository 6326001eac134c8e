"""The pytest plugin, tested the way it is used: a suite file run with options."""

from __future__ import annotations

import pytest

SUITE = '''
import pytest

@pytest.mark.capability("usage-cost")
def test_cost():
    """Cost is reported."""

@pytest.mark.capability("chat")
def test_chat():
    """Chat answers."""

@pytest.mark.writes
def test_creates_things():
    """Creates a key."""
'''


@pytest.mark.slow
def test_unclaimed_capability_is_not_applicable_not_passed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("--profile", "openai", "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*not applicable: profile openai does not claim 'usage-cost'*"])


def test_writes_need_consent_on_a_real_target(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATECHECK_API_KEY", "sk-test-0123456789")
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("--gateway-url", "http://127.0.0.1:9/v1", "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*rerun with --allow-writes*"])
    consenting = pytester.runpytest(
        "--gateway-url", "http://127.0.0.1:9/v1", "--allow-writes", "-p", "no:cacheprovider"
    )
    consenting.assert_outcomes(passed=3)


def test_unknown_profile_is_a_usage_error_not_a_traceback(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("--profile", "nope", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*gatecheck: unknown profile 'nope'; known: openai, openrouter, requesty*"])
    assert "Traceback" not in result.stderr.str()


def test_missing_key_variable_is_named(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MY_GATEWAY_KEY", raising=False)
    pytester.makepyfile(SUITE)
    result = pytester.runpytest(
        "--gateway-url",
        "https://gw.example.test/v1",
        "--api-key-env",
        "MY_GATEWAY_KEY",
        "-p",
        "no:cacheprovider",
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*environment variable MY_GATEWAY_KEY is not set*"])


@pytest.mark.slow
def test_unreachable_target_stops_the_run_with_exit_2(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATECHECK_API_KEY", "sk-test-0123456789")
    pytester.makepyfile(
        '''
def test_uses_gateway(client):
    """Needs a live gateway."""
    client.get("models")
'''
    )
    result = pytester.runpytest("--gateway-url", "http://127.0.0.1:9/v1", "-p", "no:cacheprovider")
    assert result.ret == 2
    result.stdout.fnmatch_lines(["*target http://127.0.0.1:9/v1 is unreachable: ConnectError*"])
    assert "sk-test-0123456789" not in result.stdout.str() + result.stderr.str()
