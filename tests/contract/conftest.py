"""Fixtures of the contract suite's own tests; the runner itself is in ``contract_runner``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from contract_runner import SuiteRun, contract_runner, run_many

from fork_server import ForkServers


@pytest.fixture
def run_contract(tmp_path: Path, fork_servers: ForkServers | None) -> Callable[..., SuiteRun]:
    """``run_contract("--profile", "requesty", "--mock-fault", "...")``: one run of the suite."""
    return contract_runner(tmp_path, fork_servers)


@pytest.fixture
def run_contracts(run_contract: Callable[..., SuiteRun]) -> Callable[..., list[SuiteRun]]:
    """``run_contracts([args, args, ...])``: several runs of the suite, two at a time."""
    return lambda runs: run_many(run_contract, runs)
