"""``gatecheck report``: work with finished run folders (Allure HTML, merging shards and targets)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gatecheck.redact import default_redactor
from gatecheck.reports.allure import build_allure_html
from gatecheck.reports.merge import copy_allure, merge_results
from gatecheck.reports.results import load_results
from gatecheck.reports.writer import write_reports
from gatecheck.runner.progress import summary_table

__all__ = ["report"]


@click.group()
def report() -> None:
    """Build more reports from finished runs."""


@report.command("allure")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path), help="default RUN_DIR/allure-report"
)
def allure(run_dir: Path, output: Path | None) -> None:
    """Build Allure's single-file HTML report from RUN_DIR/allure-results (needs the allure CLI)."""
    built = build_allure_html(run_dir, output)
    click.echo(f"allure report: {built}")


@report.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="folder for the merged reports",
)
@click.pass_context
def merge(ctx: click.Context, inputs: tuple[Path, ...], output: Path) -> None:
    """Merge run folders (shards of one run, or runs against several targets) into one set of reports.

    Exits like 'gatecheck run' would for the merged results: 0 pass, 1 conformance failures,
    2 harness errors in any input.
    """
    loaded = [load_results(path) for path in inputs]
    command = ["gatecheck", "report", "merge", *map(str, inputs), "--output", str(output)]
    merged = merge_results(loaded, command)
    output.mkdir(parents=True, exist_ok=True)
    copy_allure([p if p.is_dir() else p.parent for p in inputs], output)
    clean = write_reports(output, merged, default_redactor)
    if clean["suites"]:
        click.echo(summary_table(clean) + "\n")
    click.echo(
        f"merged {len(loaded)} runs ({len(clean['targets'])} target(s)) into {output}: "
        f"{clean['run']['verdict']}"
    )
    sys.stdout.flush()
    ctx.exit(clean["run"]["exit_code"])
