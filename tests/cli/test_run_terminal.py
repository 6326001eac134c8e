"""What a CI log shows: the non-TTY output of a failing run, held as a snapshot (no colour, fixed width)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_run_helpers import gatecheck, make_home

SNAPSHOT = """\
suite             status   tests passed failed error inconcl. not run baselined fixed skipped  n/a    time
----------------------------------------------------------------------------------------------------------
chat              failed       6      4      1     0        0       0         0     0       0    1    T
stream            failed       2      1      1     0        0       0         0     0       0    0    T
----------------------------------------------------------------------------------------------------------
total                          8      5      2     0        0       0         0     0       0    1    T

2 failing test(s):

FAILED chat::test_chat::test_cost_is_reported  [POST /chat/completions]
    usage.cost is missing
    Expected: usage.cost: a number of USD
    Received: {"usage": {"prompt_tokens": 3}}
    rerun: gatecheck run --mock-fault omit-usage-cost --mock-fault no-done-sentinel --suites chat -k test_cost_is_reported --seed 11

FAILED stream::test_stream::test_done_sentinel
    stream ended without [DONE]
    assert 'no-done-sentinel' not in ['no-done-sentinel', 'omit-usage-cost']
    + where ['no-done-sentinel', 'omit-usage-cost'] = getoption('mock_fault')
    rerun: gatecheck run --mock-fault omit-usage-cost --mock-fault no-done-sentinel --suites stream -k test_done_sentinel --seed 11

gatecheck: FAIL: 2 conformance failures; 7 of 8 tests judged the target
reports: RUN_DIR
"""  # noqa: E501 (the rerun commands are one line each, as printed)

PROGRESS = """\
[1/2] chat             running
[1/2] chat             failed  4 passed  1 failed  1 n/a  T
[2/2] stream           running
[2/2] stream           failed  1 passed  1 failed  T
"""


def _normalise(text: str) -> str:
    text = re.sub(r" *\d+\.\ds$", "  T", text, flags=re.M)
    text = re.sub(r"(?m)^(\S.*?)  +T$", lambda m: m.group(1).ljust(105) + "T", text)
    return re.sub(r"reports: .*", "reports: RUN_DIR", text)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_home(tmp_path / "home")
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.chdir(tmp_path)
    return root


def test_a_failing_run_lists_each_failure_with_its_rerun_command(home: Path) -> None:
    faults = ("--mock-fault", "omit-usage-cost", "--mock-fault", "no-done-sentinel")
    outcome = gatecheck("run", "--seed", "11", *faults)
    assert outcome.exit_code == 1
    assert _normalise(outcome.stdout) == _normalise(SNAPSHOT)
    assert _normalise(outcome.stderr) == _normalise(PROGRESS)
    assert "\x1b[" not in outcome.stdout + outcome.stderr


def test_a_rerun_command_reruns_just_that_failure(home: Path) -> None:
    outcome = gatecheck("run", "--seed", "11", "--mock-fault", "no-done-sentinel")
    rerun = next(line for line in outcome.stdout.splitlines() if "rerun: " in line).split(
        "rerun: gatecheck "
    )[1]
    again = gatecheck(*rerun.split())
    assert again.exit_code == 1
    assert again.outcomes() == {"stream::test_stream::test_done_sentinel": "failed"}
