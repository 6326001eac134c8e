"""gatecheck's pytest plugin (registered through the ``pytest11`` entry point).

Kept tiny in the manner of respx and pytest-httpx: options and markers here, fixtures in
:mod:`gatecheck.plugin.fixtures`.  It is inert for test runs that use none of its fixtures,
so it can stay installed beside other projects.
"""

from __future__ import annotations

import pytest

from gatecheck.plugin import fixtures, harness, ordering, ratelimits, redaction
from gatecheck.plugin.options import add_options
from gatecheck.profiles import CAPABILITIES

__all__: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "capability(name, or_role=None): the test needs this capability; it is not applicable where "
        "the target's profile does not claim it (unless the user named a model for or_role). "
        f"Names: {', '.join(CAPABILITIES)}",
    )
    config.addinivalue_line("markers", "needs_mock(reason): the test needs the built-in mock's controls")
    config.addinivalue_line("markers", "writes: the test creates or deletes resources (keys, guardrails)")
    config.addinivalue_line(
        "markers",
        "rate_limit_evidence: the test provokes a 429 on purpose (e.g. an upstream rate limit a "
        "fallback must absorb), so a 429 that comes back is its evidence, never retried away",
    )
    for name, help_text in ordering.MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {help_text}")
    if not config.pluginmanager.has_plugin("gatecheck.plugin.fixtures"):
        config.pluginmanager.register(fixtures, "gatecheck.plugin.fixtures")
    if not config.pluginmanager.has_plugin("gatecheck.plugin.harness"):
        config.pluginmanager.register(harness, "gatecheck.plugin.harness")
    if not config.pluginmanager.has_plugin("gatecheck.plugin.ratelimits"):
        config.pluginmanager.register(ratelimits, "gatecheck.plugin.ratelimits")
    if not config.pluginmanager.has_plugin("gatecheck.plugin.ordering"):
        config.pluginmanager.register(ordering, "gatecheck.plugin.ordering")
    if not config.pluginmanager.has_plugin("gatecheck.plugin.redaction"):
        config.pluginmanager.register(redaction, "gatecheck.plugin.redaction")
