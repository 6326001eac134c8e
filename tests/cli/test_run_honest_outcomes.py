"""Outcomes say whose fault it was: a crash inside gatecheck is ``error`` (exit 2, never a
conformance failure), and a suite none of whose tests applied is "not applicable" everywhere."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_run_helpers import CHAT_SUITE, Outcome, gatecheck, make_home

from gatecheck.reports.results import load_results

# A test that hands a check something it cannot digest: the check itself raises (AttributeError),
# which is gatecheck's bug, not the gateway's.
CRASH_SUITE = '''
from gatecheck.checks.stream import check_usage_chunk


def test_usage_is_judged():
    """The usage chunk is judged."""
    check_usage_chunk(None, with_cost=False)
'''

# Every test needs a capability the requesty profile does not claim.
NOT_APPLICABLE_SUITE = '''
import pytest


@pytest.mark.capability("pkce")
def test_pkce_exchange():
    """The PKCE flow returns a key."""


@pytest.mark.capability("messages")
def test_messages_answer():
    """Messages answers."""
'''

CRASH_ID = "crash::test_crash::test_usage_is_judged"


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suites: dict, *args: str) -> Outcome:
    monkeypatch.setenv("GATECHECK_HOME", str(make_home(tmp_path / "home", suites)))
    monkeypatch.chdir(tmp_path)
    return gatecheck("run", "--seed", "3", *args)


def test_a_crash_inside_a_check_is_an_error_and_alone_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suites = {"chat": {"test_chat.py": CHAT_SUITE}, "crash": {"test_crash.py": CRASH_SUITE}}
    outcome = _run(tmp_path, monkeypatch, suites)
    assert outcome.exit_code == 2, outcome.stdout + outcome.stderr
    results = load_results(outcome.run_dir)
    crashed = next(t for t in results["tests"] if t["id"] == CRASH_ID)
    assert crashed["outcome"] == "error" and crashed["failure"]["kind"] == "harness"
    assert "gatecheck's fault, not the gateway's" in crashed["failure"]["title"]
    assert "AttributeError" in crashed["failure"]["title"]
    assert results["run"]["verdict"] == "error" and results["run"]["error"]["kind"] == "harness"
    assert {s["name"]: s["status"] for s in results["suites"]} == {"chat": "passed", "crash": "error"}
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_a_conformance_failure_outranks_a_harness_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suites = {"chat": {"test_chat.py": CHAT_SUITE}, "crash": {"test_crash.py": CRASH_SUITE}}
    outcome = _run(tmp_path, monkeypatch, suites, "--mock-fault", "omit-usage-cost")
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    assert outcome.outcomes()[CRASH_ID] == "error"
    assert outcome.outcomes()["chat::test_chat::test_cost_is_reported"] == "failed"
    assert "FAIL: 1 conformance failure; 1 gatecheck error" in outcome.stdout


def test_a_suite_with_no_applicable_test_is_not_applicable_in_every_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suites = {"chat": {"test_chat.py": CHAT_SUITE}, "pkce": {"test_pkce.py": NOT_APPLICABLE_SUITE}}
    outcome = _run(tmp_path, monkeypatch, suites)
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    run_dir = outcome.run_dir
    results = load_results(run_dir)  # the schema allows the status
    assert {s["name"]: s["status"] for s in results["suites"]} == {"chat": "passed", "pkce": "not-applicable"}
    # chat: 5 of its 6 tests judged the target (test_pkce_exchange is not applicable); pkce: none
    assert "PASS: conformant; 5 of 8 tests judged the target" in outcome.stdout
    assert "| `pkce` | not-applicable |" in (run_dir / "summary.md").read_text()
    html = (run_dir / "report.html").read_text()
    assert '<span class="pill s-not-applicable">not-applicable</span>' in html
    assert '<span class="pill s-passing">not-applicable</span>' not in html
    suite = next(s for s in ET.parse(run_dir / "junit.xml").getroot() if s.get("name") == "pkce")
    status = suite.find("properties/property[@name='gatecheck.status']")
    assert status is not None and status.get("value") == "not-applicable"
    assert next(line for line in outcome.stdout.splitlines() if line.startswith("pkce ")).split()[1] == "n/a"
