"""One session for every suite, and pytest-like selection: ``-k``, ``-x``, ``--lf``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_run_helpers import SUITES, gatecheck, make_home

FAULTS = ("--mock-fault", "omit-usage-cost", "--mock-fault", "no-done-sentinel")
PID_TEST = """
import os


def test_pid(record_property):
    '''Says its process.'''
    record_property("pid", os.getpid())
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    suites = {name: {**files, "test_pid.py": PID_TEST} for name, files in SUITES.items()}
    root = make_home(tmp_path / "home", suites)
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.chdir(tmp_path)
    return root


def test_every_suite_runs_in_one_process_and_keeps_its_own_results(home: Path) -> None:
    outcome = gatecheck("run", "--seed", "3")
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    tests = outcome.results["tests"]
    pids = {t["suite"]: t["metrics"]["pid"] for t in tests if t["title"] == "Says its process."}
    assert set(pids) == {"chat", "stream"} and len(set(pids.values())) == 1
    assert [t["suite"] for t in tests] == sorted(t["suite"] for t in tests)  # suite by suite, in order
    assert [s["name"] for s in outcome.results["suites"]] == ["chat", "stream"]
    log = (outcome.run_dir / "logs" / "chat.log").read_text()
    assert log.count("PASSED") == 6 and "NOT-APPLICABLE  chat::test_chat::test_pkce_exchange" in log


def test_k_selects_like_pytest_and_suites_it_leaves_empty_are_left_out(home: Path) -> None:
    outcome = gatecheck("run", "--seed", "3", "-k", "sizes")
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    assert sorted(outcome.outcomes()) == [f"chat::test_chat::test_sizes[{n}]" for n in (1, 2, 3)]
    assert [s["name"] for s in outcome.results["suites"]] == ["chat"]


def test_x_stops_at_the_first_failure_and_later_suites_are_not_run(home: Path) -> None:
    outcome = gatecheck("run", "--seed", "3", "-x", *FAULTS)
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    assert [o for o in outcome.outcomes().values() if o == "failed"] == ["failed"]
    suites = {s["name"]: s["status"] for s in outcome.results["suites"]}
    assert suites == {"chat": "failed", "stream": "not-run"}


def test_x_with_workers_is_a_stop_not_a_crash(home: Path) -> None:
    """xdist ends a session -x stopped as "interrupted" (exit 2); that is the stop asked for: exit 1,
    no suite in error.  Tests already in flight on other workers finish, so more may fail."""
    outcome = gatecheck("run", "--seed", "3", "-x", "--concurrency", "2", *FAULTS)
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    assert "failed" in outcome.outcomes().values() and "error" not in outcome.outcomes().values()
    suites = {s["name"]: s["status"] for s in outcome.results["suites"]}
    assert "error" not in suites.values() and "failed" in suites.values(), suites
    assert outcome.results["run"]["verdict"] == "fail"


def test_lf_reruns_exactly_the_last_runs_failures(home: Path) -> None:
    assert gatecheck("run", "--seed", "3", *FAULTS).exit_code == 1
    again = gatecheck("run", "--seed", "3", "--lf", *FAULTS)
    assert again.exit_code == 1, again.stdout + again.stderr
    assert again.outcomes() == {
        "chat::test_chat::test_cost_is_reported": "failed",
        "stream::test_stream::test_done_sentinel": "failed",
    }
    fixed = gatecheck("run", "--seed", "3", "--lf")  # faults off: both pass now
    assert fixed.exit_code == 0 and set(fixed.outcomes().values()) == {"passed"}
    assert len(fixed.outcomes()) == 2


def test_lf_without_a_previous_run_is_a_usage_error(home: Path) -> None:
    outcome = gatecheck("run", "--lf")
    assert outcome.exit_code == 2
    assert "--lf needs the last run's results" in outcome.stderr and "Traceback" not in outcome.stderr
