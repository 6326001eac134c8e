"""SIGINT and SIGTERM during ``gatecheck run``: stop the run, but never its last reports.

CI cancels a job with SIGTERM (to the process, or to its whole group), a user presses Ctrl-C.
Either ends the run within seconds as *interrupted*, and the reports are then written once
more with the real exit code.  A signal that arrives while those final reports are being
written (a process-group signal often arrives twice: once from CI, once relayed) is held, not
acted on: interrupting the writing would leave results.json saying ``running``.  From then on
the exit code is the one results.json records, so the process must not die by a signal either;
a caller that ends the process right after the run (the CLI) ignores both signals from then on
(:meth:`Interruptions.settle`) instead of putting the default handlers back.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["EXIT_INTERRUPTED", "Interruptions"]

#: The shell's convention for a process stopped by SIGINT; never 1, which means conformance failures.
EXIT_INTERRUPTED = 130

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class Interruptions:
    """The run's signal policy: interrupt while it runs, hold once it is writing its final reports."""

    def __init__(self) -> None:
        self.holding = False
        self.held: int | None = None  # the first signal that arrived while holding
        self._previous: dict[int, _Handler] = {}

    def install(self) -> bool:
        """Take over SIGINT and SIGTERM; False (and nothing changed) outside the main thread."""
        if threading.current_thread() is not threading.main_thread():
            return False  # embedded use: signals are the embedding program's business
        for signum in _SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return True

    def restore(self) -> None:
        """Give the signals back to whoever had them before :meth:`install`."""
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def hold(self) -> None:
        """From now on a signal is remembered, not raised: the final reports are being written."""
        self.holding = True

    def settle(self) -> None:
        """The run is over and the process about to end: ignore both signals from now on.

        Python puts the default action back for every signal with a Python handler while the
        interpreter shuts down (``_PySignal_Fini``); a SIGTERM in that stretch would end the
        process with -15 after results.json recorded another code.  An ignored signal stays ignored.
        """
        if threading.current_thread() is threading.main_thread():
            for signum in _SIGNALS:
                signal.signal(signum, signal.SIG_IGN)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.holding:
            self.held = self.held or signum
            return
        raise KeyboardInterrupt
