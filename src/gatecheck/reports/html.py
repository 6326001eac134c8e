"""``report.html``: one self-contained page (inline CSS, JS and SVG) a person can open from disk.

Sections, in the order a reader needs them: verdict and target; counts; suites; the
conformance matrix (capability x outcome, or capability x target for merged reports);
failures with expected/received and request/response excerpts; timings (latency distribution per
operation, time to first token); response shapes; every test, filterable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from gatecheck.reports import html_sections as details
from gatecheck.reports.html_sections import LABELS, num, pill
from gatecheck.reports.markdown import verdict_line
from gatecheck.reports.outcomes import GATING, NO_CAPABILITY, OUTCOMES
from gatecheck.verdicts import NOT_APPLICABLE

__all__ = ["page", "render_html"]

_TEMPLATE = Path(__file__).with_name("templates") / "report.html"


@cache
def _template() -> Template:
    return Template(_TEMPLATE.read_text(encoding="utf-8"))


def page(title: str, body: str, version: str) -> str:
    """Wrap ``body`` in the shared template (also used by the drift report)."""
    return _template().substitute(title=escape(title), body=body, version=escape(version))


def _header(results: Mapping[str, Any]) -> str:
    run = results["run"]
    verdict = run["verdict"]
    targets = "<br>".join(_target_text(t) for t in results["targets"]) or "no target resolved"
    bits = [f"run <code>{escape(run['id'])}</code>", f"started {escape(run['started'])}"]
    if run.get("duration_s") is not None:
        bits.append(f"{run['duration_s']:.1f} s")
    if run.get("seed") is not None:
        bits.append(f"seed {run['seed']}")
    if run.get("shard"):
        bits.append(f"shard {run['shard']['index']}/{run['shard']['count']}")
    if run.get("merged_from"):
        bits.append(f"merged from {len(run['merged_from'])} runs")
    specs = ", ".join(f"{s['name']} {s['version']}" for s in results["specs"])
    if specs:
        bits.append(f"spec {escape(specs)}")
    bits.append(f"gatecheck {escape(run['gatecheck_version'])}")
    return (
        f"<header><h1>gatecheck {pill(verdict, verdict.upper(), 'v')} "
        f"<span>{escape(verdict_line(results).split(': ', 1)[-1])}</span></h1>"
        f'<div class="meta">{targets}</div><div class="meta">{" · ".join(bits)}</div></header>'
    )


def _target_text(target: Mapping[str, Any]) -> str:
    text = f"<b>{escape(target['label'])}</b> · profile <code>{escape(target['profile'])}</code>"
    if mock := target.get("mock"):
        faults = ", ".join(mock["faults"]) or "none"
        text += (
            f" · mock flavor <code>{escape(mock['flavor'])}</code> · faults: <code>{escape(faults)}</code>"
        )
    elif target["url"] != target["label"]:
        text += f" · {escape(target['url'])}"
    return text


def _banner(results: Mapping[str, Any]) -> str:
    run = results["run"]
    if error := run.get("error"):
        kind, message = escape(error["kind"]), escape(error["message"])
        return f'<div class="banner"><b>Harness error ({kind}):</b> {message}</div>'
    if run["status"] == "running":
        return (
            '<div class="banner running">This report is a checkpoint: '
            "the run was still going when it was written.</div>"
        )
    return ""


def _cards(results: Mapping[str, Any]) -> str:
    counts = results["summary"]["counts"]
    rate = results["summary"]["pass_rate"]
    cards = [f'<div class="card"><b>{results["summary"]["total"]}</b><span>tests</span></div>']
    if rate is not None:
        cards.append(f'<div class="card"><b>{rate * 100:.1f}%</b><span>pass rate (judged tests)</span></div>')
    for outcome in OUTCOMES:
        hot = " hot" if outcome in GATING and counts[outcome] else ""
        cards.append(f'<div class="card{hot}"><b>{counts[outcome]}</b><span>{pill(outcome)}</span></div>')
    return f'<div class="cards">{"".join(cards)}</div>'


#: Suite status -> pill colour; a suite none of whose tests applied is never shown as passing.
_SUITE_PILL = {
    "passed": "passing",
    "failed": "failing",
    "error": "error",
    "empty": "empty",
    NOT_APPLICABLE: NOT_APPLICABLE,
}


def _suites(results: Mapping[str, Any]) -> str:
    if not results["suites"]:
        return ""
    several = len(results["targets"]) > 1
    head = "".join(f"<th>{escape(LABELS.get(o, o))}</th>" for o in OUTCOMES)
    rows = []
    for suite in results["suites"]:
        status = _SUITE_PILL.get(suite["status"], "not-run")
        cells = "".join(num(suite["counts"][o]) for o in OUTCOMES)
        time = f"{suite['duration_s']:.1f} s" if suite.get("duration_s") is not None else "-"
        note = f'<div class="muted">{escape(suite["error"])}</div>' if suite.get("error") else ""
        target = f"<td>{escape(suite['target'])}</td>" if several else ""
        rows.append(
            f"<tr>{target}<td><code>{escape(suite['name'])}</code>{note}</td>"
            f"<td>{pill(status, suite['status'], 's')}</td>{cells}<td class='num'>{time}</td></tr>"
        )
    target_head = "<th>target</th>" if several else ""
    return (
        f"<section id='suites'><h2>Suites</h2><table><thead><tr>{target_head}"
        f"<th>suite</th><th>status</th>{head}<th>time</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _matrix(results: Mapping[str, Any]) -> str:
    matrix = results["matrix"]
    if not matrix:
        return ""
    targets = [t["id"] for t in results["targets"]]
    if len(targets) > 1:
        return _target_matrix(matrix, targets)
    head = "".join(f"<th>{escape(LABELS.get(o, o))}</th>" for o in OUTCOMES)
    rows = [
        f"<tr><td><code>{escape(c['capability'])}</code></td>"
        f"<td class='cell'>{pill(c['status'], None, 's')}</td>"
        + "".join(num(c["counts"][o]) for o in OUTCOMES)
        + "</tr>"
        for c in matrix
    ]
    return (
        '<section id="matrix"><h2>Conformance matrix</h2><table class="matrix"><thead><tr>'
        "<th>capability</th><th>status</th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _target_matrix(matrix: list[Mapping[str, Any]], targets: list[str]) -> str:
    cells: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for cell in matrix:
        cells[cell["capability"]][cell["target"]] = cell
    order = sorted(cells, key=lambda c: (c == NO_CAPABILITY, c))
    head = "".join(f"<th>{escape(t)}</th>" for t in targets)
    rows = []
    for capability in order:
        tds = []
        for target in targets:
            cell = cells[capability].get(target)
            if cell is None:
                tds.append(f"<td class='cell'>{pill('not-run', 'not run', 's')}</td>")
                continue
            counts = ", ".join(f"{n} {LABELS.get(o, o)}" for o, n in cell["counts"].items() if n)
            tds.append(
                f"<td class='cell'>{pill(cell['status'], None, 's')}"
                f"<span class='counts'>{escape(counts)}</span></td>"
            )
        rows.append(f"<tr><td><code>{escape(capability)}</code></td>{''.join(tds)}</tr>")
    return (
        '<section id="matrix"><h2>Conformance matrix (target x capability)</h2>'
        '<table class="matrix"><thead><tr>'
        f"<th>capability</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def render_html(results: Mapping[str, Any]) -> str:
    """The whole report.html text."""
    body = "".join(
        [
            _header(results),
            "<main>",
            _banner(results),
            _cards(results),
            _matrix(results),
            details.failures(results),
            _suites(results),
            details.timings(results),
            details.shapes(results),
            details.tests(results),
            "</main>",
        ]
    )
    title = f"gatecheck {results['run']['verdict'].upper()} · {results['run']['id']}"
    return page(title, body, results["run"]["gatecheck_version"])
