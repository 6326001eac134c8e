"""The words for a test that neither passed nor failed, and how a test says one of them.

A conformance report must not round "could not judge" up to "passed" or down to "failed": a
false alarm costs as much trust as a missed defect.  pytest only knows *skipped*, so a test
reports these outcomes by skipping with a reason whose prefix names the outcome; the runner
reads the prefix back (:func:`outcome_of_skip`).  This module is the one place both sides
agree on, and every layer may import it (it depends on nothing of gatecheck's).

- *not applicable*: the target does not claim what the test needs (a capability, a model role).
- *inconclusive*: the test ran but the evidence cannot decide (a stream that finished before
  its first byte could be timed, retries that ran out on a rate limit); the reason carries the
  figures.
- *not run*: the run's request or token budget was spent before the test could send anything.
"""

from __future__ import annotations

from typing import NoReturn

__all__ = [
    "INCONCLUSIVE",
    "NOT_APPLICABLE",
    "NOT_RUN",
    "SKIP_PREFIXES",
    "inconclusive",
    "not_applicable",
    "not_run",
    "outcome_of_skip",
]

#: Outcome names, as results.json and every report spell them.
NOT_APPLICABLE, INCONCLUSIVE, NOT_RUN = "not-applicable", "inconclusive", "not-run"

#: Skip-reason prefix -> outcome.  A reason with none of these prefixes is a plain "skipped".
SKIP_PREFIXES: dict[str, str] = {
    "not applicable": NOT_APPLICABLE,
    "inconclusive": INCONCLUSIVE,
    "not run": NOT_RUN,
}


def outcome_of_skip(reason: str) -> str:
    """The outcome a skip reason stands for: one of :data:`SKIP_PREFIXES`' values, or ``skipped``."""
    text = reason.removeprefix("Skipped: ").lstrip()
    for prefix, outcome in SKIP_PREFIXES.items():
        if text.startswith(prefix):
            return outcome
    return "skipped"


def not_applicable(reason: str) -> NoReturn:
    """End the test as *not applicable*; ``reason`` says what the target lacks and how to supply it."""
    import pytest  # here, not at the top: report commands import this module without pytest

    pytest.skip(f"not applicable: {reason}")


def inconclusive(reason: str) -> NoReturn:
    """End the test as *inconclusive*; ``reason`` gives the figures that could not decide."""
    import pytest

    pytest.skip(f"inconclusive: {reason}")


def not_run(reason: str) -> NoReturn:
    """End the test as *not run* (nothing was sent, e.g. the budget is spent)."""
    import pytest

    pytest.skip(f"not run: {reason}")
