"""Run a suite of ``suites/`` against a fresh mock, the way users run it, and read its verdicts.

Each run is a separate ``python -m pytest suites/<suite>`` process (one mock per run, so no run
inherits another's state; forked from a server that has done the imports, see ``fork_server``)
writing JUnit XML, parsed into per-test outcomes with their failure text
and failure keys.  ``tests/proofs`` (every fault against the scenarios that must catch it, and the
clean runs) and ``tests/contract`` use it; nothing else runs suites in a subprocess::

    result = run_suite("streaming", faults=["no-done-sentinel"])
    result.assert_failed("test_done_sentinel_ends_the_stream", contains="[DONE]")

Identical runs happen once per session; ``SuiteRunner.submit`` queues a run in a worker thread
so that a test session can start the runs its selected tests need before the first one waits.
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

from fork_server import ForkServers, fork_available

ROOT = Path(__file__).resolve().parents[1]
SUITES = ROOT / "suites"
RUN_TIMEOUT = 180.0


def _no_plugins(*names: str) -> tuple[str, ...]:
    return tuple(arg for name in names for arg in ("-p", f"no:{name}"))


#: Plugins only the test extra installs (langchain-openai brings langsmith's), which a user of
#: gatecheck does not have, and xdist's --looponfail (it imports execnet): no run loads them.
FOREIGN_PLUGINS = _no_plugins("langsmith_plugin", "xdist.looponfail")
#: Plugins the scenario suites do not use; not loading them saves most of a run's start-up time.
_UNUSED_PLUGINS = _no_plugins("allure_pytest", "hypothesispytest", "schemathesis", "xdist", "anyio")

__all__ = [
    "FOREIGN_PLUGINS",
    "Outcome",
    "RunKey",
    "SuiteResult",
    "SuiteRunner",
    "run_pytest",
    "run_suite_in",
    "session_runner",
]


@dataclass(frozen=True)
class Outcome:
    """One test case's verdict: passed, failed, skipped or error, with its message and text."""

    name: str
    classname: str
    outcome: str
    message: str = ""
    keys: frozenset[str] = frozenset()  # the stable keys (operation::check) of its failures

    def __str__(self) -> str:
        return f"{self.classname}::{self.name} {self.outcome}: {self.message[:400]}"


@dataclass
class SuiteResult:
    """The verdicts of one suite run; assertion helpers say what was expected of the run."""

    args: list[str]
    returncode: int
    output: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failure_keys(self) -> set[str]:
        """The stable keys of every failure of the run (the contract suite's ``operation::check``)."""
        return {key for o in self.outcomes for key in o.keys}

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
        keys = frozenset(
            p.get("value", "") for p in case.iter("property") if p.get("name") == "gatecheck.failure"
        )
        found.append(Outcome(case.get("name", ""), case.get("classname", ""), outcome, message, keys))
    return found


def _run_env() -> dict[str, str]:
    """The environment of a run: the session's, without what would configure the run itself."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GATECHECK_", "PYTEST_"))}


def run_pytest(
    args: list[str], *, cwd: Path, env: dict[str, str], timeout: float, servers: ForkServers | None
) -> tuple[int, str]:
    """``python -m pytest ARGS`` in ``cwd``: its exit code and its output (stdout, then stderr).

    Forked from one of ``servers`` when given (see ``fork_server``), else a new interpreter.
    """
    if servers is None:
        command = [sys.executable, "-m", "pytest", *args]
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
        return done.returncode, done.stdout + done.stderr
    with servers.lease() as server:
        code, stdout, stderr = server.run(args, cwd=cwd, env=env, timeout=timeout)
    return code, stdout + stderr


def run_suite_in(
    workdir: Path,
    suite: str,
    *,
    profile: str = "requesty",
    faults: Iterable[str] = (),
    extra_args: Iterable[str] = (),
    servers: ForkServers | None = None,
) -> SuiteResult:
    """Run ``suites/<suite>`` (or several, comma-separated) in a fresh process against a fresh
    mock; ``workdir`` holds its files.  With ``servers`` the process is forked from one of them,
    else it is a new interpreter."""
    workdir.mkdir(parents=True, exist_ok=True)
    junit = workdir / "junit.xml"
    paths = [str(SUITES / name) for name in suite.split(",")]
    args = [*paths, "--profile", profile, "-q", *(f"--mock-fault={fault}" for fault in faults)]
    unused = () if "contract" in suite.split(",") else _UNUSED_PLUGINS  # contract runs schemathesis
    args += [*FOREIGN_PLUGINS, *unused, "-p", "no:cacheprovider", f"--junitxml={junit}", *extra_args]
    returncode, output = run_pytest(args, cwd=workdir, env=_run_env(), timeout=RUN_TIMEOUT, servers=servers)
    command = [sys.executable, "-m", "pytest", *args]
    if not junit.exists():
        pytest.fail(
            f"suite run wrote no report (exit {returncode}):\n$ {' '.join(command)}\n{output[-4000:]}"
        )
    return SuiteResult(command, returncode, output, _outcomes(junit))


RunKey = tuple[str, str, tuple[str, ...], tuple[str, ...]]


class SuiteRunner:
    """Runs suites in worker threads (each run is its own process), at most one per CPU.

    ``submit`` starts a run and returns at once; ``__call__`` waits.  Identical runs happen once
    per session.  Runs are forked from fork servers (``fork=False``, or
    ``GATECHECK_TESTS_NO_FORK=1``, starts a new interpreter per run instead).
    """

    def __init__(self, workdir: Path, *, fork: bool | None = None) -> None:
        self._workdir = workdir
        self._pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
        self._runs: dict[RunKey, Future[SuiteResult]] = {}
        self._lock = threading.Lock()
        forks = fork_available() if fork is None else fork
        #: The session's fork servers (None when each run is a new interpreter); other runners
        #: of ``python -m pytest`` in the tests borrow them through ``run_pytest``.
        self.servers = ForkServers(_run_env()) if forks else None

    @property
    def forks(self) -> bool:
        """Whether runs are forked from fork servers (else each is a new interpreter)."""
        return self.servers is not None

    def _run(self, workdir: Path, suite: str, profile: str, key: RunKey) -> SuiteResult:
        return run_suite_in(
            workdir, suite, profile=profile, faults=key[2], extra_args=key[3], servers=self.servers
        )

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
                label = f"{len(self._runs):03d}-{suite}-{profile}-{'-'.join(key[2]) or 'clean'}"
                workdir = self._workdir / label.replace(",", "+")[:80]
                self._runs[key] = self._pool.submit(self._run, workdir, suite, profile, key)
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
        if self.servers is not None:
            self.servers.close()


_RUNNER = pytest.StashKey[SuiteRunner]()


def session_runner(config: pytest.Config) -> SuiteRunner:
    """The test session's one runner (created on first use, closed and cleaned up at the end)."""
    if _RUNNER not in config.stash:
        workdir = Path(tempfile.mkdtemp(prefix="gatecheck-suite-runs-"))
        config.stash[_RUNNER] = SuiteRunner(workdir)
        config.add_cleanup(lambda: shutil.rmtree(workdir, ignore_errors=True))
        config.add_cleanup(config.stash[_RUNNER].close)
    return config.stash[_RUNNER]
