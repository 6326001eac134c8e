"""How a stream is framed: media type, JSON data, comments, the closing sentinel."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gatecheck.checks import stream as checks
from gatecheck.checks.stream import StreamCapture

pytestmark = pytest.mark.capability("streaming")


def test_stream_is_served_as_event_stream(plain_stream: StreamCapture) -> None:
    """A streamed answer is served as text/event-stream"""
    checks.check_status(plain_stream)
    checks.check_content_type(plain_stream)


def test_every_data_payload_is_json(plain_stream: StreamCapture) -> None:
    """Every SSE data payload except [DONE] is a JSON object"""
    checks.check_status(plain_stream)
    checks.check_data_is_json(plain_stream)


@pytest.mark.capability("processing-comments")
def test_comments_stay_comments(
    plain_stream: StreamCapture, report_property: Callable[[str, object], None]
) -> None:
    """Keep-alive comments are sent as SSE comment lines, never as data"""
    checks.check_status(plain_stream)
    report_property("comment_lines", len(plain_stream.comments))
    checks.check_comments_stay_comments(plain_stream)


def test_done_sentinel_ends_the_stream(plain_stream: StreamCapture) -> None:
    """The stream ends with data: [DONE] and nothing follows it"""
    checks.check_status(plain_stream)
    checks.check_done_sentinel(plain_stream)
