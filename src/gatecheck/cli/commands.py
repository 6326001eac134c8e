"""The list of top-level commands; each lives in its own module of this package."""

from __future__ import annotations

import click

from gatecheck.cli.baseline import baseline
from gatecheck.cli.capabilities import capabilities
from gatecheck.cli.drift import drift
from gatecheck.cli.mock import mock
from gatecheck.cli.probe import probe
from gatecheck.cli.report import report
from gatecheck.cli.run import run
from gatecheck.cli.specs import specs

ALL: list[click.Command] = [run, probe, mock, specs, report, baseline, drift, capabilities]
