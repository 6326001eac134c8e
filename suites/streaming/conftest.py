"""One captured stream per kind, shared by the framing scenarios so a real target is asked once."""

from __future__ import annotations

import pytest

from gatecheck.checks.stream import StreamCapture, capture_stream
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, operation


def _capture(gateway: Gateway, profile: Profile, **options: bool) -> StreamCapture:
    path = profile.path("chat")
    with gateway.client() as client:
        return capture_stream(
            client, path, chat_request(profile, stream=True, **options), operation=operation("POST", path)
        )


@pytest.fixture(scope="session")
def plain_stream(gateway: Gateway, profile: Profile) -> StreamCapture:
    """A short streamed answer without ``stream_options``."""
    return _capture(gateway, profile)


@pytest.fixture(scope="session")
def usage_stream(gateway: Gateway, profile: Profile) -> StreamCapture:
    """A short streamed answer with ``stream_options.include_usage``."""
    return _capture(gateway, profile, include_usage=True)
