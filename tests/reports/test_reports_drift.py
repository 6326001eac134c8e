"""Drift: exactly the changed outcomes, each in one list; timings; capabilities; shapes."""

from __future__ import annotations

from reports_factory import MOCK, record, results

from gatecheck.reports.drift import compute_drift
from gatecheck.reports.drift_render import drift_html, drift_markdown

OLD = results(
    [
        record("s::m::test_stays_ok", capabilities=("chat",), duration=0.2),
        record("s::m::test_breaks", capabilities=("usage-cost",)),
        record("s::m::test_heals", "failed", capabilities=("tools",)),
        record("s::m::test_still_bad", "failed"),
        record("s::m::test_accepted_then_real", "baselined"),
        record("s::m::test_becomes_na", capabilities=("pkce",)),
        record("s::m::test_removed"),
        record("s::m::test_fixed_then_passed", "fixed"),
    ],
    run_id="20260101T000000Z-old000",
)
NEW = results(
    [
        record("s::m::test_stays_ok", capabilities=("chat",), duration=0.5),
        record("s::m::test_breaks", "failed", capabilities=("usage-cost",)),
        record("s::m::test_heals", capabilities=("tools",)),
        record("s::m::test_still_bad", "error"),
        record("s::m::test_accepted_then_real", "failed"),
        record("s::m::test_becomes_na", "not-applicable", capabilities=("pkce",)),
        record("s::m::test_added_failing", "failed"),
        record("s::m::test_fixed_then_passed"),
    ],
    run_id="20260102T000000Z-new000",
    verdict="fail",
)


def _ids(entries: list[dict]) -> set[str]:
    return {e["id"] for e in entries}


def test_each_changed_test_is_in_exactly_one_list() -> None:
    drift = compute_drift(OLD, NEW)
    assert _ids(drift["newly_failing"]) == {"s::m::test_breaks", "s::m::test_added_failing"}
    assert _ids(drift["newly_passing"]) == {"s::m::test_heals"}
    assert _ids(drift["still_failing"]) == {"s::m::test_still_bad", "s::m::test_accepted_then_real"}
    assert _ids(drift["other_changes"]) == {"s::m::test_becomes_na", "s::m::test_removed"}
    added = next(e for e in drift["newly_failing"] if e["id"] == "s::m::test_added_failing")
    assert (added["old"], added["new"]) == ("absent", "failed")
    assert drift["regressions"] == 2


def test_capabilities_and_timings_beyond_the_threshold() -> None:
    drift = compute_drift(OLD, NEW, timing_threshold=0.5, timing_floor_ms=50)
    changes = {(c["capability"], c["old"], c["new"]) for c in drift["capabilities"]}
    assert changes == {
        ("usage-cost", "passing", "failing"),
        ("tools", "failing", "passing"),
        ("pkce", "passing", "not-applicable"),
    }
    assert [(t["key"], t["change"]) for t in drift["timings"]] == [("s::m::test_stays_ok", 1.5)]
    assert compute_drift(OLD, NEW, timing_threshold=2.0)["timings"] == []
    assert compute_drift(OLD, NEW, timing_floor_ms=1000)["timings"] == []


def test_metric_medians_per_operation_are_compared() -> None:
    def run(ms: float) -> dict:
        return results(
            [
                record(f"s::m::test_{n}", metrics={"ttft_ms": ms + n}, operation="POST /chat/completions")
                for n in range(3)
            ]
        )

    (change,) = compute_drift(run(100), run(300))["timings"][-1:]
    assert (change["kind"], change["key"], change["metric"]) == (
        "operation",
        "POST /chat/completions",
        "median ttft_ms",
    )


def test_shapes_show_undocumented_and_never_seen_fields_and_their_change() -> None:
    old, new = results([record("s::m::test_a")]), results([record("s::m::test_a")])
    old["shapes"] = {
        "GET /models": {
            "samples": 1,
            "observed": {"data": ["array"], "data[].id": ["string"]},
            "documented": ["data", "data[].id", "data[].name"],
            "undocumented": [],
            "never_seen": ["data[].name"],
        }
    }
    new["shapes"] = {
        "GET /models": {
            "samples": 2,
            "observed": {"data": ["array"], "data[].id": ["string"], "data[].extra": ["integer"]},
            "documented": ["data", "data[].id", "data[].name"],
            "undocumented": ["data[].extra"],
            "never_seen": ["data[].name"],
        }
    }
    (shape,) = compute_drift(old, new)["shapes"]
    assert shape["undocumented"] == shape["new_undocumented"] == shape["appeared"] == ["data[].extra"]
    assert shape["never_seen"] == ["data[].name"] and shape["newly_never_seen"] == []


def test_multi_target_runs_compare_per_target() -> None:
    other = {**MOCK, "id": "prod", "label": "prod", "url": "https://gw.test/v1", "mock": None}
    old = results([record("s::m::test_a"), record("s::m::test_a", target="prod")], targets=[MOCK, other])
    new = results(
        [record("s::m::test_a"), record("s::m::test_a", "failed", target="prod")], targets=[MOCK, other]
    )
    (entry,) = compute_drift(old, new)["newly_failing"]
    assert entry["key"] == "prod :: s::m::test_a"


def test_renderings_list_the_changes_and_plot_history() -> None:
    drift = compute_drift(OLD, NEW)
    markdown = drift_markdown(drift)
    assert markdown.startswith("# gatecheck drift: REGRESSED: 2 regressions")
    assert "## Newly failing (2)" in markdown and "`s::m::test_breaks`: passed -> failed" in markdown
    history = [
        {
            "run_id": f"2026010{n}T000000Z-x",
            "pass_rate": 0.5 + n / 10,
            "latency_ms": {"POST /chat": {"p50": 100 + n}},
        }
        for n in range(4)
    ]
    html = drift_html(drift, history)
    assert html.count("<svg") == 2 and "s::m::test_heals" in html and "https://" not in html
