"""Run a scenario suite against the built-in mock, the way users run it, and read its verdicts.

Each run is a separate ``python -m pytest suites/<suite>`` process (one mock per run) writing
JUnit XML, which is parsed into per-test outcomes with their failure text.  Tests then say what
a fault mode must break::

    def test_missing_done_is_caught(run_suite):
        result = run_suite("streaming", faults=["no-done-sentinel"])
        result.assert_failed("test_done_sentinel_ends_the_stream", contains="[DONE]")

Runs are cached for the session by their arguments, so several tests may assert on one run;
``run_suite.submit(...)`` queues a run in the background, and a module's ``SUITE_RUNS`` are
queued as soon as collection ends, so every CPU is busy while the first test waits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUITES = ROOT / "suites"
RUN_TIMEOUT = 180.0
# Plugins the suites do not use; not loading them saves most of a subprocess's start-up time.
_UNUSED_PLUGINS = tuple(
    arg
    for name in ("allure_pytest", "hypothesispytest", "schemathesis", "xdist", "anyio")
    for arg in ("-p", f"no:{name}")
)

__all__ = ["Outcome", "SuiteResult", "SuiteRunner", "run_suite_in"]


@dataclass(frozen=True)
class Outcome:
    """One test case's verdict: passed, failed, skipped or error, with its message and text."""

    name: str
    classname: str
    outcome: str
    message: str = ""

    def __str__(self) -> str:
        return f"{self.classname}::{self.name} {self.outcome}: {self.message[:400]}"


@dataclass
class SuiteResult:
    """The verdicts of one suite run; assertion helpers say what was expected of the run."""

    args: list[str]
    returncode: int
    output: str
    outcomes: list[Outcome] = field(default_factory=list)

    def _with_outcome(self, kind: str) -> set[str]:
        return {o.name for o in self.outcomes if o.outcome == kind}

    @property
    def passed(self) -> set[str]:
        return self._with_outcome("passed")

    @property
    def failed(self) -> set[str]:
        return self._with_outcome("failed") | self._with_outcome("error")

    @property
    def skipped(self) -> set[str]:
        return self._with_outcome("skipped")

    def cases(self, name: str) -> list[Outcome]:
        """The cases of test ``name``: the function itself or every parametrization of it."""
        found = [o for o in self.outcomes if o.name == name or o.name.startswith(name + "[")]
        if not found:
            pytest.fail(f"no test named {name} in the run\n{self._summary()}")
        return found

    def _summary(self) -> str:
        lines = [str(o) for o in self.outcomes]
        return (
            f"$ {' '.join(self.args)}\nexit {self.returncode}\n"
            + "\n".join(lines)
            + "\n"
            + self.output[-3000:]
        )

    def _assert_each(self, name: str, outcome: str, contains: str | Iterable[str] | None) -> None:
        needles = [contains] if isinstance(contains, str) else list(contains or ())
        for case in self.cases(name):
            kinds = {"failed": ("failed", "error")}.get(outcome, (outcome,))
            if case.outcome not in kinds:
                pytest.fail(f"expected {case.name} to be {outcome}, it {case.outcome}\n{self._summary()}")
            for needle in needles:
                if needle.lower() not in case.message.lower():
                    pytest.fail(f"{case.name} is {outcome} but its message lacks {needle!r}:\n{case.message}")

    def assert_failed(self, name: str, *, contains: str | Iterable[str] | None = None) -> None:
        """Every case of ``name`` failed, and each message contains every ``contains`` text."""
        self._assert_each(name, "failed", contains)

    def assert_passed(self, name: str) -> None:
        self._assert_each(name, "passed", None)

    def assert_skipped(self, name: str, *, contains: str | Iterable[str] | None = None) -> None:
        self._assert_each(name, "skipped", contains)

    def assert_only_failed(self, names: Iterable[str]) -> None:
        """Exactly the tests ``names`` (all their cases) failed; the rest passed or were skipped."""
        wanted = set(names)
        for name in wanted:
            self.assert_failed(name)
        unexpected = {o.name for o in self.outcomes if o.outcome in ("failed", "error")} - {
            o.name for name in wanted for o in self.cases(name)
        }
        if unexpected:
            pytest.fail(f"unexpected failures: {sorted(unexpected)}\n{self._summary()}")

    def assert_all_passed(self, *, allow_skips: bool = False) -> None:
        """Nothing failed (and, unless allowed, nothing was skipped either)."""
        bad = [
            o for o in self.outcomes if o.outcome != "passed" and not (allow_skips and o.outcome == "skipped")
        ]
        if bad or not self.outcomes or self.returncode not in (0,):
            pytest.fail(f"expected a clean pass\n{self._summary()}")

    def assert_passed_or_not_applicable(self) -> None:
        """A clean run: nothing failed, and every skip is "not applicable", never a plain skip."""
        self.assert_all_passed(allow_skips=True)
        for outcome in self.outcomes:
            if outcome.outcome == "skipped" and not outcome.message.startswith("not applicable"):
                pytest.fail(f"{outcome.name} was skipped for another reason: {outcome.message}")

    def assert_all_not_applicable(self) -> None:
        """Every scenario of the run was reported "not applicable" (and there was at least one)."""
        if not self.outcomes:
            pytest.fail(f"the run reported no scenario at all\n{self._summary()}")
        for outcome in self.outcomes:
            if outcome.outcome != "skipped" or not outcome.message.startswith("not applicable"):
                pytest.fail(
                    f"expected {outcome.name} to be not applicable, it {outcome.outcome}: {outcome.message}"
                )


