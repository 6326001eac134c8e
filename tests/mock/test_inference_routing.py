"""Simulated upstreams: the fault plan, fallbacks per flavor, give-up statuses, and the admin API."""

from __future__ import annotations

import asyncio
import json
import math
from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.errors import ConfigError
from gatecheck.mock.catalog import default_catalog

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient

USER = [{"role": "user", "content": "hello"}]
PRIMARY, SECONDARY = "openai/gpt-4o", "anthropic/claude-3-5-haiku-20241022"


def _fail(model: str, failure: Any = 502, **extra: Any) -> dict[str, Any]:
    return {"model": model, "failure": failure, **extra}


# ---------------------------------------------------------------------------------------------- OpenRouter


def test_models_array_falls_back_and_reports_what_answered(openrouter: MockClient) -> None:
    openrouter.plan(_fail(PRIMARY))
    body = openrouter.chat(model=PRIMARY, models=[SECONDARY]).json()
    assert body["model"] == SECONDARY and body["provider"] == "Anthropic"
    price = default_catalog().get(SECONDARY)
    assert price is not None
    usage = body["usage"]
    expected = (
        usage["prompt_tokens"] * price.input_price / 1e6
        + usage["completion_tokens"] * price.output_price / 1e6
    )
    assert math.isclose(usage["cost"], expected, rel_tol=1e-9)


def test_provider_fallback_within_a_model(openrouter: MockClient) -> None:
    openrouter.plan(_fail(PRIMARY, 500, provider="openai", count=1))
    assert openrouter.chat(model=PRIMARY).json()["provider"] == "Azure"
    assert openrouter.chat(model=PRIMARY).json()["provider"] == "OpenAI"  # count used up


def test_provider_order_only_and_ignore(openrouter: MockClient) -> None:
    model = "meta-llama/llama-3.3-70b-instruct"
    assert openrouter.chat(model=model).json()["provider"] == "Together"
    assert (
        openrouter.chat(model=model, provider={"order": ["groq", "fireworks"]}).json()["provider"] == "Groq"
    )
    assert openrouter.chat(model=model, provider={"only": ["DeepInfra"]}).json()["provider"] == "DeepInfra"
    assert openrouter.chat(model=model, provider={"ignore": ["together"]}).json()["provider"] == "Fireworks"
    nothing = openrouter.chat(model=model, provider={"only": ["openai"]})
    assert nothing.status == 404 and nothing.json()["error"]["param"] == "provider"


def test_allow_fallbacks_false_returns_the_primary_error(openrouter: MockClient) -> None:
    openrouter.plan(_fail(PRIMARY, 500, provider="openai"))
    refused = openrouter.chat(model=PRIMARY, provider={"allow_fallbacks": False})
    assert refused.status == 502
    assert openrouter.chat(model=PRIMARY).json()["provider"] == "Azure"


@pytest.mark.parametrize(("failure", "status"), [(500, 502), (502, 502), (429, 429), ("timeout", 408)])
def test_give_up_statuses(make_mock: MakeMock, failure: Any, status: int) -> None:
    mock = make_mock("openrouter", upstream_timeout=0.01)
    mock.plan(_fail("*", failure))
    reply = mock.chat(model=PRIMARY, models=[SECONDARY])
    assert reply.status == status
    assert reply.json()["error"]["code"] == status
    assert ("retry-after" in reply.headers) == (status == 429)


def test_unknown_model_in_models_array(openrouter: MockClient) -> None:
    reply = openrouter.chat(model=PRIMARY, models=["acme/nope"])
    assert reply.status == 404 and reply.json()["error"]["param"] == "models"


def test_fallback_applies_to_embeddings(openrouter: MockClient) -> None:
    openrouter.plan(_fail("openai/text-embedding-3-small"))
    body = {"model": "openai/text-embedding-3-small", "models": ["mistralai/mistral-embed"], "input": "x"}
    reply = openrouter.post("/embeddings", body).json()
    assert reply["model"] == "mistralai/mistral-embed" and len(reply["data"][0]["embedding"]) == 1024


# ---------------------------------------------------------------------------------------------- Requesty


def test_requesty_policy_chain(make_mock: MakeMock) -> None:
    mock = make_mock("requesty", fallback_policies={"safe": [PRIMARY, SECONDARY]})
    assert mock.chat(model="policy/safe").json()["model"] == PRIMARY
    mock.plan(_fail(PRIMARY))
    assert mock.chat(model="policy/safe").json()["model"] == SECONDARY
    unknown = mock.chat(model="policy/nope")
    assert unknown.status == 400 and "safe" in unknown.json()["error"]["message"]


def test_requesty_timeout_is_502_and_stream_fails_before_first_byte(make_mock: MakeMock) -> None:
    mock = make_mock("requesty", upstream_timeout=0.01)
    mock.plan(_fail("*", "timeout"))
    assert mock.chat().status == 502
    assert mock.chat(stream=True).status == 502


