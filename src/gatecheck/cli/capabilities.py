"""``gatecheck capabilities``: what each profile claims and which suite tests it."""

from __future__ import annotations

import click

from gatecheck.reports.coverage import capability_matrix

__all__ = ["capabilities"]


@click.command("capabilities")
def capabilities() -> None:
    """Print the capability x profile matrix (Markdown), with covering suites and mock support."""
    click.echo(capability_matrix(), nl=False)
