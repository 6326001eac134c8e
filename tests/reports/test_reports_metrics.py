"""Timing metrics are read under their canonical names and the aliases suites use."""

from __future__ import annotations

from reports_factory import record

from gatecheck.reports.metrics import series, timing


def test_aliases_and_units_become_milliseconds() -> None:
    seconds = record("s::m::test_a", metrics={"time_to_first_token_s": 0.25, "total_time_s": 1.5})
    millis = record(
        "s::m::test_b", metrics={"ttft_ms": 40, "total_ms": 90}, operation="POST /chat/completions"
    )
    unmeasured = record("s::m::test_c", metrics={"time_to_first_token_s": -1})
    assert (timing(seconds, "ttft_ms"), timing(seconds, "total_ms")) == (250.0, 1500.0)
    assert timing(millis, "ttft_ms") == 40.0 and timing(unmeasured, "ttft_ms") is None
    assert series([seconds, millis, unmeasured], "ttft_ms") == {
        "POST /chat/completions": [40.0],
        "s": [250.0],
    }
