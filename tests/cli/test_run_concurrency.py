"""``--concurrency``: the same results in the same order whatever N, and budgets that hold at N = 8.

The budget is counted at a proxy in front of the gateway (``bench/latency_proxy.py``), where no
gatecheck code can miscount it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings
from gatecheck.reports.results import load_results
from gatecheck.runner.failure_list import rerun_command

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
from latency_proxy import LatencyProxy

pytestmark = pytest.mark.slow  # runs gatecheck, with worker processes, in a subprocess
GATECHECK = str(Path(sys.executable).with_name("gatecheck"))


def _run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    reports = tmp_path / f"reports-{len(list(tmp_path.iterdir()))}"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(
        [GATECHECK, "run", "--report-dir", str(reports), *args],
        env=clean | (env or {}),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return load_results(reports / "latest")


def test_results_and_their_order_do_not_depend_on_concurrency(tmp_path: Path) -> None:
    suites = ("--suites", "errors,models,streaming", "--seed", "5")
    one = _run(tmp_path, *suites, "--concurrency", "1")
    eight = _run(tmp_path, *suites, "--concurrency", "8")
    assert one["run"]["workers"] is None and eight["run"]["workers"] == "8"

    def outcomes(results: dict[str, Any]) -> list[tuple[str, str]]:
        return [(t["id"], t["outcome"]) for t in results["tests"]]

    assert outcomes(one) == outcomes(eight) and len(outcomes(one)) > 20
    assert [s["status"] for s in one["suites"]] == [s["status"] for s in eight["suites"]]


def test_stateful_parts_fail_alike_at_any_concurrency_and_a_rerun_reruns_one_part(tmp_path: Path) -> None:
    """Each part is its own Hypothesis run with its own seed: its verdict does not depend on which
    worker runs it, and its rerun command selects it alone (``-k 'test_stateful[partN]'``)."""
    args = (
        "--suites",
        "contract",
        "--mock-fault",
        "deleted-key-still-readable",
        "--seed",
        "7",
        "--examples",
        "5",
    )
    one = _run(tmp_path, *args, "-k", "stateful", "--concurrency", "1")
    two = _run(tmp_path, *args, "-k", "stateful", "--concurrency", "2")  # four parts on two workers
    verdicts = [(t["id"], t["outcome"]) for t in one["tests"]]
    assert verdicts == [(t["id"], t["outcome"]) for t in two["tests"]]
    assert len(verdicts) == 4, verdicts
    failing = [t for t in one["tests"] if t["outcome"] == "failed"]
    assert 0 < len(failing) < 4, verdicts  # at this seed some parts meet the deleted key, some do not
    words = shlex.split(rerun_command(one, failing[-1]))
    keyword = words[words.index("-k") + 1]
    assert keyword == failing[-1]["id"].rsplit("::", 1)[1]
    again = _run(tmp_path, *args, "-k", keyword)
    assert [(t["id"], t["outcome"]) for t in again["tests"]] == [(failing[-1]["id"], "failed")]


@pytest.fixture
def proxied_mock() -> Iterator[tuple[LatencyProxy, dict[str, str], list[str]]]:
    settings = MockSettings(flavor="requesty")
    with MockServer(settings) as mock, LatencyProxy(mock.root_url, delay=0.0) as proxy:
        env = {"GC_TEST_KEY": settings.api_key}
        args = ["--target", proxy.url + settings.prefix, "--profile", "requesty"]
        args += ["--api-key-env", "GC_TEST_KEY"]
        yield proxy, env, args


def test_the_request_budget_holds_with_eight_in_flight(
    tmp_path: Path, proxied_mock: tuple[LatencyProxy, dict[str, str], list[str]]
) -> None:
    proxy, env, args = proxied_mock
    budget = ("--max-requests", "40", "--concurrency", "8")
    results = _run(tmp_path, *args, "--suites", "contract,models", *budget, env=env)
    assert proxy.stats.requests <= 40, proxy.stats
    assert proxy.stats.max_in_flight > 1  # it really ran concurrently
    reasons = [f"{t['skip_reason']} {(t['failure'] or {}).get('title')}" for t in results["tests"]]
    assert any("budget" in reason for reason in reasons), reasons  # the budget did bind
