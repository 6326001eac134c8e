"""``junit.xml``: pytest's own JUnit output per suite, merged, redacted and made to mirror the gate.

Each suite's process writes JUnit (xunit2, which validates against the common Jenkins/Surefire
``junit-10.xsd``).  Here the parts become one ``<testsuites>`` document with one ``<testsuite>``
per suite, and three things pytest cannot know are applied:

- a *baselined* failure becomes ``<skipped type="gatecheck.baselined">`` carrying the failure
  text, so CI test reporters agree with gatecheck's exit code (results.json keeps it a failure);
- a *not applicable* skip is typed ``gatecheck.not-applicable``;
- a suite that crashed or collected nothing gets an ``<error>`` test case saying so, and tests
  pytest never wrote (a crash mid-suite) are added from the event records.

A run with no parts at all (target unreachable, merged reports) is built from results alone.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gatecheck.redact import Redactor
from gatecheck.reports.atomic import write_bytes

__all__ = ["build_junit", "mangle", "write_junit"]

_ILLEGAL_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def mangle(nodeid: str) -> tuple[str, str]:
    """pytest's ``(classname, name)`` for a node id (as ``_pytest.junitxml.mangle_test_address``)."""
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    names[0] = re.sub(r"\.py$", "", names[0].replace("/", "."))
    names[-1] += bracket + params
    return ".".join(names[:-1]), names[-1]


#: Skips that gatecheck, not pytest, decided: typed in JUnit so CI annotations can tell them apart.
_DECIDED_SKIPS = ("not-applicable", "inconclusive", "not-run")


def _clean(text: Any, redactor: Redactor) -> str:
    return _ILLEGAL_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", redactor.text(str(text)))


def _skip_element(test: Mapping[str, Any]) -> ET.Element:
    if test["outcome"] == "baselined":
        failure = test.get("failure") or {}
        element = ET.Element("skipped", type="gatecheck.baselined")
        element.set(
            "message", f"baselined ({test.get('baseline_reason') or 'accepted'}): {failure.get('title', '')}"
        )
        element.text = failure.get("message", "")
        return element
    kind = f"gatecheck.{test['outcome']}" if test["outcome"] in _DECIDED_SKIPS else "pytest.skip"
    return ET.Element("skipped", type=kind, message=test.get("skip_reason") or "skipped")


def _result_children(test: Mapping[str, Any]) -> list[ET.Element]:
    outcome, failure = test["outcome"], test.get("failure") or {}
    if outcome in ("failed", "error"):
        element = ET.Element(
            "failure" if outcome == "failed" else "error", message=failure.get("title", outcome)
        )
        element.text = failure.get("traceback") or failure.get("message", "")
        return [element]
    if outcome in ("baselined", "skipped", *_DECIDED_SKIPS):
        return [_skip_element(test)]
    return []


def _testcase(test: Mapping[str, Any]) -> ET.Element:
    classname, name = mangle(test["nodeid"])
    case = ET.Element("testcase", classname=classname, name=name, time=f"{test['duration_s']:.3f}")
    case.extend(_result_children(test))
    return case


def _apply_outcome(case: ET.Element, test: Mapping[str, Any]) -> None:
    """Make a pytest-written testcase say what gatecheck decided (baselined, not applicable)."""
    if test["outcome"] not in ("baselined", *_DECIDED_SKIPS):
        return
    for child in [c for c in case if c.tag in ("failure", "error", "skipped")]:
        case.remove(child)
    case.insert(0, _skip_element(test))


def _harness_case(suite: Mapping[str, Any], name: str | None = None) -> ET.Element:
    case = ET.Element(
        "testcase", classname="gatecheck.harness", name=name or f"suite {suite['name']}", time="0.000"
    )
    message = suite.get("error") or suite["status"]
    error = ET.SubElement(case, "error", type=f"gatecheck.{suite['status']}", message=message)
    error.text = message
    return case


def _read_part(path: Path | None) -> list[ET.Element]:
    if path is None or not path.is_file():
        return []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return []  # a half-written part from a crashed process: rebuilt from the records instead
    return [root] if root.tag == "testsuite" else list(root.iter("testsuite"))


def _suite_element(
    suite: Mapping[str, Any], tests: list[Mapping[str, Any]], part: Path | None, name: str, redactor: Redactor
) -> ET.Element:
    written = _read_part(part)
    element = written[0] if written else ET.Element("testsuite")
    element.set("name", name)
    by_case = {mangle(t["nodeid"]): t for t in tests}
    seen = set()
    for case in element.findall("testcase"):
        for properties in case.findall("properties"):
            case.remove(properties)  # not allowed in a testcase by junit-10.xsd; metrics are in results.json
        # results are redacted already; a parameter id carrying a secret must still match its case
        key = (redactor.text(case.get("classname", "")), redactor.text(case.get("name", "")))
        if key in by_case:
            seen.add(key)
            _apply_outcome(case, by_case[key])
    for key, test in by_case.items():
        if key not in seen:
            element.append(_testcase(test))
    if suite["status"] in ("error", "empty") and suite.get("error"):  # no reason: its tests say it
        element.append(_harness_case(suite))
    _set_status(element, suite["status"])
    return element


def _set_status(element: ET.Element, status: str) -> None:
    """The suite's own status as a property, so a suite of only not-applicable tests reads as
    such in CI, not as a green suite with nothing failed."""
    for old in element.findall("properties"):
        element.remove(old)
    properties = ET.Element("properties")
    ET.SubElement(properties, "property", name="gatecheck.status", value=status)
    element.insert(0, properties)


def _count(element: ET.Element) -> dict[str, int]:
    cases = element.findall("testcase")
    return {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }


def _redact_tree(element: ET.Element, redactor: Redactor) -> None:
    for node in element.iter():
        for key, value in list(node.attrib.items()):
            node.set(key, _clean(value, redactor))
        if node.text:
            node.text = _clean(node.text, redactor)
        if node.tail:
            node.tail = _clean(node.tail, redactor)


def build_junit(
    results: Mapping[str, Any], parts: Mapping[tuple[str, str], Path], redactor: Redactor
) -> bytes:
    """One JUnit document for the run; ``parts`` maps ``(target, suite)`` to pytest's file."""
    root = ET.Element("testsuites", name="gatecheck")
    several = len(results["targets"]) > 1
    for suite in results["suites"]:
        tests = [
            t for t in results["tests"] if t["suite"] == suite["name"] and t["target"] == suite["target"]
        ]
        name = f"{suite['target']} / {suite['name']}" if several else suite["name"]
        root.append(_suite_element(suite, tests, parts.get((suite["target"], suite["name"])), name, redactor))
    error = results["run"].get("error")
    if error and (not results["suites"] or error["kind"] not in ("suite-error", "empty-suite", "harness")):
        holder = ET.SubElement(root, "testsuite", name="gatecheck")
        holder.append(
            _harness_case({"name": "run", "status": error["kind"], "error": error["message"]}, "run")
        )
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for element in root.findall("testsuite"):
        counts = _count(element)
        for key, value in counts.items():
            element.set(key, str(value))
            totals[key] += value
        element.set("time", element.get("time") or "0.000")
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals[key]))
    root.set("time", f"{results['run'].get('duration_s') or 0:.3f}")
    _redact_tree(root, redactor)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_junit(
    path: Path, results: Mapping[str, Any], parts: Mapping[tuple[str, str], Path], redactor: Redactor
) -> None:
    write_bytes(path, build_junit(results, parts, redactor))
