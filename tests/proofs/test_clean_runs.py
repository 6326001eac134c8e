"""Every suite passes against a clean mock, and is "not applicable" exactly where a profile says so.

One run per profile of every scenario suite together (the contract suite has its own tests in
``tests/contract``): nothing may fail on a conformant gateway, every skip must be a reasoned
"not applicable", and the scenarios reported not applicable are exactly those the profile's
claims rule out, so a scenario cannot pass by quietly skipping.
"""

from __future__ import annotations

from typing import Any

import pytest

from suite_runs import SUITES, SuiteResult, SuiteRunner

pytestmark = pytest.mark.slow

#: Every scenario suite, run together in one process (the contract suite is tested on its own).
SCENARIO_SUITES = ",".join(
    sorted(p.name for p in SUITES.iterdir() if p.name != "contract" and any(p.glob("test_*.py")))
)

#: What each profile does not claim, by suite: these scenarios must be "not applicable".
NOT_APPLICABLE: dict[str, dict[str, set[str]]] = {
    "requesty": {
        "cost": {"test_generation_stats_agree_with_usage"},
        "fallbacks": {"test_fallbacks_switched_off_return_the_error"},
        "governance": {
            "test_assignment_counts_match_the_keys",
            "test_code_cannot_be_exchanged_twice",
            "test_credits_report_a_consistent_balance",
            "test_credits_usage_grows_after_a_paid_request",
            "test_guardrail_allowed_models_limit_the_key",
            "test_guardrail_budget_refuses_with_402",
            "test_guardrail_crud_round_trip",
            "test_pkce_exchange_gives_a_working_key",
            "test_unassigning_the_guardrail_restores_access",
            "test_wrong_verifier_is_refused",
        },
        "keys": {
            "test_disabled_key_is_refused",
            "test_limit_remaining_is_limit_minus_spend",
            "test_management_key_cannot_infer",
        },
        "messages": {
            "test_message_has_the_documented_shape",
            "test_stop_reason_is_end_turn_when_complete",
            "test_stop_reason_is_max_tokens_when_cut_short",
            "test_stream_events_follow_the_documented_order",
            "test_streamed_usage_obeys_max_tokens_and_reports_the_cut",
            "test_usage_reports_input_and_output_tokens",
        },
        "models": {"test_filter_returns_only_matching_models", "test_model_count_agrees_with_the_list"},
        "rerank": {
            "test_rerank_usage_is_reported",
            "test_result_indices_point_into_the_documents",
            "test_results_are_sorted_by_relevance",
            "test_top_n_is_honoured",
        },
        "streaming": {"test_comments_stay_comments"},
    },
    "openrouter": {
        "cost": {"test_key_usage_grows_by_the_request_cost", "test_org_usage_grows_by_the_request_cost"},
        "governance": {"test_access_list_limits_the_key_to_its_models"},
        "headers": {
            "test_eu_base_url_serves_the_same_api",
            "test_omitted_model_is_served_by_the_default_model",
        },
        "inputs": {"test_pdf_as_base64_is_accepted", "test_pdf_by_url_is_accepted"},
        "models": {"test_models_carry_their_regions"},
        "tools": {"test_web_search_answer_cites_its_sources"},
    },
    "openai": {
        "cost": {
            "test_answer_reports_usage_cost",
            "test_cost_matches_the_catalog_price",
            "test_generation_stats_agree_with_usage",
            "test_key_usage_grows_by_the_request_cost",
            "test_org_usage_grows_by_the_request_cost",
            "test_responses_usage_adds_up_and_obeys_max_output_tokens",
            "test_stream_usage_chunk_reports_cost",
            "test_streamed_responses_usage_adds_up_and_reports_the_cut",
        },
        "embeddings": {"test_dimensions_parameter_is_honoured"},
        "errors": {
            "test_every_rate_limited_answer_of_the_run_carries_retry_after",
            "test_inference_key_cannot_manage_keys",
            "test_rate_limited_answer_carries_retry_after",
        },
        "fallbacks": {
            "test_all_candidates_failing_is_an_error",
            "test_failing_primary_falls_back",
            "test_fallback_is_billed_at_the_answering_models_price",
            "test_fallbacks_switched_off_return_the_error",
        },
        "governance": {
            "test_access_list_limits_the_key_to_its_models",
            "test_assignment_counts_match_the_keys",
            "test_code_cannot_be_exchanged_twice",
            "test_credits_report_a_consistent_balance",
            "test_credits_usage_grows_after_a_paid_request",
            "test_guardrail_allowed_models_limit_the_key",
            "test_guardrail_budget_refuses_with_402",
            "test_guardrail_crud_round_trip",
            "test_pkce_exchange_gives_a_working_key",
            "test_unassigning_the_guardrail_restores_access",
            "test_wrong_verifier_is_refused",
        },
        "headers": {
            "test_analytics_headers_are_accepted",
            "test_analytics_headers_are_not_echoed_into_errors",
            "test_eu_base_url_serves_the_same_api",
            "test_omitted_model_is_served_by_the_default_model",
        },
        "inputs": {
            "test_image_part_is_accepted",
            "test_pdf_as_base64_is_accepted",
            "test_pdf_by_url_is_accepted",
        },
        "keys": {
            "test_deleted_key_is_refused",
            "test_deleting_again_or_an_unknown_id_is_404",
            "test_disabled_key_is_refused",
            "test_expired_key_is_refused",
            "test_get_returns_what_was_set",
            "test_key_value_is_returned_only_on_creation",
            "test_limit_below_spend_refuses_inference",
            "test_limit_remaining_is_limit_minus_spend",
            "test_management_key_cannot_infer",
            "test_new_key_can_infer_and_is_billed",
        },
        "messages": {
            "test_message_has_the_documented_shape",
            "test_stop_reason_is_end_turn_when_complete",
            "test_stop_reason_is_max_tokens_when_cut_short",
            "test_stream_events_follow_the_documented_order",
            "test_streamed_usage_obeys_max_tokens_and_reports_the_cut",
            "test_usage_reports_input_and_output_tokens",
        },
        "models": {
            "test_context_windows_are_positive_integers",
            "test_filter_returns_only_matching_models",
            "test_model_count_agrees_with_the_list",
            "test_models_carry_their_regions",
            "test_prices_are_non_negative_in_the_profiles_unit",
        },
        "rerank": {
            "test_rerank_usage_is_reported",
            "test_result_indices_point_into_the_documents",
            "test_results_are_sorted_by_relevance",
            "test_top_n_is_honoured",
        },
        "responses": {
            "test_json_schema_format_shapes_the_output_text",
            "test_response_object_has_the_documented_shape",
            "test_stream_events_are_numbered_and_in_order",
            "test_stream_opens_with_created_and_closes_with_completed",
            "test_streamed_function_call_events_arrive_in_order",
            "test_text_deltas_join_into_the_final_output_text",
        },
        "streaming": {"test_comments_stay_comments"},
        "tools": {"test_web_search_answer_cites_its_sources"},
    },
}
PROFILES = sorted(NOT_APPLICABLE)
#: Failures a clean mock gets by design: it speaks Requesty's statuses, where the plain OpenAI
#: profile documents OpenAI's (see tests/suites/test_errors_statuses.py).
EXPECTED_FAILURES = {"openai": {"test_unknown_model_is_refused", "test_wrong_key_is_refused"}}


