"""A legal rate limit changes no verdict: every suite, against a mock that answers a share of
inference requests 429 with a valid Retry-After (delay-seconds for some suites, an HTTP-date for
the others), gives exactly the verdicts of a run without them, and the 429s really happened: the
tests record the retries and the seconds waited (read back from the JUnit properties).

The contract suite runs bounded (one example per operation, a fixed seed, so both runs generate
the same requests); its verdicts include the failure keys of every failing operation.

How much longer such a run takes is measured, not asserted: ``bench/bench_rate_limits.py``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

#: Every third inference request is answered 429 first: several per suite, a few seconds of waits.
EVERY = 3
SUITES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "suites").iterdir() if p.is_dir())
SCENARIO_SUITES = [s for s in SUITES if s not in ("contract", "__pycache__")]
#: Every suite this module runs rate-limited; the contract suite bounded by CONTRACT_ARGS.
LIMITED_SUITES = [*SCENARIO_SUITES, "contract"]
#: One generated example per operation, the same ones in both runs (generation is seeded).
CONTRACT_ARGS = ("--examples", "1", "--gatecheck-seed", "17")
#: schemathesis still sends a few hundred requests (coverage and negative cases), so a sparser
#: share keeps the contract run's waits to about fifteen seconds.
CONTRACT_EVERY = 25


def _base_args(suite: str) -> tuple[str, ...]:
    return CONTRACT_ARGS if suite == "contract" else ()


def _limited_args(suite: str) -> tuple[str, ...]:
    form = "date" if LIMITED_SUITES.index(suite) % 2 else "seconds"
    return (
        *_base_args(suite),
        f"--mock-rate-limit-every={CONTRACT_EVERY if suite == 'contract' else EVERY}",
        f"--mock-retry-after-form={form}",
        "-o",
        "junit_family=legacy",
    )


def planned_run(params: dict[str, Any]) -> tuple[str, str, tuple[str, ...], tuple[str, ...]] | None:
    """The rate-limited run a selected test needs (queued by tests/conftest.py once collection ends)."""
    suite = params.get("suite")
    return None if suite is None else (suite, "requesty", (), _limited_args(suite))


def _retries(args: list[str]) -> tuple[int, float]:
    """(retries, seconds waited) summed over the run's tests, from their JUnit properties."""
    junit = next(Path(a.split("=", 1)[1]) for a in args if a.startswith("--junitxml="))
    retries, waited = 0, 0.0
    for prop in ET.parse(junit).getroot().iter("property"):
        if prop.get("name") == "rate_limit_retries":
            retries += int(prop.get("value", "0"))
        elif prop.get("name") == "rate_limit_wait_s":
            waited += float(prop.get("value", "0"))
    return retries, waited


def _verdicts(outcomes: list[Any]) -> dict[str, tuple[str, frozenset[str]]]:
    """Each test's outcome and, for the contract suite, the failure keys it reported."""
    return {o.name: (o.outcome, o.keys) for o in outcomes}


@pytest.mark.slow
@pytest.mark.parametrize("suite", LIMITED_SUITES)
def test_a_share_of_429s_changes_no_verdict(run_suite: SuiteRunner, suite: str) -> None:
    limited = run_suite.submit(suite, extra_args=_limited_args(suite))
    clean = run_suite(suite, extra_args=_base_args(suite))
    result = limited.result()
    assert _verdicts(result.outcomes) == _verdicts(clean.outcomes), result.output[-3000:]
    retries, waited = _retries(result.args)
    if "--mock-retry-after-form=seconds" in result.args:
        assert waited == pytest.approx(retries * 1.0)  # "Retry-After: 1", waited once per retry


@pytest.mark.slow
def test_the_429s_really_happened(run_suite: SuiteRunner) -> None:
    """Without this the test above could pass because the mock never rate-limited anything."""
    counts = {
        suite: _retries(run_suite(suite, extra_args=_limited_args(suite)).args) for suite in LIMITED_SUITES
    }
    print("retries, seconds waited per suite:", counts)
    # Every third inference request of each run is limited, deterministically: 35 retries in 11
    # of the 15 suites when this was written (messages and rerank are not applicable to the
    # requesty profile; governance and structured send too few inference requests).
    assert sum(r for r, _ in counts.values()) >= 25, counts
    assert sum(1 for r, _ in counts.values() if r) >= 8, counts
    assert counts["contract"][0] >= 1, counts  # the generated cases were rate-limited too
