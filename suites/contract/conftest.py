"""The contract suite's setup: one item per operation of the target's spec, a seed, the checks.

Items are made here rather than by schemathesis, so that each operation is its own pytest
item (its own line in reports, its own xdist unit of work): ``pytest_generate_tests`` reads the
spec of the target's profile at collection time and parametrizes ``contract_operation``; the
schema fixture then loads that one operation with ``schemathesis.openapi.from_dict`` and the
test reaches it through ``schemathesis.pytest.from_fixture``, so base URL, keys and budget all
come from the plugin's ``gateway`` fixture.

The seed is printed in the header and the summary and recorded on every item; xdist workers
get the controller's.  ``--gatecheck-seed N`` replays a run; ``--examples N`` goes deeper;
``--contract-checks a,b,-c`` chooses checks from :mod:`gatecheck.checks.registry`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.schemas import BaseSchema

from gatecheck.checks.registry import all_checks
from gatecheck.checks.safety import ResourceTracker
from gatecheck.checks.schemathesis_checks import failure_keys
from gatecheck.checks.sse_events import wrap_chunk_schemas
from gatecheck.contract import compat
from gatecheck.contract.examples import add_inference_examples
from gatecheck.contract.operations import ContractOperation, iter_operations, single_operation_document
from gatecheck.contract.run import ContractRun, ContractTarget, delete_created, describe_failure
from gatecheck.contract.settings import (
    DEFAULT_EXAMPLES,
    DEFAULT_PHASES,
    REAL_TARGET_EXAMPLES,
    REAL_TARGET_PHASES,
    ContractSettings,
    bearer_schemes,
    new_seed,
)
from gatecheck.contract.stateful import (
    StatefulPart,
    linked_document,
    reset_mock,
    run_state_machine,
    run_with_engine,
    state_machine,
    stateful_parts,
)
from gatecheck.errors import GatecheckError
from gatecheck.plugin.fixtures import Gateway, target_for
from gatecheck.plugin.spec import target_spec
from gatecheck.profiles import Profile
from gatecheck.redact import default_redactor
from gatecheck.verdicts import not_run

compat.install()

_SEED = pytest.StashKey[int]()
_CHECKS = pytest.StashKey[tuple[str, ...]]()
_WORKER_SEED = "gatecheck_contract_seed"


def _seed(config: pytest.Config) -> int:
    """The option's seed; else the controller's (xdist); else a fresh one."""
    if config.getoption("gatecheck_seed") is not None:
        return int(config.getoption("gatecheck_seed"))
    workerinput: dict[str, Any] = getattr(config, "workerinput", {})
    if _WORKER_SEED in workerinput:
        return int(workerinput[_WORKER_SEED])
    if "testrunuid" in workerinput:  # the controller never loaded this conftest: agree on its run id
        return int.from_bytes(hashlib.sha256(workerinput["testrunuid"].encode()).digest()[:4], "big")
    return new_seed()


def _contract_seed(config: pytest.Config) -> int:
    if _SEED not in config.stash:
        config.stash[_SEED] = _seed(config)
    return config.stash[_SEED]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: every worker generates from the controller's seed."""
    node.workerinput[_WORKER_SEED] = _contract_seed(node.config)


def _checks(config: pytest.Config) -> tuple[str, ...]:
    if _CHECKS not in config.stash:
        registry = all_checks()
        try:
            names = registry.parse(config.getoption("contract_checks"))
        except GatecheckError as exc:
            raise pytest.UsageError(f"gatecheck: --contract-checks: {exc}") from None
        profile = target_for(config).profile
        config.stash[_CHECKS] = tuple(c.name for c in registry.select(names, profile=profile))
    return config.stash[_CHECKS]


def pytest_configure(config: pytest.Config) -> None:
    """A misspelt check name stops the run before anything is sent, naming the known checks."""
    if config.getoption("contract_checks"):
        _checks(config)


def pytest_report_header(config: pytest.Config) -> list[str]:
    seed = _contract_seed(config)
    return [
        f"gatecheck contract seed: {seed} (replay with --gatecheck-seed {seed})",
        f"gatecheck contract checks: {', '.join(_checks(config))}",
    ]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if config.stash.get(_SEED, None) is not None and not hasattr(config, "workerinput"):
        seed = config.stash[_SEED]
        terminalreporter.write_line(f"gatecheck contract seed: {seed} (replay with --gatecheck-seed {seed})")