def planned_run(params: dict[str, Any]) -> tuple[str, str, tuple[str, ...], tuple[str, ...]] | None:
    """The clean run a selected test needs (queued by conftest.py as soon as collection ends)."""
    profile = params.get("profile")
    return (SCENARIO_SUITES, profile, (), ()) if profile else None


def _suite(classname: str) -> str:
    return classname.split(".")[1]  # suites.<suite>.test_module


def _clean(run_suite: SuiteRunner, profile: str) -> SuiteResult:
    return run_suite(SCENARIO_SUITES, profile=profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_nothing_fails_on_a_clean_mock(run_suite: SuiteRunner, profile: str) -> None:
    result = _clean(run_suite, profile)
    expected = EXPECTED_FAILURES.get(profile, set())
    if expected:
        result.assert_only_failed(expected)
    else:
        result.assert_passed_or_not_applicable()
    assert {_suite(o.classname) for o in result.outcomes} == set(SCENARIO_SUITES.split(","))


@pytest.mark.parametrize("profile", PROFILES)
def test_exactly_the_unclaimed_scenarios_are_not_applicable(run_suite: SuiteRunner, profile: str) -> None:
    found: dict[str, set[str]] = {}
    for outcome in _clean(run_suite, profile).outcomes:
        if outcome.outcome == "skipped":
            found.setdefault(_suite(outcome.classname), set()).add(outcome.name.split("[")[0])
    assert found == NOT_APPLICABLE[profile]
