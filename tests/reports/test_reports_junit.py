"""junit.xml mirrors the gate: baselined failures are typed skips, harness errors are errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from reports_factory import record, results

from gatecheck.redact import Redactor
from gatecheck.reports.junit import build_junit, mangle

PART = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests">
 <testsuite name="pytest" errors="0" failures="2" skipped="0" tests="3" time="1.5"
  timestamp="2026-01-01T00:00:00" hostname="ci">
  <testcase classname="suites.chat.t" name="test_ok" time="0.1">
   <properties><property name="ttft_ms" value="3"/></properties>
  </testcase>
  <testcase classname="suites.chat.t" name="test_known" time="0.2">
   <failure message="boom">trace with sk-or-v1-abcdefabcdef0123</failure>
  </testcase>
  <testcase classname="suites.chat.t" name="test_new" time="0.3">
   <failure message="bang">trace</failure>
  </testcase>
 </testsuite>
</testsuites>"""


@pytest.mark.parametrize(
    ("nodeid", "expected"),
    [
        ("suites/chat/test_x.py::test_a", ("suites.chat.test_x", "test_a")),
        ("suites/chat/test_x.py::TestA::test_b[a/b::c]", ("suites.chat.test_x.TestA", "test_b[a/b::c]")),
    ],
)
def test_names_follow_pytest(nodeid: str, expected: tuple[str, str]) -> None:
    assert mangle(nodeid) == expected


def test_pytest_parts_are_merged_relabelled_and_redacted(tmp_path: Path) -> None:
    (tmp_path / "chat.xml").write_text(PART)
    doc = results(
        [
            record("chat::t::test_ok"),
            record("chat::t::test_known", "baselined"),
            record("chat::t::test_new", "failed"),
            record("chat::t::test_late", "error"),
        ],
        verdict="fail",
    )
    root = ET.fromstring(build_junit(doc, {("mock", "chat"): tmp_path / "chat.xml"}, Redactor()))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "chat" and suite.get("hostname") == "ci"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"test_ok", "test_known", "test_new", "test_late"}  # test_late: from the records
    known = cases["test_known"].find("skipped")
    assert known is not None and known.get("type") == "gatecheck.baselined"
    assert cases["test_new"].find("failure") is not None and cases["test_late"].find("error") is not None
    assert cases["test_ok"].find("properties") is None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "4",
        "1",
        "1",
        "1",
    )
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")
    assert b"sk-or-v1-abcdef" not in ET.tostring(root)


def test_without_parts_everything_comes_from_the_records_including_harness_errors() -> None:
    doc = results([record("chat::t::test_na", "not-applicable")], verdict="error")
    doc["suites"].append(
        {**doc["suites"][0], "name": "stream", "status": "error", "error": "pytest exited with code 3"}
    )
    root = ET.fromstring(build_junit(doc, {}, Redactor()))
    chat, stream = root.findall("testsuite")
    skipped = chat.find("testcase/skipped")
    assert skipped is not None and skipped.get("type") == "gatecheck.not-applicable"
    error = stream.find("testcase/error")
    assert error is not None and error.get("message") == "pytest exited with code 3"


def test_control_characters_never_make_invalid_xml() -> None:
    doc = results(
        [record("chat::t::test_x", "failed", failure={"title": "t", "message": "\x1b[31mred\x00"})],
        verdict="fail",
    )
    ET.fromstring(build_junit(doc, {}, Redactor()))  # parses
