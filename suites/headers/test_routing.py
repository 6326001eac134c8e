"""Routing a client does not spell out: the default model, and the EU base URL of the same account.

Requesty documents ``model`` as optional with ``openai/gpt-4o-mini`` as the default (002, 000);
which model that is comes from the profile (``default_model``), and the answer's ``model`` field
must say so, since the bill does.  The EU base URL (001 changelog: EU routing) must serve the
same API with the same key; see ``conftest.py`` for how the regional URL of a target is found.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gatecheck.check_ids import DEFAULT_MODEL, EU_REGION
from gatecheck.failures import ContractViolation
from gatecheck.http import make_client
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, dig, expect_status, json_object, operation

pytestmark = pytest.mark.capability("chat")


@pytest.mark.capability("default-model")
def test_omitted_model_is_served_by_the_default_model(
    gateway: Gateway, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A request without model is answered by the documented default model"""
    body = chat_request(profile)
    body.pop("model", None)
    with gateway.client() as client:
        response = client.post(chat_path, json=body)
    expect_status(response, 200, chat_op, check=DEFAULT_MODEL, title="A request without model is not served")
    answered = dig(json_object(response, chat_op), "model", None)
    if answered != profile.default_model:
        raise ContractViolation(
            "A request without model is not served by the default model",
            expected=f"model: {profile.default_model!r} (the documented default)",
            received=f"model: {answered!r}",
            check=DEFAULT_MODEL,
            operation=chat_op,
        )


@pytest.mark.capability("eu-region")
def test_eu_base_url_serves_the_same_api(
    gateway: Gateway, profile: Profile, region_url: Callable[[str], str], chat_path: str
) -> None:
    """The EU base URL serves the model list and chat with the same key"""
    base = region_url("eu")
    # labelled by path and region, not by URL: the key of a failure must not change with the host
    models_op = operation("GET", profile.path("models")) + " @eu"
    chat_op = operation("POST", chat_path) + " @eu"
    title = "The EU base URL does not serve the API"
    with make_client(base, gateway.api_key, timeout=gateway.target.timeout, budget=gateway.budget) as eu:
        if profile.claims("models"):
            listing = eu.get(profile.path("models"))
            expect_status(listing, 200, models_op, check=EU_REGION, title=title)
            if not isinstance(json_object(listing, models_op).get("data"), list):
                raise ContractViolation(
                    "The EU base URL lists no models",
                    expected="data: an array of models",
                    received=listing.text,
                    check=EU_REGION,
                    operation=models_op,
                )
        answer = eu.post(chat_path, json=chat_request(profile))
        expect_status(answer, 200, chat_op, check=EU_REGION, title=title)
        if not isinstance(dig(json_object(answer, chat_op), "choices.0.message"), dict):
            raise ContractViolation(
                "The EU base URL answers chat without a message",
                expected="choices[0].message",
                received=answer.text,
                check=EU_REGION,
                operation=chat_op,
            )
