"""Failures sharing a cause are grouped under it, in results.json, summary.md, report.html and
the terminal listing, and every member is still listed."""

from __future__ import annotations

from typing import Any

from reports_factory import record, results

from gatecheck.reports.causes import root_causes
from gatecheck.reports.html import render_html
from gatecheck.reports.markdown import render_summary
from gatecheck.reports.results import validate
from gatecheck.runner.failure_list import failure_listing

CHAT = "POST /chat/completions"


def _status_failure(status: int) -> dict[str, Any]:
    return {
        "kind": "contract",
        "title": f"Streamed request answered HTTP {status}",
        "message": f"Streamed request answered HTTP {status}",
        "expected": "HTTP 200 and an event stream",
        "received": f"HTTP {status} application/json: {{}}",
        "check": "stream-status",
        "operation": CHAT,
    }


def _rule_failure(check: str, title: str) -> dict[str, Any]:
    return {
        "kind": "contract",
        "title": title,
        "message": title,
        "expected": "e",
        "received": "r",
        "check": check,
        "operation": CHAT,
    }


STREAM_500 = [f"streaming::test_framing::test_{n}" for n in ("done", "json", "role")]


def _doc() -> dict[str, Any]:
    tests = [record(i, "failed", failure=_status_failure(500)) for i in STREAM_500]
    tests += [
        record("streaming::test_usage::test_usage", "failed", failure=_status_failure(502)),  # alone
        record("cost::test_a::test_x", "failed", failure=_rule_failure("stream-done", "Stream was cut off")),
        record(
            "cost::test_a::test_y", "baselined", failure=_rule_failure("stream-done", "Stream was cut off")
        ),
        record("cost::test_a::test_z", "error", failure={**_status_failure(500), "kind": "harness"}),
        record("cost::test_a::test_ok", "passed"),
    ]
    return results(tests, verdict="fail")


def test_failures_group_by_operation_and_status_or_by_first_rule() -> None:
    causes = root_causes(_doc()["tests"])
    assert [(c["cause"], c["members"]) for c in causes] == [
        (f"{CHAT} answers HTTP 500", STREAM_500),  # the error of test_z is gatecheck's, not grouped
        (f"{CHAT} breaks stream-done: Stream was cut off", ["cost::test_a::test_x", "cost::test_a::test_y"]),
    ]


def test_every_report_shows_each_cause_with_its_members() -> None:
    doc = _doc()
    validate(doc)  # results.json: the causes section is in the schema
    assert doc["causes"][0]["count"] == 3
    summary = render_summary(doc)
    assert f"- **3 failures: {CHAT} answers HTTP 500**" in summary
    assert all(f"  - `{member}`" in summary for member in STREAM_500)
    html = render_html(doc)
    assert f"<b>3 failures: {CHAT} answers HTTP 500</b>" in html
    assert all(f"<li><code>{member}</code></li>" in html for member in STREAM_500)
    listing = failure_listing(doc)
    assert listing.startswith(f"Root cause: 3 failures: {CHAT} answers HTTP 500\n    {STREAM_500[0]}")
    assert "streaming::test_usage::test_usage" in listing  # singletons stay in the failure list


def test_a_run_without_shared_causes_has_none() -> None:
    doc = results([record("a::b::test_c", "failed"), record("a::b::test_d", "passed")], verdict="fail")
    assert doc["causes"] == [] and "Root cause" not in render_summary(doc) + failure_listing(doc)
