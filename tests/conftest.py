"""Shared setup for gatecheck's own tests (suites/ test gateways; tests/ test gatecheck)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ["pytester"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that collected nothing must not pass silently (CI would report 'ran no test')."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def real_specs() -> Path:
    """The official vendor documents (``../shared/real-specs``); skips where absent, never copied.

    ``GATECHECK_REAL_SPECS`` points elsewhere (a worktree whose parent has no ``shared/``).
    """
    folder = Path(os.environ.get("GATECHECK_REAL_SPECS") or ROOT.parent / "shared" / "real-specs")
    if not (folder / "openai-openapi.yaml").is_file():
        pytest.skip(f"the official vendor specs are not at {folder} (set GATECHECK_REAL_SPECS)")
    return folder
