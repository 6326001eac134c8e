"""The ``gatecheck`` command line (click: a well-kept CLI library, already a schemathesis dependency).

Each command group lives in its own module and is attached here; ``main`` turns every
:class:`GatecheckError` into a one-line message and exit code 2, so no user ever sees a traceback
for bad input.  Exit codes: 0 conformant, 1 conformance failures, 2 usage or harness error, 130 interrupted.
"""

from __future__ import annotations

import click

from gatecheck import __version__
from gatecheck.errors import GatecheckError

__all__ = ["cli", "main"]

EXIT_OK, EXIT_FAILURES, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Group(click.Group):
    """Maps harness errors to a readable message and exit 2 (click's own usage errors already exit 2)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GatecheckError as exc:
            click.echo(f"gatecheck: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            # Caught here, before click's standalone mode turns it into "Aborted!" and exit 1,
            # which CI would read as "conformance failures".
            click.echo("gatecheck: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gatecheck")
def cli() -> None:
    """Conformance and contract tests for OpenAI-compatible LLM gateways.

    Exit codes: 0 conformant, 1 conformance failures, 2 usage or harness error.
    """


def _attach() -> None:
    # Imported here so that each command module may import from this one without a cycle.
    from gatecheck.cli import commands

    for command in commands.ALL:
        cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _attach()
    cli.main(args=argv, prog_name="gatecheck", standalone_mode=True)
