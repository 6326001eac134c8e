"""Rate limits on the test: what they cost it, and never a failure of a test that is not about them.

Every test runs inside :func:`gatecheck.retry.tallying`, so the retry policy charges what it
waits and retries to that test; the figures become the test's properties
(``rate_limit_retries``, ``rate_limit_wait_s``, which results.json and the reports show).  A test
that fails after the policy gave up on a rate limit did not learn anything about its own point:
it is reported *inconclusive: rate-limited* with the figures.  Tests marked
``capability("rate-limits")`` judge the 429 itself, so they send once and keep their verdict.
Tests marked ``after_all`` run last (:mod:`gatecheck.plugin.ordering`): the errors suite's
judgement of every 429 the run met.
The run's processes (xdist workers) share one directory for the retry policy's pause and
ledger (:data:`gatecheck.retry.SHARED_DIR_ENV`), made here and removed at the end.

Under xdist "last" is not enough: the ``after_all`` test is the last one handed out, but tests
handed to other workers before it may still be running.  So every process notes each test it
finishes in the shared directory, and an ``after_all`` test first waits until every other
selected test is noted; its verdict then does not depend on ``--concurrency``.  The wait gives up
when nothing finishes for :data:`STALL_SECONDS` (a crashed worker), and the test judges what
the run met so far.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Generator
from pathlib import Path

import pytest

from gatecheck.plugin.ordering import AFTER_ALL
from gatecheck.retry import SHARED_DIR_ENV, Tally, tallying
from gatecheck.verdicts import inconclusive

__all__: list[str] = []

_TALLY = pytest.StashKey[Tally]()
RATE_LIMIT_CAPABILITY = "rate-limits"
#: How long an ``after_all`` test waits for the others when none of them finishes meanwhile.
STALL_SECONDS = 300.0
_FINISHED = "finished.txt"


def judges_rate_limits(item: pytest.Item) -> bool:
    """Whether the test is about rate limiting (so a 429 is its evidence, not an obstacle)."""
    if item.get_closest_marker("rate_limit_evidence") is not None:
        return True
    return any(m.args and m.args[0] == RATE_LIMIT_CAPABILITY for m in item.iter_markers("capability"))


def _reason(tally: Tally) -> str:
    """The skip reason :func:`gatecheck.verdicts.inconclusive` gives, so the prefix has one author."""
    try:
        inconclusive(f"rate-limited: {tally.summary()}")
    except pytest.skip.Exception as skip:
        return str(skip.msg)
    raise AssertionError("inconclusive() always ends the test")  # pragma: no cover


def pytest_configure(config: pytest.Config) -> None:
    """One shared directory per run for the pause and the ledger; xdist workers inherit it.

    A session that is not an xdist worker always makes its own, even when its environment already
    names one: a ``gatecheck run`` started from inside another pytest session (the harness's own
    tests) would otherwise judge the outer session's 429s as its own.
    """
    if hasattr(config, "workerinput"):
        return
    previous = os.environ.get(SHARED_DIR_ENV)
    folder = tempfile.mkdtemp(prefix="gatecheck-rate-limits-")
    os.environ[SHARED_DIR_ENV] = folder

    def cleanup() -> None:
        if previous is None:
            os.environ.pop(SHARED_DIR_ENV, None)
        else:
            os.environ[SHARED_DIR_ENV] = previous
        shutil.rmtree(folder, ignore_errors=True)

    config.add_cleanup(cleanup)


def _after_all(item: pytest.Item) -> bool:
    return item.get_closest_marker(AFTER_ALL) is not None


def _finished_file() -> Path | None:
    folder = os.environ.get(SHARED_DIR_ENV)
    return Path(folder) / _FINISHED if folder else None


def pytest_runtest_logfinish(nodeid: str) -> None:
    """Note the finished test where every process of the run can read it."""
    path = _finished_file()
    if path is not None:
        with path.open("a", encoding="utf-8") as out:  # one short write: atomic with O_APPEND
            out.write(nodeid + "\n")


def wait_for_others(
    expected: set[str],
    finished: Callable[[], set[str]],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    stall: float = STALL_SECONDS,
) -> set[str]:
    """Wait until every test of ``expected`` has finished; return those that never did.

    Gives up once ``stall`` seconds pass with no new test finishing (a worker that crashed
    never notes its test), so the run cannot hang here.
    """
    missing = expected - finished()
    last_progress, last_count = clock(), len(missing)
    while missing and clock() - last_progress < stall:
        sleep(0.1)
        missing = expected - finished()
        if len(missing) < last_count:
            last_progress, last_count = clock(), len(missing)
    return missing


def _read_finished() -> set[str]:
    path = _finished_file()
    if path is None or not path.exists():
        return set()
    return set(path.read_text(encoding="utf-8").splitlines())


def pytest_runtest_setup(item: pytest.Item) -> None:
    """An ``after_all`` test on an xdist worker starts once the other workers' tests are done."""
    if not _after_all(item) or not hasattr(item.config, "workerinput"):
        return
    expected = {other.nodeid for other in item.session.items if not _after_all(other)}
    missing = wait_for_others(expected, _read_finished)
    if missing:
        item.user_properties.append(("after_all_unfinished", len(missing)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    with tallying(item.nodeid, retry=not judges_rate_limits(item)) as tally:
        item.stash[_TALLY] = tally
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    tally = item.stash.get(_TALLY, None)
    if call.when == "call" and tally is not None and tally.limited:
        item.user_properties.append(("rate_limit_retries", tally.retries))
        item.user_properties.append(("rate_limit_wait_s", round(tally.waited, 3)))
    report: pytest.TestReport = yield
    if report.failed and tally is not None and tally.gave_up and not judges_rate_limits(item):
        report.outcome = "skipped"
        report.longrepr = (str(item.path), (item.location[1] or 0) + 1, f"Skipped: {_reason(tally)}")
    return report
