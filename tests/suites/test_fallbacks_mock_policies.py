"""The mock's ``/_mock/fallback-policies``, through which suites/fallbacks gives a Requesty-flavored
mock the ``policy/<name>`` chains its profile names (a real account has them configured)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from gatecheck.mock.app import create_app
from gatecheck.mock.settings import MockSettings

PRIMARY, SECONDARY = "openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-20241022"


@pytest.fixture
def mock() -> Iterator[tuple[TestClient, MockSettings]]:
    settings = MockSettings(flavor="requesty")
    with TestClient(create_app(settings)) as client:
        yield client, settings


def _chat(client: TestClient, settings: MockSettings, model: str) -> Any:
    body = {"model": model, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}
    return client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {settings.api_key}"}
    )


def test_a_policy_put_at_run_time_routes_its_chain(mock: tuple[TestClient, MockSettings]) -> None:
    client, settings = mock
    admin = {"Authorization": f"Bearer {settings.admin_key}"}
    assert _chat(client, settings, "policy/gc").status_code == 400
    policies = {"fallback_policies": {"gc": [PRIMARY, SECONDARY]}}
    put = client.put("/_mock/fallback-policies", json=policies, headers=admin)
    assert put.status_code == 200, put.text
    plan = {"fault_plan": [{"model": PRIMARY, "failure": "500"}]}
    assert client.put("/_mock/fault-plan", json=plan, headers=admin).status_code == 200
    answer = _chat(client, settings, "policy/gc")
    assert answer.status_code == 200 and answer.json()["model"] == SECONDARY
    assert client.get("/_mock/fallback-policies", headers=admin).json() == {
        "fallback_policies": {"gc": [PRIMARY, SECONDARY]}
    }


@pytest.mark.parametrize(
    "body",
    [{"fallback_policies": {"gc": []}}, {"fallback_policies": {"gc": ["acme/none"]}}, {"gc": [PRIMARY]}, []],
    ids=["empty-chain", "unknown-model", "not-wrapped", "not-an-object"],
)
def test_bad_policies_are_refused_with_a_reason(mock: tuple[TestClient, MockSettings], body: Any) -> None:
    client, settings = mock
    reply = client.put(
        "/_mock/fallback-policies", json=body, headers={"Authorization": f"Bearer {settings.admin_key}"}
    )
    assert reply.status_code == 400 and reply.json()["error"]["message"]
    assert client.put("/_mock/fallback-policies", json={"fallback_policies": {}}).status_code == 401
