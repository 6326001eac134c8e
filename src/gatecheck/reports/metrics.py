"""Timing metrics under one name each, whatever unit a suite recorded them in.

Suites record measurements with ``record_property`` (or the suites' ``report_property``); the
reports chart time to first token and total latency per operation.  The canonical names are
``ttft_ms`` and ``total_ms``; the aliases below (seconds included) are read too, so a suite
that says ``time_to_first_token_s`` still shows up in the charts, the history and drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["TIMINGS", "series", "timing"]

#: canonical name -> (recorded name, factor to milliseconds), first match wins
TIMINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "ttft_ms": (("ttft_ms", 1.0), ("time_to_first_token_ms", 1.0), ("time_to_first_token_s", 1000.0)),
    "total_ms": (("total_ms", 1.0), ("latency_ms", 1.0), ("total_time_ms", 1.0), ("total_time_s", 1000.0)),
}


def timing(test: Mapping[str, Any], name: str) -> float | None:
    """The test's ``name`` timing in milliseconds, or None; negative values mean 'not measured'."""
    metrics = test.get("metrics") or {}
    for recorded, factor in TIMINGS[name]:
        value = metrics.get(recorded)
        if isinstance(value, int | float) and value >= 0:
            return float(value) * factor
    return None


def series(tests: Iterable[Mapping[str, Any]], name: str) -> dict[str, list[float]]:
    """``name`` timings grouped by operation (or suite, for tests that name no operation)."""
    out: dict[str, list[float]] = defaultdict(list)
    for test in tests:
        value = timing(test, name)
        if value is not None:
            out[test.get("operation") or test["suite"]].append(value)
    return dict(sorted(out.items()))
