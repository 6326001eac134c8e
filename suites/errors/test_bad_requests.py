"""Requests a gateway must refuse: the right 4xx status and an error envelope naming the problem."""

from __future__ import annotations

import httpx
import pytest

from gatecheck.check_ids import CHECK_IDS, MALFORMED_JSON, MISSING_MESSAGES, UNKNOWN_MODEL, CheckId
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, expect_documented_refusal, expect_status

pytestmark = pytest.mark.capability("chat")

#: A model id no catalog has; the answer must say it is the model that is wrong.
NO_SUCH_MODEL = "gatecheck/no-such-model-7f3a"


def _names(error: dict, response: httpx.Response, op: str, *, check: CheckId, names: str) -> None:
    """The error message mentions ``names``: a client can tell the user what to fix."""
    message_check = CHECK_IDS.part(check, "message")
    message = str(error["message"])
    if names.lower() not in message.lower():
        raise ContractViolation(
            "Error message does not name the problem",
            expected=f"an error message mentioning {names!r}",
            received=f"HTTP {response.status_code} message: {message!r}",
            check=message_check,
            operation=op,
        )


def _refused(
    response: httpx.Response, statuses: int | tuple[int, ...], op: str, *, check: CheckId, names: str
) -> None:
    """The refusal has the status, the envelope, and a message mentioning ``names``."""
    expect_status(response, statuses, op, check=check)
    _names(check_error_envelope(response, operation=op), response, op, check=check, names=names)


def test_malformed_json_is_refused(client: httpx.Client, chat_path: str, chat_op: str) -> None:
    """A body that is not JSON is refused with 400 and a message saying so"""
    response = client.post(chat_path, content=b'{"messages": [', headers={"Content-Type": "application/json"})
    _refused(response, 400, chat_op, check=MALFORMED_JSON, names="JSON")


def test_missing_messages_is_refused(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A chat request without messages is refused as documented (400), naming 'messages'"""
    body = chat_request(profile)
    del body["messages"]
    response = client.post(chat_path, json=body)
    expect_documented_refusal(
        response,
        profile,
        "missing_field",
        chat_op,
        check=MISSING_MESSAGES,
        silent=(400, 422),
        names="messages",
    )


def test_unknown_model_is_refused(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A request for a model the gateway does not know is refused as documented, naming the model"""
    response = client.post(chat_path, json=chat_request(profile, model=NO_SUCH_MODEL))
    expect_documented_refusal(
        response, profile, "unknown_model", chat_op, check=UNKNOWN_MODEL, silent=(400, 404), names="model"
    )
