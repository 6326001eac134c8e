"""Fixtures every scenario suite shares; everything else comes from :mod:`gatecheck.scenario`.

The plugin (``gatecheck.plugin``) gives ``gateway``, ``profile``, ``client`` and the other
clients; this adds what several suites need on top:

``chat_path`` / ``chat_op``
    the chat endpoint's path and its operation label for failures.
``upstream_failure(failure, *, model=None, count=None)``
    makes the chat model's simulated upstream fail (``500``, ``502``, ``429``, ``timeout``,
    ``cut-before-first-token``, ``cut-mid-stream``) through the mock's ``/_mock/fault-plan``;
    a scenario that asks for it is skipped on real gateways (nothing can be injected there).
``accounting_timeout``
    seconds to poll for usage and generation records: the mock records a request before it
    answers, so a short bound; real gateways account asynchronously, so the run's ``settle``
    limit (``gatecheck run --limit settle=S``, 20 s unless given).
``report_property(name, value)``
    pytest's ``record_property`` (the value lands in ``user_properties``, which every report
    writer reads) without its warning under JUnit's xunit2 family, which warnings-as-errors
    would turn into a test error.
``paced_streams``
    on the mock, spaces stream chunks a few milliseconds apart (through ``/_mock/timing``; a mock
    without it is a harness error, never a silent unpaced run) so time to first token means
    something, and gives the gap it set (seconds between content chunks the target is known to
    take); on a real gateway it does nothing and gives None: nobody knows how fast a real target
    produces its tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import MOCK_CONTROL
from gatecheck.errors import GatecheckError
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import expect_status, operation, settle_timeout

#: Seconds between chunks the mock is asked for, so 30-odd chunks take ~0.3 s end to end.
MOCK_CHUNK_GAP = 0.01


@pytest.fixture
def chat_path(profile: Profile) -> str:
    """The chat completions path of the target's profile."""
    return profile.path("chat")


@pytest.fixture
def chat_op(chat_path: str) -> str:
    """``POST /chat/completions``: the operation label failures of chat scenarios carry."""
    return operation("POST", chat_path)


@pytest.fixture
def report_property(request: pytest.FixtureRequest) -> Callable[[str, object], None]:
    """Record a measurement (time to first token, reads) on the test for the reports."""

    def record(name: str, value: object) -> None:
        request.node.user_properties.append((name, value))

    return record


@pytest.fixture(scope="session")
def accounting_timeout(gateway: Gateway) -> float:
    """How long to wait for a request to show in usage, generation stats and key spend."""
    return settle_timeout(gateway.is_mock)


def _put_plan(mock_control: httpx.Client, entries: list[dict[str, Any]]) -> None:
    response = mock_control.put("fault-plan", json={"fault_plan": entries})
    expect_status(response, 200, "PUT /_mock/fault-plan", check=MOCK_CONTROL)


@pytest.fixture
def upstream_failure(mock_control: httpx.Client, profile: Profile) -> Iterator[Callable[..., None]]:
    """``upstream_failure("500")`` makes every upstream of the chat model fail that way."""

    def inject(failure: str, *, model: str | None = None, count: int | None = None) -> None:
        target = model or profile.model("chat") or profile.default_model or "*"
        _put_plan(mock_control, [{"model": target, "failure": failure, "count": count}])

    yield inject
    _put_plan(mock_control, [])


def _timing(response: httpx.Response) -> dict[str, Any]:
    """The mock's stream timing; gatecheck's own mock refusing its admin API is a harness error."""
    if response.status_code != 200:
        raise GatecheckError(
            f"the mock's {response.request.method} /_mock/timing answered HTTP {response.status_code}: "
            "streams cannot be paced, so time to first token would mean nothing"
        )
    return dict(response.json())


@pytest.fixture
def paced_streams(gateway: Gateway, request: pytest.FixtureRequest) -> Iterator[float | None]:
    """Chunk spacing on the mock for the time the test runs; real gateways pace themselves."""
    if not gateway.is_mock:
        yield None
        return
    mock_control: httpx.Client = request.getfixturevalue("mock_control")
    before = _timing(mock_control.get("timing"))
    _timing(mock_control.put("timing", json={**before, "chunk_gap": MOCK_CHUNK_GAP}))
    yield MOCK_CHUNK_GAP
    mock_control.put("timing", json=before)
