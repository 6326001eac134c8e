"""Fixtures for the mock gateway's inference-plane tests.

Most tests talk to an app in-process through :class:`MockClient`, which drives the ASGI app
directly and keeps every ``http.response.body`` message apart: that is how the tests see that a
stream is written chunk by chunk (and that ``buffered-stream`` writes it once) without sockets.
Tests of the real server (uvicorn, the openai SDK, timing) use ``MockServer`` instead.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.types import Message

from gatecheck.mock.app import create_app
from gatecheck.mock.inference.context import Context
from gatecheck.mock.settings import MockSettings
from gatecheck.sse import SSEComment, SSEEvent, decode_all

FLAVORS = ("requesty", "openrouter")
USER = [{"role": "user", "content": "What is an LLM gateway?"}]
_DEFAULT = object()


@dataclass
class Reply:
    """One response as the server wrote it: status, headers and each body write separately."""

    status: int
    headers: dict[str, str]
    writes: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.writes)

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def events(self) -> list[SSEEvent]:
        items, unterminated = decode_all(self.body)
        assert unterminated is None, f"stream ended inside an event: {unterminated!r}"
        return [item for item in items if isinstance(item, SSEEvent)]

    @property
    def comments(self) -> list[str]:
        return [item.text for item in decode_all(self.body)[0] if isinstance(item, SSEComment)]

    @property
    def data(self) -> list[Any]:
        """Each event's data, parsed as JSON, except the ``[DONE]`` sentinel which stays a string."""
        return [e.data if e.data == "[DONE]" else json.loads(e.data) for e in self.events]


async def _call(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> Reply:
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    sent = False
    reply = Reply(0, {})

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # never disconnects
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            reply.status = message["status"]
            reply.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message.get("body"):
            reply.writes.append(message["body"])

    await app(scope, receive, send)
    return reply


class MockClient:
    """An in-process mock of one flavor, with the keys filled in."""

    def __init__(self, settings: MockSettings) -> None:
        self.settings = settings
        self.app = create_app(settings)

    @property
    def ctx(self) -> Context:
        return self.app.state.mock

    @property
    def flavor(self) -> str:
        return self.settings.flavor

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        key: Any = _DEFAULT,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        root: bool = False,
    ) -> Reply:
        """``path`` is relative to the flavor's prefix unless ``root``; ``key=None`` sends none."""
        token = self.settings.api_key if key is _DEFAULT else key
        sent = {"content-type": "application/json", **(headers or {})}
        if token is not None:
            sent["authorization"] = f"Bearer {token}"
        content = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        sent["content-length"] = str(len(content))
        pairs = [(k.lower().encode(), v.encode()) for k, v in sent.items()]
        full = path if root else self.settings.prefix + path
        return asyncio.run(_call(self.app, method, full, pairs, content))

    def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("POST", path, body, **kw)

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def chat(self, **body: Any) -> Reply:
        return self.post("/chat/completions", {"model": "openai/gpt-4o-mini", "messages": USER, **body})

    def admin(self, method: str, path: str, body: Any = None) -> Reply:
        return self.request(method, "/_mock" + path, body, key=self.settings.admin_key, root=True)

    def faults(self, *names: str) -> None:
        reply = self.admin("PUT", "/faults", {"faults": list(names)})
        assert reply.status == 200, reply.body

    def plan(self, *entries: dict[str, Any]) -> None:
        reply = self.admin("PUT", "/fault-plan", {"fault_plan": list(entries)})
        assert reply.status == 200, reply.body

    def close(self) -> None:
        self.ctx.close()


MakeMock = Callable[..., MockClient]


class _Factory:
    """Makes mocks and closes them all at the end of its scope."""

    def __init__(self) -> None:
        self.made: list[MockClient] = []

    def __call__(self, flavor: str = "requesty", **settings: Any) -> MockClient:
        self.made.append(MockClient(MockSettings(flavor=flavor, **settings)))  # type: ignore[arg-type]
        return self.made[-1]

    def close(self) -> None:
        for client in self.made:
            client.close()


@pytest.fixture
def make_mock() -> Iterator[MakeMock]:
    """``make_mock(flavor, **settings)``: a fresh in-process mock, closed after the test."""
    factory = _Factory()
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def module_mock_factory() -> Iterator[MakeMock]:
    """Like ``make_mock``, for module-scoped fixtures (baselines computed once)."""
    factory = _Factory()
    yield factory
    factory.close()


@pytest.fixture(params=FLAVORS)
def mock(request: pytest.FixtureRequest, make_mock: MakeMock) -> MockClient:
    """A fresh mock of each flavor."""
    return make_mock(request.param)


@pytest.fixture
def requesty(make_mock: MakeMock) -> MockClient:
    return make_mock("requesty")


@pytest.fixture
def openrouter(make_mock: MakeMock) -> MockClient:
    return make_mock("openrouter")
