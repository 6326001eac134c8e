"""xdist's ``load`` scheduling with its first round dealt out, so the first tests start side by side.

``LoadScheduling.schedule`` starts each worker with a run of consecutive pending tests (at least
two: a worker needs the next test before it runs one).  The long chains
:mod:`gatecheck.plugin.ordering` puts first would all land on the first worker and run one after
another.  Only that first send is changed; every later one is xdist's own.
"""

from __future__ import annotations

from typing import Any

import pytest
from xdist.scheduler import LoadScheduling

__all__ = ["DealtLoadScheduling"]


class DealtLoadScheduling(LoadScheduling):
    """xdist's ``load`` scheduling, with the first round dealt out like cards.

    ``LoadScheduling.schedule`` sends each worker ``chunk`` consecutive pending tests in turn; on
    that first send this reorders the tests it is about to hand out so that worker *k* gets
    tests *k*, *k + workers*, *k + 2 workers*...  Every later send is xdist's own.
    """

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        self._dealt = False

    def _send_tests(self, node: Any, num: int) -> None:
        if not self._dealt and num > 1:  # num == 1: xdist already deals one by one (few tests)
            workers = len(self.nodes)
            front = self.pending[: num * workers]
            self.pending[: len(front)] = [index for k in range(workers) for index in front[k::workers]]
        self._dealt = True
        super()._send_tests(node, num)