def _examples(config: pytest.Config) -> int:
    """``--examples``, else as many as suit the target (a real one: fewer, they cost money)."""
    chosen: int | None = config.getoption("examples")
    return chosen or (DEFAULT_EXAMPLES if target_for(config).is_mock else REAL_TARGET_EXAMPLES)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One item per operation of the target's spec, in spec order; writes are marked as such.
    The stateful phase is one item per part (``gatecheck.contract.stateful.stateful_parts``)."""
    if "stateful_part" in metafunc.fixturenames:
        _contract_seed(metafunc.config)
        parts = stateful_parts(_examples(metafunc.config))
        metafunc.parametrize("stateful_part", [pytest.param(p, id=p.id) for p in parts])
    if "contract_operation" not in metafunc.fixturenames:
        return
    _contract_seed(metafunc.config)
    profile = target_for(metafunc.config).profile
    try:
        document = target_spec(metafunc.config, profile.spec).document
    except GatecheckError as exc:
        raise pytest.UsageError(f"gatecheck: {exc}") from None
    params = [
        pytest.param(op, id=op.label, marks=[pytest.mark.writes] if op.kind == "write" else [])
        for op in iter_operations(document, profile)
    ]
    metafunc.parametrize("contract_operation", params)


@pytest.fixture
def contract_operation() -> ContractOperation:
    """The operation under test; given by ``pytest_generate_tests``."""
    raise pytest.UsageError("contract_operation is parametrized by the contract suite's conftest")


@pytest.fixture
def stateful_part() -> StatefulPart:
    """The share of the stateful phase under test; given by ``pytest_generate_tests``."""
    raise pytest.UsageError("stateful_part is parametrized by the contract suite's conftest")


@pytest.fixture(scope="session")
def contract_settings(pytestconfig: pytest.Config, gateway: Gateway) -> ContractSettings:
    """Seed, examples per operation, phases and checks for this session."""
    examples = _examples(pytestconfig)
    return ContractSettings(
        seed=_contract_seed(pytestconfig),
        examples=examples,
        stateful_examples=examples,
        checks=_checks(pytestconfig),
        phases=DEFAULT_PHASES if gateway.is_mock else REAL_TARGET_PHASES,
        timeout=gateway.target.timeout,
    )


@pytest.fixture(scope="session")
def contract_target(gateway: Gateway) -> ContractTarget:
    """Where cases go, with which keys and budget; shared so a target that went down is noticed once."""
    return ContractTarget(
        base_url=gateway.base_url,
        api_key=gateway.api_key,
        management_key=gateway.management_key,
        budget=gateway.budget,
        real=not gateway.is_mock,
        timeout=gateway.target.timeout,
        headers=gateway.target.headers,
    )


@pytest.fixture
def contract_schema(
    pytestconfig: pytest.Config,
    spec: dict[str, Any],
    profile: Profile,
    contract_operation: ContractOperation,
    contract_settings: ContractSettings,
    contract_target: ContractTarget,
) -> BaseSchema:
    """The one operation under test as a schemathesis schema, with its key and the settings."""
    broken = target_spec(pytestconfig, profile.spec).broken.get(contract_operation.label)
    if broken:  # a problem of the spec no repair keeps the meaning of: nothing to test it against
        not_run(broken)
    document = single_operation_document(spec, contract_operation.method, contract_operation.path)
    wrap_chunk_schemas(document, contract_operation.path, contract_operation.method)
    add_inference_examples(document, contract_operation.method, contract_operation.path, profile)
    config = contract_settings.schemathesis_config(
        base_url=contract_target.base_url,
        key=contract_target.key_for(contract_operation),
        schemes=bearer_schemes(spec),
        headers=contract_target.headers,
    )
    return schemathesis.openapi.from_dict(document, config=config)


@pytest.fixture
def contract_run(
    request: pytest.FixtureRequest,
    contract_target: ContractTarget,
    contract_operation: ContractOperation,
    contract_settings: ContractSettings,
    spec: dict[str, Any],
) -> Iterator[ContractRun]:
    """Sends the operation's cases; afterwards deletes what they created, even when the test failed."""
    request.node.user_properties.append(("gatecheck.seed", contract_settings.seed))
    request.node.user_properties.append(("gatecheck.operation", contract_operation.label))
    run = ContractRun(contract_target, contract_operation, spec)
    yield run
    leftovers = run.close()
    if leftovers:
        pytest.fail("gatecheck: could not delete what the test created:\n  " + "\n  ".join(leftovers))


