"""``gatecheck drift OLD NEW``: what changed between two runs; exit 1 on regressions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gatecheck.reports.atomic import write_text
from gatecheck.reports.drift import compute_drift
from gatecheck.reports.drift_render import drift_html, drift_markdown
from gatecheck.reports.history import HISTORY_FILE, read_history
from gatecheck.reports.results import load_results, resolve_results_path

__all__ = ["drift"]


def _history_for(new: str, given: Path | None) -> list[dict]:
    if given is not None:
        return read_history(given)
    run_dir = resolve_results_path(new).resolve().parent
    return read_history(run_dir.parent / HISTORY_FILE)


@click.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--timing-threshold",
    default=0.5,
    show_default=True,
    type=click.FloatRange(min=0),
    help="relative change that counts (0.5 = 50%)",
)
@click.option(
    "--timing-floor-ms",
    default=50.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="ignore timings below this",
)
@click.option("--fail-on-timing", is_flag=True, help="also exit 1 when timings changed beyond the threshold")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="also write the drift as JSON",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="also write a self-contained HTML page",
)
@click.option(
    "--history",
    type=click.Path(dir_okay=False, path_type=Path),
    help="history index to plot (default: beside NEW)",
)
@click.pass_context
def drift(
    ctx: click.Context,
    old: str,
    new: str,
    timing_threshold: float,
    timing_floor_ms: float,
    fail_on_timing: bool,
    json_path: Path | None,
    html_path: Path | None,
    history: Path | None,
) -> None:
    """Compare two runs (run folders or results.json files): newly failing, newly passing, still failing,
    timings, capabilities and response shapes.  Markdown goes to stdout; exit 1 on regressions.
    """
    before, after = load_results(old), load_results(new)
    report = compute_drift(before, after, timing_threshold=timing_threshold, timing_floor_ms=timing_floor_ms)
    click.echo(drift_markdown(report), nl=False)
    if json_path:
        write_text(json_path, json.dumps(report, indent=2, sort_keys=True) + "\n")
    if html_path:
        write_text(html_path, drift_html(report, _history_for(new, history)))
    regressed = report["regressions"] or (fail_on_timing and report["timings"])
    ctx.exit(1 if regressed else 0)
