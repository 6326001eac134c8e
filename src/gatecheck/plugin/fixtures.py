"""Fixtures and hooks that give suites a configured target.

Suites ask for ``gateway`` (where and with which keys), ``profile`` (what it claims), ``spec``
(the compiled contract) and clients; they never read the environment themselves.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from gatecheck.budget import REAL_TARGET_DEFAULT_REQUESTS, REAL_TARGET_DEFAULT_TOKENS, Budget
from gatecheck.config import load_config
from gatecheck.errors import GatecheckError
from gatecheck.http import make_client
from gatecheck.plugin.spec import target_spec, with_spec
from gatecheck.profiles import Profile
from gatecheck.profiles.roles import missing_role_reason
from gatecheck.redact import default_redactor, url_secrets
from gatecheck.target import Target, resolve_target
from gatecheck.target_settings import parse_flags
from gatecheck.verdicts import not_applicable

__all__ = ["Gateway"]

_TARGET_KEY = pytest.StashKey[Target]()


@dataclass
class Gateway:
    """A running target as the suites see it."""

    target: Target
    base_url: str
    api_key: str | None = field(repr=False)  # repr=False: tracebacks print fixture values
    management_key: str | None = field(repr=False)
    budget: Budget
    mock_root_url: str | None = None  # the mock's URL without the flavor prefix, for /_mock/
    mock_admin_key: str | None = field(default=None, repr=False)
    faults: list[str] = field(default_factory=list)

    @property
    def profile(self) -> Profile:
        return self.target.profile

    @property
    def is_mock(self) -> bool:
        return self.target.is_mock

    def client(self, key: str | None = None, **headers: str) -> httpx.Client:
        """A new client for this gateway with ``key`` (default: the inference key)."""
        return make_client(
            self.base_url,
            key if key is not None else self.api_key,
            timeout=self.target.timeout,
            budget=self.budget,
            headers={**self.target.headers, **headers},
            body=self.target.body,
        )


def target_for(config: pytest.Config) -> Target:
    """The target the options name, resolved once per session (harness errors become usage errors)."""
    if _TARGET_KEY not in config.stash:
        try:
            cfg = load_config(config.getoption("gatecheck_config"))
            target = resolve_target(
                url=config.getoption("gateway_url"),
                profile=config.getoption("profile"),
                api_key_env=config.getoption("api_key_env"),
                management_key_env=config.getoption("management_key_env"),
                config=cfg,
                timeout=config.getoption("request_timeout"),
                settings=parse_flags(
                    config.getoption("gatecheck_models"),
                    config.getoption("gatecheck_headers"),
                    config.getoption("gatecheck_body_fields"),
                    config.getoption("embedding_dimensions"),
                ),
            )
            config.stash[_TARGET_KEY] = with_spec(target, config, cfg)
        except GatecheckError as exc:
            raise pytest.UsageError(f"gatecheck: {exc}") from None
    return config.stash[_TARGET_KEY]


_BUDGET_PATH = pytest.StashKey[Path]()
_OWN_BUDGET = pytest.StashKey[Path]()
_WORKER_KEY = "gatecheck_budget"


def _limits_of(config: pytest.Config, target: Target) -> tuple[int | None, int | None]:
    if target.is_mock:
        return config.getoption("max_requests"), config.getoption("max_tokens")
    return (
        config.getoption("max_requests") or REAL_TARGET_DEFAULT_REQUESTS,
        config.getoption("max_tokens") or REAL_TARGET_DEFAULT_TOKENS,
    )


def _share_budget(config: pytest.Config, target: Target) -> None:
    """Find the session's budget file: ``gatecheck run``'s, the xdist controller's, or a new one.

    One budget then holds for the whole run, however many processes and workers share it.
    """
    worker = getattr(config, "workerinput", None)
    given = worker.get(_WORKER_KEY) if worker else config.getoption("gatecheck_budget")
    if given:
        config.stash[_BUDGET_PATH] = Path(given)
        return
    folder = Path(tempfile.mkdtemp(prefix="gatecheck-budget-"))
    path = folder / "budget.sqlite3"
    Budget(*_limits_of(config, target), path=path)
    config.stash[_BUDGET_PATH] = path
    config.stash[_OWN_BUDGET] = folder


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: each worker charges the controller's budget file."""
    node.workerinput[_WORKER_KEY] = str(node.config.stash[_BUDGET_PATH])


def _budget(config: pytest.Config, target: Target) -> Budget:
    path = config.stash.get(_BUDGET_PATH, None)
    return Budget.shared(path) if path is not None else Budget(*_limits_of(config, target))


def _probe(url: str, timeout: float, budget: Budget) -> str | None:
    """Why the target cannot be reached at all, or None when it answers anything (charged, bounded)."""
    limit = min(timeout, 10.0)
    try:
        with make_client(url, None, timeout=limit, budget=budget) as client, client.stream("GET", ""):
            return None
    except httpx.TimeoutException:
        return f"no answer within {limit:g} s"
    except httpx.TransportError as exc:
        return f"{type(exc).__name__}: {exc}"
    except GatecheckError as exc:
        return str(exc)


