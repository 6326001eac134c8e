"""Merging shards and targets: union of tests, worst outcome wins, target x capability matrix."""

from __future__ import annotations

import pytest
from reports_factory import MOCK, record, results

from gatecheck.reports.merge import merge_results
from gatecheck.reports.results import validate

PROD = {"id": "prod", "label": "prod", "url": "https://gw.test/v1", "profile": "openrouter", "mock": None}


def test_shards_of_one_target_fold_into_one() -> None:
    one = results(
        [record("s::m::test_a", capabilities=("chat",)), record("s::m::test_b", "failed")],
        run_id="r1",
        verdict="fail",
    )
    two = results([record("s::m::test_c", capabilities=("chat",))], run_id="r2")
    merged = merge_results([one, two])
    validate(merged)
    assert [t["id"] for t in merged["targets"]] == ["mock"]
    assert {t["id"]: t["outcome"] for t in merged["tests"]} == {
        "s::m::test_a": "passed",
        "s::m::test_b": "failed",
        "s::m::test_c": "passed",
    }
    (suite,) = merged["suites"]
    assert suite["selected"] == 2 and suite["counts"]["passed"] == 2
    assert (merged["run"]["verdict"], merged["run"]["exit_code"], merged["run"]["merged_from"]) == (
        "fail",
        1,
        ["r1", "r2"],
    )


def test_a_duplicated_test_keeps_its_worst_outcome() -> None:
    merged = merge_results([results([record("s::m::test_a", "failed")]), results([record("s::m::test_a")])])
    assert [t["outcome"] for t in merged["tests"]] == ["failed"]


def test_several_targets_make_a_target_by_capability_matrix() -> None:
    mock = results([record("s::m::test_a", capabilities=("chat",))])
    prod = results([record("s::m::test_a", "failed", capabilities=("chat",), target="prod")], targets=[PROD])
    merged = merge_results([mock, prod])
    validate(merged)
    cells = {(c["target"], c["capability"]): c["status"] for c in merged["matrix"]}
    assert cells == {("mock", "chat"): "passing", ("prod", "chat"): "failing"}
    assert len(merged["tests"]) == 2


def test_targets_sharing_a_label_stay_apart() -> None:
    faulty = {**MOCK, "mock": {"flavor": "requesty", "faults": ["wrong-cost"]}}
    merged = merge_results(
        [results([record("s::m::test_a")]), results([record("s::m::test_a")], targets=[faulty])]
    )
    assert [t["id"] for t in merged["targets"]] == ["mock", "mock [faults: wrong-cost]"]


def test_a_harness_error_in_any_input_makes_the_merge_an_error() -> None:
    broken = results([], verdict="error", error={"kind": "target-unreachable", "message": "down"})
    merged = merge_results([results([record("s::m::test_a")]), broken])
    assert merged["run"]["verdict"] == "error" and "down" in merged["run"]["error"]["message"]
    with pytest.raises(ValueError, match="nothing to merge"):
        merge_results([])
