"""summary.md, report.html and the SVG charts, rendered from results alone."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reports_factory import MOCK, record, results

from gatecheck.reports.html import render_html
from gatecheck.reports.markdown import fence, render_summary
from gatecheck.reports.svg import distribution_chart, line_chart, percentile

CONTRACT = {
    "kind": "contract",
    "title": "usage.cost is missing",
    "message": "usage.cost is missing",
    "expected": "a number",
    "received": '{"usage": {}} <script>alert(1)</script>',
    "operation": "POST /chat/completions",
    "request": 'POST /chat/completions {"model": "m"}',
    "response": '200 {"usage": {}}',
}
DOC = results(
    [
        record("chat::t::test_cost", "failed", capabilities=("usage-cost",), failure=CONTRACT),
        record(
            "chat::t::test_fast",
            capabilities=("chat",),
            metrics={"ttft_ms": 20, "total_ms": 90},
            operation="POST /chat/completions",
        ),
        record(
            "chat::t::test_slow",
            capabilities=("chat",),
            metrics={"ttft_ms": 40, "total_ms": 300},
            operation="POST /chat/completions",
        ),
        record(
            "chat::t::test_pkce",
            "not-applicable",
            capabilities=("pkce",),
            skip_reason="not applicable: no pkce",
        ),
        record("keys::t::test_known", "baselined"),
    ],
    verdict="fail",
)


def test_the_summary_leads_with_the_verdict_and_lists_failures_with_expected_and_received() -> None:
    text = render_summary(DOC)
    assert text.startswith("# gatecheck: FAIL: 1 conformance failure; 4 of 5 tests judged the target\n")
    assert "| `chat` | passed | 2 | 1 |" in text
    assert "### `chat::t::test_cost`" in text and "- Expected: a number" in text
    assert "## Baselined (accepted, not gating) (1)" in text
    assert "<summary>Not applicable (1)</summary>" in text and "not applicable: no pkce" in text


def test_fences_outgrow_backticks_inside() -> None:
    assert fence("a ```` b").startswith("`````\n")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]


def test_the_html_is_self_contained_escaped_and_has_matrix_failures_and_timings() -> None:
    html = render_html(DOC)
    parser = _Parser()
    parser.feed(html)
    assert parser.refs == [] and parser.scripts == 1  # only the page's own filter script
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Conformance matrix" in html and re.search(
        r"<code>usage-cost</code></td><td class='cell'><span class=\"pill s-failing\"", html
    )
    assert "Time to first token per operation" in html and html.count("<svg") == 3
    assert "POST /chat/completions {&quot;model&quot;: &quot;m&quot;}" in html


def test_a_merged_report_shows_a_target_by_capability_matrix() -> None:
    prod = {**MOCK, "id": "prod", "label": "prod", "url": "https://gw.test/v1", "mock": None}
    doc = results(
        [
            record("s::m::test_a", capabilities=("chat",)),
            record("s::m::test_a", "failed", capabilities=("chat",), target="prod"),
        ],
        targets=[MOCK, prod],
        verdict="fail",
    )
    assert "Conformance matrix (target x capability)" in render_html(doc)


def test_an_error_run_says_so_on_top() -> None:
    doc = results(
        [], verdict="error", error={"kind": "target-unreachable", "message": "target x is unreachable"}
    )
    assert "Harness error (target-unreachable):</b> target x is unreachable" in render_html(doc)
    assert render_summary(doc).startswith("# gatecheck: ERROR: target x is unreachable")


def test_charts() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5 and percentile([7], 90) == 7
    svg = distribution_chart({"POST /chat": [10, 20, 30], "empty": []}, title="latency")
    assert svg.startswith("<svg") and svg.count("<circle") == 3 and "p50 20.0 ms" in svg
    assert distribution_chart({}) == "" and line_chart([("a", None)]) == ""
    line = line_chart(
        [("r1", 50.0), ("r2", None), ("r3", 75.0), ("r4", 80.0)], value_format="{:.0f}%", y_max=100
    )
    assert line.count("<polyline") == 1 and line.count("<circle") == 3


def test_the_summary_lists_the_rate_limits_tests_waited_out() -> None:
    waited = results(
        [
            record("chat::t::test_a", metrics={"rate_limit_retries": 2, "rate_limit_wait_s": 2.0}),
            record("chat::t::test_b", metrics={"rate_limit_retries": 1, "rate_limit_wait_s": 1.5}),
            record("chat::t::test_c", metrics={"ttft_ms": 20}),
        ]
    )
    text = render_summary(waited)
    assert "<summary>Rate limits waited out (2 tests, 3 retries, 3.5 s)</summary>" in text
    assert (
        "- `chat::t::test_a`: 2 retries, 2.0 s waited" in text
        and "test_c" not in text.split("Rate limits")[1]
    )
    assert "Rate limits waited out" not in render_summary(DOC)
