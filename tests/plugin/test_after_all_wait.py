"""An ``after_all`` test on an xdist worker waits for the other workers' tests, never forever."""

from __future__ import annotations

from gatecheck.plugin.ratelimits import wait_for_others


class FakeTime:
    """A clock that advances only when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1


def test_it_returns_once_every_other_test_has_finished() -> None:
    time = FakeTime()
    reads = iter([set(), {"a"}, {"a", "b"}, {"a", "b", "c"}])
    missing = wait_for_others({"a", "b", "c"}, lambda: next(reads), clock=time.clock, sleep=time.sleep)
    assert missing == set() and time.sleeps == 3


def test_it_keeps_waiting_while_tests_keep_finishing() -> None:
    time = FakeTime()
    done: set[str] = set()
    expected = {f"t{i}" for i in range(50)}

    def finished() -> set[str]:
        if time.sleeps % 20 == 0 and len(done) < 50:  # one finishes every 2 s: slow, but progressing
            done.add(f"t{len(done)}")
        return set(done)

    missing = wait_for_others(expected, finished, clock=time.clock, sleep=time.sleep, stall=5.0)
    assert missing == set() and time.now > 5.0


def test_it_gives_up_when_nothing_finishes_for_the_stall_time() -> None:
    time = FakeTime()
    missing = wait_for_others({"a", "b"}, lambda: {"a"}, clock=time.clock, sleep=time.sleep, stall=3.0)
    assert missing == {"b"} and time.sleeps == 30