@pytest.fixture(scope="session")
def gateway(pytestconfig: pytest.Config) -> Iterator[Gateway]:
    """The target under test: the built-in mock (started here) or a real gateway (probed here)."""
    target = target_for(pytestconfig)
    budget = _budget(pytestconfig, target)
    if not target.is_mock:
        assert target.url is not None
        for secret in (target.api_key, target.management_key, *target.secrets, *url_secrets(target.url)):
            default_redactor.add(secret)
        if reason := _probe(target.url, target.timeout, budget):
            pytest.exit(f"gatecheck: target {target.url} is unreachable: {reason}", returncode=2)
        yield Gateway(target, target.url, target.api_key, target.management_key, budget)
        return
    from gatecheck.mock.faults import validate_faults
    from gatecheck.mock.server import MockServer
    from gatecheck.mock.settings import MockSettings

    faults = pytestconfig.getoption("mock_fault")
    try:
        settings = MockSettings(
            flavor=target.profile.mock_flavor,  # type: ignore[arg-type]
            faults=validate_faults(faults),
            rate_limit_every=max(0, pytestconfig.getoption("mock_rate_limit_every")),
            retry_after_form=pytestconfig.getoption("mock_retry_after_form"),
        )
    except GatecheckError as exc:
        pytest.exit(f"gatecheck: {exc}", returncode=2)
    for secret in (settings.api_key, settings.admin_key, *target.secrets):
        default_redactor.add(secret)
    with MockServer(settings) as server:
        yield Gateway(
            target,
            server.base_url,
            settings.api_key,
            settings.admin_key,
            budget,
            mock_root_url=server.root_url,
            mock_admin_key=settings.admin_key,
            faults=list(faults),
        )


@pytest.fixture(scope="session")
def profile(gateway: Gateway) -> Profile:
    """The profile of the target: paths, capabilities, models to use."""
    return gateway.profile


@pytest.fixture(scope="session")
def model_for(profile: Profile) -> Callable[[str], str]:
    """``model_for("rate_limited")``: the target's model for a role, or the test is not applicable.

    gatecheck cannot guess which of a gateway's models fails or rate-limits; the user names it
    with ``--model ROLE=NAME`` (or in gatecheck.toml), and a role nobody named judges nothing.
    """

    def lookup(role: str) -> str:
        name = profile.model(role)
        if not name:
            not_applicable(missing_role_reason(role))
        return name

    return lookup


@pytest.fixture(scope="session")
def spec(pytestconfig: pytest.Config, profile: Profile) -> dict:
    """The target's contract (OpenAPI with the contract layer), only ``--operations`` when given."""
    return target_spec(pytestconfig, profile.spec).document


@pytest.fixture
def client(gateway: Gateway) -> Iterator[httpx.Client]:
    """An httpx client for the target with the inference key."""
    with gateway.client() as c:
        yield c


@pytest.fixture
def anonymous_client(gateway: Gateway) -> Iterator[httpx.Client]:
    """An httpx client for the target with no credentials at all."""
    with gateway.client(key="") as c:
        yield c


@pytest.fixture
def management_client(gateway: Gateway) -> Iterator[httpx.Client]:
    """An httpx client with the management key; skips when the target has none."""
    if not gateway.management_key:
        pytest.skip("needs a management key: export one and name it with --management-key-env")
    with gateway.client(key=gateway.management_key) as c:
        yield c


@pytest.fixture
def mock_control(gateway: Gateway) -> Iterator[httpx.Client]:
    """A client for the built-in mock's /_mock/ admin API; skips against real gateways.

    Faults and the fault plan are put back as they were when the test ends.
    """
    if not gateway.is_mock or not gateway.mock_root_url:
        pytest.skip("needs the built-in mock's fault injection; not available on a real gateway")
    with make_client(gateway.mock_root_url + "/_mock", gateway.mock_admin_key) as c:
        # Restore only what a test may change here; a full reset would also delete keys that
        # other tests of the session created and still hold.
        faults, plan = c.get("faults").json()["faults"], c.get("fault-plan").json()["fault_plan"]
        yield c
        c.put("faults", json={"faults": faults})
        c.put("fault-plan", json={"fault_plan": plan})


def pytest_configure(config: pytest.Config) -> None:
    """Resolve the target before collection, so a bad option stops the run with one clear line."""
    _share_budget(config, target_for(config))


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_OWN_BUDGET, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Capabilities the profile does not claim make a test not applicable; writes need consent."""
    markers = list(item.iter_markers("capability"))
    if not markers and item.get_closest_marker("writes") is None:
        return
    target = target_for(item.config)
    for marker in markers:
        name = marker.args[0]
        item.user_properties.append(("capability", name))
        # or_role: a model the user named for a role shows the capability where the profile is silent
        role = marker.kwargs.get("or_role")
        if not target.profile.claims(name) and not (role and target.profile.model(role)):
            not_applicable(f"profile {target.profile.name} does not claim {name!r}")
    if item.get_closest_marker("writes") and not target.is_mock and not item.config.getoption("allow_writes"):
        pytest.skip("creates or deletes resources on a real gateway: rerun with --allow-writes to include it")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Transport errors and spent budgets read as one clear line, not an httpx traceback."""
    report: pytest.TestReport = yield
    excinfo = call.excinfo
    if excinfo is None or report.passed:
        return report
    if isinstance(excinfo.value, httpx.TimeoutException):
        report.longrepr = f"Gateway did not answer in time: {excinfo.value!r}"
    elif isinstance(excinfo.value, httpx.TransportError):
        report.longrepr = f"Gateway connection failed: {type(excinfo.value).__name__}: {excinfo.value}"
    elif isinstance(excinfo.value, GatecheckError):
        report.longrepr = f"gatecheck: {excinfo.value}"
    if isinstance(report.longrepr, str):
        report.longrepr = default_redactor.text(report.longrepr)
    return report
