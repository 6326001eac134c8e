"""The catalog and the model-listing endpoints in each flavor's shape."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from gatecheck.errors import ConfigError
from gatecheck.mock.catalog import default_catalog, load_catalog

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import MockClient


def test_catalog_has_what_the_suites_need() -> None:
    catalog = default_catalog()
    chat = catalog.of_kind("chat")
    assert len(chat) >= 15
    owners = {m.owner for m in chat}
    assert {"openai", "anthropic", "google", "meta-llama", "mistralai", "deepseek", "x-ai"} <= owners
    assert any(len(m.providers) >= 2 for m in chat)
    assert all(m.providers for m in catalog.models)
    dims = {m.id: m.dimensions for m in catalog.of_kind("embedding")}
    assert dims["openai/text-embedding-3-small"] == 1536 and dims["openai/text-embedding-3-large"] == 3072
    assert catalog.get("cohere/rerank-v3.5") is not None
    assert any("eu" in m.regions for m in chat) and any(m.regions == ("us",) for m in chat)


def test_a_broken_catalog_is_a_readable_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.yaml"
    bad.write_text("providers: {p: {name: P}}\nmodels:\n  - {id: a/b, name: B, kind: chat}\n")
    with pytest.raises(ConfigError, match="models/0"):
        load_catalog(bad)
    bad.write_text(
        "providers: {}\nmodels:\n  - {id: a/b, name: B, kind: chat, created: 1, context_window: 9,"
        " input_price: 1, output_price: 1, providers: [nope]}\n"
    )
    with pytest.raises(ConfigError, match="unknown provider"):
        load_catalog(bad)


def test_requesty_models_shape(requesty: MockClient) -> None:
    body = requesty.get("/models").json()
    assert body["object"] == "list"
    entry = next(m for m in body["data"] if m["id"] == "openai/gpt-4o-mini")
    assert entry["object"] == "model" and entry["owned_by"] == "openai"
    assert entry["input_price"] == 0.15 and entry["output_price"] == 0.6
    assert entry["context_window"] == 128000 and entry["regions"] == ["us", "eu"]
    assert any(m["id"] == "openai/text-embedding-3-small" for m in body["data"])
    assert requesty.get("/models", key=None).status == 401


def test_openrouter_models_shape_prices_per_token_as_strings(openrouter: MockClient) -> None:
    body = openrouter.get("/models").json()
    entry = next(m for m in body["data"] if m["id"] == "openai/gpt-4o-mini")
    assert Decimal(entry["pricing"]["prompt"]) * 1_000_000 == Decimal("0.15")
    assert Decimal(entry["pricing"]["completion"]) * 1_000_000 == Decimal("0.6")
    assert entry["context_length"] == 128000 and entry["top_provider"]["max_completion_tokens"] == 16384
    assert entry["architecture"]["output_modalities"] == ["text"]
    assert "tools" in entry["supported_parameters"]
    assert all("embeddings" not in m["architecture"]["output_modalities"] for m in body["data"])
    assert openrouter.get("/models", key=None).status == 200  # public, as on the real service


def test_openrouter_model_filters_and_count(openrouter: MockClient) -> None:
    everything = openrouter.get("/models").json()["data"]
    with_tools = openrouter.get("/models?supported_parameters=tools").json()["data"]
    assert 0 < len(with_tools) < len(everything)
    assert all("tools" in m["supported_parameters"] for m in with_tools)
    both = openrouter.get("/models?supported_parameters=tools,reasoning").json()["data"]
    assert {m["id"] for m in both} < {m["id"] for m in with_tools}
    legal = openrouter.get("/models?category=legal").json()["data"]
    assert legal and len(legal) < len(everything)
    assert openrouter.get("/models/count").json() == {"data": {"count": len(everything)}}
    embedding = openrouter.get("/models/count?output_modalities=embeddings").json()["data"]["count"]
    assert embedding == len(default_catalog().of_kind("embedding"))
    assert openrouter.get("/models?category=cooking").status == 400
    assert openrouter.get("/models?output_modalities=smell").status == 400


def test_openrouter_model_endpoints(openrouter: MockClient) -> None:
    body = openrouter.get("/models/anthropic/claude-sonnet-4-20250514/endpoints").json()["data"]
    assert body["id"] == "anthropic/claude-sonnet-4-20250514"
    assert [e["provider_name"] for e in body["endpoints"]] == ["Anthropic", "Amazon Bedrock", "Google"]
    missing = openrouter.get("/models/acme/nothing/endpoints")
    assert missing.status == 404 and missing.json()["error"]["code"] == 404


def test_openrouter_catalog_extras(openrouter: MockClient) -> None:
    providers = openrouter.get("/providers").json()["data"]
    assert {"OpenAI", "Anthropic"} <= {p["name"] for p in providers}
    zdr = openrouter.get("/endpoints/zdr").json()["data"]
    assert zdr and {e["tag"] for e in zdr} <= {
        "azure",
        "amazon-bedrock",
        "google-vertex",
        "fireworks",
        "groq",
    }
    embeddings = openrouter.get("/embeddings/models").json()["data"]
    assert {m["id"] for m in embeddings} == {m.id for m in default_catalog().of_kind("embedding")}
    rerank = openrouter.get("/rerank/models").json()["data"]
    assert rerank[0]["pricing"]["request"] == "0.002"


def test_requesty_has_no_openrouter_catalog_extras(requesty: MockClient) -> None:
    for path in ("/models/count", "/providers", "/endpoints/zdr", "/rerank/models"):
        assert requesty.get(path).status == 404, path
