"""Who may call: no key or a wrong key is 401; the inference key cannot manage keys."""

from __future__ import annotations

import httpx
import pytest

from gatecheck.check_ids import INFERENCE_KEY_MANAGES, NO_KEY, WRONG_KEY
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, expect_documented_refusal, expect_status, operation

#: Shaped like a key, so a gateway cannot refuse it for its format alone.
UNKNOWN_KEY_VALUE = "gc-key-0000000000000000wrong0000000000"


@pytest.mark.capability("chat")
def test_missing_key_is_refused(
    anonymous_client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A request without an API key is refused with 401 and an error envelope"""
    response = anonymous_client.post(chat_path, json=chat_request(profile))
    expect_status(response, 401, chat_op, check=NO_KEY)
    check_error_envelope(response, operation=chat_op)


@pytest.mark.capability("chat")
def test_wrong_key_is_refused(gateway: Gateway, profile: Profile, chat_path: str, chat_op: str) -> None:
    """A request with an unknown API key is refused as documented (401) with an error envelope"""
    with gateway.client(key=UNKNOWN_KEY_VALUE) as client:
        response = client.post(chat_path, json=chat_request(profile))
    expect_documented_refusal(response, profile, "bad_key", chat_op, check=WRONG_KEY, silent=(401, 403))


@pytest.mark.capability("key-management")
def test_inference_key_cannot_manage_keys(client: httpx.Client, profile: Profile) -> None:
    """The inference key is refused (401 or 403) on the key management API"""
    path = profile.path("keys")
    op = operation("GET", path)
    response = client.get(path)
    expect_status(response, (401, 403), op, check=INFERENCE_KEY_MANAGES)
    check_error_envelope(response, operation=op)
