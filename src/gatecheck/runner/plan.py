"""What a ``gatecheck run`` will do, decided and validated before any process starts.

Command line beats ``gatecheck.toml`` defaults beats built-in defaults.  Every inconsistency
(a fault mode for a real gateway, a flavor that contradicts the profile, an unknown suite) is a
:class:`~gatecheck.errors.UsageError` here, so no suite process ever starts on a bad plan.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from gatecheck._paths import project_dir
from gatecheck.budget import REAL_TARGET_DEFAULT_REQUESTS, REAL_TARGET_DEFAULT_TOKENS
from gatecheck.config import Config
from gatecheck.errors import UnknownNameError, UsageError
from gatecheck.limits import Limits, parse_limits
from gatecheck.mock.faults import validate_faults
from gatecheck.mock.settings import Flavor
from gatecheck.reports.baseline import Baseline, load_baseline
from gatecheck.runner.ids import Shard, parse_shard
from gatecheck.runner.last_failed import last_failed
from gatecheck.runner.spec_check import check_spec, spec_of_target
from gatecheck.target import DEFAULT_API_KEY_ENV, DEFAULT_MANAGEMENT_KEY_ENV, Target, resolve_target
from gatecheck.target_settings import parse_flags

__all__ = [
    "CPU_BOUND_SUITES",
    "MOCK_CONCURRENCY",
    "MOCK_FLAVORS",
    "RunOptions",
    "RunPlan",
    "Selection",
    "Suite",
    "available_suites",
    "build_plan",
    "report_root",
]

MOCK_FLAVORS: tuple[str, ...] = get_args(Flavor)
DEFAULT_REPORT_DIR = "reports"


@dataclass
class RunOptions:
    """The run command's flags as given (None: not given, so config or default applies)."""

    target: str | None = None
    profile: str | None = None
    api_key_env: str | None = None
    management_key_env: str | None = None
    suites: list[str] | None = None
    workers: str | None = None
    concurrency: int | None = None
    report_dir: str | None = None
    baseline: str | None = None
    seed: int | None = None
    max_requests: int | None = None
    max_tokens: int | None = None
    allow_writes: bool | None = None
    mock_flavor: str | None = None
    mock_faults: list[str] = field(default_factory=list)
    mock_rate_limit_every: int | None = None  # every Nth inference request answered 429 first
    mock_retry_after_form: str | None = None  # seconds | date: how those 429s give Retry-After
    shard: str | None = None
    examples: int | None = None
    config: str | None = None
    timeout: float | None = None
    max_duration: float | None = None
    limits: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)  # ROLE=NAME, as given
    headers: list[str] = field(default_factory=list)  # 'Name: value', as given
    body_fields: list[str] = field(default_factory=list)  # NAME=JSON, as given
    embedding_dimensions: int | None = None
    spec: str | None = None  # --spec FILE|DIR|NAME
    operations: str | None = None  # --operations A,B
    strict: bool | None = None  # --strict: refuse a spec with any problem
    keyword: str | None = None
    exitfirst: bool = False
    last_failed: bool = False
    command: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Suite:
    """A folder of pytest tests under ``suites/``."""

    name: str
    path: Path


@dataclass(frozen=True)
class Selection:
    """Which tests of the suites run, as pytest selects them: ``-k``, ``-x``, and ``--lf`` node ids."""

    keyword: str | None = None
    exitfirst: bool = False
    nodeids: tuple[str, ...] = ()

    @property
    def narrowed(self) -> bool:
        """Whether some suites may select none of their tests (then they are left out of reports)."""
        return bool(self.keyword or self.nodeids)


