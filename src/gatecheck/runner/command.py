"""The pytest command line and environment for the run's one pytest session.

Every selected suite runs in that one session (start-up and the built-in mock paid once); the
events plugin tells the suites apart by folder (``--gatecheck-suites``).

Plugin autoloading is switched off and the plugins gatecheck needs are named with ``-p``, so a
run gives the same results whatever else is installed (pytest-randomly reordering tests, a
timeout plugin killing slow streams...).  xdist workers inherit both the environment and the
``-p`` list.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from gatecheck.limits import ENV as LIMITS_ENV
from gatecheck.limits import Limits
from gatecheck.runner.plan import RunPlan, Selection, Suite

__all__ = ["PLUGINS", "Selection", "child_env", "plugin_args", "pytest_argv"]

#: Plugins each suite process loads; optional ones are skipped when not installed.
PLUGINS: tuple[tuple[str, bool], ...] = (
    ("gatecheck.plugin", True),
    ("gatecheck.runner.events", True),
    ("xdist.plugin", False),
    ("allure_pytest.plugin", False),
    ("schemathesis.pytest.plugin", False),
    ("_hypothesis_pytestplugin", False),
)
# record_property is how suites report metrics; xunit2 JUnit (valid against junit-10.xsd) drops
# per-test properties and pytest warns about it, which suites running with warnings-as-errors
# would turn into failures.  The metrics reach results.json through the event plugin instead.
_JUNIT_WARNING = "ignore:record_property is incompatible:pytest.PytestWarning"


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def plugin_args() -> list[str]:
    args = []
    for module, required in PLUGINS:
        if required or _installed(module):
            args += ["-p", module]
    return args


def _target_args(plan: RunPlan) -> list[str]:
    options, args = plan.options, []
    if options.target:
        args += ["--gateway-url", options.target]
    if plan.profile_arg:
        args += ["--profile", plan.profile_arg]
    if options.api_key_env:
        args += ["--api-key-env", options.api_key_env]
    if options.management_key_env:
        args += ["--management-key-env", options.management_key_env]
    args += [w for m in options.models for w in ("--model", m)]
    args += [w for h in options.headers for w in ("--header", h)]
    args += [w for b in options.body_fields for w in ("--body-field", b)]
    if options.embedding_dimensions:
        args += ["--embedding-dimensions", str(options.embedding_dimensions)]
    if plan.config.source:
        args += ["--gatecheck-config", str(Path(plan.config.source).resolve())]
    for fault in plan.faults:
        args += ["--mock-fault", fault]
    if options.mock_rate_limit_every:
        args += ["--mock-rate-limit-every", str(options.mock_rate_limit_every)]
        args += ["--mock-retry-after-form", options.mock_retry_after_form or "seconds"]
    if plan.spec_arg:
        args += ["--spec", plan.spec_arg]
    if options.operations:
        args += ["--operations", options.operations]
    if options.strict:
        args.append("--strict-spec")
    return args


def _budget_args(plan: RunPlan) -> list[str]:
    args = ["--gatecheck-seed", str(plan.seed)]
    if _installed("_hypothesis_pytestplugin"):
        args += [f"--hypothesis-seed={plan.seed}"]
    for flag, value in (
        ("--max-requests", plan.max_requests),
        ("--max-tokens", plan.max_tokens),
        ("--request-timeout", plan.timeout),
        ("--examples", plan.examples),
    ):
        if value is not None:
            args += [flag, str(value)]
    if plan.allow_writes:
        args.append("--allow-writes")
    return args


def _selection_args(selection: Selection) -> list[str]:
    args = ["-k", selection.keyword] if selection.keyword else []
    return args + (["-x"] if selection.exitfirst else [])


def _paths(plan: RunPlan, suites: list[Suite]) -> list[str]:
    folders = [str(suite.path) for suite in suites]
    if not plan.selection.nodeids:
        return folders
    return [n for n in plan.selection.nodeids if any(n.startswith(f + os.sep) for f in folders)]


def pytest_argv(
    plan: RunPlan,
    suites: list[Suite],
    *,
    events: Path,
    junit: Path,
    allure_dir: Path,
    budget: Path | None = None,
) -> list[str]:
    """``python -m pytest SUITE... ...`` with the plugin options, reports, shard and selection."""
    argv = [sys.executable, "-m", "pytest", *_paths(plan, suites), *plugin_args(), "-p", "no:cacheprovider"]
    # importlib: two suites may each hold a test_basic.py without clashing in one session
    argv += ["--gatecheck-events", str(events), "--continue-on-collection-errors", "--import-mode=importlib"]
    if budget is not None:  # the run's one budget, shared by every suite and worker
        argv += ["--gatecheck-budget", str(budget)]
    for suite in suites:
        argv += ["--gatecheck-suites", str(suite.path)]
    argv += ["--junitxml", str(junit), "-o", "junit_family=xunit2", "-o", "junit_suite_name=gatecheck"]
    argv += ["-W", _JUNIT_WARNING, "-ra", "--color=no"]
    if _installed("allure_pytest"):
        argv += ["--alluredir", str(allure_dir)]
    if plan.shard:
        argv += ["--gatecheck-shard", str(plan.shard)]
    if plan.workers:
        argv += ["-n", plan.workers]
    return argv + _selection_args(plan.selection) + _target_args(plan) + _budget_args(plan)


def child_env(limits: Limits | None = None, *, tmp: Path | None = None) -> dict[str, str]:
    """The environment for a suite process: ours, minus an outer pytest's, with autoload off.

    ``tmp`` becomes the process's TMPDIR: the mock's sqlite files, budget and rate-limit folders
    then live in the run's private work folder, removed with it even when a signal killed the
    process before it could clean up.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_XDIST_", "PYTEST_CURRENT_TEST"))}
    if tmp is not None:
        tmp.mkdir(parents=True, exist_ok=True)
        env["TMPDIR"] = str(tmp)
    if limits is not None:
        env[LIMITS_ENV] = limits.to_env()
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env
