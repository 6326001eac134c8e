"""Run one suite's pytest process, tail its event file, and keep a redacted log of its output.

A subprocess per suite, not ``pytest.main`` in this process: a suite that crashes the
interpreter, calls ``pytest.exit`` or leaks global state (registries, the mock, environment)
takes down only its own process; the parent still writes reports that say which suite died and
how.  It also lets each suite start from clean imports, the way CI would run it.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gatecheck.redact import Redactor

__all__ = ["ChildResult", "run_child"]

_POLL = 0.1
_GRACE = 5.0


@dataclass(frozen=True)
class ChildResult:
    """How the process ended and how long it took."""

    exit_code: int
    duration_s: float
    log_tail: list[str]


class _Tail:
    """Reads whole JSON lines appended to a file since the last call."""

    def __init__(self, path: Path) -> None:
        self._handle = path.open("rb")
        self._partial = b""

    def read(self) -> list[dict[str, Any]]:
        chunk = self._handle.read()
        if not chunk:
            return []
        lines = (self._partial + chunk).split(b"\n")
        self._partial = lines.pop()
        events = []
        for line in lines:
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # never fatal: the reports say what the events did say
        return events

    def close(self) -> None:
        self._handle.close()


def _pump(stream: IO[bytes], log: IO[str], redactor: Redactor, tail: list[str]) -> None:
    """Copy the child's output to its log until the pipe ends, or is closed under it.

    The pipe may stay open after the child is stopped: its xdist workers hold it until they see
    their controller gone (a few seconds).  ``run_child`` then closes it after a grace period,
    and this thread's pending read ends with ValueError or OSError; that is the end, not an error.
    """
    with contextlib.suppress(ValueError, OSError):
        for raw in iter(stream.readline, b""):
            line = redactor.text(raw.decode("utf-8", "replace"))
            log.write(line)
            log.flush()
            tail.append(line.rstrip("\n"))
            del tail[:-40]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(_GRACE)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_child(
    argv: list[str],
    *,
    env: dict[str, str],
    events: Path,
    log_path: Path,
    redactor: Redactor,
    on_event: Callable[[dict[str, Any]], None],
    on_tick: Callable[[], None] = lambda: None,
    deadline: float | None = None,
    keep_fds: tuple[int | None, ...] = (),
) -> ChildResult:
    """Run ``argv`` to completion, feeding each event to ``on_event`` as it is written.

    At ``deadline`` (a ``time.monotonic()`` value: the run's --max-duration) the process is
    stopped, as a hung suite would otherwise hold the run forever.  ``keep_fds`` are inherited
    (the work folder's lock: held while the process lives, even if this one is killed).
    """
    events.touch()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started, tail_lines = time.monotonic(), list[str]()
    tail = _Tail(events)
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            argv,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            pass_fds=tuple(fd for fd in keep_fds if fd is not None),
        )
        assert proc.stdout is not None
        pump = threading.Thread(target=_pump, args=(proc.stdout, log, redactor, tail_lines), daemon=True)
        pump.start()
        try:
            while True:
                finished = proc.poll() is not None
                for event in tail.read():
                    on_event(event)
                on_tick()
                if finished:
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    _stop(proc)
                    continue
                time.sleep(_POLL)
            for event in tail.read():
                on_event(event)
        finally:
            _stop(proc)
            # Interrupted mid-run: what the child wrote before it stopped still counts (a suite
            # that finished just before Ctrl-C is reported as finished, not as running).
            for event in tail.read():
                on_event(event)
            pump.join(timeout=_GRACE)
            proc.stdout.close()
            tail.close()
    return ChildResult(proc.returncode, time.monotonic() - started, list(tail_lines))
