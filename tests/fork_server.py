"""Start suite runs by forking a process that has already imported pytest and gatecheck.

A suite run in a fresh ``python -m pytest`` pays about 1.4 CPU-seconds before its first test:
the interpreter, pytest's configuration, and the import (with assertion rewriting) of every
gatecheck module, because gatecheck is a pytest plugin.  About 200 runs in the tests made that
most of the suite's time.  A fork server pays it once: this module, run as a script, imports
what every run imports and then, for each request, forks a child that runs ``pytest.main``
with the request's arguments, working directory and environment, and exits with its code.

Each run is still a fresh process with its own mock, its own module state and nothing shared
with the next run; what the child inherits is exactly the server's state after its imports.
Where that differs from a fresh interpreter, the child puts it back: ``sys.path[0]`` is the
working folder as under ``python -m``, the environment (and the temp folder it names) is the
request's, ``random`` is seeded anew.  Modules imported before pytest starts cannot be
assertion-rewritten (pytest warns, and the warning is ignored); the only asserts in ``src/``
are internal invariants.

The server is single-threaded (fork in a threaded process is unsafe) and serves one run at a
time over its stdin and stdout, one JSON line each way; ``ForkServers`` lends each server to
one run at a time (``suite_runs.run_pytest``).  ``GATECHECK_TESTS_NO_FORK=1``, or a platform
without ``fork``, makes every run a plain subprocess; ``tests/proofs/test_fork_server.py``
shows both give the same verdicts.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import queue
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

#: Set to 1 to run every suite in a plain subprocess instead (a fork server is then never started).
NO_FORK_ENV = "GATECHECK_TESTS_NO_FORK"
#: What a suite run imports before its first test: imported once by the server, not once per run.
#: (Not schemathesis: only the contract suite's runs import it, and the others block its plugin.)
PRELOAD = (
    "pytest",
    "_pytest.junitxml",
    "_pytest.pytester",
    "gatecheck.plugin",
    "gatecheck.mock.app",
    "gatecheck.mock.server",
    "gatecheck.scenario",
    "gatecheck.checks",
    "httpx",
    "httpcore",
    "h2.connection",
    "requests",
    "openapi_spec_validator",
    "jsonschema_path",
    "uvicorn",
    "starlette",
    "anyio._backends._asyncio",
)
_IGNORE_REWRITE_WARNING = ("-W", "ignore::pytest.PytestAssertRewriteWarning")

__all__ = ["NO_FORK_ENV", "ForkServer", "ForkServers", "fork_available"]


def fork_available() -> bool:
    """Whether runs may use a fork server here (POSIX with ``fork``, and not switched off)."""
    return hasattr(os, "fork") and os.environ.get(NO_FORK_ENV, "") in ("", "0")


class ForkServer:
    """A client of one server process: ``run`` blocks until the forked run has exited.

    One run at a time: ``ForkServers`` lends each server to one thread at a time.
    """

    def __init__(self, env: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            bufsize=0,  # unbuffered, so select() never misses a line already read into a buffer
        )

    def run(self, args: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str, str]:
        """Run ``pytest.main(args)`` in a forked child: its exit code, stdout and stderr.

        The exit code is what ``subprocess`` would give (negative for a signal); a child that
        runs past ``timeout`` is killed and ``subprocess.TimeoutExpired`` raised.
        """
        assert self._process.stdin is not None
        with tempfile.TemporaryDirectory(prefix="gatecheck-fork-") as folder:
            out = Path(folder) / "output"
            request = {"args": args, "cwd": str(cwd), "env": env, "out": str(out)}
            self._process.stdin.write((json.dumps(request) + "\n").encode())
            deadline = time.monotonic() + timeout
            pid = int(self._reply(deadline)["pid"])
            try:
                code = int(self._reply(deadline)["returncode"])
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self._reply(None)  # the server has reaped it
                raise subprocess.TimeoutExpired(args, timeout) from None
            stdout, stderr = (
                Path(f"{out}{part}").read_text(encoding="utf-8", errors="replace")
                for part in (".stdout", ".stderr")
            )
        return code, stdout, stderr

    def _reply(self, deadline: float | None) -> dict[str, Any]:
        stream = self._process.stdout
        assert stream is not None
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([stream], [], [], remaining)
        if not ready:
            raise subprocess.TimeoutExpired("fork server", remaining or 0.0)
        line = stream.readline()
        if not line:
            raise RuntimeError(f"the fork server exited (code {self._process.wait()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def close(self) -> None:
        """End the server (it exits when its stdin closes) and reap it, so its CPU time is counted."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class ForkServers:
    """The session's fork servers, each lent to one run at a time; a new one starts when all are busy.

    As many servers as runs ever ran at once (the suite runner's workers, a test's own runs).
    """

    def __init__(self, env: dict[str, str]) -> None:
        self._env = env
        self._idle: queue.SimpleQueue[ForkServer] = queue.SimpleQueue()
        self._all: list[ForkServer] = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def lease(self) -> Iterator[ForkServer]:
        try:
            server = self._idle.get_nowait()
        except queue.Empty:
            server = ForkServer(self._env)
            with self._lock:
                self._all.append(server)
        try:
            yield server
        finally:
            self._idle.put(server)

    def close(self) -> None:
        with self._lock:
            servers, self._all = self._all, []
        for server in servers:
            server.close()


def _child(request: dict[str, Any], requests: IO[bytes], replies: IO[bytes]) -> None:
    """In the forked child: become a fresh ``python -m pytest`` run, then exit with its code."""
    code = 70  # EX_SOFTWARE, should anything below fail before pytest returns
    try:
        requests.close()
        replies.close()
        out = request["out"]
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, suffix in ((1, ".stdout"), (2, ".stderr")):
            target = os.open(out + suffix, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path.insert(0, request["cwd"])  # as ``python -m`` puts the working folder first
        sys.argv = [sys.executable, "-m", "pytest", *request["args"]]
        import random

        random.seed()
        tempfile.tempdir = None  # found again from the request's TMPDIR, should an import have cached it
        import pytest

        code = int(pytest.main([*request["args"], *_IGNORE_REWRITE_WARNING]))
    except BaseException:  # whatever happened, the parent gets an exit code and the traceback
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed stream has nothing left to flush
                stream.flush()
        os._exit(code)


def _serve() -> None:
    """Read one request a line from stdin, fork a run for it, answer its pid and then its exit code."""
    requests, replies = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb", buffering=0)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # nothing printed by an import can corrupt the replies
    sys.path.pop(0)  # this file's folder: a run's sys.path starts with its working folder instead
    for name in PRELOAD:
        __import__(name)
    # What the imports made lives as long as the process: out of the collector's sight, so a run's
    # full collections (pytest makes two at its end) walk only what the run made (0.5 CPU-s a run)
    gc.freeze()
    for line in requests:
        if threading.active_count() != 1:
            raise RuntimeError("the fork server must not have threads when it forks")
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request, requests, replies)
        replies.write((json.dumps({"pid": pid}) + "\n").encode())
        _, status = os.waitpid(pid, 0)
        replies.write((json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n").encode())


if __name__ == "__main__":
    _serve()
