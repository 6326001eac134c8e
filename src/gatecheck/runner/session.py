"""``gatecheck run`` from start to finish: plan, probe, one pytest session, reports, verdict.

Every suite runs in one pytest process (one start-up, one built-in mock); the process is a child,
so a crash or ``pytest.exit`` inside it still leaves this process to write the reports.  The run
folder is created first and results.json is rewritten (atomically) after every suite,
so whatever stops the run (a harness error, Ctrl-C, a crashed suite, even a killed parent) leaves
reports that say what happened and how far it got.  Exit codes: 0 conformant or only baselined
failures, 1 conformance failures, 2 harness or usage error.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from gatecheck.budget import Budget
from gatecheck.config import Config, load_config
from gatecheck.errors import GatecheckError, ReportWriteError, RunTimeExceeded, UsageError
from gatecheck.limits import TargetNotAnswering
from gatecheck.redact import Redactor, default_redactor, url_secrets
from gatecheck.reports import outcomes
from gatecheck.reports.baseline import apply_baseline
from gatecheck.reports.history import append_history, history_entry
from gatecheck.reports.markdown import verdict_line
from gatecheck.reports.results import RESULTS_FILE, finalize, write_results
from gatecheck.reports.writer import update_latest, write_reports
from gatecheck.runner import assemble
from gatecheck.runner.driver import run_sessions
from gatecheck.runner.failure_list import failure_listing
from gatecheck.runner.interrupts import EXIT_INTERRUPTED, Interruptions
from gatecheck.runner.plan import RunOptions, RunPlan, build_plan, report_root
from gatecheck.runner.probe import probe
from gatecheck.runner.progress import Progress, summary_table
from gatecheck.runner.records import SuiteRecorder
from gatecheck.runner.workdir import WorkDir

__all__ = ["EXIT_ERROR", "EXIT_FAILURES", "EXIT_INTERRUPTED", "EXIT_OK", "execute"]

EXIT_OK, EXIT_FAILURES, EXIT_ERROR = 0, 1, 2


@dataclass
class _Run:
    """The mutable state of one run; ``results`` is what gets written.

    ``work`` is a private temporary folder outside the report folder: event files, pytest's raw
    JUnit and allure-pytest's results live there (masked as written, see
    :mod:`gatecheck.plugin.redaction`); a killed run's folder is swept by the next run
    (:mod:`gatecheck.runner.workdir`).
    """

    run_dir: Path
    results: dict[str, Any]
    redactor: Redactor
    workdir: WorkDir = field(default_factory=WorkDir.create)
    plan: RunPlan | None = None
    budget: Budget | None = None
    deadline: float | None = None  # time.monotonic() at which --max-duration ends the run
    recorders: list[SuiteRecorder] = field(default_factory=list)
    junit_parts: dict[tuple[str, str], Path] = field(default_factory=dict)

    @property
    def work(self) -> Path:
        return self.workdir.path

    def assemble_tests(self) -> None:
        tests = [record for recorder in self.recorders for record in recorder.records()]
        baseline = self.plan.baseline if self.plan else None
        stale = apply_baseline(tests, baseline)
        self.results["tests"] = tests
        for suite in self.results["suites"]:
            # a baselined failure does not fail its suite; a process-level error (with a reason) stays
            judged = suite["status"] in ("passed", "failed", "not-applicable")
            if judged or (suite["status"] == "error" and not suite["error"]):
                suite["status"] = assemble.suite_verdict([t for t in tests if t["suite"] == suite["name"]])
        if baseline is not None:
            self.results["baseline"] = {
                "path": baseline.path,
                "entries": len(baseline.entries),
                "stale": stale,
            }

    def checkpoint(self, *, final: bool = False) -> dict[str, Any]:
        self.assemble_tests()
        return write_reports(
            self.run_dir, self.results, self.redactor, junit_parts=self.junit_parts, final=final
        )


def stop_early(run: _Run) -> None:
    """End the run now if the target stopped answering or --max-duration passed."""
    if run.budget is not None and (tripped := run.budget.tripped):
        raise TargetNotAnswering(f"{tripped}; the run stopped early (raise --timeout for a slow gateway)")
    if run.deadline is not None and time.monotonic() >= run.deadline:
        assert run.plan is not None
        raise RunTimeExceeded(
            f"the run reached --max-duration {run.plan.max_duration:g} s; suites not finished are not run"
        )


def _prepare(run: _Run, options: RunOptions, config: Config) -> RunPlan:
    plan = run.plan = build_plan(options, config)
    for name in plan.secret_env:
        run.redactor.add(os.environ.get(name))
    for secret in (plan.target.api_key, plan.target.management_key, *plan.target.secrets):
        run.redactor.add(secret)
    for secret in url_secrets(plan.target.url):
        run.redactor.add(secret)
    target = assemble.target_entry(plan)
    run.results["targets"] = [target]
    run.results["specs"] = assemble.spec_versions(plan)
    run.results["suites"] = [assemble.suite_entry(s.name, target["id"]) for s in plan.suites]
    run.budget = Budget(*plan.budget_limits, path=run.work / "budget.sqlite3")
    run.results["run"].update(
        limits=asdict(plan.limits),
        seed=plan.seed,
        shard={"index": plan.shard.index, "count": plan.shard.count} if plan.shard else None,
        suites_requested=[s.name for s in plan.suites],
        workers=plan.workers,  # what --concurrency or -n came to
    )
    return plan


def _verdict(run: _Run) -> int:
    suites = run.results["suites"]
    # A suite in error *with a reason* broke as a process (crash, collection, nothing collected);
    # one without erred only in some tests, which the exit-code rule below weighs.
    broken = [s for s in suites if s["status"] in ("error", "empty") and s["error"]]
    if broken:
        kind = "empty-suite" if all(s["status"] == "empty" for s in broken) else "suite-error"
        message = "; ".join(f"suite {s['name']}: {s['error']}" for s in broken)
        run.results["run"]["error"] = {"kind": kind, "message": message}
        return EXIT_ERROR
    tests = run.results["tests"]
    code = outcomes.exit_code(t["outcome"] for t in tests)
    if code == EXIT_ERROR:
        errors = [t for t in tests if t["outcome"] == outcomes.HARNESS_ERROR]
        first = (errors[0].get("failure") or {}).get("title") or errors[0]["id"]
        message = f"{len(errors)} test(s) could not be judged; first: {errors[0]['id']}: {first}"
        run.results["run"]["error"] = {"kind": "harness", "message": message}
    return code


def _settle_unfinished(run: _Run, status: str) -> None:
    """A suite still ``running`` when the run ends did not finish: say so, never leave it running."""
    for suite in run.results["suites"]:
        if suite["status"] == "running":
            suite.update(status="error", error=f"the run ended ({status}) before this suite finished")


def _finish(run: _Run, started: float, exit_code: int, status: str) -> dict[str, Any]:
    _settle_unfinished(run, status)
    meta = run.results["run"]
    meta.update(
        status=status,
        exit_code=exit_code,
        verdict={EXIT_OK: "pass", EXIT_FAILURES: "fail"}.get(exit_code, "error"),
        finished=assemble.timestamp(datetime.now(UTC)),
        duration_s=round(time.monotonic() - started, 3),
    )
    if run.budget is not None:
        spent = run.budget.spent()
        meta["budget"] = {
            "max_requests": spent.max_requests,
            "max_tokens": spent.max_tokens,
            "requests": spent.requests,
            "tokens": spent.tokens,
            "refused": spent.refused,
            "target_not_answering": spent.tripped,
        }
    if run.plan is not None and run.recorders:
        run.results["shapes"] = assemble.shapes_section(
            run.plan, [s for r in run.recorders for s in r.shapes]
        )
    root = run.run_dir.parent
    try:
        clean = run.checkpoint(final=True)
        update_latest(root, run.run_dir)
        append_history(root, history_entry(clean, run.run_dir.name))
    except ReportWriteError as exc:
        _record_write_failure(run, exc)
        raise
    finally:  # even when a report cannot be written (disk full), the work folder goes
        run.workdir.remove()
    return clean


def _record_write_failure(run: _Run, exc: ReportWriteError) -> None:
    """The run ends in error (exit 2); results.json says so if the disk still takes that much.

    ``latest`` moves only once results.json is final: it must never point at a run that says
    ``running``.
    """
    message = run.redactor.text(str(exc))
    run.results["run"].update(
        status="error",
        exit_code=EXIT_ERROR,
        verdict="error",
        error={"kind": "report-write", "message": message},
    )
    clean = run.redactor.data(finalize(run.results))
    try:
        try:
            write_results(run.run_dir, clean)
        except ReportWriteError:
            if not (run.run_dir / RESULTS_FILE).is_file():
                raise
            write_results(run.run_dir, clean, in_place=True)  # the disk takes no new file
        update_latest(run.run_dir.parent, run.run_dir)
    except ReportWriteError:
        pass  # nothing more can be written; the one line on stderr is the record


def _load(options: RunOptions) -> tuple[Config | None, GatecheckError | None]:
    try:
        return load_config(options.config), None
    except GatecheckError as exc:
        return None, exc


def execute(
    options: RunOptions,
    *,
    out: TextIO,
    err: TextIO,
    interactive: bool | None = None,
    interruptions: Interruptions | None = None,
) -> int:
    """Run the suites as ``options`` say, write the reports, print the summary; return the exit code.

    SIGINT and SIGTERM stop the run as *interrupted* (``KeyboardInterrupt`` leaves this function
    once the reports say so).  ``interruptions`` is the caller's policy when it installed one (the
    CLI, which ignores both signals once the exit code is decided); otherwise one is installed
    for the call and the previous handlers are put back at its end.
    """
    policy = interruptions or Interruptions()
    installed = interruptions is None and policy.install()
    try:
        return _execute(options, out=out, err=err, interactive=interactive, interruptions=policy)
    finally:
        if installed:
            policy.restore()


def _execute(
    options: RunOptions, *, out: TextIO, err: TextIO, interactive: bool | None, interruptions: Interruptions
) -> int:
    started, started_at = time.monotonic(), datetime.now(UTC)
    config, config_error = _load(options)
    run_id = assemble.new_run_id(started_at)
    run_dir = report_root(options, config) / run_id
    try:
        run_dir.mkdir(parents=True)
    except OSError as exc:
        raise UsageError(
            f"cannot create the report folder {run_dir}: {exc.strerror}; pick another --report-dir"
        ) from None
    run = _Run(run_dir, assemble.new_results(run_id, started_at, options), Redactor(default_redactor.secrets))
    exit_code, status = EXIT_ERROR, "error"
    try:
        for name in (options.api_key_env, options.management_key_env):
            run.redactor.add(os.environ.get(name or ""))
        for secret in url_secrets(options.target):  # before anything is written: the command line
            run.redactor.add(secret)
        progress = Progress(err, interactive=interactive)
        if config_error or config is None:
            raise config_error or GatecheckError("config could not be loaded")
        plan = _prepare(run, options, config)
        if plan.max_duration is not None:
            run.deadline = started + plan.max_duration
        run.checkpoint()
        if not plan.target.is_mock:
            assert plan.target.url is not None
            probe(plan.target.url, plan.timeout, budget=run.budget)
        try:
            run_sessions(run, progress)
        finally:
            progress.close()
        stop_early(run)
        run.assemble_tests()
        exit_code, status = _verdict(run), "complete"
        interruptions.hold()
    except GatecheckError as exc:
        interruptions.hold()
        run.results["run"]["error"] = {
            "kind": assemble.error_kind(exc),
            "message": run.redactor.text(str(exc)),
        }
    except OSError as exc:  # the disk filled up under a log or an event file, a folder vanished...
        interruptions.hold()
        where = f"{exc.filename}: " if exc.filename else ""
        run.results["run"]["error"] = {
            "kind": "io",
            "message": run.redactor.text(f"{where}{exc.strerror or type(exc).__name__}"),
        }
    except KeyboardInterrupt:
        interruptions.hold()
        run.results["run"]["error"] = {
            "kind": "interrupted",
            "message": "the run was interrupted before it finished",
        }
        _finish(run, started, EXIT_INTERRUPTED, "interrupted")
        raise
    clean = _finish(run, started, exit_code, status)
    if clean["suites"]:
        out.write(summary_table(clean) + "\n\n")
    if listing := failure_listing(clean):
        out.write(listing + "\n\n")
    if clean["run"]["error"]:
        err.write(f"gatecheck: error: {clean['run']['error']['message']}\n")
    out.write(f"gatecheck: {verdict_line(clean)}\nreports: {run_dir}\n")
    out.flush()
    return exit_code
