"""``gatecheck run --lf``: the last run's failures, read from its results.json, as pytest node ids.

pytest's own ``--lf`` needs its cache, which gatecheck runs switch off (a run must not depend on
what an earlier one left behind).  The last results.json is the record gatecheck already keeps,
and its stable ids (``suite::module::test[param]``) name each test whatever the rootdir was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gatecheck.errors import UsageError
from gatecheck.reports.results import load_results

if TYPE_CHECKING:
    from gatecheck.runner.plan import Suite

__all__ = ["RERUN_OUTCOMES", "last_failed", "node_path"]

#: Outcomes --lf runs again: the ones that fail a gate or say the harness broke.
RERUN_OUTCOMES = ("failed", "error")


def node_path(test_id: str, suites: dict[str, Suite]) -> str | None:
    """``suite::module::test[param]`` as a pytest argument (file path, then the node's own part)."""
    suite_name, _, rest = test_id.partition("::")
    module, _, node = rest.partition("::")
    suite = suites.get(suite_name)
    if suite is None or not module:
        return None
    path = str(suite.path / f"{module}.py")
    return f"{path}::{node}" if node else path


def last_failed(report_root: Path, suites: list[Suite]) -> tuple[list[Suite], tuple[str, ...]]:
    """The suites holding the last run's failures, and those tests' node ids.

    With no failures last time, everything runs again (as pytest's ``--lf`` does by default).
    """
    latest = report_root / "latest"
    try:
        results = load_results(latest if latest.exists() else report_root)
    except UsageError as exc:
        raise UsageError(f"--lf needs the last run's results: {exc}") from None
    by_name = {suite.name: suite for suite in suites}
    failed = [t["id"] for t in results["tests"] if t["outcome"] in RERUN_OUTCOMES]
    nodeids = tuple(dict.fromkeys(path for t in failed if (path := node_path(t, by_name))))
    if not nodeids:
        return suites, ()
    names = {test_id.partition("::")[0] for test_id in failed}
    return [suite for suite in suites if suite.name in names], nodeids
