"""The detail sections of report.html: failures, timings, response shapes, every test.

Split from :mod:`gatecheck.reports.html` (which lays out the page and its summary sections)
so each stays small; both share the pill and number cells defined here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from html import escape
from typing import Any

from gatecheck.reports.causes import causes_of, headline
from gatecheck.reports.metrics import series
from gatecheck.reports.outcomes import GATING, LABELS, OUTCOMES
from gatecheck.reports.svg import distribution_chart

__all__ = ["LABELS", "failures", "num", "pill", "shapes", "tests", "timings"]

_TABLE_ORDER = (
    "failed",
    "error",
    "inconclusive",
    "not-run",
    "baselined",
    "fixed",
    "passed",
    "skipped",
    "not-applicable",
)
_LATENCY_METRICS = (
    ("total_ms", "Latency per operation"),
    ("ttft_ms", "Time to first token per operation"),
)


def pill(kind: str, text: str | None = None, prefix: str = "o") -> str:
    """A coloured label; ``prefix`` picks the palette: o(utcome), s(tatus) or v(erdict)."""
    return f'<span class="pill {prefix}-{escape(kind)}">{escape(text or LABELS.get(kind, kind))}</span>'


def num(value: int) -> str:
    """A right-aligned count cell; zeros are greyed so the non-zero counts stand out."""
    return f'<td class="num{" zero" if not value else ""}">{value}</td>'


def _pre(label: str, text: str | None) -> str:
    return f"<div><h4>{escape(label)}</h4><pre>{escape(text)}</pre></div>" if text else ""


def _failure(test: Mapping[str, Any]) -> str:
    failure = test.get("failure") or {}
    meta = [
        f"suite <code>{escape(test['suite'])}</code>",
        f"capability {escape(', '.join(test['capabilities']) or '-')}",
    ]
    if failure.get("operation") or test.get("operation"):
        meta.append(f"operation <code>{escape(failure.get('operation') or test.get('operation'))}</code>")
    if test["outcome"] == "baselined":
        meta.append(f"baselined: {escape(test.get('baseline_reason') or 'accepted')}")
    if "expected" in failure:
        pair = _pre("Expected", failure["expected"]) + _pre("Received", failure.get("received", ""))
        body = f'<div class="grid">{pair}</div>'
    else:
        body = _pre("Message", failure.get("message"))
    excerpts = _pre("Request", failure.get("request")) + _pre("Response", failure.get("response"))
    if excerpts:
        body += f'<div class="grid">{excerpts}</div>'
    if failure.get("traceback"):
        body += (
            f"<details><summary>pytest output</summary><pre>{escape(failure['traceback'])}</pre></details>"
        )
    kind = "error" if test["outcome"] == "error" else ""
    return (
        f'<div class="failure {kind}"><h3>{pill(test["outcome"])} '
        f"{escape(failure.get('title') or test['title'])}</h3>"
        f'<div class="id"><code>{escape(test["id"])}</code> · {escape(test["title"])}</div>'
        f'<div class="id">{" · ".join(meta)}</div>{body}</div>'
    )


def _causes(results: Mapping[str, Any]) -> str:
    causes = causes_of(results)
    if not causes:
        return ""
    items = "".join(
        f"<li><b>{escape(headline(c))}</b><ul>"
        + "".join(f"<li><code>{escape(m)}</code></li>" for m in c["members"])
        + "</ul></li>"
        for c in causes
    )
    return f"<h2 id='causes'>Root causes ({len(causes)})</h2><ul class='causes'>{items}</ul>"


def failures(results: Mapping[str, Any]) -> str:
    failing = [t for t in results["tests"] if t["outcome"] in GATING]
    accepted = [t for t in results["tests"] if t["outcome"] == "baselined"]
    if not failing and not accepted:
        return ""
    html = f"<section id='failures'>{_causes(results)}<h2>Failures ({len(failing)})</h2>"
    html += "".join(_failure(t) for t in failing)
    if accepted:
        cards = "".join(_failure(t) for t in accepted)
        html += f"<details><summary>Baselined failures ({len(accepted)})</summary>{cards}</details>"
    return html + "</section>"


def timings(results: Mapping[str, Any]) -> str:
    charts = []
    for metric, title in _LATENCY_METRICS:
        if chart := distribution_chart(series(results["tests"], metric), unit="ms", title=title):
            charts.append(f"<h3>{escape(title)}</h3><div class='chart'>{chart}</div>")
    durations: dict[str, list[float]] = defaultdict(list)
    for test in results["tests"]:
        if test["outcome"] not in ("skipped", "not-applicable", "not-run"):
            durations[test["suite"]].append(test["duration_s"] * 1000)
    if chart := distribution_chart(
        dict(sorted(durations.items())), unit="ms", title="Test duration per suite"
    ):
        charts.append(f"<h3>Test duration per suite</h3><div class='chart'>{chart}</div>")
    slow = sorted(results["tests"], key=lambda t: t["duration_s"], reverse=True)[:10]
    if slow:
        rows = "".join(
            f"<tr><td><code>{escape(t['id'])}</code></td>"
            f"<td class='num'>{t['duration_s'] * 1000:,.0f} ms</td></tr>"
            for t in slow
        )
        charts.append(f"<h3>Slowest tests</h3><table><tbody>{rows}</tbody></table>")
    return f"<section id='timings'><h2>Timings</h2>{''.join(charts)}</section>" if charts else ""


def shapes(results: Mapping[str, Any]) -> str:
    rows = []
    for operation, shape in sorted(results["shapes"].items()):
        documented = (
            "not in spec" if shape["documented"] is None else f"{len(shape['documented'])} documented"
        )
        undocumented = ", ".join(shape["undocumented"]) or "-"
        never = ", ".join(shape["never_seen"]) or "-"
        rows.append(
            f"<tr><td><code>{escape(operation)}</code></td><td class='num'>{shape['samples']}</td>"
            f"<td class='num'>{len(shape['observed'])}</td><td>{documented}</td>"
            f"<td><code>{escape(undocumented)}</code></td><td><code>{escape(never)}</code></td></tr>"
        )
    if not rows:
        return ""
    return (
        "<section id='shapes'><h2>Response shapes</h2><table><thead><tr><th>operation</th><th>samples</th>"
        "<th>fields seen</th>"
        "<th>spec</th><th>returned, not documented</th><th>documented, never returned</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def tests(results: Mapping[str, Any]) -> str:
    if not results["tests"]:
        return ""
    present = [o for o in OUTCOMES if results["summary"]["counts"][o]]
    checks = "".join(
        f'<label><input type="checkbox" class="outcome-filter" value="{o}" checked> {pill(o)}</label>'
        for o in present
    )
    rows = []
    for test in sorted(results["tests"], key=lambda t: (_TABLE_ORDER.index(t["outcome"]), t["id"])):
        note = (
            (test.get("failure") or {}).get("title")
            or test.get("skip_reason")
            or test.get("baseline_reason")
            or ""
        )
        rows.append(
            f'<tr data-outcome="{test["outcome"]}"><td>{pill(test["outcome"])}</td>'
            f'<td><code>{escape(test["id"])}</code><div class="muted">{escape(test["title"])}</div></td>'
            f"<td>{escape(', '.join(test['capabilities']))}</td>"
            f"<td class='num'>{test['duration_s'] * 1000:,.0f} ms</td><td>{escape(note)}</td></tr>"
        )
    return (
        f'<section id="tests-section"><h2>All tests ({len(rows)})</h2><div class="filters">'
        '<input type="search" id="test-filter" placeholder="filter by id, title, capability…">'
        f'{checks}</div><table id="tests"><thead><tr><th>outcome</th>'
        "<th>test</th><th>capability</th><th>time</th><th>note</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )
