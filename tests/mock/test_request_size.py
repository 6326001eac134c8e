"""The mock refuses oversized requests on every route, and a large answer never stalls it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings

if TYPE_CHECKING:
    from conftest import MakeMock

SMALL = "openai/text-embedding-3-small"
CAP = 2000


def _is_413_envelope(status: int, body: dict[str, object]) -> bool:
    error = body.get("error")
    return (
        status == 413 and isinstance(error, dict) and error.get("code") == 413 and bool(error.get("message"))
    )


def test_every_plane_refuses_a_body_over_the_cap(make_mock: MakeMock) -> None:
    """Inference, management and the admin API answer 413 with the envelope above max_body_bytes"""
    mock = make_mock("requesty", max_body_bytes=CAP)
    big = "x" * (CAP + 1)
    inference = mock.post("/embeddings", {"model": SMALL, "input": big})
    management = mock.post("/api-keys", {"name": big}, key=mock.settings.admin_key)
    admin = mock.admin("PUT", "/faults", {"faults": [big]})
    for reply in (inference, management, admin):
        assert _is_413_envelope(reply.status, reply.json()), (reply.status, reply.body[:200])
    assert mock.post("/api-keys", {"name": "small"}, key=mock.settings.admin_key).status in (200, 201)


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"name": "'
    for _ in range(size // 1000):
        yield b"x" * 1000
    yield b'"}'


@pytest.mark.slow
def test_a_body_without_a_length_is_counted_and_refused() -> None:
    """A chunked body (no Content-Length) is refused with 413 once it passes the cap"""
    settings = MockSettings(max_body_bytes=CAP)
    with MockServer(settings) as server, httpx.Client(base_url=server.base_url, timeout=30) as client:
        headers = {"Authorization": f"Bearer {settings.admin_key}", "Content-Type": "application/json"}
        reply = client.post("/api-keys", content=_chunks(50 * CAP), headers=headers)
        assert "content-length" not in {k.lower() for k in reply.request.headers}
        assert _is_413_envelope(reply.status_code, reply.json()), reply.text[:200]


def test_many_small_embedding_inputs_are_refused_not_answered(make_mock: MakeMock) -> None:
    """100,000 short inputs (a 500 KB body, under the byte cap) are a 400 naming input, not 3 GB"""
    mock = make_mock("requesty")
    reply = mock.post("/embeddings", {"model": SMALL, "input": ["hi"] * 100_000})
    assert reply.status == 400, reply.body[:200]
    error = reply.json()["error"]
    assert error["param"] == "input" and "2048" in error["message"]
    assert mock.post("/embeddings", {"model": SMALL, "input": ["hi"] * 3}).status == 200


@pytest.mark.slow
def test_the_mock_answers_others_while_it_builds_a_large_answer() -> None:
    """/_mock/health keeps answering while the largest allowed embeddings answer is being built"""
    settings = MockSettings()
    with MockServer(settings) as server:
        done = threading.Event()
        status: list[int] = []

        def large() -> None:
            body = {"model": SMALL, "input": [f"text {i}" for i in range(settings.max_embedding_inputs)]}
            headers = {"Authorization": f"Bearer {settings.api_key}"}
            with (
                httpx.Client(base_url=server.base_url, timeout=120) as client,
                client.stream("POST", "/embeddings", json=body, headers=headers) as answer,
            ):
                done.set()  # the headers came: the answer is built (sending it never blocked anyone)
                status.append(answer.status_code)

        worker = threading.Thread(target=large)
        worker.start()
        answered_meanwhile = 0
        with httpx.Client(base_url=server.root_url, timeout=120) as health:
            while not done.is_set():
                if health.get("/_mock/health").status_code == 200 and not done.is_set():
                    answered_meanwhile += 1
        worker.join()
    assert status == [200]
    # built on the event loop, it let through only the few that came before its body (0 to 3 seen);
    # built in a worker thread, hundreds (about 300 seen): the line between is far from both
    assert answered_meanwhile >= 20, answered_meanwhile
