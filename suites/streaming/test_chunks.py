"""What each chunk says: the role up front, a stable identity, one finish_reason at the end."""

from __future__ import annotations

import pytest

from gatecheck.checks import stream as checks
from gatecheck.checks.stream import StreamCapture

pytestmark = pytest.mark.capability("streaming")


def test_first_chunk_announces_the_assistant_role(plain_stream: StreamCapture) -> None:
    """The first chunk carries delta.role: assistant"""
    checks.check_status(plain_stream)
    checks.check_first_chunk_role(plain_stream)


def test_chunk_identity_is_constant(plain_stream: StreamCapture) -> None:
    """Every chunk is a chat.completion.chunk with the same id, model and created"""
    checks.check_status(plain_stream)
    checks.check_chunk_identity(plain_stream)


def test_one_finish_reason_on_the_last_chunk(plain_stream: StreamCapture) -> None:
    """Exactly one finish_reason is sent, on the last content chunk"""
    checks.check_status(plain_stream)
    checks.check_single_finish_reason(plain_stream)
