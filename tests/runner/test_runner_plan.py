"""A run's plan: command line over config over defaults, and every contradiction refused early."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatecheck.config import load_config
from gatecheck.errors import MissingSecretError, UnknownNameError, UsageError
from gatecheck.runner import plan as plan_module
from gatecheck.runner.plan import (
    CPU_BOUND_SUITES,
    MOCK_CONCURRENCY,
    RunOptions,
    available_suites,
    build_plan,
    report_root,
)


@pytest.fixture(autouse=True)
def suites_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("b-suite", "a-suite", "_private", ".hidden", "__pycache__"):
        (tmp_path / "suites" / name).mkdir(parents=True)
    monkeypatch.setenv("GATECHECK_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_suites_are_the_visible_folders_in_name_order() -> None:
    assert [s.name for s in available_suites()] == ["a-suite", "b-suite"]


def test_defaults_come_from_the_config_and_flags_win(tmp_path: Path) -> None:
    (tmp_path / "gatecheck.toml").write_text(
        '[defaults]\nseed = 5\nsuites = ["b-suite"]\nreport_dir = "out"\nexamples = 3\nallow_writes = true\n'
    )
    config = load_config()
    plan = build_plan(RunOptions(examples=9), config)
    assert (plan.seed, [s.name for s in plan.suites], plan.examples, plan.allow_writes) == (
        5,
        ["b-suite"],
        9,
        True,
    )
    assert report_root(RunOptions(), config) == Path("out")
    assert report_root(RunOptions(report_dir="elsewhere"), config) == Path("elsewhere")


def test_the_mock_flavor_picks_the_profile_and_a_seed_is_always_chosen() -> None:
    plan = build_plan(RunOptions(mock_flavor="openrouter", mock_faults=["wrong-cost"]), load_config())
    assert plan.target.is_mock and plan.target.profile.name == "openrouter"
    assert plan.faults == ["wrong-cost"] and isinstance(plan.seed, int)


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        (RunOptions(suites=["nope"]), UnknownNameError, "unknown suite 'nope'; known: a-suite, b-suite"),
        (RunOptions(mock_faults=["nope"]), UnknownNameError, "unknown fault mode 'nope'"),
        (RunOptions(mock_flavor="nope"), UnknownNameError, "unknown mock flavor 'nope'"),
        (
            RunOptions(profile="openrouter", mock_flavor="requesty"),
            UsageError,
            "contradicts --profile openrouter",
        ),
        (
            RunOptions(target="https://gw.test/v1", api_key_env="SET_KEY", mock_faults=["wrong-cost"]),
            UsageError,
            "--mock-fault only apply",
        ),
        (
            RunOptions(target="https://gw.test/v1", api_key_env="UNSET_KEY"),
            MissingSecretError,
            "UNSET_KEY is not set",
        ),
        (RunOptions(workers="0"), UsageError, "-n must be 'auto' or a positive number"),
        (RunOptions(shard="2/1"), UsageError, "between 1 and N"),
    ],
)
def test_contradictions_are_usage_errors(
    options: RunOptions, error: type[Exception], match: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SET_KEY", "sk-test-0123456789")
    monkeypatch.delenv("UNSET_KEY", raising=False)
    with pytest.raises(error, match=match):
        build_plan(options, load_config())


def test_secret_variables_include_the_configs_targets(tmp_path: Path) -> None:
    (tmp_path / "gatecheck.toml").write_text(
        '[targets.prod]\nurl = "https://gw.test/v1"\napi_key = "${PROD_KEY}"\n'
    )
    plan = build_plan(RunOptions(), load_config())
    assert {"PROD_KEY", "GATECHECK_API_KEY", "GATECHECK_MANAGEMENT_KEY"} <= set(plan.secret_env)


@pytest.mark.parametrize(
    ("options", "cores", "workers"),
    [
        (RunOptions(), 2, "2"),  # the built-in mock with the contract suite: one worker per core
        (RunOptions(), 8, "2"),  # ... at most MOCK_CONCURRENCY
        (RunOptions(), 1, None),  # one core: no worker processes
        (RunOptions(suites=["contract"]), 2, "2"),
        (RunOptions(suites=["a-suite", "b-suite"]), 8, None),  # not CPU-bound: start-up would not pay
        (RunOptions(concurrency=3), 1, "3"),  # given: taken as given
        (RunOptions(target="https://gw.test/v1", api_key_env="SET_KEY", suites=["a-suite"]), 1, "8"),
    ],
)
def test_the_default_concurrency_follows_the_target_the_suites_and_the_cores(
    options: RunOptions, cores: int, workers: str | None, suites_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (suites_home / "suites" / "contract").mkdir()
    monkeypatch.setenv("SET_KEY", "sk-test-0123456789")
    monkeypatch.setattr(plan_module, "_cores", lambda: cores)
    assert build_plan(options, load_config()).workers == workers
    assert MOCK_CONCURRENCY == 2 and "contract" in CPU_BOUND_SUITES
