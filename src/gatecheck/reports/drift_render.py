"""Drift as Markdown (stdout, PR comments) and as a self-contained HTML page with history charts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from gatecheck import __version__
from gatecheck.reports.html import page
from gatecheck.reports.markdown import cell
from gatecheck.reports.svg import line_chart

__all__ = ["drift_html", "drift_markdown"]

_GROUPS = (
    ("newly_failing", "Newly failing"),
    ("newly_passing", "Newly passing"),
    ("still_failing", "Still failing"),
    ("other_changes", "Other outcome changes"),
)
_MAX_LATENCY_CHARTS = 4


def _headline(drift: Mapping[str, Any]) -> str:
    if drift["regressions"]:
        return f"REGRESSED: {drift['regressions']} regression{'s' if drift['regressions'] != 1 else ''}"
    return "no regressions"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _pct(change: float) -> str:
    return "new" if change == float("inf") else f"{change * 100:+.0f}%"


def drift_markdown(drift: Mapping[str, Any]) -> str:
    """The drift report as Markdown."""
    old, new = drift["old"], drift["new"]
    lines = [
        f"# gatecheck drift: {_headline(drift)}",
        "",
        *(
            f"- {side}: `{run['run_id']}` ({run['verdict']}, pass rate {_rate(run['pass_rate'])})"
            f" · {', '.join(run['targets'])}"
            for side, run in (("old", old), ("new", new))
        ),
        "",
    ]
    for key, title in _GROUPS:
        entries = drift[key]
        lines += [f"## {title} ({len(entries)})", ""]
        lines += [
            f"- `{e['key']}`: {e['old']} -> {e['new']}"
            + (f" ({cell(e['failure'])})" if e.get("failure") and key != "newly_passing" else "")
            for e in entries
        ] or ["none"]
        lines.append("")
    lines += [f"## Capabilities changed ({len(drift['capabilities'])})", ""]
    lines += [f"- `{c['capability']}`: {c['old']} -> {c['new']}" for c in drift["capabilities"]] or ["none"]
    threshold = f"{drift['timing_threshold'] * 100:.0f}%"
    lines += ["", f"## Timings changed by more than {threshold} ({len(drift['timings'])})", ""]
    if drift["timings"]:
        lines += ["| what | metric | old | new | change |", "|---|---|---:|---:|---:|"]
        lines += [
            f"| `{cell(t['key'])}` | {t['metric']} | {t['old']:,.0f} ms | {t['new']:,.0f} ms"
            f" | {_pct(t['change'])} |"
            for t in drift["timings"]
        ]
    else:
        lines.append("none")
    lines += ["", f"## Response shapes ({len(drift['shapes'])} operations with findings)", ""]
    for shape in drift["shapes"]:
        lines.append(f"- `{shape['operation']}`")
        for key, label in (
            ("undocumented", "returned but not documented"),
            ("never_seen", "documented but never returned"),
            ("new_undocumented", "newly undocumented since the old run"),
            ("appeared", "fields that appeared"),
            ("disappeared", "fields that disappeared"),
        ):
            if shape[key]:
                lines.append(f"  - {label}: " + ", ".join(f"`{p}`" for p in shape[key]))
    if not drift["shapes"]:
        lines.append("none")
    return "\n".join(lines).rstrip() + "\n"


def _table(entries: Sequence[Mapping[str, Any]], title: str) -> str:
    if not entries:
        return f"<h3>{escape(title)} (0)</h3><p class='muted'>none</p>"
    rows = "".join(
        f"<tr><td><code>{escape(e['key'])}</code><div class='muted'>{escape(e['title'])}</div></td>"
        f"<td><span class='pill o-{escape(e['old'])}'>{escape(e['old'])}</span></td>"
        f"<td><span class='pill o-{escape(e['new'])}'>{escape(e['new'])}</span></td>"
        f"<td>{escape(e.get('failure') or '')}</td></tr>"
        for e in entries
    )
    return (
        f"<h3>{escape(title)} ({len(entries)})</h3><table><thead><tr><th>test</th><th>old</th><th>new</th>"
        f"<th>failure</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _ms_format(values: Sequence[float | None]) -> str:
    return "{:,.0f} ms" if max((v for v in values if v is not None), default=0) >= 20 else "{:,.1f} ms"


def _short(run_id: str) -> str:
    """``20261124T074905Z-01425c`` as ``11-24 07:49``: enough to tell nightly runs apart."""
    if len(run_id) >= 13 and run_id[8] == "T":
        return f"{run_id[4:6]}-{run_id[6:8]} {run_id[9:11]}:{run_id[11:13]}"
    return run_id[:12]


def _history_charts(history: Sequence[Mapping[str, Any]]) -> str:
    if len(history) < 2:
        return ""
    labels = [_short(h["run_id"]) for h in history]
    charts = [
        "<h3>Pass rate over the run history</h3>",
        line_chart(
            [
                (label, None if h.get("pass_rate") is None else h["pass_rate"] * 100)
                for label, h in zip(labels, history, strict=True)
            ],
            title="pass rate (%)",
            value_format="{:.0f}%",
            y_max=100,
        ),
    ]
    series: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(history))
    for index, entry in enumerate(history):
        for operation, stats in (entry.get("latency_ms") or {}).items():
            series[operation][index] = stats.get("p50")
    busiest = sorted(series, key=lambda op: -sum(1 for v in series[op] if v is not None))[
        :_MAX_LATENCY_CHARTS
    ]
    for operation in sorted(busiest):
        points = list(zip(labels, series[operation], strict=True))
        charts += [
            f"<h3>Median latency: {escape(operation)}</h3>",
            line_chart(points, title=f"p50 latency {operation}", value_format=_ms_format(series[operation])),
        ]
    return f"<section><h2>History ({len(history)} runs)</h2>{''.join(charts)}</section>"


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _head(*names: str) -> str:
    return "<thead><tr>" + "".join(f"<th>{n}</th>" for n in names) + "</tr></thead>"


def _status(kind: str) -> str:
    return f"<span class='pill s-{escape(kind)}'>{escape(kind)}</span>"


def _codes(paths: Sequence[str]) -> str:
    return f"<code>{escape(', '.join(paths) or '-')}</code>"


def _or_none(rows: str, head: str = "") -> str:
    return f"<table>{head}<tbody>{rows}</tbody></table>" if rows else "<p class='muted'>none</p>"


def _header(drift: Mapping[str, Any]) -> str:
    verdict = "fail" if drift["regressions"] else "pass"
    ends = [
        f"{side} <code>{escape(run['run_id'])}</code> ({escape(run['verdict'])}, {_rate(run['pass_rate'])})"
        for side, run in (("old", drift["old"]), ("new", drift["new"]))
    ]
    return (
        f"<header><h1>gatecheck drift <span class='pill verdict v-{verdict}'>"
        f"{escape(_headline(drift))}</span>"
        f"</h1><div class='meta'>{' → '.join(ends)}</div></header>"
    )


def drift_html(drift: Mapping[str, Any], history: Sequence[Mapping[str, Any]] = ()) -> str:
    """The drift report as one self-contained HTML page."""
    outcome = "".join(_table(drift[key], title) for key, title in _GROUPS)
    caps = "".join(
        _row(f"<code>{escape(c['capability'])}</code>", _status(c["old"]), _status(c["new"]))
        for c in drift["capabilities"]
    )
    timings = "".join(
        _row(
            f"<code>{escape(t['key'])}</code>",
            escape(t["metric"]),
            f"{t['old']:,.0f} ms",
            f"{t['new']:,.0f} ms",
            _pct(t["change"]),
        )
        for t in drift["timings"]
    )
    shapes = "".join(
        _row(
            f"<code>{escape(s['operation'])}</code>",
            _codes(s["undocumented"]),
            _codes(s["never_seen"]),
            _codes(s["appeared"] + s["new_undocumented"]),
            _codes(s["disappeared"]),
        )
        for s in drift["shapes"]
    )
    shape_head = (
        "<thead><tr><th>operation</th><th>returned, not documented</th><th>documented, never returned</th>"
        "<th>new since old run</th><th>gone since old run</th></tr></thead>"
    )
    threshold = f"{drift['timing_threshold'] * 100:.0f}%"
    body = (
        f"{_header(drift)}<main><section><h2>Outcomes</h2>{outcome}</section>"
        f"<section><h2>Capabilities changed</h2>{_or_none(caps, _head('capability', 'old', 'new'))}</section>"
        f"<section><h2>Timings changed by more than {threshold}</h2>"
        f"{_or_none(timings, _head('what', 'metric', 'old', 'new', 'change'))}</section>"
        f"<section><h2>Response shapes</h2>{_or_none(shapes, shape_head)}</section>"
        f"{_history_charts(history)}</main>"
    )
    return page(f"gatecheck drift {drift['old']['run_id']} → {drift['new']['run_id']}", body, __version__)
