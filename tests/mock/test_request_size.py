"""The mock refuses oversized requests on every route, and a large answer never stalls it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from gatecheck.mock.inference import embeddings
from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings

if TYPE_CHECKING:
    from conftest import MakeMock

SMALL = "openai/text-embedding-3-small"
CAP = 2000
HOLD = 30.0  # seconds a held build waits at most: far above any answer, short of a hung CI job


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


class _Held:
    """Wraps a function so that each call announces itself and then waits until the test lets it go.

    Holding the build open makes the test count events instead of racing a clock: if the build ran on
    the event loop, the health check below would get no answer at all while it is held.
    """

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        self.release.wait(HOLD)
        return self.function(*args, **kwargs)


def test_the_mock_answers_others_while_it_builds_a_large_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """/_mock/health keeps answering while the largest allowed embeddings answer is being built"""
    holds = [_Held(embeddings._vectors), _Held(embeddings.json_response)]
    monkeypatch.setattr(embeddings, "_vectors", holds[0])
    monkeypatch.setattr(embeddings, "json_response", holds[1])
    settings = MockSettings()
    status: list[int] = []
    with MockServer(settings) as server:

        def large() -> None:
            body = {"model": SMALL, "input": [f"text {i}" for i in range(settings.max_embedding_inputs)]}
            headers = {"Authorization": f"Bearer {settings.api_key}"}
            with httpx.Client(base_url=server.base_url, timeout=HOLD * 2) as client:
                status.append(client.post("/embeddings", json=body, headers=headers).status_code)

        worker = threading.Thread(target=large)
        worker.start()
        answered: list[int] = []
        try:
            # a short timeout only turns "the loop is blocked" into a failure instead of a hang
            with httpx.Client(base_url=server.root_url, timeout=HOLD / 2) as health:
                for hold in holds:
                    assert hold.entered.wait(HOLD), "the embeddings answer never reached this build step"
                    answered += [health.get("/_mock/health").status_code for _ in range(3)]
                    hold.release.set()
        finally:
            for hold in holds:
                hold.release.set()
            worker.join()
    assert status == [200]
    assert answered == [200] * 6
