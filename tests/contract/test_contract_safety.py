"""Real-target safety: what may be sent, the budget, Retry-After, and cleaning up what was created."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from gatecheck.budget import Budget
from gatecheck.checks.safety import (
    BudgetSession,
    ResourceTracker,
    cap_body,
    classify,
)
from gatecheck.errors import BudgetExhausted
from gatecheck.profiles import get_profile
from gatecheck.redact import Redactor
from gatecheck.retry import Ledger, Pause, RetryPolicy
from gatecheck.specs.registry import load_spec


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("GET", "/models", "read"),
        ("POST", "/chat/completions", "inference"),
        ("POST", "/embeddings", "inference"),
        ("POST", "/api-keys", "write"),
        ("PATCH", "/api-keys/{key_id}/limit", "write"),
        ("DELETE", "/api-keys/{key_id}", "write"),
    ],
)
def test_operations_are_reads_inference_or_writes(method: str, path: str, kind: str) -> None:
    assert classify(method, path, get_profile("requesty")) == kind


def test_openrouter_writes_include_payments_and_auth_codes() -> None:
    profile = get_profile("openrouter")
    assert classify("POST", "/credits/coinbase", profile) == "write"
    assert classify("POST", "/auth/keys/code", profile) == "write"
    assert classify("POST", "/rerank", profile) == "inference"


def test_generated_bodies_are_capped_without_turning_invalid_data_valid() -> None:
    body = {"max_tokens": 100_000, "max_completion_tokens": 17, "max_output_tokens": 8, "n": 5, "model": "m"}
    assert cap_body(body) == {
        "max_tokens": 16,
        "max_completion_tokens": 16,
        "max_output_tokens": 8,
        "n": 1,
        "model": "m",
    }
    assert body["max_tokens"] == 100_000  # the generated value is not mutated in place
    for invalid in ({"max_tokens": -5}, {"max_tokens": "many"}, {"max_tokens": True}, {"n": 0}):
        assert cap_body(invalid) == invalid
    assert cap_body(["not", "an", "object"]) == ["not", "an", "object"]


class _Answer(BaseAdapter):
    """A transport that answers every request with the same JSON body, recording what it got."""

    def __init__(self, body: dict[str, Any], *, limited: int = 0) -> None:
        super().__init__()
        self.body, self.sent, self.limited = body, 0, limited

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent += 1
        response = requests.Response()
        response.status_code, response.request = 200, request
        if self.sent <= self.limited:  # the first ``limited`` requests are rate-limited
            response.status_code = 429
            response.headers["Retry-After"] = "4"
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(self.body).encode()
        return response

    def close(self) -> None:
        pass


def test_the_budget_is_charged_before_sending_and_never_exceeded() -> None:
    budget = Budget(max_requests=3)
    session = BudgetSession(budget)
    transport = _Answer({"usage": {"total_tokens": 7}})
    session.mount("http://", transport)
    for _ in range(3):
        session.get("http://gateway.test/v1/models")
    with pytest.raises(BudgetExhausted, match="request budget spent"):
        session.get("http://gateway.test/v1/models")
    assert (transport.sent, budget.requests, budget.tokens) == (3, 3, 21)


def test_a_429_is_waited_out_and_each_retry_is_charged() -> None:
    """schemathesis' requests and its checks' probes go through the session: one policy for both."""
    slept: list[float] = []
    policy = RetryPolicy(sleep=slept.append, clock=lambda: sum(slept), pause=Pause(), ledger=Ledger())
    budget = Budget(max_requests=10)
    session = BudgetSession(budget, policy)
    transport = _Answer({"usage": {"total_tokens": 3}}, limited=2)
    session.mount("http://", transport)
    assert session.post("http://gateway.test/v1/chat/completions", json={}).status_code == 200
    assert (transport.sent, budget.requests, budget.tokens, slept) == (3, 3, 3, [4.0, 4.0])
    assert [s.operation for s in policy.ledger.sightings(429)] == ["POST /v1/chat/completions"] * 2


def test_a_spent_token_budget_stops_further_requests() -> None:
    budget = Budget(max_tokens=10)
    session = BudgetSession(budget)
    session.mount("http://", _Answer({"usage": {"total_tokens": 12}}))
    # reserved before sending: 5 output tokens plus the prompt's size, within 10
    session.post("http://gateway.test/v1/chat/completions", json={"max_tokens": 5})
    assert budget.tokens == 12  # the answer's usage replaced the reservation
    with pytest.raises(BudgetExhausted, match="token budget spent"):
        session.post("http://gateway.test/v1/chat/completions", json={"max_tokens": 5})


def test_created_resources_are_found_through_the_specs_links_and_deleted() -> None:
    redactor = Redactor()
    tracker = ResourceTracker(load_spec("openrouter").document, redactor=redactor)
    created = tracker.observe(
        "POST", "/keys", "/keys", 201, {"data": {"hash": "h1"}, "key": "sk-or-v1-" + "a" * 40}
    )
    assert created is not None and created.path == "/keys/h1"
    tracker.observe("POST", "/guardrails", "/guardrails", 201, {"data": {"id": "g1"}})
    tracker.observe("POST", "/guardrails", "/guardrails", 400, {"error": {"message": "no"}})
    tracker.observe("DELETE", "/keys/{hash}", "/keys/h1", 200, {"deleted": True})
    assert [c.path for c in tracker.created] == ["/guardrails/g1"]
    assert "sk-or-v1-" + "a" * 40 in redactor.secrets

    deleted: list[str] = []
    assert tracker.cleanup(lambda path: deleted.append(path) or 200) == []
    assert deleted == ["/guardrails/g1"] and tracker.created == []


def test_cleanup_reports_what_it_could_not_delete_and_goes_on() -> None:
    tracker = ResourceTracker(load_spec("requesty").document, redactor=Redactor())
    for key_id in ("k1", "k2"):
        tracker.observe("POST", "/api-keys", "/api-keys", 200, {"id": key_id, "key": "x"})

    def delete(path: str) -> int:
        if path.endswith("k2"):
            raise requests.ConnectionError("gone")
        return 500

    leftovers = tracker.cleanup(delete)
    assert len(leftovers) == 2 and "ConnectionError" in leftovers[0] and "500" in leftovers[1]
