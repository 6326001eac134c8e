"""Baselines: accepted failures by stable id, in YAML or JSON, applied and written back."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_factory import record, results

from gatecheck.reports.baseline import (
    Baseline,
    BaselineError,
    apply_baseline,
    baseline_from_results,
    load_baseline,
    write_baseline,
)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("b.yaml", "version: 1\nfailures:\n  - id: a::m::test_x\n    reason: known\n  - a::m::test_y\n"),
        ("b.json", '{"failures": [{"id": "a::m::test_x", "reason": "known"}, "a::m::test_y"]}'),
        ("b.yml", "- id: a::m::test_x\n  reason: known\n- a::m::test_y\n"),
    ],
)
def test_every_accepted_form_loads(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    assert load_baseline(tmp_path / name).entries == {"a::m::test_x": "known", "a::m::test_y": ""}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("failures: {a: 1}\n", "expected a list of failures"),
        ("failures:\n  - reason: no id\n", "entry 1 needs an 'id'"),
        ("failures: [\n", "invalid YAML"),
    ],
)
def test_malformed_baselines_name_the_problem(tmp_path: Path, text: str, match: str) -> None:
    (tmp_path / "b.yaml").write_text(text)
    with pytest.raises(BaselineError, match=match):
        load_baseline(tmp_path / "b.yaml")
    with pytest.raises(BaselineError, match="gatecheck baseline update"):
        load_baseline(tmp_path / "missing.yaml")


def test_applying_marks_baselined_and_fixed_and_returns_stale_ids() -> None:
    tests = [
        record("a::m::test_fail", "failed"),
        record("a::m::test_err", "error"),
        record("a::m::test_ok"),
        record("a::m::test_new", "failed"),
    ]
    baseline = Baseline(
        {"a::m::test_fail": "r1", "a::m::test_err": "r2", "a::m::test_ok": "r3", "a::m::test_gone": "r4"}
    )
    stale = apply_baseline(tests, baseline)
    assert [t["outcome"] for t in tests] == ["baselined", "baselined", "fixed", "failed"]
    assert [t["baseline_reason"] for t in tests] == ["r1", "r2", "r3", None]
    assert stale == ["a::m::test_gone"]
    assert apply_baseline(tests, None) == []


def test_a_baseline_from_a_run_lists_its_failures_and_keeps_earlier_reasons(tmp_path: Path) -> None:
    doc = results(
        [record("a::m::test_x", "failed"), record("a::m::test_y", "baselined"), record("a::m::test_z")]
    )
    entries = baseline_from_results(doc, Baseline({"a::m::test_x": "ticket 12"}))
    assert entries == {"a::m::test_x": "ticket 12", "a::m::test_y": "accepted"}
    for name in ("out.yaml", "out.json"):
        write_baseline(tmp_path / name, entries)
        assert load_baseline(tmp_path / name).entries == entries
    assert (tmp_path / "out.yaml").read_text().startswith("# gatecheck baseline")
