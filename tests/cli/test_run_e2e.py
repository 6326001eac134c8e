"""``gatecheck run`` end to end from the CLI: exit codes, reports, baselines, drift, shards.

Each run starts real pytest processes for small synthetic suites (see test_run_helpers); a
suite fails when the run turns on the fault mode aimed at it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from test_run_helpers import CHAT_SUITE, Outcome, gatecheck, make_home

from gatecheck.reports.history import HISTORY_FILE, read_history
from gatecheck.reports.results import load_results

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

FAULTS = ("--mock-fault", "omit-usage-cost", "--mock-fault", "no-done-sentinel")
FAILING = {"chat::test_chat::test_cost_is_reported", "stream::test_stream::test_done_sentinel"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_home(tmp_path / "home")
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.chdir(tmp_path)
    return root


def _run(*args: str) -> Outcome:
    return gatecheck("run", "--seed", "11", *args)


def test_a_clean_run_exits_0_and_writes_every_report(home: Path) -> None:
    outcome = _run()
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    run_dir = outcome.run_dir
    for name in ("results.json", "summary.md", "report.html", "junit.xml", "logs/chat.log", "allure-results"):
        assert (run_dir / name).exists(), name
    results = load_results(run_dir)  # validates against results.schema.json
    assert results["run"]["verdict"] == "pass" and results["run"]["seed"] == 11
    assert [s["status"] for s in results["suites"]] == ["passed", "passed"]
    assert outcome.outcomes()["chat::test_chat::test_pkce_exchange"] == "not-applicable"
    assert outcome.outcomes()["chat::test_chat::test_sizes[2]"] == "passed"
    answers = next(t for t in results["tests"] if t["id"] == "chat::test_chat::test_answers")
    assert answers["title"] == "Chat answers a conversation."
    assert (
        answers["metrics"] == {"ttft_ms": 12.5, "total_ms": 48.0}
        and answers["operation"] == "POST /chat/completions"
    )
    shape = results["shapes"]["POST /chat/completions"]  # mapped onto the requesty spec's template
    assert shape["samples"] == 1 and shape["undocumented"] == ["x_vendor_extra"]
    assert "usage.cost" in shape["never_seen"] and "choices[].index" not in shape["never_seen"]
    assert (Path("reports") / "latest").resolve() == run_dir.resolve()
    assert [e["run_id"] for e in read_history(Path("reports") / HISTORY_FILE)] == [results["run"]["id"]]
    assert "gatecheck: PASS: conformant" in outcome.stdout
    assert "[1/2] chat" in outcome.stderr and "[2/2] stream" in outcome.stderr


def test_faults_fail_the_run_a_baseline_accepts_them_and_drift_lists_exactly_them(home: Path) -> None:
    clean = _run()
    faulty = _run(*FAULTS)
    assert faulty.exit_code == 1, faulty.stdout + faulty.stderr
    failing = {i for i, o in faulty.outcomes().items() if o == "failed"}
    assert failing == FAILING
    summary = (faulty.run_dir / "summary.md").read_text()
    assert "FAIL: 2 conformance failures" in summary
    assert all(f"`{test_id}`" in summary for test_id in FAILING)
    assert "Expected: usage.cost: a number of USD" in summary
    html = (faulty.run_dir / "report.html").read_text()
    assert all(test_id in html for test_id in FAILING) and "usage.cost is missing" in html

    update = gatecheck("baseline", "update", "--from", "reports/latest", "--output", "baseline.yaml")
    assert update.exit_code == 0
    listed = {e["id"] for e in yaml.safe_load(Path("baseline.yaml").read_text())["failures"]}
    assert listed == FAILING

    gated = _run(*FAULTS, "--baseline", "baseline.yaml")
    assert gated.exit_code == 0, gated.stdout
    assert {i for i, o in gated.outcomes().items() if o == "baselined"} == FAILING
    assert "PASS: conformant (2 baselined)" in gated.stdout

    fixed = _run("--baseline", "baseline.yaml")
    assert fixed.exit_code == 0
    assert {i for i, o in fixed.outcomes().items() if o == "fixed"} == FAILING

    drift = gatecheck(
        "drift", str(clean.run_dir), str(faulty.run_dir), "--json", "drift.json", "--html", "drift.html"
    )
    assert drift.exit_code == 1
    report = json.loads(Path("drift.json").read_text())
    assert {e["id"] for e in report["newly_failing"]} == FAILING
    assert report["newly_passing"] == report["still_failing"] == report["other_changes"] == []
    assert "## Newly failing (2)" in drift.stdout
    assert "<svg" in Path("drift.html").read_text()  # history of the runs so far, plotted
    back = gatecheck("drift", str(faulty.run_dir), str(clean.run_dir), "--json", "back.json")
    assert back.exit_code == 0
    assert {e["id"] for e in json.loads(Path("back.json").read_text())["newly_passing"]} == FAILING


def test_two_shards_merged_give_the_unsharded_outcomes(home: Path) -> None:
    whole = _run(*FAULTS)
    first, second = _run(*FAULTS, "--shard", "1/2"), _run(*FAULTS, "--shard", "2/2")
    one, two = first.outcomes(), second.outcomes()
    assert one and two and not set(one) & set(two)
    merged = gatecheck("report", "merge", str(first.run_dir), str(second.run_dir), "--output", "merged")
    assert merged.exit_code == whole.exit_code == 1
    outcomes = {t["id"]: t["outcome"] for t in load_results("merged")["tests"]}
    assert outcomes == whole.outcomes()
    assert first.results["run"]["shard"] == {"index": 1, "count": 2}


def test_a_suite_that_collects_nothing_is_an_error_not_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_home(
        tmp_path / "home", {"chat": {"test_chat.py": CHAT_SUITE}, "hollow": {"test_hollow.py": "X = 1\n"}}
    )
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.chdir(tmp_path)
    outcome = _run()
    assert outcome.exit_code == 2
    results = outcome.results
    hollow = next(s for s in results["suites"] if s["name"] == "hollow")
    assert hollow["status"] == "empty" and "collected no tests" in hollow["error"]
    assert results["run"]["error"]["kind"] == "empty-suite"
    assert outcome.outcomes()["chat::test_chat::test_answers"] == "passed"  # the other suite still ran
    assert "gatecheck: error: suite hollow" in outcome.stderr


def test_a_crashing_suite_is_reported_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = "import os\n\ndef test_first():\n    pass\n\ndef test_dies():\n    os._exit(13)\n"
    broken = "def test_x(:\n    pass\n"
    suites = {
        "chat": {"test_chat.py": CHAT_SUITE},
        "crash": {"test_crash.py": crash},
        "broken": {"test_broken.py": broken},
    }
    root = make_home(tmp_path / "home", suites)
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.chdir(tmp_path)
    outcome = _run()  # one process: the session dies with the test (with workers, see the next test)
    assert outcome.exit_code == 2
    suites_by_name = {s["name"]: s for s in outcome.results["suites"]}
    assert suites_by_name["crash"]["status"] == "error" and suites_by_name["crash"]["exit_code"] == 13
    assert outcome.outcomes()["crash::test_crash::test_first"] == "passed"  # what it did before dying is kept
    dies = next(t for t in outcome.results["tests"] if t["id"] == "crash::test_crash::test_dies")
    assert dies["outcome"] == "error" and "never finished" in dies["failure"]["title"]  # never "passed"
    assert (
        suites_by_name["broken"]["status"] == "error"
        and "could not be collected" in suites_by_name["broken"]["error"]
    )
    assert outcome.outcomes()["broken::test_broken"] == "error"
    assert suites_by_name["chat"]["status"] == "passed"
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_a_worker_that_dies_is_the_error_of_its_test_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With workers (--concurrency 2), xdist replaces a worker that died and reports its test with
    the phase "???"; that test is gatecheck's error, never dropped (it read as passed before)."""
    crash = "import os\n\ndef test_first():\n    pass\n\ndef test_dies():\n    os._exit(13)\n"
    root = make_home(
        tmp_path / "home", {"chat": {"test_chat.py": CHAT_SUITE}, "crash": {"test_crash.py": crash}}
    )
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.chdir(tmp_path)
    outcome = _run("--concurrency", "2")
    assert outcome.exit_code == 2, outcome.stdout + outcome.stderr
    dies = next(t for t in outcome.results["tests"] if t["id"] == "crash::test_crash::test_dies")
    assert dies["outcome"] == "error" and dies["failure"]["kind"] == "harness"
    assert "crashed while running" in dies["failure"]["title"]
    assert outcome.outcomes()["crash::test_crash::test_first"] == "passed"
    suites_by_name = {s["name"]: s["status"] for s in outcome.results["suites"]}
    assert suites_by_name == {"chat": "passed", "crash": "error"}
    assert "Traceback" not in outcome.stdout + outcome.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--suites", "nope"), "unknown suite 'nope'; known: chat, stream"),
        (("--shard", "3/2"), "--shard 3/2: I must be between 1 and N"),
        (
            ("--target", "https://gw.example.test/v1", "--mock-fault", "wrong-cost"),
            "only apply to the built-in mock",
        ),
        (("--profile", "openrouter", "--mock-flavor", "requesty"), "contradicts --profile openrouter"),
        (("--baseline", "missing.yaml"), "baseline missing.yaml: does not exist"),
        (("-n", "zero"), "-n must be 'auto' or a positive number"),
    ],
)
def test_usage_errors_exit_2_with_a_message_and_a_report(
    home: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.setenv("GATECHECK_API_KEY", "sk-test-0123456789")
    outcome = _run(*args)
    assert outcome.exit_code == 2
    assert message in outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert outcome.results["run"]["error"]["kind"] == "usage"


def test_an_unusable_report_folder_is_a_one_line_error(home: Path) -> None:
    Path("occupied").write_text("a file where the report folder should go")
    outcome = gatecheck("run", "--report-dir", "occupied/reports")
    assert outcome.exit_code == 2
    assert "gatecheck: error: cannot create the report folder occupied/reports/" in outcome.stderr
    assert "Traceback" not in outcome.stderr
