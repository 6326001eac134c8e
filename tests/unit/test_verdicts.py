"""The skip-reason vocabulary that carries not-applicable, inconclusive and not-run outcomes."""

from __future__ import annotations

import pytest

from gatecheck import verdicts
from gatecheck.reports.outcomes import OUTCOMES
from gatecheck.runner.records import fold_phases


@pytest.mark.parametrize(
    ("raise_it", "outcome"),
    [
        (verdicts.not_applicable, "not-applicable"),
        (verdicts.inconclusive, "inconclusive"),
        (verdicts.not_run, "not-run"),
    ],
)
def test_each_helper_round_trips_through_the_recorder(raise_it, outcome) -> None:
    with pytest.raises(pytest.skip.Exception) as caught:
        raise_it("3 chunks in 1 read over 0.000 s")
    reason = str(caught.value)
    phases = {"call": {"outcome": "skipped", "skip_reason": reason}}
    assert fold_phases(phases) == ("skipped", outcome, None, reason)
    assert outcome in OUTCOMES


def test_a_plain_skip_stays_skipped() -> None:
    assert verdicts.outcome_of_skip("needs ../shared/seeds") == "skipped"
    assert verdicts.outcome_of_skip("Skipped: inconclusive: rate-limited") == "inconclusive"


def test_every_prefix_names_a_reported_outcome() -> None:
    assert set(verdicts.SKIP_PREFIXES.values()) <= set(OUTCOMES)
