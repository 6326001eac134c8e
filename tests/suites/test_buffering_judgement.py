"""The buffering scenario never calls a conformant server buffered, however fast or slow it is.

The stub writes each event as it is produced; only its pace changes.  Through the real suite
(a separate pytest process, as users run it) the scenario must pass or say inconclusive with its
figures, never fail.  That it does fail a buffering target is proven by the ``buffered-stream``
fault in ``test_streaming_suite.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from sse_stub import Pace, serve_stub

SuiteRunner = Any  # the run_suite fixture of tests/suites/conftest.py

SCENARIO = "test_stream_is_not_buffered"

PACES = {
    "instant": Pace(),
    "slow-start-then-instant": Pace(start=0.3),
    "trickling": Pace(gap=0.03),
    "slow-start-and-trickling": Pace(start=0.2, gap=0.03),
}


@pytest.mark.parametrize("pace", PACES.values(), ids=PACES.keys())
def test_a_conformant_stream_is_never_judged_buffered(
    pace: Pace, run_suite: SuiteRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUB_KEY", "stub-key-not-secret")
    with serve_stub(pace) as url:
        result = run_suite(
            "streaming/test_delivery.py",
            profile="openai",
            extra_args=["--gateway-url", url, "--api-key-env", "STUB_KEY", "-k", SCENARIO],
        )
    (case,) = result.cases(SCENARIO)
    assert case.outcome in ("passed", "skipped"), case
    if case.outcome == "skipped":
        assert case.message.startswith("inconclusive: "), case
        assert "content chunks in" in case.message and "unknown" in case.message, case
    if pace.gap:  # a trickling stream arrives in many reads: it is judged, and passes
        assert case.outcome == "passed", case
