"""Content parts beyond text: PDFs and images accepted where claimed, unknown types named when refused.

PDFs follow Requesty's reference (002): an ``input_file`` part whose ``file_data`` is a base64
data URL or an http(s) URL.  A part type the gateway does not know must be refused by name, not
dropped: a silently ignored attachment gives an answer about a document the model never saw.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gatecheck.check_ids import CONTENT_PART_ACCEPTED, UNSUPPORTED_PART, UNSUPPORTED_PART_MESSAGE
from gatecheck.checks.envelope import error_message
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, dig, expect_status, json_object

pytestmark = pytest.mark.capability("chat")

#: A part type no gateway knows; the refusal must name it.
UNKNOWN_PART = "gatecheck_hologram"


def _ask_about(profile: Profile, part: dict[str, Any], question: str) -> dict[str, Any]:
    content = [{"type": "text", "text": question}, part]
    return chat_request(profile, messages=[{"role": "user", "content": content}])


def _answered(response: httpx.Response, op: str, what: str) -> None:
    """HTTP 200 with an assistant message: the part was accepted."""
    expect_status(response, 200, op, check=CONTENT_PART_ACCEPTED, title=f"{what} is not accepted")
    answer = json_object(response, op)
    if not isinstance(dig(answer, "choices.0.message"), dict):
        raise ContractViolation(
            f"{what} gets no answer",
            expected="choices[0].message",
            received=answer,
            check=CONTENT_PART_ACCEPTED,
            operation=op,
        )


def _pdf_part(file_data: str) -> dict[str, Any]:
    return {"type": "input_file", "filename": "gatecheck.pdf", "file_data": file_data}


@pytest.mark.capability("pdf-input")
def test_pdf_as_base64_is_accepted(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str, pdf_data_url: str
) -> None:
    """A PDF sent as a base64 input_file part is accepted"""
    body = _ask_about(profile, _pdf_part(pdf_data_url), "Which word does this PDF show?")
    _answered(client.post(chat_path, json=body), chat_op, "A base64 PDF input_file part")


@pytest.mark.capability("pdf-input")
def test_pdf_by_url_is_accepted(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str, pdf_url: str
) -> None:
    """A PDF sent as an input_file part with a URL is accepted"""
    body = _ask_about(profile, _pdf_part(pdf_url), "What is the title of this PDF?")
    _answered(client.post(chat_path, json=body), chat_op, "A PDF input_file part by URL")


@pytest.mark.capability("image-input")
def test_image_part_is_accepted(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str, png_data_url: str
) -> None:
    """An image_url part carrying a PNG is accepted"""
    part = {"type": "image_url", "image_url": {"url": png_data_url}}
    body = _ask_about(profile, part, "What colour is this image?")
    _answered(client.post(chat_path, json=body), chat_op, "An image_url part")


def test_unsupported_part_type_is_refused_by_name(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A content part of an unknown type is refused with 400 naming the type"""
    part = {"type": UNKNOWN_PART, UNKNOWN_PART: {"frames": 3}}
    response = client.post(chat_path, json=_ask_about(profile, part, "Describe the attachment."))
    expect_status(
        response,
        400,
        chat_op,
        check=UNSUPPORTED_PART,
        title=f"A {UNKNOWN_PART!r} content part is not refused",
    )
    message = error_message(response, operation=chat_op)
    if UNKNOWN_PART not in message:
        raise ContractViolation(
            "Refusal does not name the unsupported part type",
            expected=f"an error message mentioning {UNKNOWN_PART!r}",
            received=f"HTTP {response.status_code} message: {message!r}",
            check=UNSUPPORTED_PART_MESSAGE,
            operation=chat_op,
        )
