"""usage.cost: present, a price, and the price the target's own catalog gives for the tokens.

Tolerance: a reported cost may differ from prompt_tokens x input price + completion_tokens x
output price by 1e-9 USD plus 1 % of the expected cost (float rounding and cache discounts);
see ``gatecheck.checks.cost.COST_TOLERANCE``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gatecheck.check_ids import USAGE
from gatecheck.checks import stream as stream_checks
from gatecheck.checks.cost import check_cost_consistent, check_usage_cost, expected_cost
from gatecheck.profiles import Profile
from gatecheck.scenario import capture_stream, chat_request, expect_status, json_object, model_record, require

pytestmark = pytest.mark.capability("usage-cost")


def _plain_usage(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> tuple[str, dict[str, Any]]:
    response = client.post(chat_path, json=chat_request(profile))
    expect_status(response, 200, chat_op)
    answer = json_object(response, chat_op)
    return str(answer.get("model")), require(answer, "usage", operation=chat_op, check=USAGE)


def _streamed_usage(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> tuple[str, dict[str, Any]]:
    capture = capture_stream(
        client, chat_path, chat_request(profile, stream=True, include_usage=True), operation=chat_op
    )
    stream_checks.check_status(capture)
    usage = stream_checks.check_usage_chunk(capture, with_cost=True)
    models = [chunk.get("model") for _, chunk in stream_checks.content_chunks(capture)]
    return str(models[-1]), usage


def test_answer_reports_usage_cost(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A non-streamed answer reports usage.cost as a non-negative number"""
    _, usage = _plain_usage(client, profile, chat_path, chat_op)
    check_usage_cost(usage, operation=chat_op, where="the answer's usage")


@pytest.mark.capability("streaming")
@pytest.mark.capability("stream-usage")
def test_stream_usage_chunk_reports_cost(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """The final usage chunk of a stream reports usage.cost as a non-negative number"""
    _streamed_usage(client, profile, chat_path, chat_op)


@pytest.mark.capability("models")
@pytest.mark.parametrize("delivery", ["plain", "streamed"])
def test_cost_matches_the_catalog_price(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str, delivery: str
) -> None:
    """usage.cost equals the tokens priced at the target's own catalog price"""
    if delivery == "streamed" and not (profile.claims("streaming") and profile.claims("stream-usage")):
        pytest.skip("not applicable: the profile claims no stream usage chunk")
    read = _plain_usage if delivery == "plain" else _streamed_usage
    model, usage = read(client, profile, chat_path, chat_op)
    cost = check_usage_cost(usage, operation=chat_op)
    record = model_record(client, profile, model)
    prompt = require(usage, "prompt_tokens", operation=chat_op, check=USAGE)
    completion = require(usage, "completion_tokens", operation=chat_op, check=USAGE)
    check_cost_consistent(
        cost,
        expected_cost(record, prompt, completion, profile),
        operation=chat_op,
        basis=f"{prompt} prompt + {completion} completion tokens at {model}'s catalog price",
    )
