"""The contract suite end to end, against the built-in mock: it passes whatever the seed, under
xdist, and against a real-looking target it stays safe and stops cleanly when the target is down.
That it catches each fault it covers, under the right operation and check, is proven with every
other fault in ``tests/proofs`` (the fault registry names the failure keys)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import httpx
import pytest
from contract_runner import SuiteRun

from gatecheck.contract.settings import REAL_TARGET_EXAMPLES
from gatecheck.contract.stateful import stateful_parts
from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings
from gatecheck.profiles import get_profile
from gatecheck.specs.registry import load_spec

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

RunContract = Callable[..., SuiteRun]
RunContracts = Callable[[Sequence[Sequence[str]]], list[SuiteRun]]
SEEDS = ("11", "2024", "31337", "424242", "7")
FEW = ("--examples", "2")
#: The stateful phase's items with FEW examples (one part), and with a real target's default.
STATEFUL_FEW = {f"test_stateful[{part.id}]" for part in stateful_parts(2)}
STATEFUL_REAL = {f"test_stateful[{part.id}]" for part in stateful_parts(REAL_TARGET_EXAMPLES)}
#: OpenRouter's 39 operations take three times as long: two of the seeds are enough to show
#: that its result does not depend on the seed, the loop over all five runs on Requesty.
SEEDS_BY_PROFILE = {"requesty": SEEDS, "openrouter": SEEDS[:2]}


def _item_count(profile: str) -> int:
    return load_spec(get_profile(profile).spec).operation_count + len(STATEFUL_FEW)


@pytest.mark.parametrize("profile", ["requesty", "openrouter"])
def test_the_suite_passes_against_the_mock_whatever_the_seed(
    run_contracts: RunContracts, profile: str
) -> None:
    seeds = SEEDS_BY_PROFILE[profile]
    runs = run_contracts([("--profile", profile, "--gatecheck-seed", seed, *FEW) for seed in seeds])
    for seed, run in zip(seeds, runs, strict=True):
        assert run.returncode == 0, run.describe()
        assert f"gatecheck contract seed: {seed}" in run.output
        assert set(run.outcomes.values()) == {"passed"}, run.describe()
    assert len(runs[0].outcomes) == _item_count(profile)
    assert all(run.outcomes == runs[0].outcomes for run in runs)


def test_the_suite_runs_under_xdist_with_one_seed_for_all_workers(run_contract: RunContract) -> None:
    run = run_contract("--profile", "requesty", "-n", "2", "--gatecheck-seed", "5", *FEW)
    assert run.returncode == 0, run.describe()
    assert len(run.outcomes) == _item_count("requesty") and set(run.outcomes.values()) == {"passed"}
    assert run.junit.count('name="gatecheck.seed" value="5"') == _item_count("requesty")


def test_a_target_that_is_down_ends_the_run_before_any_operation(run_contract: RunContract) -> None:
    run = run_contract(
        "--profile",
        "requesty",
        "--gateway-url",
        "http://127.0.0.1:9/v1",
        env={"GATECHECK_API_KEY": "sk-test-not-a-real-key-0000"},
    )
    assert run.returncode == 2, run.describe()
    # it stops before the first operation, not after all; the stateful test, handed out first
    # (long_chain), may be skipped before that for want of --allow-writes: it sent nothing
    assert set(run.outcomes.values()) <= {"skipped"}, run.describe()
    assert set(run.outcomes) <= STATEFUL_REAL, run.describe()
    assert "target http://127.0.0.1:9/v1 is unreachable" in run.output
    assert "Traceback" not in run.output and "sk-test-not-a-real-key" not in run.output


@pytest.fixture(params=[set()], ids=["no-fault"])
def mock_as_real(request: pytest.FixtureRequest) -> Iterator[tuple[MockServer, dict[str, str]]]:
    """A mock the suite is pointed at by URL, as it would be at a real gateway (keys from the env)."""
    settings = MockSettings(flavor="requesty", faults=set(request.param))
    with MockServer(settings) as server:
        yield server, {"GATECHECK_API_KEY": settings.api_key, "GATECHECK_MANAGEMENT_KEY": settings.admin_key}


@pytest.mark.parametrize("mock_as_real", [{"bad-error-envelope"}], ids=["bad-error-envelope"], indirect=True)
def test_against_a_real_target_writes_need_consent_and_keys_never_show(
    run_contract: RunContract, mock_as_real: tuple[MockServer, dict[str, str]]
) -> None:
    server, env = mock_as_real
    run = run_contract("--profile", "requesty", "--gateway-url", server.base_url, "-rs", *FEW, env=env)
    assert run.returncode == 1, run.describe()  # the fault makes error bodies plain text
    assert "GET /models::error_envelope" in run.failure_keys
    writes = {name for name, outcome in run.outcomes.items() if outcome == "skipped"}
    assert writes == {
        "test_operation[POST /api-keys]",
        "test_operation[DELETE /api-keys/{key_id}]",
        "test_operation[PATCH /api-keys/{key_id}/limit]",
        *STATEFUL_FEW,
    }
    assert "--allow-writes" in run.output
    for secret in env.values():
        assert secret not in run.output and secret not in run.junit


def _key_ids(server: MockServer, env: dict[str, str]) -> set[str]:
    """The ids of the keys the mock holds, read with its management key."""
    admin = {"Authorization": f"Bearer {env['GATECHECK_MANAGEMENT_KEY']}"}
    return {k["id"] for k in httpx.get(server.base_url + "/api-keys", headers=admin).json()["data"]}


def test_with_writes_allowed_what_the_run_created_is_deleted(
    run_contract: RunContract, mock_as_real: tuple[MockServer, dict[str, str]]
) -> None:
    server, env = mock_as_real
    before = _key_ids(server, env)
    run = run_contract(
        "--profile",
        "requesty",
        "--gateway-url",
        server.base_url,
        "--allow-writes",
        "-k",
        "api-keys",
        *FEW,
        env=env,
    )
    assert run.outcomes["test_operation[POST /api-keys]"] == "passed", run.describe()
    assert _key_ids(server, env) == before


def test_against_a_real_target_the_stateful_parts_pass_and_leave_nothing_behind(
    run_contract: RunContract, mock_as_real: tuple[MockServer, dict[str, str]]
) -> None:
    """schemathesis' engine, one run per part, each with its own seed; what they create is deleted."""
    server, env = mock_as_real
    before = _key_ids(server, env)
    args = ("--profile", "requesty", "--gateway-url", server.base_url, "--allow-writes", "-k", "stateful")
    run = run_contract(*args, "--gatecheck-seed", "3", env=env)
    assert run.outcomes == dict.fromkeys(sorted(STATEFUL_REAL), "passed"), run.describe()
    assert len(STATEFUL_REAL) == 4
    assert _key_ids(server, env) == before


def test_a_spent_request_budget_skips_the_rest_with_a_clear_reason(
    run_contract: RunContract, mock_as_real: tuple[MockServer, dict[str, str]]
) -> None:
    server, env = mock_as_real
    run = run_contract(
        "--profile", "requesty", "--gateway-url", server.base_url, "--max-requests", "5", "-rs", *FEW, env=env
    )
    assert "request budget spent (5 of 5)" in run.output, run.describe()
    assert "skipped" in run.outcomes.values()
