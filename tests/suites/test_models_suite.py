"""suites/models proves itself: clean mocks pass, and each fault mode fails exactly its scenario.

The catalog faults break disjoint points (one field of one entry, the filters, the count, one
model's routing), so one mock per flavor runs with all of its faults on; each proof asserts its
scenario failed naming its defect, and the group asserts nothing else failed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

SUITE = "models"
SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

IDS = "test_model_ids_are_unique_and_name_their_provider"
PRICES = "test_prices_are_non_negative_in_the_profiles_unit"
CONTEXT = "test_context_windows_are_positive_integers"
REGIONS = "test_models_carry_their_regions"
CALLABLE = "test_listed_models_answer_or_refuse_clearly"
FILTER = "test_filter_returns_only_matching_models"
COUNT = "test_model_count_agrees_with_the_list"


class Proof(NamedTuple):
    """Fault ``fault`` on a ``profile`` mock fails ``scenario`` with a message containing ``says``."""

    fault: str
    scenario: str
    says: tuple[str, ...]
    profile: str = "requesty"

    @property
    def id(self) -> str:
        return f"{self.fault}@{self.profile}"


PROOFS = [
    Proof("duplicate-model-ids", IDS, ("Model ids repeat", "'openai/gpt-4o-mini' listed 2 times")),
    Proof("negative-price", PRICES, ("Catalog prices are not prices", "input_price -0.15 is negative")),
    Proof("bad-context-window", CONTEXT, ("not positive integers", "context_window = 0")),
    Proof("regions-missing", REGIONS, ("listed without their regions", "regions = []")),
    Proof("listed-model-unservable", CALLABLE, ("Listed models cannot be called", "HTTP 503")),
    Proof("duplicate-model-ids", IDS, ("Model ids repeat",), "openrouter"),
    Proof("negative-price", PRICES, ("pricing.prompt '-0.00000015' is negative",), "openrouter"),
    Proof("bad-context-window", CONTEXT, ("context_length = 0",), "openrouter"),
    Proof("listed-model-unservable", CALLABLE, ("cohere/command-r-plus-08-2024: HTTP 503",), "openrouter"),
    Proof("filter-ignored", FILTER, ("returned models without it",), "openrouter"),
    Proof("count-mismatch", COUNT, ("Model count disagrees with the list", "data.count: "), "openrouter"),
]

FLAVORS = ("requesty", "openrouter")


def _faults(profile: str) -> tuple[str, ...]:
    return tuple(sorted({p.fault for p in PROOFS if p.profile == profile}))


#: Every run this module needs, queued by tests/suites/conftest.py as soon as collection ends.
SUITE_RUNS = [(SUITE, profile, ()) for profile in (*FLAVORS, "openai")] + [
    (SUITE, profile, _faults(profile)) for profile in FLAVORS
]


@pytest.mark.parametrize("proof", [pytest.param(p, id=p.id) for p in PROOFS])
def test_fault_fails_its_scenario(run_suite: SuiteRunner, proof: Proof) -> None:
    result = run_suite(SUITE, profile=proof.profile, faults=_faults(proof.profile))
    result.assert_failed(proof.scenario, contains=proof.says)


@pytest.mark.parametrize("profile", FLAVORS)
def test_faults_fail_nothing_else(run_suite: SuiteRunner, profile: str) -> None:
    result = run_suite(SUITE, profile=profile, faults=_faults(profile))
    result.assert_only_failed({p.scenario for p in PROOFS if p.profile == profile})


@pytest.mark.parametrize(
    ("profile", "not_claimed"),
    [("requesty", {FILTER, COUNT}), ("openrouter", {REGIONS})],
)
def test_clean_mock_passes_every_applicable_scenario(
    run_suite: SuiteRunner, profile: str, not_claimed: set[str]
) -> None:
    result = run_suite(SUITE, profile=profile)
    result.assert_all_passed(allow_skips=True)
    assert {name.split("[")[0] for name in result.skipped} == not_claimed
    for name in not_claimed:
        result.assert_skipped(name, contains="not applicable")


def test_plain_openai_profile_checks_only_ids_and_callability(run_suite: SuiteRunner) -> None:
    result = run_suite(SUITE, profile="openai")
    result.assert_all_passed(allow_skips=True)
    assert result.passed == {IDS, CALLABLE}
    for name in (PRICES, CONTEXT, REGIONS, FILTER, COUNT):
        result.assert_skipped(name, contains="not applicable")
