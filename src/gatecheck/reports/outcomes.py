"""The outcomes a test can have in a gatecheck report, and how they roll up.

pytest knows passed/failed/skipped; a conformance report needs more words: a skip because the
profile does not claim a capability is *not applicable* (not a gap in coverage), a test whose
evidence could not decide is *inconclusive*, one the budget stopped is *not run* (those three
words come from :mod:`gatecheck.verdicts`, which tests use to report them), a failure the
baseline accepts is *baselined* (reported, not gating), and a baselined failure that now passes
is *fixed* (time to shrink the baseline).  Every report reads these tuples, so the order of
columns and the colours stay the same everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from gatecheck.verdicts import INCONCLUSIVE, NOT_APPLICABLE, NOT_RUN

__all__ = [
    "FAILING",
    "GATING",
    "HARNESS_ERROR",
    "JUDGED",
    "LABELS",
    "NO_CAPABILITY",
    "OUTCOMES",
    "PASSING",
    "TARGET_FAILED",
    "capability_status",
    "count",
    "exit_code",
    "judged",
    "pass_rate",
]

#: Every outcome, in the order reports show them.
OUTCOMES: tuple[str, ...] = (
    "passed",
    "failed",
    "error",
    INCONCLUSIVE,
    NOT_RUN,
    "baselined",
    "fixed",
    "skipped",
    NOT_APPLICABLE,
)
#: Short column headings where the outcome's own name is too wide.
LABELS: dict[str, str] = {NOT_APPLICABLE: "n/a", INCONCLUSIVE: "inconcl.", NOT_RUN: "not run"}
#: Outcomes that keep the run from passing: ``failed`` (the target's fault, exit 1) and ``error``
#: (gatecheck could not judge: its own bug or a harness error, exit 2 when nothing failed).
GATING = frozenset({"failed", "error"})
#: The one outcome that is the target's fault; see :func:`exit_code`.
TARGET_FAILED = "failed"
#: The outcome that is gatecheck's fault (a check or fixture raised, a harness error mid-test).
HARNESS_ERROR = "error"
#: Outcomes where the gateway did not meet the contract, accepted or not.
FAILING = frozenset({"failed", "error", "baselined"})
#: Outcomes where the gateway met the contract.
PASSING = frozenset({"passed", "fixed"})
#: Outcomes where a test actually judged the target (whatever it found).
JUDGED = frozenset({"passed", "failed", "baselined", "fixed"})
#: The matrix row for tests that declare no capability marker.
NO_CAPABILITY = "(general)"


def exit_code(outcomes: Iterable[str]) -> int:
    """The run's exit code from its tests: 1 if any failed, else 2 if gatecheck erred, else 0.

    A conformance failure outranks a harness error: the gateway's fault is news either way, and
    exit 2 must mean "gatecheck could not judge", never "the gateway is broken".
    """
    seen = set(outcomes)
    return 1 if TARGET_FAILED in seen else 2 if HARNESS_ERROR in seen else 0


def judged(counts: Mapping[str, int]) -> str:
    """ "37 of 102 tests judged the target": what a verdict line must say so a run whose tests
    were mostly not applicable never reads as a broad pass."""
    total = sum(counts.values())
    tests = "test" if total == 1 else "tests"
    return f"{sum(counts.get(o, 0) for o in JUDGED)} of {total} {tests} judged the target"


def count(outcomes: Iterable[str]) -> dict[str, int]:
    """A count for every outcome (zeros included, so tables have fixed columns)."""
    counted = Counter(outcomes)
    return {name: counted.get(name, 0) for name in OUTCOMES}


def pass_rate(counts: Mapping[str, int]) -> float | None:
    """Passing share of the tests that ran and judged the gateway (skips excluded); None if none did."""
    judged = sum(counts.get(o, 0) for o in PASSING | FAILING)
    if not judged:
        return None
    return round(sum(counts.get(o, 0) for o in PASSING) / judged, 4)


def capability_status(counts: Mapping[str, int]) -> str:
    """One word for a matrix cell: the worst thing that happened to the capability's tests."""
    if counts.get("failed", 0):
        return "failing"
    if counts.get("error", 0):
        return "error"  # gatecheck could not judge: not the capability's fault
    if counts.get("baselined", 0):
        return "baselined"
    if counts.get("passed", 0) or counts.get("fixed", 0):
        return "passing"
    if counts.get(INCONCLUSIVE, 0):
        return INCONCLUSIVE
    if counts.get("not-applicable", 0):
        return "not-applicable"
    if counts.get("skipped", 0):
        return "skipped"
    return "not-run"
