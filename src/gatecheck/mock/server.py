"""``MockServer``: the mock on uvicorn in a background thread, for fixtures and ``gatecheck run``.

Binding the socket ourselves (port 0 by default) gives a free port with no race between choosing
and listening, and lets ``start`` return only once uvicorn accepts connections.  uvicorn's
logging config is left alone (``log_config=None``) so embedding the mock never reconfigures the
host's logging; the access log is off because it costs throughput and would log every request.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.applications import Starlette

from gatecheck.errors import TargetUnreachable
from gatecheck.mock.app import create_app
from gatecheck.mock.inference.context import Context
from gatecheck.mock.settings import MockSettings

__all__ = ["BACKLOG", "MockServer", "uvicorn_config"]

_START_TIMEOUT = 15.0
BACKLOG = 4096  # the listen queue: benchmarks open thousands of connections at once


def uvicorn_config(app: Starlette, host: str = "127.0.0.1", port: int = 0) -> uvicorn.Config:
    """The uvicorn settings the mock always runs with (uvloop/httptools when installed)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=2,
        # Longer than any client pool's idle expiry (httpx 5 s, aiohttp 15 s): with uvicorn's 5 s a
        # proxy in front reuses a connection the mock is closing and reports "Connection error".
        timeout_keep_alive=75,
        backlog=BACKLOG,
        lifespan="on",
    )


class MockServer:
    """Run a mock gateway on 127.0.0.1 in a thread; use as a context manager."""

    def __init__(
        self, settings: MockSettings | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.settings = settings or MockSettings()
        self.host, self._port = host, port
        self.app: Starlette | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("MockServer is not started")
        return self._port

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT``: where ``/_mock/`` lives."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The flavor's API base URL, prefix included: what a client's ``base_url`` should be."""
        return self.root_url + self.settings.prefix

    @property
    def context(self) -> Context:
        if self.app is None:
            raise RuntimeError("MockServer is not started")
        return self.app.state.mock

    def start(self) -> MockServer:
        """Serve, and return once connections are accepted."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port))
        sock.listen(BACKLOG)  # connections queue from here on, even before uvicorn accepts them
        self._port = sock.getsockname()[1]
        self.app = create_app(self.settings)
        self._server = uvicorn.Server(uvicorn_config(self.app, self.host, self._port))
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"gatecheck-mock-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise TargetUnreachable(f"the mock gateway did not start on {self.host}:{self._port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread; open streams get a short grace period."""
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=5)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout=5)
        if self.app is not None:
            self.app.state.mock.close()  # idempotent; covers a server that never ran its lifespan
        self._server = self._thread = None

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