@pytest.fixture
def contract_stateful(
    request: pytest.FixtureRequest,
    gateway: Gateway,
    spec: dict[str, Any],
    profile: Profile,
    stateful_part: StatefulPart,
    contract_settings: ContractSettings,
    contract_target: ContractTarget,
) -> Iterator[Callable[[], None]]:
    """Runs one part of the stateful phase over the spec's links: a reset-per-example state
    machine on a mock, schemathesis' engine on a real gateway (deleting what it created)."""
    request.node.user_properties.append(("gatecheck.seed", contract_settings.seed))
    linked = linked_document(spec)
    if linked is None:
        pytest.skip(f"not applicable: the {profile.spec} spec has no links to follow")
    settings = stateful_part.settings(contract_settings)
    if gateway.is_mock:
        target = request.getfixturevalue("stateful_mock")
        assert target.mock_root_url is not None
        reset = reset_mock(target.mock_root_url, target.management_key)
        machine = state_machine(linked, settings, target, reset=reset)
        yield lambda: run_state_machine(machine, settings)
        return
    tracker = ResourceTracker(linked)
    yield lambda: run_with_engine(linked, settings, contract_target, profile, tracker)
    leftovers = delete_created(contract_target, tracker, contract_target.management_key or gateway.api_key)
    if leftovers:
        pytest.fail(
            "gatecheck: could not delete what the stateful phase created:\n  " + "\n  ".join(leftovers)
        )


@pytest.fixture(scope="session")
def stateful_mock(gateway: Gateway) -> Iterator[ContractTarget]:
    """A mock of the session mock's flavor and faults, for the stateful phase alone.

    The state machine resets its mock before every example; on the session's mock that would
    delete what other tests (other suites, other xdist items) created and still use.  The parts
    a process runs take turns, so they share one (started by the first, stopped at the end).
    """
    from gatecheck.mock.server import MockServer  # only to start it (ARCHITECTURE.md)
    from gatecheck.mock.settings import MockSettings

    settings = MockSettings(flavor=gateway.profile.mock_flavor, faults=set(gateway.faults))  # type: ignore[arg-type]
    for secret in (settings.api_key, settings.admin_key):
        default_redactor.add(secret)
    with MockServer(settings) as server:
        yield ContractTarget(
            base_url=server.base_url,
            api_key=settings.api_key,
            management_key=settings.admin_key,
            budget=gateway.budget,
            timeout=gateway.target.timeout,
            mock_root_url=server.root_url,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Failures carry their stable keys; nothing a report prints holds a secret."""
    report: pytest.TestReport = yield
    if "contract_settings" not in getattr(item, "fixturenames", ()) or call.excinfo is None:
        return report
    error = call.excinfo.value
    keys = failure_keys(error) or list(getattr(error, "keys", None) or [])
    new = [("gatecheck.failure", k) for k in keys if ("gatecheck.failure", k) not in item.user_properties]
    item.user_properties.extend(new)  # the teardown report carries them into JUnit XML
    report.user_properties = [*report.user_properties, *new]
    seed = item.config.stash.get(_SEED, None)
    replay = f"\n\nReplay this run with --gatecheck-seed {seed}" if seed is not None else ""
    if (account := describe_failure(error)) is not None:
        report.longrepr = account + replay
    elif isinstance(error, requests.RequestException):
        report.longrepr = f"gatecheck: the gateway connection failed: {type(error).__name__}: {error}"
    if report.longrepr is not None and not isinstance(report.longrepr, tuple):
        report.longrepr = default_redactor.text(str(report.longrepr))
    return report
