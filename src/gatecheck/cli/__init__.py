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
    """Maps harness errors to a readable message and exit 2 (click's own usage errors already exit 2).

    Commands are looked up in :data:`gatecheck.cli.commands.COMMANDS` and imported only when
    one is run, so ``--version`` and ``--help`` stay fast.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        from gatecheck.cli.commands import COMMANDS

        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        from gatecheck.cli.commands import load

        return load(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from gatecheck.cli.commands import COMMANDS

        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            summary = COMMANDS[name][2] if name in COMMANDS else self.commands[name].get_short_help_str()
            # shortened exactly as click shortens a loaded command's docstring
            rows.append((name, click.Command(name, help=summary).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
    """Kept for callers from before commands were lazy: they are now found when invoked."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    # ``owns_process``: this process ends with the command, so ``gatecheck run`` may keep its
    # signal handlers to the end (in-process callers such as click's test runner get theirs back)
    cli.main(args=argv, prog_name="gatecheck", standalone_mode=True, obj={"owns_process": True})
