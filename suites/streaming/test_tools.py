"""Streamed tool calls: fragments a client can put back together."""

from __future__ import annotations

import httpx
import pytest

from gatecheck.checks import stream as checks
from gatecheck.profiles import Profile
from gatecheck.scenario import capture_stream, tool_request

pytestmark = [pytest.mark.capability("streaming"), pytest.mark.capability("tools")]


def test_streamed_tool_calls_reassemble(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """Streamed tool calls carry an id first, an index always, and arguments that join into JSON"""
    capture = capture_stream(client, chat_path, tool_request(profile, stream=True), operation=chat_op)
    checks.check_status(capture)
    checks.check_tool_call_deltas(capture)
