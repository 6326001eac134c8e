"""``gatecheck run``: plan a run, drive one pytest session for all suites, collect events, gate.

Layout (one job per module):

- ``plan``      RunOptions (flags as given) -> RunPlan (validated: target, suites, seed, shard, baseline)
- ``last_failed`` ``--lf``: the last results.json's failures as pytest node ids
- ``command``   the pytest command line and environment for the session's process
- ``child``     runs that process, tails its event file, keeps a redacted log
- ``driver``    one session for every suite (and one more for suites a crash left unreached)
- ``tracker``   splits the session's events back into suites
- ``events``    the pytest plugin inside the session: JSON-lines events tagged by suite, ids, shards
- ``ids``       stable test ids (``suite::module::test[param]``) and shard selection
- ``records``   folds events into one record per test
- ``suite_logs`` ``logs/<suite>.log`` cut from the events
- ``junit_split`` pytest's one JUnit file cut into one part per suite
- ``assemble``  results.json parts from the plan and the records
- ``probe``     is a real target reachable at all (asked before anything starts)
- ``progress``  live progress (a rich bar on terminals, plain lines in CI) and the final summary table
- ``failure_list`` every failure at the end of the output, with a command that reruns it
- ``suite_status`` how each suite of a session ended (passed, failed, error, empty, not-run) and why
- ``session``   the whole run, start to finish, and its exit code
- ``interrupts`` SIGINT/SIGTERM: interrupt the run, but never the writing of its final reports
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gatecheck.runner.plan import RunOptions
    from gatecheck.runner.session import EXIT_ERROR, EXIT_FAILURES, EXIT_OK, execute

__all__ = ["EXIT_ERROR", "EXIT_FAILURES", "EXIT_OK", "RunOptions", "execute"]


def __getattr__(name: str) -> Any:
    """The package's names, imported on first use: ``gatecheck report`` only needs the summary
    table from :mod:`gatecheck.runner.progress`, not the session and the mock behind it."""
    if name == "RunOptions":
        from gatecheck.runner.plan import RunOptions

        return RunOptions
    if name in __all__:
        from gatecheck.runner import session

        return getattr(session, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
