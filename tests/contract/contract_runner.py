"""Run the contract suite the way users do: ``python -m pytest suites/contract ...`` in a subprocess.

A separate process, not pytester's in-process run: the suite starts a mock server and
registers checks with schemathesis, and a fresh process is the only way to be sure that a second
run does not inherit the first one's state (forked from the session's fork servers, which have
run nothing, or a new interpreter: ``suite_runs.run_pytest``).  Results are read from JUnit XML, where
each item carries its operation, the seed and the stable key of every failure.
"""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from fork_server import ForkServers
from suite_runs import FOREIGN_PLUGINS, run_pytest

REPO = Path(__file__).resolve().parents[2]
SUITE = REPO / "suites" / "contract"


@dataclass
class SuiteRun:
    """What one run of the contract suite did."""

    returncode: int
    output: str
    seconds: float
    outcomes: dict[str, str] = field(default_factory=dict)  # item name -> passed/failed/skipped/error
    failures: dict[str, set[str]] = field(default_factory=dict)  # item name -> failure keys
    junit: str = ""

    @property
    def failure_keys(self) -> set[str]:
        return {key for keys in self.failures.values() for key in keys}

    def describe(self) -> str:
        """Enough of the run to understand a failed assertion about it."""
        head = f"exit {self.returncode} after {self.seconds:.1f} s; outcomes {self.outcomes}"
        return f"{head}\n{self.output[-6000:]}"


def _parse(junit: Path, run: SuiteRun) -> None:
    if not junit.exists():
        return
    run.junit = junit.read_text(encoding="utf-8")
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        kinds = {child.tag for child in case}
        outcome = next((k for k in ("error", "failure", "skipped") if k in kinds), "passed")
        run.outcomes[name] = {"failure": "failed"}.get(outcome, outcome)
        keys = {p.get("value", "") for p in case.iter("property") if p.get("name") == "gatecheck.failure"}
        if keys:
            run.failures[name] = keys


def contract_runner(tmp_path: Path, servers: ForkServers | None) -> Callable[..., SuiteRun]:
    """``run("--profile", "requesty", "--mock-fault", "...")``: one run of the suite per call."""
    counter = iter(range(1000))

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 240) -> SuiteRun:
        junit = tmp_path / f"junit-{next(counter)}.xml"
        command = [
            str(SUITE),
            *FOREIGN_PLUGINS,
            "-p",
            "no:cacheprovider",
            "-q",
            "--junitxml",
            str(junit),
            *args,
        ]
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("GATECHECK_", "PYTEST_"))}
        environment.update(env or {})
        started = time.perf_counter()
        code, output = run_pytest(command, cwd=REPO, env=environment, timeout=timeout, servers=servers)
        result = SuiteRun(code, output, time.perf_counter() - started)
        _parse(junit, result)
        return result

    return run


def run_many(run: Callable[..., SuiteRun], runs: Sequence[Sequence[str]], workers: int = 2) -> list[SuiteRun]:
    """Several independent runs, two at a time: each is a subprocess with its own mock, so they
    cannot interfere, and on two cores this nearly halves the wall time."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda args: run(*args), runs))
