"""Both planes refuse what the flavor's contract calls invalid before any handler logic: query and
path parameters and JSON bodies, each a 400 envelope naming the offender, never a clamp, a 200
or a 500 (``gatecheck.mock.contract``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient

GUARDRAIL = "/guardrails/not-a-uuid"
APP = {"callback_url": "https://app.example"}

# (flavor, method, path, body, the parameter or field the 400 names)
REFUSED: list[tuple[str, str, str, Any, str]] = [
    # query values are strings read as the schema's type: only "1"-like strings are integers
    ("openrouter", "GET", "/organization/members?limit=%7B%7D", None, "limit"),
    ("openrouter", "GET", "/organization/members?offset=", None, "offset"),
    ("openrouter", "GET", "/guardrails?limit=null", None, "limit"),
    ("openrouter", "GET", "/guardrails/assignments/keys?offset=1.5", None, "offset"),
    ("openrouter", "GET", "/keys?offset=true", None, "offset"),
    ("openrouter", "GET", "/keys?offset=1&offset=2", None, "offset"),  # not an array: once only
    ("openrouter", "GET", "/generation", None, "id"),  # required
    ("openrouter", "GET", "/models?category=cooking", None, "category"),  # enum, inference plane
    # guardrail ids are format: uuid, and those operations document 400
    ("openrouter", "GET", GUARDRAIL, None, "id"),
    ("openrouter", "DELETE", GUARDRAIL, None, "id"),
    ("openrouter", "GET", f"{GUARDRAIL}/assignments/members?limit=5", None, "id"),
    ("openrouter", "POST", f"{GUARDRAIL}/assignments/keys", {"key_hashes": []}, "id"),
    # bodies: types and enums the spec states, for fields the simulation ignores too
    ("openrouter", "POST", "/auth/keys/code", {**APP, "spawn_cloud": {}}, "spawn_cloud"),
    ("openrouter", "POST", "/auth/keys", {"code": 5}, "code"),
    ("openrouter", "POST", "/keys", {"name": "k", "limit_reset": "hourly"}, "limit_reset"),
    ("openrouter", "POST", "/keys", {"limit": 1}, "name"),
    ("openrouter", "PATCH", "/keys/some-hash", {"disabled": "yes"}, "disabled"),
    ("openrouter", "POST", "/guardrails", {"name": "g", "allowed_models": "gpt"}, "allowed_models"),
    ("requesty", "POST", "/api-keys", {"name": "k", "labels": ["ok", 1]}, "labels[1]"),
    ("requesty", "PATCH", "/api-keys/some-id/limit", {"limit": -1}, "limit"),
    ("requesty", "PATCH", "/api-keys/some-id/limit", {}, "limit"),
    ("requesty", "POST", "/chat/completions", {"model": "openai/gpt-4o-mini"}, "messages"),
]


def _call(mock: MockClient, method: str, path: str, body: Any, key: str | None = None) -> Any:
    return mock.request(method, path, body, key=key or mock.settings.admin_key)


@pytest.mark.parametrize(
    ("flavor", "method", "path", "body", "offender"),
    REFUSED,
    ids=[f"{f}-{m} {p}-{o}" for f, m, p, _, o in REFUSED],
)
def test_what_the_contract_calls_invalid_is_a_400_naming_it(
    make_mock: MakeMock, flavor: str, method: str, path: str, body: Any, offender: str
) -> None:
    mock = make_mock(flavor)
    key = mock.settings.api_key if path == "/chat/completions" else None
    reply = _call(mock, method, path, body, key)
    assert reply.status == 400, reply.body
    error = reply.json()["error"]
    assert (error["code"], error["param"]) == (400, offender)
    assert f"'{offender}'" in error["message"]


@pytest.mark.parametrize("query", ["limit=1&offset=0", "limit=-3&offset=9223372036854775808", "limit=0"])
def test_integers_as_urls_carry_them_are_accepted_and_paging_clamped(make_mock: MakeMock, query: str) -> None:
    mock = make_mock("openrouter")
    for path in ("/organization/members", "/guardrails", "/guardrails/assignments/keys"):
        reply = _call(mock, "GET", f"{path}?{query}", None)
        assert reply.status == 200, (path, reply.body)


def test_parameters_the_spec_does_not_define_are_ignored(make_mock: MakeMock) -> None:
    mock = make_mock("requesty")
    assert _call(mock, "GET", "/api-keys?limit=abc&limit=x", None).status == 200


def test_a_body_is_checked_only_once_the_caller_is_authenticated(make_mock: MakeMock) -> None:
    mock = make_mock("openrouter")
    reply = mock.request("POST", "/keys", {"name": 5}, key=None)
    assert reply.status == 401, reply.body


def test_a_refused_inference_parameter_is_an_inference_error_for_faults(make_mock: MakeMock) -> None:
    mock = make_mock("openrouter")
    mock.faults("vague-error-messages")
    reply = mock.get("/models?category=cooking")
    assert reply.status == 400
    assert reply.json()["error"]["message"] == "Bad Request"