@dataclass
class RunPlan:
    """A validated run: everything the suite processes and the reports need."""

    options: RunOptions
    config: Config
    target: Target
    suites: list[Suite]
    seed: int
    shard: Shard | None = None
    baseline: Baseline | None = None
    workers: str | None = None
    examples: int | None = None
    timeout: float | None = None
    max_requests: int | None = None
    max_tokens: int | None = None
    allow_writes: bool = False
    faults: list[str] = field(default_factory=list)
    profile_arg: str | None = None
    limits: Limits = field(default_factory=Limits)
    max_duration: float | None = None

    @property
    def budget_limits(self) -> tuple[int | None, int | None]:
        """The run's request and token budgets: unlimited for the mock unless given, else defaults."""
        if self.target.is_mock:
            return self.max_requests, self.max_tokens
        return (
            self.max_requests or REAL_TARGET_DEFAULT_REQUESTS,
            self.max_tokens or REAL_TARGET_DEFAULT_TOKENS,
        )

    spec_arg: str | None = None  # the spec the suites test, when not the profile's
    selection: Selection = field(default_factory=Selection)

    @property
    def secret_env(self) -> list[str]:
        """Environment variables whose values must never appear in a report."""
        names = [
            self.options.api_key_env,
            self.options.management_key_env,
            DEFAULT_API_KEY_ENV,
            DEFAULT_MANAGEMENT_KEY_ENV,
        ]
        for entry in self.config.targets.values():
            names += [entry.api_key_env, entry.management_key_env]
        return sorted({n for n in names if n})


def available_suites(root: Path | None = None) -> list[Suite]:
    """Every suite folder (not hidden, not ``_private``, not ``__pycache__``), sorted by name."""
    root = root or project_dir("suites")
    return [
        Suite(p.name, p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))
    ]


def _pick_suites(requested: list[str] | None) -> list[Suite]:
    known = available_suites()
    if not requested:
        if not known:
            raise UsageError(f"no suites found under {project_dir('suites')}; nothing to run")
        return known
    by_name = {s.name: s for s in known}
    chosen = []
    for name in requested:
        if name not in by_name:
            raise UnknownNameError("suite", name, list(by_name))
        if by_name[name] not in chosen:
            chosen.append(by_name[name])
    return chosen


#: Tests in flight against a real gateway, which answers in hundreds of milliseconds.
DEFAULT_CONCURRENCY = 8
#: Workers against the built-in mock for a run with a CPU-bound suite: one per core, at most
#: this many.  The mock answers in about a millisecond, so such a run is bound by CPU.
MOCK_CONCURRENCY = 2
#: Suites whose requests Hypothesis generates (schemathesis): against the mock they are bound by
#: CPU, and a second worker pays for its start-up (about 1.5 CPU s).  The other suites mostly
#: wait on short pauses and answers.  Measured on 2 cores (bench/RESULTS.md): the contract suite
#: 9.4 s with 1 worker and 7.4 s with 2, the main job 14 to 17 s and 11 s; every other suite
#: together 6.2 and 6.4 s, two or three of them 2.3 to 3.1 s and 3.1 to 4.2 s.
CPU_BOUND_SUITES = frozenset({"contract"})


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def default_concurrency(target: Target, suites: list[Suite]) -> int:
    """``--concurrency`` when none is given: 8 for a real gateway; for the built-in mock, one
    worker per core up to :data:`MOCK_CONCURRENCY` when a CPU-bound suite runs, else 1."""
    if not target.is_mock:
        return DEFAULT_CONCURRENCY
    return min(MOCK_CONCURRENCY, _cores()) if CPU_BOUND_SUITES & {s.name for s in suites} else 1


def _workers(value: str | None, concurrency: int | None, target: Target, suites: list[Suite]) -> str | None:
    """pytest-xdist's ``-n`` for the session: ``--concurrency`` (or its default), or ``-n`` as given."""
    if value is not None and concurrency is not None:
        raise UsageError("give --concurrency or -n, not both (they set the same thing)")
    if value is None:
        chosen = concurrency if concurrency is not None else default_concurrency(target, suites)
        if chosen < 1:
            raise UsageError(f"--concurrency must be at least 1, not {chosen}")
        return str(chosen) if chosen > 1 else None
    if value == "auto":
        return value
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"-n must be 'auto' or a positive number of worker processes, not {value!r}")
    return value


def _default(options: RunOptions, config: Config, name: str, fallback: Any = None) -> Any:
    value = getattr(options, name)
    return value if value is not None else config.defaults.get(name, fallback)


