"""Shared setup for gatecheck's own tests (suites/ test gateways; tests/ test gatecheck)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fork_server import ForkServers
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
# Hypothesis keeps the Unicode tables it builds (about 1.6 CPU-seconds for the utf-8 codec the
# contract suite asks for) under ``.hypothesis/`` in the working folder.  Suite runs and
# `gatecheck run` start in fresh folders, so every contract run built them again; they share
# the repository's folder instead, where a user's runs would find them.  The contract suite
# keeps no example database (its settings say ``database: none``), so only caches are shared.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(ROOT / ".hypothesis"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that collected nothing must not pass silently (CI would report 'ran no test')."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _distributed(config: pytest.Config) -> bool:
    """Whether the session hands its tests to xdist workers (``-n N``), or is one of them."""
    return bool(getattr(config.option, "numprocesses", None)) or _is_xdist_worker(config)


@pytest.hookimpl(wrapper=True)
def pytest_cmdline_main(config: pytest.Config) -> Any:
    """``-n N`` without ``--dist`` hands each module to one worker whole (``loadscope``).

    A module's tests share what its first test starts (the suite runs it plans, its servers), so
    splitting a module across workers would do that work twice.  An explicit ``--dist`` wins.
    """
    given = config.invocation_params.args
    if _distributed(config) and not any(str(a).startswith("--dist") for a in given):
        config.option.dist = "loadscope"
        config.option.loadscopereorder = False  # modules go out in the order set below
    return (yield)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``-n``: modules with ``slow`` tests first, the largest first, then the quick ones.

    xdist would order modules by their number of tests alone, and then a module of one long test
    (the SIGTERM tries, the LiteLLM proxy) could start last and run on one worker while the
    other sat idle.  Quick modules last fill the gaps instead.  Without ``-n`` nothing moves.
    """
    if not _distributed(config):
        return
    sizes = Counter(item.path for item in items)
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: (item.path not in slow, -sizes[item.path]))


def _queue_planned_runs(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the suite run each of ``items`` needs (see ``pytest_collection_finish``)."""
    for item in items:
        plan = getattr(getattr(item, "module", None), "planned_run", None)
        callspec = getattr(item, "callspec", None)
        run: Any = plan(callspec.params if callspec else {}) if plan else None
        if run is not None:
            suite, profile, faults, args = run
            session_runner(config).submit(suite, profile=profile, faults=faults, extra_args=args)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Queue the suite run each selected test needs, so runs overlap while the first test waits.

    A test module may define ``planned_run(params) -> (suite, profile, faults, args) | None``,
    called with each selected item's parameters: only selected items queue a run, so ``-k NAME``
    starts one run and nothing else.  An xdist worker has collected every test but runs only
    some, so it queues a module's runs when the module's first test starts (``--dist loadscope``
    hands a module to one worker whole).
    """
    if not _is_xdist_worker(session.config):
        _queue_planned_runs(session.config, session.items)


_QUEUED_MODULES = pytest.StashKey[set[str]]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under xdist: the first test of a module queues the runs of the module's selected tests."""
    module = getattr(item, "module", None)
    if not _is_xdist_worker(item.config) or getattr(module, "planned_run", None) is None:
        return
    queued, path = item.config.stash.setdefault(_QUEUED_MODULES, set()), item.nodeid.split("::")[0]
    if path not in queued:
        queued.add(path)
        same = [i for i in item.session.items if getattr(i, "module", None) is module]
        _queue_planned_runs(item.config, same)


@pytest.fixture(scope="session")
def run_suite(pytestconfig: pytest.Config) -> SuiteRunner:
    """Run a suite against a fresh mock: ``run_suite("streaming", faults=["no-done-sentinel"])``."""
    return session_runner(pytestconfig)


@pytest.fixture(scope="session")
def fork_servers(pytestconfig: pytest.Config) -> ForkServers | None:
    """The session's fork servers for ``suite_runs.run_pytest`` (None where runs are new interpreters)."""
    return session_runner(pytestconfig).servers


@pytest.fixture(scope="session")
def real_specs() -> Path:
    """The official vendor documents (``../shared/real-specs``); skips where absent, never copied.

    ``GATECHECK_REAL_SPECS`` points elsewhere (a worktree whose parent has no ``shared/``).
    """
    folder = Path(os.environ.get("GATECHECK_REAL_SPECS") or ROOT.parent / "shared" / "real-specs")
    if not (folder / "openai-openapi.yaml").is_file():
        pytest.skip(f"the official vendor specs are not at {folder} (set GATECHECK_REAL_SPECS)")
    return folder