def test_a_policy_naming_an_unknown_model_is_a_config_error(make_mock: MakeMock) -> None:
    with pytest.raises(ConfigError, match="acme/none"):
        make_mock("requesty", fallback_policies={"p": ["acme/none"]})


def test_cut_mid_stream_without_streaming_falls_back(mock: MockClient) -> None:
    mock.plan(_fail(PRIMARY, "cut-mid-stream", provider="openai"))
    reply = mock.chat(model=PRIMARY)
    assert reply.status == 200 and reply.json()["model"] == PRIMARY  # the second provider (Azure) answered
    assert reply.json().get("provider", "Azure") == "Azure"


# ---------------------------------------------------------------------------------------------- admin API


def test_admin_needs_the_admin_key(mock: MockClient) -> None:
    assert mock.request("GET", "/_mock/faults", root=True).status == 401
    assert mock.request("GET", "/_mock/faults", root=True, key=None).status == 401
    assert mock.request("GET", "/_mock/health", root=True, key=None).json()["status"] == "ok"
    assert mock.admin("GET", "/faults").json()["faults"] == []


def test_admin_faults_are_validated(mock: MockClient) -> None:
    reply = mock.admin("PUT", "/faults", {"faults": ["wrong-cost", "no-such-fault"]})
    assert reply.status == 400 and "no-such-fault" in reply.json()["error"]["message"]
    mock.faults("wrong-cost")
    assert mock.admin("GET", "/faults").json()["faults"] == ["wrong-cost"]
    assert mock.settings.faults == {"wrong-cost"}  # the live set the management plane reads too


@pytest.mark.parametrize(
    "plan",
    [
        [{"model": PRIMARY, "failure": 418}],
        [{"model": PRIMARY, "failure": 500, "count": 0}],
        [{"failure": 500}],
        [{"model": PRIMARY, "failure": 500, "extra": 1}],
        {"model": PRIMARY},
    ],
)
def test_admin_fault_plan_is_validated(mock: MockClient, plan: Any) -> None:
    reply = mock.admin("PUT", "/fault-plan", {"fault_plan": plan})
    assert reply.status == 400, reply.body
    assert reply.json()["error"]["message"]


def test_fault_plan_counts_down_and_reset_restores_startup(make_mock: MakeMock) -> None:
    startup = [_fail(PRIMARY, 500, provider="openai", count=2)]
    mock = make_mock("openrouter", faults={"wrong-cost"}, fault_plan=startup)
    mock.chat(model=PRIMARY)
    assert mock.admin("GET", "/fault-plan").json()["fault_plan"][0]["count"] == 1
    mock.faults()
    mock.plan(_fail("*", 502))
    assert mock.admin("POST", "/reset").status == 200
    assert mock.admin("GET", "/faults").json()["faults"] == ["wrong-cost"]
    assert mock.admin("GET", "/fault-plan").json()["fault_plan"] == [
        {"model": PRIMARY, "failure": 500, "provider": "openai", "count": 2}
    ]


@pytest.mark.parametrize(
    "body", [{"chunk_gap": -1}, {"chunk_gap": "0.1"}, {"gap": 0.1}, [0.1], {"first_token": 9}]
)
def test_admin_timing_is_validated(mock: MockClient, body: Any) -> None:
    reply = mock.admin("PUT", "/timing", body)
    assert reply.status == 400 and reply.json()["error"]["message"]


def test_admin_timing_paces_the_live_settings(mock: MockClient) -> None:
    assert mock.admin("GET", "/timing").json() == {"first_token": 0.0, "chunk_gap": 0.0}
    reply = mock.admin("PUT", "/timing", {"chunk_gap": 0.01})
    assert reply.json() == {"first_token": 0.0, "chunk_gap": 0.01}
    assert mock.settings.chunk_gap == 0.01


# ------------------------------------------------------------------------------------------- error rendering


def test_routing_misses_are_envelopes(mock: MockClient) -> None:
    missing = mock.get("/no/such/thing")
    assert missing.status == 404 and missing.json()["error"]["code"] == 404
    wrong_method = mock.get("/chat/completions")
    assert wrong_method.status == 405 and "POST" in wrong_method.headers["allow"]
    assert wrong_method.json()["error"]["code"] == 405


def test_an_unexpected_exception_is_a_logged_500_envelope(caplog: pytest.LogCaptureFixture) -> None:
    from starlette.responses import Response

    from gatecheck.mock.app import _CatchAll

    async def broken(scope: Any, receive: Any, send: Any) -> Response:
        raise RuntimeError("boom")

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "POST", "path": "/v1/chat/completions", "headers": []}
    with caplog.at_level("ERROR", logger="gatecheck.mock"):
        asyncio.run(_CatchAll(broken)(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 500
    assert json.loads(sent[1]["body"])["error"]["code"] == 500
    assert "boom" in caplog.text and "/v1/chat/completions" in caplog.text