def _profile(options: RunOptions, config: Config) -> str | None:
    flavor = options.mock_flavor
    if flavor is not None and flavor not in MOCK_FLAVORS:
        raise UnknownNameError("mock flavor", flavor, list(MOCK_FLAVORS))
    return options.profile or flavor


def _mock_flags(options: RunOptions) -> list[tuple[str, object]]:
    """The flags that only the built-in mock can obey, with their values (falsy: not given)."""
    return [
        ("--mock-flavor", options.mock_flavor),
        ("--mock-fault", options.mock_faults),
        ("--mock-rate-limit-every", options.mock_rate_limit_every),
        ("--mock-retry-after-form", options.mock_retry_after_form),
    ]


def _check_mock_flags(options: RunOptions, target: Target) -> None:
    if options.mock_retry_after_form and not options.mock_rate_limit_every:
        raise UsageError(
            "--mock-retry-after-form only shapes the 429s of --mock-rate-limit-every N; give both or neither"
        )
    if options.mock_rate_limit_every is not None and options.mock_rate_limit_every < 1:
        raise UsageError(f"--mock-rate-limit-every must be at least 1, not {options.mock_rate_limit_every}")
    if target.is_mock:
        flavor = options.mock_flavor
        if flavor and target.profile.mock_flavor != flavor:
            raise UsageError(
                f"--mock-flavor {flavor} contradicts --profile {target.profile.name} "
                f"(whose mock flavor is {target.profile.mock_flavor}); give one or the other"
            )
        return
    given = [flag for flag, value in _mock_flags(options) if value]
    if given:
        raise UsageError(
            f"{' and '.join(given)} only apply to the built-in mock, but the target is {target.url}"
        )


def build_plan(options: RunOptions, config: Config) -> RunPlan:
    """Resolve and check everything; raises UsageError (or a subclass) naming the problem."""
    profile = _profile(options, config)
    target = resolve_target(
        url=options.target,
        profile=profile,
        api_key_env=options.api_key_env,
        management_key_env=options.management_key_env,
        config=config,
        timeout=_default(options, config, "timeout"),
        settings=parse_flags(
            options.models, options.headers, options.body_fields, options.embedding_dimensions
        ),
    )
    _check_mock_flags(options, target)
    config_spec, config_profile = spec_of_target(options.target, config)
    spec_arg, target = check_spec(
        options.spec or config_spec,
        options.operations,
        bool(options.strict),
        target,
        profile_given=bool(profile or config_profile or config.defaults.get("profile")),
    )
    faults = sorted(validate_faults(options.mock_faults))
    seed = _default(options, config, "seed")
    suites = _pick_suites(options.suites or config.defaults.get("suites"))
    nodeids: tuple[str, ...] = ()
    if options.last_failed:
        suites, nodeids = last_failed(report_root(options, config), suites)
    return RunPlan(
        options=options,
        config=config,
        target=target,
        suites=suites,
        seed=int(seed) if seed is not None else secrets.randbelow(2**31),
        shard=parse_shard(options.shard) if options.shard else None,
        baseline=load_baseline(options.baseline) if options.baseline else None,
        workers=_workers(options.workers, _default(options, config, "concurrency"), target, suites),
        examples=_default(options, config, "examples"),
        timeout=_default(options, config, "timeout"),
        max_requests=_default(options, config, "max_requests"),
        max_tokens=_default(options, config, "max_tokens"),
        allow_writes=bool(_default(options, config, "allow_writes", False)),
        faults=faults,
        profile_arg=profile,
        limits=parse_limits(options.limits),
        max_duration=_default(options, config, "max_duration"),
        spec_arg=spec_arg,
        selection=Selection(options.keyword, options.exitfirst, nodeids),
    )


def report_root(options: RunOptions, config: Config | None) -> Path:
    """Where run folders go: --report-dir, else the config's report_dir, else ./reports."""
    chosen = (
        options.report_dir or (config.defaults.get("report_dir") if config else None) or DEFAULT_REPORT_DIR
    )
    return Path(os.path.expanduser(chosen))
