"""Every way a gateway can be hostile or broken ends a run in bounded time and memory, with a
readable outcome, the right exit code and a complete report (issue 16's table, plus more)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hostile_run import Run, assert_bounded, assert_complete_report
from hostile_servers import hostile_server

pytestmark = pytest.mark.slow

#: mode -> (suites to run, extra flags, allowed exit codes, what the report must say)
CASES: dict[str, tuple[str, tuple[str, ...], set[int], str]] = {
    # plain answers too large to judge: inconclusive with the size seen, never held whole
    "gzip-bomb": ("errors", (), {0, 1}, "larger than the"),
    "huge-json": ("errors", (), {0, 1}, "larger than the"),
    # streams that never end: a conformance failure (a stream must end)
    "endless-sse": ("streaming", (), {1}, "Stream did not end within the run's limits"),
    # a byte a second, and a target that accepts but never answers: the breaker ends the run
    "slowloris-sse": ("streaming", ("--timeout", "3"), {2}, "target not answering"),
    "silent": ("errors", ("--timeout", "3"), {2}, "target not answering"),
    # broken answers: judged as the failures they are
    "html-502": ("errors", (), {1}, "got HTTP 502"),
    "non-utf8": ("errors", (), {1}, ""),
    "redirect-loop": ("errors", (), {1}, "got HTTP 302"),
    "short-body": ("errors,contract", ("--examples", "1"), {1}, ""),
    "reset-mid-stream": ("streaming", (), {1}, "Stream was cut off"),
}


def _text(results: dict[str, Any]) -> str:
    parts = [str((results["run"].get("error") or {}).get("message", ""))]
    for test in results["tests"]:
        parts += [str(test.get("skip_reason") or ""), str((test.get("failure") or {}).get("message") or "")]
    return "\n".join(parts)


@pytest.mark.parametrize("mode", sorted(CASES))
def test_a_hostile_target_ends_the_run_bounded_and_reported(
    mode: str, gatecheck_run: Callable[..., Run]
) -> None:
    """A hostile target: bounded wall time and memory, a readable outcome, a complete report"""
    suites, flags, codes, says = CASES[mode]
    with hostile_server(mode) as (url, counter):
        run = gatecheck_run(url, "--profile", "openai", "--suites", suites, *flags)
    assert_bounded(run)
    results = assert_complete_report(run)
    assert run.measured.exit_code in codes, (run.measured, results["run"])
    assert says in _text(results), _text(results)[:3000]
    assert counter, "the server saw no request at all"
    # Whatever the target does is the target's doing: none of it may read as gatecheck's own error.
    harness = [t["id"] for t in results["tests"] if t["outcome"] == "error"]
    assert not harness, (harness, _text(results)[:3000])
