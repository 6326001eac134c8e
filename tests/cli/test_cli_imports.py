"""Commands that need no gateway import none of the mock, pytest or schemathesis (and so start fast)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gatecheck.cli import cli
from gatecheck.cli.commands import COMMANDS, load

_PROBE = """
import sys
from gatecheck.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("gatecheck.mock", "gatecheck.runner.session", "pytest", "_pytest", "schemathesis", "uvicorn")
print(",".join(sorted(m for m in sys.modules if m.startswith(heavy))), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["specs", "list"],
        ["drift", "--help"],
        ["report", "merge", "--help"],
        ["capabilities"],
    ],
)
def test_light_commands_import_nothing_heavy(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stderr.strip().splitlines()[-1:] in ([], [""]), done.stderr


def test_the_help_summaries_are_the_commands_own() -> None:
    for name, (_, _, summary) in COMMANDS.items():
        command = load(name)
        assert command is not None and command.name == name
        assert summary == command.get_short_help_str(limit=1000), name


def test_help_lists_every_command_and_unknown_ones_are_usage_errors() -> None:
    from click.testing import CliRunner

    listing = CliRunner().invoke(cli, ["--help"]).output
    assert all(f"  {name} " in listing for name in COMMANDS)
    wrong = CliRunner().invoke(cli, ["nope"])
    assert wrong.exit_code == 2 and "No such command 'nope'" in wrong.output
