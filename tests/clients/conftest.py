"""The client matrix: real client libraries against the built-in mock, one feature per test.

Each module starts one mock per flavor it needs (module scope) on loopback, so the matrix stays
fast; the mock's stream pacing is left at zero.  A failure names the client, the feature and
what came back (``client_matrix.expect``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings


def _serve(flavor: str) -> Iterator[MockServer]:
    with MockServer(MockSettings(flavor=flavor)) as server:  # type: ignore[arg-type]
        yield server


@pytest.fixture(scope="module", params=["requesty", "openrouter"])
def server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A running mock of each flavor, shared by the module's tests."""
    yield from _serve(request.param)


@pytest.fixture(scope="module")
def openrouter_server() -> Iterator[MockServer]:
    """A running OpenRouter-flavored mock (for /messages), shared by the module's tests."""
    yield from _serve("openrouter")
