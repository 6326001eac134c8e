"""The pytest plugin ``gatecheck run`` loads into each suite's process: events out, shards in.

It writes one JSON object per line to the file named by ``--gatecheck-events``; the parent
process tails that file for live progress and builds ``results.json`` from it, so the reports
never depend on parsing pytest's terminal output.  Under pytest-xdist the controller writes the
test events (it receives every worker's reports) and each worker writes what only it knows: what
it collected and the response shapes it saw.  Lines are appended with single ``write`` calls on
an ``O_APPEND`` descriptor, so processes sharing the file never interleave inside a line.

Everything written passes through the process's :data:`gatecheck.redact.default_redactor`,
which by then holds the target's keys and the mock's keys.

Events (``event`` field): ``start``, ``collected``, ``collect_error``, ``phase`` (one per
setup/call/teardown report), ``shapes``, ``finish``.
"""

from __future__ import annotations

import gc
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from gatecheck.check_ids import CHECK_IDS
from gatecheck.checks.schemathesis_checks import failure_keys
from gatecheck.errors import GatecheckError, HarnessBug, TargetError
from gatecheck.failures import ContractViolation, excerpt
from gatecheck.redact import default_redactor
from gatecheck.reports import shapes
from gatecheck.runner.ids import in_shard, parse_shard, stable_id

__all__ = ["EventWriter", "failure_info", "fault_kind", "title_of"]

_MESSAGE_LIMIT = 4000
_LONGREPR_LIMIT = 20_000
_WRITER = pytest.StashKey["EventWriter"]()
_ID = pytest.StashKey[str]()
_INDEX = pytest.StashKey[int]()
_COLLECTED = pytest.StashKey["Counter[str]"]()


