"""The top-level commands: where each lives and its one-line summary, imported only when used.

``gatecheck --version``, ``--help`` and commands that only read files (``specs``, ``drift``,
``report``) must not pay for importing the mock, schemathesis or pytest, so a command's module
is imported when that command runs.  The summaries are what ``gatecheck --help`` lists without
importing anything; a test keeps each equal to its command's own docstring.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["COMMANDS", "load"]

#: name -> (module, attribute, summary for ``gatecheck --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "run": (
        "gatecheck.cli.run",
        "run",
        "Run the conformance suites against a gateway (default: the built-in mock) and write reports.",
    ),
    "probe": (
        "gatecheck.cli.probe",
        "probe",
        "Ask a gateway what it serves (a few tiny requests) and propose its gatecheck.toml target section.",
    ),
    "mock": (
        "gatecheck.cli.mock",
        "mock",
        "Run the built-in mock gateway (Requesty or OpenRouter flavor) until Ctrl-C.",
    ),
    "specs": (
        "gatecheck.cli.specs",
        "specs",
        "The API specs gatecheck tests against: list, show and lint them.",
    ),
    "report": ("gatecheck.cli.report", "report", "Build more reports from finished runs."),
    "baseline": (
        "gatecheck.cli.baseline",
        "baseline",
        "Manage baselines (accepted failures, by stable test id).",
    ),
    "drift": (
        "gatecheck.cli.drift",
        "drift",
        "Compare two runs (run folders or results.json files): newly failing, newly passing, still "
        "failing, timings, capabilities and response shapes.",
    ),
    "capabilities": (
        "gatecheck.cli.capabilities",
        "capabilities",
        "Print the capability x profile matrix (Markdown), with covering suites and mock support.",
    ),
}


def load(name: str) -> click.Command | None:
    """The command called ``name``, its module imported now; None for an unknown name."""
    if name not in COMMANDS:
        return None
    module, attribute, _ = COMMANDS[name]
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command