def _outcomes(junit: Path) -> list[Outcome]:
    found = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            node = case.find(kind)
            if node is not None:
                outcome = "failed" if kind == "failure" else kind
                message = f"{node.get('message', '')}\n{node.text or ''}"
                break
        found.append(Outcome(case.get("name", ""), case.get("classname", ""), outcome, message))
    return found


def run_suite_in(
    workdir: Path,
    suite: str,
    *,
    profile: str = "requesty",
    faults: Iterable[str] = (),
    extra_args: Iterable[str] = (),
) -> SuiteResult:
    """Run ``suites/<suite>`` in a fresh process against a fresh mock; ``workdir`` holds its files."""
    workdir.mkdir(parents=True, exist_ok=True)
    junit = workdir / "junit.xml"
    args = [sys.executable, "-m", "pytest", str(SUITES / suite), "--profile", profile, "-q"]
    args += [f"--mock-fault={fault}" for fault in faults]
    args += [*_UNUSED_PLUGINS, "-p", "no:cacheprovider", f"--junitxml={junit}", *extra_args]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATECHECK_", "PYTEST_"))}
    done = subprocess.run(args, cwd=workdir, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    output = done.stdout + done.stderr
    if not junit.exists():
        pytest.fail(
            f"suite run wrote no report (exit {done.returncode}):\n$ {' '.join(args)}\n{output[-4000:]}"
        )
    return SuiteResult(args, done.returncode, output, _outcomes(junit))


RunKey = tuple[str, str, tuple[str, ...], tuple[str, ...]]


class SuiteRunner:
    """Runs suites in worker threads (each run is its own process), at most one per CPU.

    ``submit`` starts a run and returns at once; ``__call__`` waits.  Identical runs happen once
    per session.  A test module may list its runs in a module attribute ``SUITE_RUNS``
    (``[(suite, profile, faults), ...]``): they are all queued as soon as collection ends, so
    the CPUs stay busy while the first test waits.
    """

    def __init__(self, workdir: Path) -> None:
        self._workdir = workdir
        self._pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
        self._runs: dict[RunKey, Future[SuiteResult]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(suite: str, profile: str, faults: Iterable[str], extra_args: Iterable[str]) -> RunKey:
        return (suite, profile, tuple(sorted(faults)), tuple(extra_args))

    def submit(
        self,
        suite: str,
        *,
        profile: str = "requesty",
        faults: Iterable[str] = (),
        extra_args: Iterable[str] = (),
    ) -> Future[SuiteResult]:
        key = self.key(suite, profile, faults, extra_args)
        with self._lock:
            if key not in self._runs:
                workdir = (
                    self._workdir
                    / f"{len(self._runs):03d}-{suite}-{profile}-{'-'.join(key[2]) or 'clean'}"[:80]
                )
                self._runs[key] = self._pool.submit(
                    run_suite_in, workdir, suite, profile=profile, faults=key[2], extra_args=key[3]
                )
            return self._runs[key]

    def __call__(
        self,
        suite: str,
        *,
        profile: str = "requesty",
        faults: Iterable[str] = (),
        extra_args: Iterable[str] = (),
    ) -> SuiteResult:
        """``run_suite(suite, *, profile="requesty", faults=(), extra_args=()) -> SuiteResult``."""
        return self.submit(suite, profile=profile, faults=faults, extra_args=extra_args).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


_RUNNER = pytest.StashKey[SuiteRunner]()


def _runner(config: pytest.Config) -> SuiteRunner:
    if _RUNNER not in config.stash:
        workdir = Path(tempfile.mkdtemp(prefix="gatecheck-suite-runs-"))
        config.stash[_RUNNER] = SuiteRunner(workdir)
        config.add_cleanup(lambda: shutil.rmtree(workdir, ignore_errors=True))
        config.add_cleanup(config.stash[_RUNNER].close)
    return config.stash[_RUNNER]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Queue the declared runs of every module that has a selected test."""
    modules = {item.module for item in session.items if isinstance(item, pytest.Function)}
    for module in sorted(modules, key=lambda m: m.__name__):
        for suite, profile, faults in getattr(module, "SUITE_RUNS", ()):
            _runner(session.config).submit(suite, profile=profile, faults=faults)


@pytest.fixture(scope="session")
def run_suite(pytestconfig: pytest.Config) -> SuiteRunner:
    """Run a suite against a fresh mock: ``run_suite("streaming", faults=["no-done-sentinel"])``."""
    return _runner(pytestconfig)
