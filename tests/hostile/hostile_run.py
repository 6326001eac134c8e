"""Running ``gatecheck run`` against a hostile server and judging what it left behind."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from hostile_measure import Measured, measure

import gatecheck

GATECHECK = str(Path(sys.executable).with_name("gatecheck"))
KEY_ENV = "HOSTILE_GATEWAY_KEY"
#: A generous ceiling to catch a hang, not a performance threshold.
WALL_CEILING_S = 300.0
#: Peak RSS of any one process of the run.
RSS_CEILING_MB = 500.0
#: Worker processes of a run that names none.  Against a URL gatecheck defaults to 8, and each
#: worker's start-up costs about 1.5 CPU-seconds: 15 CPU-s for an errors-suite run where two
#: workers take 6.  Two still exercise everything shared between workers (budget, breaker,
#: rate-limit pause); eight in flight are tested on purpose in tests/cli/test_run_concurrency.py.
WORKERS = ("--concurrency", "2")


@dataclass
class Run:
    measured: Measured
    report_root: Path

    @property
    def results(self) -> dict[str, Any]:
        return json.loads((self.report_root / "latest" / "results.json").read_text())


def run_gatecheck(
    tmp_path: Path, url: str, *args: str, key: str = "sk-hostile-0000-aaaa", env: dict[str, str] | None = None
) -> Run:
    """One measured run; its temp folder is ``tmp_path/tmp``, so a test can scan what it left there."""
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    env = {**os.environ, KEY_ENV: key, "TMPDIR": str(temp), **(env or {})}
    root = tmp_path / "reports"
    argv = [GATECHECK, "run", "--target", url, "--api-key-env", KEY_ENV, "--report-dir", str(root), *args]
    if not {"-n", "--concurrency"} & set(args):
        argv += WORKERS
    return Run(measure(argv, env=env, cwd=tmp_path, timeout=WALL_CEILING_S + 60), root)


def assert_complete_report(run: Run) -> dict[str, Any]:
    """A finished run left a complete, valid report that says how it ended."""
    latest = run.report_root / "latest"
    assert latest.is_dir(), "reports/latest was not moved to the run"
    results = run.results
    schema = json.loads((Path(gatecheck.__file__).parent / "reports" / "results.schema.json").read_text())
    jsonschema.validate(results, schema)
    assert results["run"]["status"] in ("complete", "error"), results["run"]
    assert results["run"]["exit_code"] == run.measured.exit_code
    for name in ("summary.md", "report.html", "junit.xml"):
        assert (latest / name).is_file(), name
    assert "Traceback" not in run.measured.stderr, run.measured.stderr[-2000:]
    assert "gatecheck:" in run.measured.stdout
    return results


def assert_bounded(run: Run) -> None:
    assert run.measured.wall_s < WALL_CEILING_S, run.measured
    assert run.measured.peak_rss_mb < RSS_CEILING_MB, run.measured
