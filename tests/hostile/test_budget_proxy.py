"""One budget holds for the whole run: never one request over ``--max-requests`` at the proxy,
with and without pytest-xdist workers, and what could not run is *not run*, never passed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from counting_proxy import counting_proxy
from hostile_run import Run, assert_complete_report

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings

pytestmark = pytest.mark.slow

BUDGET = 30


@pytest.fixture(scope="module")
def mock() -> Iterator[tuple[MockServer, MockSettings]]:
    settings = MockSettings(flavor="requesty")
    with MockServer(settings) as server:
        yield server, settings


@pytest.mark.parametrize("workers", [("--concurrency", "1"), ("-n", "2")], ids=["one-process", "two-workers"])
def test_never_one_request_over_the_budget(
    workers: tuple[str, ...], mock: tuple[MockServer, MockSettings], gatecheck_run: Callable[..., Run]
) -> None:
    """The request budget is never exceeded, whatever the suites and workers"""
    server, settings = mock
    prefix = server.base_url.removeprefix(server.root_url)
    with counting_proxy(server.root_url) as (url, seen):
        run = gatecheck_run(
            url + prefix,
            "--profile",
            "requesty",
            "--suites",
            "errors,streaming,contract",
            "--max-requests",
            str(BUDGET),
            *workers,
            key=settings.api_key,
        )
    results = assert_complete_report(run)
    assert 0 < len(seen) <= BUDGET, seen
    budget = results["run"]["budget"]
    # charged >= sent: schemathesis' auth probes are paid for in advance and may not all go out
    assert len(seen) <= budget["requests"] <= BUDGET and budget["refused"] > 0, budget
    outcomes = {t["id"]: t["outcome"] for t in results["tests"]}
    assert "not-run" in outcomes.values()
    assert "not run" in run.measured.stdout  # the verdict says how much was not run
    for test in results["tests"]:
        if test["outcome"] == "not-run":
            assert "budget spent" in (test.get("skip_reason") or ""), test