class EventWriter:
    """Appends redacted JSON lines to one file; safe to share between processes."""

    def __init__(self, path: str | Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def emit(self, event: str, **data: Any) -> None:
        record = default_redactor.data({"event": event, "time": time.time(), **data})
        line = json.dumps(record, default=str, ensure_ascii=False) + "\n"
        os.write(self._fd, line.encode("utf-8"))

    def close(self) -> None:
        os.close(self._fd)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gatecheck-runner", "gatecheck run (set by 'gatecheck run', rarely by hand)")
    group.addoption("--gatecheck-events", default=None, help="append JSON-lines events to this file")
    group.addoption("--gatecheck-suite", default=None, help="suite name used in stable test ids")
    group.addoption("--gatecheck-suite-dir", default=None, help="suite folder; ids are relative to it")
    group.addoption("--gatecheck-shard", default=None, help="run only shard I of N (I/N, 1-based)")
    group.addoption(
        "--gatecheck-suites",
        action="append",
        default=[],
        help="a suite folder of a one-session run (repeatable); a test's suite is the folder holding it",
    )


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _writer(config: pytest.Config) -> EventWriter | None:
    return config.stash.get(_WRITER, None)


def _suite(config: pytest.Config) -> str:
    return config.getoption("gatecheck_suite") or config.rootpath.name


def _suite_folders(config: pytest.Config) -> list[Path]:
    return [Path(folder).resolve() for folder in config.getoption("gatecheck_suites")]


def _suite_of(config: pytest.Config, path: Path) -> tuple[str, Path | None]:
    """``(suite name, suite folder)`` of the file at ``path``.

    One session may hold several suites (``--gatecheck-suites``): the suite is the folder that
    holds the file.  A one-suite session names it with ``--gatecheck-suite``.
    """
    resolved = path.resolve()
    for folder in _suite_folders(config):
        if resolved.is_relative_to(folder):
            return folder.name, folder
    suite_dir = config.getoption("gatecheck_suite_dir")
    return _suite(config), Path(suite_dir) if suite_dir else None


def pytest_configure(config: pytest.Config) -> None:
    shard = config.getoption("gatecheck_shard")
    if shard:
        try:
            parse_shard(shard)
        except Exception as exc:
            raise pytest.UsageError(f"gatecheck: {exc}") from None
    config.pluginmanager.register(_CountFirst(), "gatecheck-runner-count")
    if path := config.getoption("gatecheck_events"):
        writer = config.stash[_WRITER] = EventWriter(path)
        config.pluginmanager.register(_Reporter(config, writer), "gatecheck-runner-events")
        if not _is_worker(config):
            writer.emit("start", suite=_suite(config), pid=os.getpid())


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what start-up made (imports, specs, profiles): it lives as long as the run.

    pytest collects garbage in full at the end of a session, and each full collection walks
    every object; those of schemathesis, Hypothesis and the suites make one take about 0.25
    CPU-seconds here.  Frozen, they are skipped by every later collection in this process.
    """
    if session.config.getoption("gatecheck_events"):
        gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    if writer := _writer(config):
        writer.close()


def _item_id(config: pytest.Config, item: pytest.Item) -> str:
    suite, suite_dir = _suite_of(config, item.path)
    return stable_id(suite, suite_dir, item.path, item.nodeid)


def _add_allure_labels(config: pytest.Config, item: pytest.Item) -> None:
    """Group allure's tree by suite and capability (allure reads these markers at setup)."""
    if not config.pluginmanager.hasplugin("allure_pytest"):
        return
    item.add_marker(pytest.mark.allure_label(_suite_of(config, item.path)[0], label_type="parentSuite"))
    for marker in item.iter_markers("capability"):
        if marker.args:
            item.add_marker(pytest.mark.allure_label(str(marker.args[0]), label_type="feature"))


class _CountFirst:
    """Counts each suite's tests before anything (``-k``, shards) deselects some; registered
    separately because a module can hold only one implementation of a hook."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        collected: Counter[str] = Counter({folder.name: 0 for folder in _suite_folders(config)})
        for index, item in enumerate(items):
            item.stash[_INDEX] = index
            collected[_suite_of(config, item.path)[0]] += 1
        config.stash[_COLLECTED] = collected


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each item its stable id, keep only this shard's items, and say how many there were."""
    shard_text = config.getoption("gatecheck_shard")
    shard = parse_shard(shard_text) if shard_text else None
    collected = config.stash.get(_COLLECTED, None) or Counter({_suite(config): len(items)})
    chosen: Counter[str] = Counter({suite: 0 for suite in collected})
    selected: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        item.stash[_ID] = _item_id(config, item)
        if in_shard(item.stash[_ID], shard):
            selected.append(item)
            chosen[_suite_of(config, item.path)[0]] += 1
        else:
            deselected.append(item)
        _add_allure_labels(config, item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
    if writer := _writer(config):
        for suite in collected:
            writer.emit("collected", suite=suite, collected=collected[suite], selected=chosen[suite])


def title_of(item: pytest.Item) -> str:
    """The first line of the test's docstring, or its name when it has none."""
    doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
    first = next((line.strip() for line in doc.strip().splitlines() if line.strip()), "")
    return first or item.name


def failure_info(exc: BaseException) -> dict[str, Any]:
    """A failure as report fields: a ContractViolation keeps its parts, anything else its first line.

    A violation under an unregistered check id is gatecheck's bug, not the target's failure: it
    would be a key no baseline or drift report knows, so it is recorded as a harness error.
    """
    if isinstance(exc, ContractViolation) and exc.check not in CHECK_IDS:
        return {"kind": "harness", "title": _unregistered(exc)}
    if isinstance(exc, ContractViolation):
        info: dict[str, Any] = {
            "kind": "contract",
            "title": exc.title,
            "expected": exc.expected,
            "received": excerpt(exc.received),
            "check": exc.check,
            "operation": exc.operation,
            "key": exc.key,
        }
        details = json.loads(json.dumps(exc.details, default=str))
        for part in ("request", "response"):
            if part in details:
                value = details.pop(part)
                info[part] = value if isinstance(value, str) else excerpt(value, 2000)
        if details:
            info["details"] = details
        return info
    if (group := _check_failures(exc)) and fault_kind(exc) != "harness":
        # schemathesis: an exception group of typed check failures; their titles name the
        # defects ("Undocumented status code"), where str(exc) only counts them.
        titles = list(dict.fromkeys(str(failure.title) for failure in group))
        return {
            "kind": "assertion",
            "title": "; ".join(titles)[:300],
            "check": ",".join(failure_keys(exc)),  # stable operation::check keys, never codes
            "message": _exception_text(exc, group)[:_MESSAGE_LIMIT],
        }
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    kind = fault_kind(exc)
    if kind == "harness" and not isinstance(exc, GatecheckError):
        first = str(HarnessBug("the test's code", exc))  # a bug: say whose, and how to report it
    elif kind == "harness" and not isinstance(exc, HarnessBug):
        first = f"gatecheck: {first}"
    return {"kind": kind, "title": (first or type(exc).__name__)[:300]}


def _unregistered(exc: ContractViolation) -> str:
    cause = LookupError(f"check id {exc.check!r} is not registered in gatecheck/check_ids.py ({exc.title})")
    return str(HarnessBug("the test's code", cause))


def fault_kind(exc: BaseException) -> str:
    """Whose fault a test's exception is: ``contract``/``assertion``/``transport`` are the target's
    (it answered wrongly, or its connection broke), ``harness`` is gatecheck's (a bug in a check,
    adapter, decoder or fixture, a violation under an unregistered check id, or a harness error
    such as a bad setting raised mid-test).

    An exception group (Hypothesis' "distinct failures") is the target's as soon as one member is.
    """
    if isinstance(exc, BaseExceptionGroup):
        kinds = [fault_kind(member) for member in exc.exceptions]
        return next((k for k in kinds if k != "harness"), "harness")
    if isinstance(exc, ContractViolation):
        return "contract" if exc.check in CHECK_IDS else "harness"
    if isinstance(exc, AssertionError | pytest.fail.Exception):
        return "assertion"
    if isinstance(exc, _BROKEN_CONNECTION):
        return "transport"
    return "harness"


#: A connection that failed or broke mid-answer: the target's fault, whichever client saw it
#: (scenarios use httpx; the contract suite sends through schemathesis' requests session, whose
#: ``ChunkedEncodingError`` is a body shorter than its Content-Length).
_BROKEN_CONNECTION = (
    httpx.TransportError,
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    TargetError,
)


def _check_failures(exc: BaseException) -> tuple[Any, ...]:
    """Typed check failures inside ``exc``: schemathesis' exception group, or the contract
    suite's wrapper of one (``.failures``)."""
    group = getattr(exc, "failures", None)
    if group is None and isinstance(exc, BaseExceptionGroup):
        group = exc.exceptions
    if group and all(hasattr(f, "title") for f in group):
        return tuple(group)
    return ()


def _exception_text(exc: BaseException, group: tuple[Any, ...]) -> str:
    """The group's own text plus each failure's, as schemathesis prints them."""
    parts = [str(exc).strip()]
    for failure in group:
        message = str(getattr(failure, "message", "") or "").strip()
        parts.append(f"- {failure.title}" + (f"\n  {message}" if message else ""))
    return "\n".join(p for p in parts if p)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Attach the id, title, capabilities and structured failure to the report (xdist ships them)."""
    report = yield
    data: dict[str, Any] = {
        "id": item.stash.get(_ID, None) or _item_id(item.config, item),
        "suite": _suite_of(item.config, item.path)[0],
        "index": item.stash.get(_INDEX, None),
        "title": title_of(item),
        "capabilities": [str(m.args[0]) for m in item.iter_markers("capability") if m.args],
    }
    if report.failed and call.excinfo is not None:
        data["failure"] = failure_info(call.excinfo.value)
    report.gatecheck = default_redactor.data(data)
    return report


def _skip_reason(report: pytest.TestReport) -> str | None:
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return None


class _Reporter:
    """The hooks that write events; registered only when ``--gatecheck-events`` is given."""

    def __init__(self, config: pytest.Config, writer: EventWriter) -> None:
        self.config, self.writer = config, writer
        self.controller = not _is_worker(config)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not self.controller:
            return
        # A subtest's report comes first and carries the real failure; its parent's "call"
        # report then only says "contains 1 failed subtest".
        when = "subtest" if hasattr(report, "context") and report.when == "call" else report.when
        suite = (getattr(report, "gatecheck", None) or {}).get("suite")
        if suite is None:  # made here, not by a worker: xdist's report of a worker that died ("???")
            suite = _suite_of(self.config, self.config.rootpath / report.nodeid.split("::")[0])[0]
        self.writer.emit(
            "phase",
            suite=suite,
            nodeid=report.nodeid,
            when=when,
            outcome=report.outcome,
            duration=report.duration,
            wasxfail=getattr(report, "wasxfail", None),
            skip_reason=_skip_reason(report) if report.skipped else None,
            longrepr=report.longreprtext[:_LONGREPR_LIMIT] if report.failed else "",
            user_properties=[list(p) for p in report.user_properties],
            gatecheck=getattr(report, "gatecheck", None),
        )

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if not self.controller or not report.failed:
            return
        path = self.config.rootpath / report.nodeid.split("::")[0]
        suite, suite_dir = _suite_of(self.config, path)
        self.writer.emit(
            "collect_error",
            suite=suite,
            nodeid=report.nodeid,
            id=stable_id(suite, suite_dir, path, report.nodeid),
            longrepr=report.longreprtext[:_LONGREPR_LIMIT],
        )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if recorded := shapes.snapshot():
            self.writer.emit("shapes", shapes=recorded)
        if self.controller:
            self.writer.emit("finish", exitstatus=int(exitstatus))
