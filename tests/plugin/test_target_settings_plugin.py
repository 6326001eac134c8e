"""--model, --header, --body-field and --embedding-dimensions reach the suites through the plugin."""

from __future__ import annotations

import pytest

SUITE = '''
def test_rate_limited_model(model_for):
    """The rate-limited model answers 429."""
    assert model_for("rate_limited") == "always-429"


def test_settings(gateway, profile):
    """The target's settings are what the flags said."""
    assert profile.model("chat") == "my-chat"
    assert profile.embedding["dimensions"] == 384
    assert gateway.target.body == {"user": "ci"}
    with gateway.client() as client:
        assert client.headers["X-Tenant"] == "acme-0123456789"
'''


def test_a_role_nobody_named_is_not_applicable(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("-k", "rate_limited", "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*not applicable: name a model with --model rate_limited=NAME*"])


@pytest.mark.slow
def test_flags_reach_profile_gateway_and_clients(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENANT", "acme-0123456789")
    pytester.makepyfile(SUITE)
    result = pytester.runpytest_subprocess(  # the mock starts: a process of its own
        *("--model", "rate_limited=always-429", "--model", "chat=my-chat", "--embedding-dimensions", "384"),
        *("--header", "X-Tenant: ${TENANT}", "--body-field", "user=ci", "-p", "no:cacheprovider"),
    )
    result.assert_outcomes(passed=2)


def test_bad_flag_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("--model", "painter=x", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*gatecheck: unknown model role 'painter'*"])
    assert "Traceback" not in result.stderr.str()
