"""Secrets are masked in the process that knows them, before any report leaves it.

A key the target creates during a run is known only to the process that created it: with
``-n``, an xdist worker.  The controller writes the JUnit file, the terminal output and the
events from the reports workers send it, and it never learns that worker's keys; ``gatecheck
run`` reads all of it afterwards and knows even less.  So every report is redacted where it
is made (failure text, tracebacks with their function arguments, captured output, properties),
and allure-pytest's files are redacted as they are written: nothing a run writes, not even in
its private work folder while it runs, holds a secret this session has seen.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import pytest

from gatecheck.redact import Redactor, default_redactor

__all__: list[str] = []

#: What a report carries that may quote a secret; the rest (nodeid, location, outcome) stay as
#: they are, so reports still match their items.
_TEXT_FIELDS = ("longrepr", "sections", "user_properties", "wasxfail")


def redact_report(config: pytest.Config, report: Any, redactor: Redactor = default_redactor) -> None:
    """Mask ``report``'s text fields in place, through pytest's own report serialisation (the
    form xdist ships), so tracebacks keep their structure and every string inside is reached."""
    if report.longrepr is None and not report.sections and not getattr(report, "user_properties", None):
        return
    data = config.hook.pytest_report_to_serializable(config=config, report=report)
    if data is None:
        return
    clean = redactor.data(data)
    clean["nodeid"], clean["location"] = data.get("nodeid"), data.get("location")
    rebuilt = config.hook.pytest_report_from_serializable(config=config, data=clean)
    if rebuilt is None:
        return
    for name in _TEXT_FIELDS:
        if hasattr(report, name) and hasattr(rebuilt, name):
            setattr(report, name, getattr(rebuilt, name))


@pytest.hookimpl(wrapper=True, trylast=True)  # innermost: every other wrapper sees the masked report
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    redact_report(item.config, report)
    return report


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    report = yield
    redact_report(collector.config, report)
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """allure-pytest builds its results from the exception itself, not from our reports: mask
    each result, container and globals file on its way to disk."""
    try:
        import allure_commons
        from allure_commons.logger import AllureFileLogger
    except ImportError:  # allure-pytest not installed: nothing to guard
        return
    for logger in allure_commons.plugin_manager.get_plugins():
        if isinstance(logger, AllureFileLogger) and not hasattr(logger, _MASKED):
            logger._report_item = _masking(logger._report_item)  # type: ignore[method-assign]
            setattr(logger, _MASKED, True)


_MASKED = "_gatecheck_masked"


def _masking(write: Callable[[Any], None]) -> Callable[[Any], None]:
    return lambda item: write(default_redactor.data(item))
