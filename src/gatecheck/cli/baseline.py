"""``gatecheck baseline``: accept a run's failures so they stop failing the gate."""

from __future__ import annotations

from pathlib import Path

import click

from gatecheck.reports.baseline import Baseline, baseline_from_results, load_baseline, write_baseline
from gatecheck.reports.results import load_results

__all__ = ["baseline"]

DEFAULT_BASELINE = "gatecheck-baseline.yaml"


@click.group()
def baseline() -> None:
    """Manage baselines (accepted failures, by stable test id)."""


@baseline.command("update")
@click.option(
    "--from", "source", default="reports/latest", show_default=True, help="run folder or results.json"
)
@click.option(
    "--output", default=DEFAULT_BASELINE, show_default=True, type=click.Path(dir_okay=False, path_type=Path)
)
def update(source: str, output: Path) -> None:
    """Write a baseline listing every failure of a run (reasons already in OUTPUT are kept)."""
    results = load_results(source)
    previous: Baseline | None = load_baseline(output) if output.exists() else None
    entries = baseline_from_results(results, previous)
    write_baseline(output, entries)
    before = set(previous.entries) if previous else set()
    added, removed = sorted(set(entries) - before), sorted(before - set(entries))
    click.echo(
        f"baseline {output}: {len(entries)} accepted failure(s), {len(added)} added, {len(removed)} removed"
    )
    for key in added:
        click.echo(f"  + {key}")
    for key in removed:
        click.echo(f"  - {key}")
