"""gatecheck.toml, targets and budgets: secrets only through the environment, limits never exceeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatecheck.budget import Budget
from gatecheck.config import load_config
from gatecheck.errors import BudgetExhausted, ConfigError, MissingSecretError, UnknownNameError, UsageError
from gatecheck.target import resolve_target

GOOD = """
[defaults]
profile = "openrouter"
max_requests = 50

[targets.staging]
url = "https://gw.example.test/api/v1"
profile = "openrouter"
api_key = "${STAGING_KEY}"
management_key = "${STAGING_ADMIN}"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gatecheck.toml"
    path.write_text(text)
    return path


def test_named_target_takes_keys_from_the_named_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAGING_KEY", "sk-staging-123456")
    monkeypatch.delenv("STAGING_ADMIN", raising=False)
    target = resolve_target(url="staging", config=load_config(_write(tmp_path, GOOD)))
    assert (target.url, target.profile.name, target.api_key) == (
        "https://gw.example.test/api/v1",
        "openrouter",
        "sk-staging-123456",
    )
    assert target.management_key is None and target.name == "staging"


def test_a_literal_key_in_the_config_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace('"${STAGING_KEY}"', '"sk-or-v1-literal"')
    expected = r"targets.staging.api_key: .* \(secrets must be written as \$\{ENV_VAR\}\)"
    with pytest.raises(ConfigError, match=expected):
        load_config(_write(tmp_path, text))


def test_unknown_keys_and_bad_toml_are_reported_with_their_place(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"defaults: Additional properties are not allowed \('colour'"):
        load_config(_write(tmp_path, '[defaults]\ncolour = "red"\n'))
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(_write(tmp_path, "[defaults\n"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.toml")


def test_missing_key_variable_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_KEY", raising=False)
    with pytest.raises(MissingSecretError, match="environment variable NOPE_KEY is not set"):
        resolve_target(url="https://gw.example.test/v1", api_key_env="NOPE_KEY")


def test_no_url_means_the_mock_and_needs_no_key() -> None:
    target = resolve_target()
    assert target.is_mock and target.profile.name == "requesty" and target.api_key is None


def test_unknown_target_name_and_endpoint_urls_are_usage_errors() -> None:
    with pytest.raises(UnknownNameError, match="unknown target"):
        resolve_target(url="prod")
    with pytest.raises(UsageError, match="base URL"):
        resolve_target(url="https://gw.example.test/v1/chat/completions")


def test_budget_refuses_the_request_past_the_limit() -> None:
    budget = Budget(max_requests=2)
    budget.charge_request()
    budget.charge_request()
    with pytest.raises(BudgetExhausted, match="request budget spent"):
        budget.charge_request()
    tokens = Budget(max_tokens=10)
    tokens.charge_tokens(10)
    with pytest.raises(BudgetExhausted, match="token budget spent"):
        tokens.charge_request()


def test_keys_never_appear_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tracebacks print fixture values; a key must not ride along."""
    from gatecheck.plugin.fixtures import Gateway

    monkeypatch.setenv("GATECHECK_API_KEY", "sk-repr-secret-0001")
    target = resolve_target(url="https://gw.example.test/v1")
    gateway = Gateway(target, target.url or "", "sk-repr-secret-0001", "sk-repr-admin-0002", Budget())
    assert "sk-repr" not in repr(target) + repr(gateway)


def test_client_charges_tokens_and_records_shapes_but_never_reads_streams() -> None:
    """The response hook must not buffer streams; it counts JSON usage and records field paths."""
    import httpx

    from gatecheck import shapes
    from gatecheck.http import make_client
    from gatecheck.reading import token_ceiling

    def answer(request: httpx.Request) -> httpx.Response:
        body = b'{"id": "x", "usage": {"total_tokens": 7}}'
        return httpx.Response(200, headers={"content-type": "application/json"}, content=iter([body]))

    budget = Budget()
    shapes.reset()
    transport = httpx.MockTransport(answer)
    with make_client("http://gw.test/v1", "k" * 12, budget=budget, transport=transport) as client:
        client.post("chat/completions", json={"messages": []})
        with client.stream("POST", "chat/completions", json={"stream": True}) as streamed:
            assert not streamed.is_stream_consumed
            ceiling = token_ceiling(streamed.request.content)
    # the plain answer's usage replaced its reservation; the stream keeps its ceiling
    assert budget.tokens == 7 + ceiling and budget.requests == 2
    assert shapes.snapshot()["POST /v1/chat/completions"]["observed"]["usage.total_tokens"] == ["integer"]
    shapes.reset()
