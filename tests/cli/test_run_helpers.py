"""Shared by the ``gatecheck run`` CLI tests: small synthetic suites and a CLI invoker.

The synthetic suites stand in for a gateway with two knobs: a test fails when the run turns on
the fault mode named after the contract point it checks (read from the plugin's ``--mock-fault``
option, the same switch the real mock obeys).  That keeps these tests about the runner (exit
codes, reports, baselines, drift, shards) and independent of the real suites' progress; the
real suites are run end to end in ``test_run_real_suites.py``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from gatecheck.cli import _attach, cli

CHAT_SUITE = '''
import pytest

from gatecheck.failures import ContractViolation
from gatecheck.reports.shapes import record_shape


def _fault(config, name):
    return name in config.getoption("mock_fault")


@pytest.mark.capability("chat")
def test_answers(record_property):
    """Chat answers a conversation."""
    record_property("operation", "POST /chat/completions")
    record_property("ttft_ms", 12.5)
    record_property("total_ms", 48.0)
    record_shape(
        "POST /v1/chat/completions",
        {"id": "c1", "object": "chat.completion", "model": "m", "x_vendor_extra": 1,
         "choices": [{"index": 0}]},
    )


@pytest.mark.capability("usage-cost")
def test_cost_is_reported(pytestconfig):
    """usage.cost reports the price."""
    if _fault(pytestconfig, "omit-usage-cost"):
        raise ContractViolation(
            "usage.cost is missing",
            expected="usage.cost: a number of USD",
            received={"usage": {"prompt_tokens": 3}},
            check="usage-cost",
            operation="POST /chat/completions",
            details={"request": "POST /chat/completions {}", "response": "200 {\\"usage\\": {}}"},
        )


@pytest.mark.capability("pkce")
def test_pkce_exchange():
    """The PKCE flow returns a key."""


@pytest.mark.parametrize("size", [1, 2, 3])
def test_sizes(size):
    """Answers for several sizes."""
'''

STREAM_SUITE = '''
import pytest


@pytest.mark.capability("streaming")
def test_done_sentinel(pytestconfig):
    """Streams end with data: [DONE]."""
    assert "no-done-sentinel" not in pytestconfig.getoption("mock_fault"), "stream ended without [DONE]"


@pytest.mark.capability("streaming")
def test_chunks_are_json():
    """Every chunk is JSON."""
'''

SUITES = {"chat": {"test_chat.py": CHAT_SUITE}, "stream": {"test_stream.py": STREAM_SUITE}}


@dataclass
class Outcome:
    """What one CLI invocation did."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def run_dir(self) -> Path:
        line = next(line for line in self.stdout.splitlines() if line.startswith("reports: "))
        return Path(line.removeprefix("reports: ").strip())

    @property
    def results(self) -> dict[str, Any]:
        return json.loads((self.run_dir / "results.json").read_text(encoding="utf-8"))

    def outcomes(self) -> dict[str, str]:
        return {t["id"]: t["outcome"] for t in self.results["tests"]}


def make_home(root: Path, suites: dict[str, dict[str, str]] | None = None) -> Path:
    """A GATECHECK_HOME with ``suites/<name>/<file>`` written from ``suites``."""
    for name, files in (suites or SUITES).items():
        folder = root / "suites" / name
        folder.mkdir(parents=True, exist_ok=True)
        for file, text in files.items():
            (folder / file).write_text(text, encoding="utf-8")
    return root


def gatecheck(*args: str) -> Outcome:
    """Invoke the real CLI in-process (suites still run in their own processes)."""
    _attach()
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)


JUNIT_XSD = Path(__file__).parents[1] / "reports" / "data" / "junit-10.xsd"
_XS = "{http://www.w3.org/2001/XMLSchema}"


def _xsd_rules(xsd: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Element rules of a schema that, like junit-10.xsd, declares every element at top level."""
    root = ET.parse(xsd).getroot()
    patterns = {
        t.get("name", ""): t.find(f"{_XS}restriction/{_XS}pattern").get("value", "")  # type: ignore[union-attr]
        for t in root.findall(f"{_XS}simpleType")
    }
    rules = {}
    for element in root.findall(f"{_XS}element"):
        complex_type = element.find(f"{_XS}complexType")
        rule: dict[str, Any] = {"children": set(), "attributes": {}, "text_only": complex_type is None}
        if complex_type is not None:
            rule["children"] = {ref.get("ref") for ref in complex_type.iter(f"{_XS}element")}
            for attribute in complex_type.iter(f"{_XS}attribute"):
                rule["attributes"][attribute.get("name")] = (
                    attribute.get("use") == "required",
                    attribute.get("type"),
                )
        rules[element.get("name", "")] = rule
    return rules, patterns


def junit_xsd_violations(document: Path, xsd: Path = JUNIT_XSD) -> list[str]:
    """Every way ``document`` breaks the element, attribute and pattern rules of ``xsd``."""
    rules, patterns = _xsd_rules(xsd)
    problems: list[str] = []

    def visit(node: ET.Element, where: str) -> None:
        rule = rules.get(node.tag)
        if rule is None:
            problems.append(f"{where}: element <{node.tag}> is not in the schema")
            return
        for name, (required, kind) in rule["attributes"].items():
            value = node.get(name)
            if required and value is None:
                problems.append(f"{where}: missing required attribute {name}")
            if value is not None and kind in patterns and not re.fullmatch(patterns[kind], value):
                problems.append(f"{where}: {name}={value!r} does not match {kind}")
        problems.extend(
            f"{where}: attribute {a} not allowed" for a in node.attrib if a not in rule["attributes"]
        )
        for child in node:
            if rule["text_only"] or child.tag not in rule["children"]:
                problems.append(f"{where}: <{child.tag}> not allowed inside <{node.tag}>")
            visit(child, f"{where}/{child.tag}")

    root = ET.parse(document).getroot()
    visit(root, root.tag)
    return problems
