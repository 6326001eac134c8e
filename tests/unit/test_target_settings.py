"""Target settings: models per role, vector length, headers, body fields; flags > config > profile."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from gatecheck.config import load_config
from gatecheck.errors import ConfigError, UnknownNameError, UsageError
from gatecheck.extra_body import ExtraBodyTransport
from gatecheck.http import make_client
from gatecheck.profiles import get_profile
from gatecheck.profiles.roles import ROLES, missing_role_reason
from gatecheck.target import resolve_target
from gatecheck.target_settings import TargetSettings, parse_body_field, parse_flags, parse_header, parse_model

CONFIG = """
[targets.proxy]
url = "http://127.0.0.1:4000/v1"
profile = "openai"
api_key = "${PROXY_KEY}"
embedding_dimensions = 768
capabilities = ["chat", "streaming", "embeddings", "models"]

[targets.proxy.models]
chat = "config-chat"
embedding = "config-embed"

[targets.proxy.headers]
X-Tenant = "acme"
X-Api-Token = "Bearer ${PROXY_TENANT_TOKEN}"

[targets.proxy.body]
provider = {order = ["a"]}
"""


def _config(tmp_path: Path, text: str = CONFIG) -> Path:
    path = tmp_path / "gatecheck.toml"
    path.write_text(text)
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("PROXY_KEY", "sk-proxy-0123456789")
    monkeypatch.setenv("PROXY_TENANT_TOKEN", "tenant-secret-0123456789")
    return monkeypatch


def test_flags_override_config_which_overrides_the_profile(tmp_path: Path, env: pytest.MonkeyPatch) -> None:
    flags = parse_flags(["chat=flag-chat"], ["x-tenant: other"], ['user="ci"'])
    target = resolve_target(url="proxy", config=load_config(_config(tmp_path)), settings=flags)
    profile = target.profile
    assert profile.model("chat") == "flag-chat"  # flag
    assert profile.model("embedding") == "config-embed"  # config
    assert profile.model("chat_alt") == get_profile("openai").model("chat_alt")  # profile
    assert profile.embedding == {"dimensions": 768, "reduced_dimensions": None}
    assert profile.capabilities == {"chat", "streaming", "embeddings", "models"}
    assert target.headers == {"X-Api-Token": "Bearer tenant-secret-0123456789", "x-tenant": "other"}
    assert target.body == {"provider": {"order": ["a"]}, "user": "ci"}
    assert target.secrets == ("tenant-secret-0123456789",)
    assert "tenant-secret" not in repr(target)


def test_another_embedding_model_drops_the_profiles_vector_lengths() -> None:
    profile = get_profile("requesty")
    assert profile.embedding and profile.embedding["dimensions"] == 1536
    other = TargetSettings(models={"embedding": "my-embedder"}).apply(profile)
    assert other.embedding == {"dimensions": None, "reduced_dimensions": None}
    sized = TargetSettings(models={"embedding": "my-embedder"}, embedding_dimensions=384).apply(profile)
    assert sized.embedding == {"dimensions": 384, "reduced_dimensions": None}
    same = TargetSettings(embedding_dimensions=3072).apply(profile)
    assert same.embedding == {**profile.embedding, "dimensions": 3072}


def test_settings_reach_the_mock_target_too() -> None:
    target = resolve_target(url="mock", profile="openai", settings=parse_flags(["rerank=r1"]))
    assert target.is_mock and target.profile.model("rerank") == "r1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("chat", "--model takes ROLE=NAME"),
        ("chat=", "--model takes ROLE=NAME"),
        ("painter=dall-e", "unknown model role 'painter'"),
    ],
)
def test_bad_model_flags_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_model(text)


def test_header_flags() -> None:
    assert parse_header("X-Title:  gatecheck ci ") == ("X-Title", "gatecheck ci")
    for bad in ("no colon", "bad name: x", ": empty"):
        with pytest.raises(UsageError, match="--header takes 'Name: value'"):
            parse_header(bad)
    with pytest.raises(UsageError, match="--api-key-env"):
        parse_header("Authorization: Bearer sk-x")
    with pytest.raises(UsageError, match="header X-Api-Token carries a credential"):
        parse_header("X-Api-Token: literal-secret-value")
    assert parse_header("X-Api-Token: ${TOKEN}") == ("X-Api-Token", "${TOKEN}")


def test_body_field_values_are_json_or_strings() -> None:
    assert parse_body_field('provider={"sort": "price"}') == ("provider", {"sort": "price"})
    assert parse_body_field("top_k=3") == ("top_k", 3)
    assert parse_body_field("route=fallback") == ("route", "fallback")
    with pytest.raises(UsageError, match="--body-field takes NAME=JSON"):
        parse_body_field("=1")


def test_unset_header_variable_is_named(tmp_path: Path, env: pytest.MonkeyPatch) -> None:
    env.delenv("PROXY_TENANT_TOKEN")
    with pytest.raises(UsageError, match="PROXY_TENANT_TOKEN is not set; the X-Api-Token header"):
        resolve_target(url="proxy", config=load_config(_config(tmp_path)))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[targets.t.headers]\nX-Api-Key = "sk-literal-123"', "X-Api-Key: a credential header"),
        ('[targets.t.headers]\nAuthorization = "${K}"', "Authorization: header Authorization is set by"),
        ('[targets.t.models]\npainter = "x"', "targets.t.models: Additional properties"),
        ("[targets.t]\nembedding_dimensions = 0", "targets.t.embedding_dimensions"),
        ('[targets.t]\ncapabilities = ["telepathy"]', "targets.t.capabilities.0"),
    ],
)
def test_config_mistakes_name_their_place(tmp_path: Path, table: str, message: str) -> None:
    text = '[targets.t]\nurl = "http://127.0.0.1:1/v1"\n' + table.replace("[targets.t]\n", "")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(_config(tmp_path, text))


def test_roles_are_one_registry() -> None:
    assert set(ROLES) >= {"chat", "chat_alt", "embedding", "rerank", "failing", "rate_limited"}
    assert missing_role_reason("failing").startswith("name a model with --model failing=NAME")
    with pytest.raises(UnknownNameError):
        get_profile("openai").model("painter")


def _echo(request: httpx.Request) -> httpx.Response:
    sent = {"sent": json.loads(request.content), "length": len(request.content)}
    return httpx.Response(200, json={**sent, "headers": dict(request.headers)})


def test_body_fields_reach_inference_requests_only() -> None:
    transport = ExtraBodyTransport(httpx.MockTransport(_echo), {"provider": "p", "model": "never-wins"})
    with httpx.Client(transport=transport, base_url="http://gw.test/v1/") as client:
        chat = client.post("chat/completions", json={"model": "m", "messages": []}).json()
        key = client.post("keys", json={"name": "k"}).json()
    assert chat["sent"] == {"provider": "p", "model": "m", "messages": []}
    assert chat["headers"]["content-length"] == str(chat["length"])
    assert key["sent"] == {"name": "k"}


def test_clients_carry_the_targets_headers() -> None:
    with make_client("http://gw.test/v1", "sk-key-0123456789", headers={"X-Tenant": "acme"}) as client:
        assert client.headers["X-Tenant"] == "acme"
        assert client.headers["Authorization"] == "Bearer sk-key-0123456789"


def test_contract_cases_carry_the_targets_headers() -> None:
    from gatecheck.contract.settings import ContractSettings

    config = ContractSettings(seed=1).schemathesis_config(
        key="sk-key-0123456789", headers={"X-Tenant": "acme"}
    )
    assert config.projects.get({}).headers == {
        "X-Tenant": "acme",
        "Authorization": "Bearer sk-key-0123456789",
    }
