"""``gatecheck run``: plan a run, drive one pytest process per suite, collect events, gate.

Layout (one job per module):

- ``plan``      RunOptions (flags as given) -> RunPlan (validated: target, suites, seed, shard, baseline)
- ``command``   the pytest command line and environment for one suite's process
- ``child``     runs that process, tails its event file, keeps a redacted log
- ``events``    the pytest plugin inside each suite process: JSON-lines events, stable ids, shards
- ``ids``       stable test ids (``suite::module::test[param]``) and shard selection
- ``records``   folds events into one record per test
- ``assemble``  results.json parts from the plan and the records
- ``probe``     is a real target reachable at all (asked before anything starts)
- ``progress``  live progress and the final summary table
- ``suite_status`` how one suite process ended (passed, failed, error, empty) and why
- ``session``   the whole run, start to finish, and its exit code
"""

from __future__ import annotations

from gatecheck.runner.plan import RunOptions
from gatecheck.runner.session import EXIT_ERROR, EXIT_FAILURES, EXIT_OK, execute

__all__ = ["EXIT_ERROR", "EXIT_FAILURES", "EXIT_OK", "RunOptions", "execute"]
