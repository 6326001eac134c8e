"""Every file a run writes is valid for its format and holds no secret, even one a suite leaks.

A key is planted in an environment variable named with ``--api-key-env`` for a "real" target
(a local HTTP server, so the probe passes); the synthetic suite then leaks it every way a suite
can: printed, logged, in an assertion, in a ContractViolation body, as a recorded property, in
an allure attachment and as a test parameter.  Then every file under the report folder is read.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
from test_run_helpers import JUNIT_XSD, gatecheck, junit_xsd_violations, make_home

from gatecheck.reports.results import schema

PLANTED = "planted-7f3a9c2e1b4d5f60aa"  # no vendor prefix: only exact-value redaction can catch it

LEAKY_SUITE = '''
import logging
import os

import allure
import pytest

from gatecheck.failures import ContractViolation

KEY = os.environ["PLANTED_KEY"]


@pytest.mark.capability("chat")
def test_echoes_the_key(gateway, record_property):
    """The gateway echoes the key back."""
    print("key is", gateway.api_key)
    logging.getLogger("leak").warning("logged %s", KEY)
    record_property("echo", KEY)
    allure.attach(f"Authorization: {KEY}", name="request headers")
    raise ContractViolation(
        "The key is echoed",
        expected="no credentials in the body",
        received={"echo": KEY},
        check="key-value-leaked",
        operation="POST /chat/completions",
        details={"request": f"Authorization: Bearer {KEY}", "response": f"{{\\"echo\\": \\"{KEY}\\"}}"},
    )


def test_plain_assertion():
    """An assertion message carrying the key."""
    assert KEY == "something else", f"got {KEY}"


@pytest.mark.parametrize("value", [KEY])
def test_parametrized_by_the_key(value):
    """Even an id made of the key."""
'''


class _Quiet(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_gateway() -> Iterator[str]:
    """Something that answers HTTP on loopback, so the run's reachability probe passes."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


class _Strict(HTMLParser):
    """Collects tags and every external reference a self-contained page must not have."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)


def _check_html(path: Path) -> None:
    parser = _Strict()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.external == [], f"{path} is not self-contained"
    assert {"html", "style", "table", "main"} <= set(parser.tags)


@pytest.mark.slow
def test_reports_validate_and_no_file_holds_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_gateway: str
) -> None:
    root = make_home(tmp_path / "home", {"leaky": {"test_leaky.py": LEAKY_SUITE}})
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.setenv("PLANTED_KEY", PLANTED)
    monkeypatch.chdir(tmp_path)
    outcome = gatecheck("run", "--target", local_gateway, "--api-key-env", "PLANTED_KEY", "--allow-writes")
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    run_dir = outcome.run_dir
    assert PLANTED not in outcome.stdout + outcome.stderr

    written = [p for p in (tmp_path / "reports").rglob("*") if p.is_file()]
    assert len(written) > 8
    leaking = [str(p) for p in written if PLANTED.encode() in p.read_bytes()]
    assert leaking == []
    assert any(b"[REDACTED]" in p.read_bytes() for p in (run_dir / "allure-results").iterdir())

    results = json.loads((run_dir / "results.json").read_text())
    jsonschema.Draft202012Validator(schema()).validate(results)
    assert {t["outcome"] for t in results["tests"]} == {"failed", "passed"}
    echo = next(t for t in results["tests"] if t["id"].endswith("test_echoes_the_key"))
    assert echo["failure"]["request"] == "Authorization: Bearer [REDACTED]"

    assert junit_xsd_violations(run_dir / "junit.xml") == []
    suites = ET.parse(run_dir / "junit.xml").getroot()
    assert (suites.get("tests"), suites.get("failures")) == ("3", "2")
    _check_html(run_dir / "report.html")
    assert (run_dir / "summary.md").read_text().startswith("# gatecheck: FAIL")
    for file in (run_dir / "allure-results").glob("*.json"):
        json.loads(file.read_text())


@pytest.mark.slow
def test_junit_validates_with_a_full_xsd_validator_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same junit-10.xsd through xmlschema, where it is installed (the checker above needs nothing)."""
    xmlschema = pytest.importorskip(
        "xmlschema", reason="xmlschema is not installed; the structural XSD check ran"
    )
    root = make_home(tmp_path / "home")
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.chdir(tmp_path)
    outcome = gatecheck("run", "--mock-fault", "omit-usage-cost")
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(outcome.run_dir / "junit.xml"))
