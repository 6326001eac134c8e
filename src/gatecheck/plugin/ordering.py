"""The order tests are handed out in: long chains first, judges of the whole run last.

Against a target hundreds of milliseconds away, a run with several workers lasts at least as
long as its longest chain of dependent requests (the contract suite's stateful phase: about a
hundred calls, one after another).  pytest-xdist hands tests out in collection order, so a chain
collected late starts late and the run lasts the chain *plus* everything handed out before it.
Tests marked ``long_chain`` therefore go first and tests marked ``after_all`` (they judge what
every other test met, see :mod:`gatecheck.plugin.ratelimits`) go last; the rest keep their order.
The order does not depend on the number of workers, so neither do the reports, which list tests
in collection order.

Going first is not enough: xdist's ``load`` scheduling starts each worker with a run of
consecutive tests (at least two), so the first worker would get every long chain and run them
one after another.  :mod:`gatecheck.plugin.dealing` deals that first round out instead, one test
to each worker in turn, so each of the first tests starts on a worker of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from xdist.scheduler import LoadScheduling

__all__ = ["AFTER_ALL", "LONG_CHAIN", "MARKERS"]

LONG_CHAIN = "long_chain"
AFTER_ALL = "after_all"
#: The markers this module orders by, with the help ``pytest --markers`` shows.
MARKERS = {
    LONG_CHAIN: "the test is a long chain of dependent requests; it is handed out first",
    AFTER_ALL: "the test runs after every other test of the session (it judges what they met)",
}


def _rank(item: pytest.Item) -> int:
    if item.get_closest_marker(LONG_CHAIN) is not None:
        return 0
    return 2 if item.get_closest_marker(AFTER_ALL) is not None else 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long chains first, ``after_all`` tests last, every other test where it was (a stable sort)."""
    items.sort(key=_rank)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> LoadScheduling | None:
    """``--dist load`` (``gatecheck run``'s) deals its first round; other modes are xdist's own."""
    if config.getoption("dist") != "load":
        return None
    # imported here: importing xdist while pytest loads this plugin stops xdist's own loading
    from gatecheck.plugin.dealing import DealtLoadScheduling

    return DealtLoadScheduling(config, log)
