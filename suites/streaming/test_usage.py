"""stream_options.include_usage: one usage chunk, with choices: [], right before [DONE]."""

from __future__ import annotations

import pytest

from gatecheck.checks import stream as checks
from gatecheck.checks.stream import StreamCapture
from gatecheck.profiles import Profile

pytestmark = [pytest.mark.capability("streaming"), pytest.mark.capability("stream-usage")]


def test_usage_chunk_comes_once_before_done(usage_stream: StreamCapture, profile: Profile) -> None:
    """With include_usage, one usage chunk with choices: [] and consistent totals precedes [DONE]"""
    checks.check_status(usage_stream)
    checks.check_usage_chunk(usage_stream, with_cost=profile.claims("usage-cost"))
    checks.check_done_sentinel(usage_stream)
