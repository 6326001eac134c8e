"""Shared setup for gatecheck's own tests (suites/ test gateways; tests/ test gatecheck)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that collected nothing must not pass silently (CI would report 'ran no test')."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
