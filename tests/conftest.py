"""Shared setup for gatecheck's own tests (suites/ test gateways; tests/ test gatecheck)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from suite_runs import SuiteRunner, session_runner

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ["pytester"]

# Hundreds of the tests start Python subprocesses (suite runs, `gatecheck run`, the mock) that
# import the same modules.  Where the environment forbids bytecode caches (some CI images and
# sandboxes set PYTHONDONTWRITEBYTECODE), every one of them would compile gatecheck, its
# assertion-rewritten plugin modules and the suites from source again: about 0.8 CPU-seconds a
# process on this machine.  Caches change no behaviour, so the tests allow them.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that collected nothing must not pass silently (CI would report 'ran no test')."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_finish(session: pytest.Session) -> None:
    """Queue the suite run each selected test needs, so runs overlap while the first test waits.

    A test module may define ``planned_run(params) -> (suite, profile, faults, args) | None``,
    called with each selected item's parameters: only selected items queue a run, so ``-k NAME``
    starts one run and nothing else.
    """
    for item in session.items:
        plan = getattr(getattr(item, "module", None), "planned_run", None)
        callspec = getattr(item, "callspec", None)
        run: Any = plan(callspec.params if callspec else {}) if plan else None
        if run is not None:
            suite, profile, faults, args = run
            session_runner(session.config).submit(suite, profile=profile, faults=faults, extra_args=args)


@pytest.fixture(scope="session")
def run_suite(pytestconfig: pytest.Config) -> SuiteRunner:
    """Run a suite against a fresh mock: ``run_suite("streaming", faults=["no-done-sentinel"])``."""
    return session_runner(pytestconfig)


@pytest.fixture(scope="session")
def real_specs() -> Path:
    """The official vendor documents (``../shared/real-specs``); skips where absent, never copied.

    ``GATECHECK_REAL_SPECS`` points elsewhere (a worktree whose parent has no ``shared/``).
    """
    folder = Path(os.environ.get("GATECHECK_REAL_SPECS") or ROOT.parent / "shared" / "real-specs")
    if not (folder / "openai-openapi.yaml").is_file():
        pytest.skip(f"the official vendor specs are not at {folder} (set GATECHECK_REAL_SPECS)")
    return folder
