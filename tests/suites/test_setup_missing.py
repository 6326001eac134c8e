"""Setup the account lacks is "not applicable: set up …", quoting the target, never a failure
(issue 16, item 7); an answer that does not name what the scenario asked for still fails."""

from __future__ import annotations

import pytest

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings
from gatecheck.profiles import get_profile
from suite_runs import SuiteRunner

pytestmark = pytest.mark.slow

FALLBACK_SCENARIOS = (
    "test_failing_primary_falls_back",
    "test_fallback_is_billed_at_the_answering_models_price",
    "test_all_candidates_failing_is_an_error",
)


def test_fallback_policies_the_account_lacks_are_not_applicable(
    run_suite: SuiteRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Requesty target without the profile's fallback policies: the three scenarios say what to
    set up and quote the target's "unknown fallback policy", none fails"""
    settings = MockSettings(flavor="requesty")  # started on its own: nobody installs the policies
    monkeypatch.setenv("SETUP_KEY", settings.api_key)
    with MockServer(settings) as server:
        result = run_suite(
            "fallbacks",
            extra_args=["--gateway-url", server.base_url, "--api-key-env", "SETUP_KEY"],
        )
    for name in FALLBACK_SCENARIOS:
        result.assert_skipped(
            name, contains=["not applicable: set up the fallback policies", "unknown fallback policy"]
        )
    assert not result.failed, result.failed


def test_a_role_model_the_target_does_not_know_is_not_applicable(run_suite: SuiteRunner) -> None:
    """--model chat=<an id the target does not know>: the chat scenarios say "set up a model the
    account can use", quoting the target"""
    result = run_suite("structured", extra_args=["--model", "chat=acme/not-on-this-account-1"])
    skipped = [o for o in result.outcomes if "set up a model the account can use" in o.message]
    assert skipped, str(result)
    assert all("acme/not-on-this-account-1 is not a valid model ID" in o.message for o in skipped)
    assert not result.failed, result.failed


def test_only_an_answer_naming_what_was_asked_is_a_setup_problem() -> None:
    """The wording alone is not enough: the answer must name the policy or model asked for, with a
    listed status; anything else stays the gateway's failure"""
    profile = get_profile("requesty")
    said = "unknown fallback policy 'gatecheck-fallback' (none configured)"
    assert profile.missing_setup(400, said, ["gatecheck-fallback"]) is not None
    assert profile.missing_setup(400, said, ["another-policy"]) is None
    assert profile.missing_setup(502, said, ["gatecheck-fallback"]) is None
    assert profile.missing_setup(400, "gatecheck-fallback failed upstream", ["gatecheck-fallback"]) is None
    assert get_profile("openai").missing_setup(400, said, ["gatecheck-fallback"]) is None
