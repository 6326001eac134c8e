"""The event plugin, tested the way it is used: a suite run by pytest with the plugin's options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gatecheck.runner.records import SuiteRecorder

SUITE = '''
import pytest

from gatecheck.failures import ContractViolation
from gatecheck.reports.shapes import record_shape


@pytest.mark.capability("usage-cost")
def test_cost(record_property):
    """usage.cost is reported.

    More text that is not the title.
    """
    record_property("total_ms", 41.5)
    record_property("operation", "POST /chat/completions")
    raise ContractViolation(
        "usage.cost is missing",
        expected="a number",
        received={"usage": {}},
        check="usage-cost",
        operation="POST /chat/completions",
        details={"request": "POST /chat/completions", "status": 200},
    )


@pytest.mark.capability("pkce")
def test_pkce():
    """PKCE works."""


def test_shape():
    """Records a shape."""
    record_shape("GET /models", {"data": [{"id": "a", "pricing": {"prompt": 0.1}}]})


@pytest.fixture
def broken():
    raise RuntimeError("fixture broke")


def test_setup_error(broken):
    pass


@pytest.mark.parametrize("n", range(6))
def test_many(n):
    assert n >= 0
'''


def _events(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _run(
    pytester: pytest.Pytester, *args: str, subprocess: bool = False
) -> tuple[pytest.RunResult, list[dict[str, Any]]]:
    suite_dir = pytester.path / "suites" / "costs"
    suite_dir.mkdir(parents=True, exist_ok=True)
    (suite_dir / "test_costs.py").write_text(SUITE)
    events = pytester.path / "events.jsonl"
    events.unlink(missing_ok=True)
    argv = [
        str(suite_dir),
        "-p",
        "gatecheck.runner.events",
        "-p",
        "no:cacheprovider",
        "--profile",
        "requesty",
    ]
    argv += [
        "--gatecheck-events",
        str(events),
        "--gatecheck-suite",
        "costs",
        "--gatecheck-suite-dir",
        str(suite_dir),
        *args,
    ]
    result = pytester.runpytest_subprocess(*argv) if subprocess else pytester.runpytest(*argv)
    return result, _events(events)


def _records(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    recorder = SuiteRecorder("costs", "mock")
    for event in events:
        recorder.feed(event)
    return {r["id"]: r for r in recorder.records()}


def test_events_carry_ids_titles_capabilities_failures_and_metrics(pytester: pytest.Pytester) -> None:
    result, events = _run(pytester)
    result.assert_outcomes(passed=7, failed=1, skipped=1, errors=1)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "finish" and "shapes" in kinds
    assert next(e for e in events if e["event"] == "collected") | {"time": 0} == {
        "event": "collected",
        "suite": "costs",
        "collected": 10,
        "selected": 10,
        "time": 0,
    }
    records = _records(events)
    cost = records["costs::test_costs::test_cost"]
    assert cost["title"] == "usage.cost is reported."
    assert cost["outcome"] == "failed" and cost["capabilities"] == ["usage-cost"]
    assert cost["metrics"] == {"total_ms": 41.5} and cost["operation"] == "POST /chat/completions"
    failure = cost["failure"]
    assert failure["kind"] == "contract" and failure["title"] == "usage.cost is missing"
    assert (failure["expected"], failure["received"], failure["key"]) == (
        "a number",
        '{"usage": {}}',
        "POST /chat/completions::usage-cost",
    )
    assert failure["request"] == "POST /chat/completions" and failure["details"] == {"status": 200}
    assert records["costs::test_costs::test_pkce"]["outcome"] == "not-applicable"
    assert records["costs::test_costs::test_pkce"]["skip_reason"].startswith(
        "not applicable: profile requesty"
    )
    setup = records["costs::test_costs::test_setup_error"]
    assert setup["outcome"] == "error" and "fixture broke" in setup["failure"]["message"]
    assert setup["title"] == "test_setup_error"  # no docstring: the name
    shapes = next(e for e in events if e["event"] == "shapes")["shapes"]
    assert shapes["GET /models"]["observed"]["data[].pricing.prompt"] == ["number"]


def test_shards_split_the_suite_and_say_how_much_was_collected(pytester: pytest.Pytester) -> None:
    _, first = _run(pytester, "--gatecheck-shard", "1/2")
    _, second = _run(pytester, "--gatecheck-shard", "2/2")
    one, two = set(_records(first)), set(_records(second))
    assert one and two and not one & two
    assert len(one | two) == 10
    collected = [next(e for e in ev if e["event"] == "collected") for ev in (first, second)]
    assert [c["collected"] for c in collected] == [10, 10]
    assert sum(c["selected"] for c in collected) == 10


@pytest.mark.slow
def test_under_xdist_the_controller_reports_every_test_with_its_metadata(pytester: pytest.Pytester) -> None:
    result, events = _run(pytester, "-n", "2", subprocess=True)
    result.assert_outcomes(passed=7, failed=1, skipped=1, errors=1)
    records = _records(events)
    assert len(records) == 10
    assert records["costs::test_costs::test_cost"]["failure"]["kind"] == "contract"
    assert records["costs::test_costs::test_cost"]["title"] == "usage.cost is reported."
    assert [e["collected"] for e in events if e["event"] == "collected"] == [10, 10]  # one per worker
    assert sum(1 for e in events if e["event"] == "finish") == 1


@pytest.mark.slow
def test_collection_errors_become_events(pytester: pytest.Pytester) -> None:
    suite_dir = pytester.path / "suites" / "bad"
    suite_dir.mkdir(parents=True)
    (suite_dir / "test_bad.py").write_text("def test_x(:\n    pass\n")
    events = pytester.path / "events.jsonl"
    pytester.runpytest(
        str(suite_dir),
        "-p",
        "gatecheck.runner.events",
        "--gatecheck-events",
        str(events),
        "--gatecheck-suite",
        "bad",
        "--gatecheck-suite-dir",
        str(suite_dir),
    )
    error = next(e for e in _events(events) if e["event"] == "collect_error")
    assert error["id"] == "bad::test_bad" and "SyntaxError" in error["longrepr"]


def test_a_bad_shard_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x():\n    pass\n")
    result = pytester.runpytest("-p", "gatecheck.runner.events", "--gatecheck-shard", "5/2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--shard 5/2: I must be between 1 and N*"])


def test_schemathesis_failure_groups_are_titled_by_their_checks() -> None:
    """'Schemathesis found 1 distinct failure' says nothing; the checks' titles name the defect."""
    from schemathesis.core.failures import Failure, FailureGroup

    from gatecheck.runner.events import failure_info

    failure = Failure(operation="GET /x", title="Undocumented status code", message="Received: 400")
    info = failure_info(FailureGroup([failure]))
    assert info["title"] == "Undocumented status code"
    assert "Received: 400" in info["message"]
