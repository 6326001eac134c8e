"""The PKCE key exchange (RFC 7636, S256): a code minted for a challenge is traded, once, with its
verifier for a working key; a wrong verifier or a used code is refused.

The code is minted over the API (``governance.pkce.code_path``, with the inference key), which
stands in for the browser login an app's user would go through; so the scenarios run against a
real gateway too, given ``--allow-writes``, a management key and an inference key allowed to mint
codes.  Every key the exchange makes is named with the code's ``label_field`` and found again by
that name in the key list, so it is deleted when the test ends; a key that cannot be found is
reported by name for a person to delete, and its spend is capped by ``governance.pkce.terms``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from gatecheck.check_ids import (
    PKCE_CODE_BODY,
    PKCE_CODE_REUSE,
    PKCE_CODE_STATUS,
    PKCE_EXCHANGE,
    PKCE_EXCHANGE_BODY,
    PKCE_KEY,
    PKCE_VERIFIER,
    CheckId,
)
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.redact import default_redactor
from gatecheck.scenario import describe, expect_status, json_object, json_pointer

if TYPE_CHECKING:
    from conftest import Governance  # the fixture's type, for readers and type checkers only

pytestmark = [
    pytest.mark.capability("pkce"),
    pytest.mark.capability("key-management"),
    pytest.mark.writes,
]


def new_verifier() -> str:
    """A fresh code_verifier: 64 characters of base64url, within RFC 7636's 43 to 128."""
    return secrets.token_urlsafe(48)


def s256(verifier: str) -> str:
    """The S256 code_challenge: base64url(sha256(verifier)) without padding (RFC 7636 4.2)."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


@dataclass(repr=False)
class Pkce:
    """Mint codes and exchange them, per ``profile.governance.pkce``; remembers the key names used."""

    governance: Governance
    client: httpx.Client  # the inference key: apps mint codes with a user's key
    labels: dict[str, str] = field(default_factory=dict)  # code -> the name its key gets
    exchanged: set[str] = field(default_factory=set)  # names of keys an exchange answered

    @property
    def spec(self) -> dict[str, Any]:
        return self.governance.section("pkce")

    @property
    def exchange_op(self) -> str:
        return self.governance.op("POST", self.spec["exchange_path"])

    def code(self, verifier: str) -> str:
        """A code for ``verifier``'s S256 challenge; the key it yields will be named as recorded."""
        spec = self.spec
        label = f"gatecheck-pkce-{secrets.token_hex(4)}"
        body = {
            "callback_url": spec.get("callback_url", "http://localhost:3000/gatecheck"),
            "code_challenge": s256(verifier),
            "code_challenge_method": "S256",
            spec["label_field"]: label,
            **(spec.get("terms") or {}),
        }
        op = self.governance.op("POST", spec["code_path"])
        response = self.client.post(self.governance.profile.path(spec["code_path"]), json=body)
        expect_status(response, (200, 201), op, check=PKCE_CODE_STATUS, title="Auth code could not be minted")
        answer = json_object(response, op, check=PKCE_CODE_BODY)
        try:
            code = json_pointer(answer, spec["code_pointer"])
        except KeyError:
            code = None
        if not isinstance(code, str) or not code:
            raise ContractViolation(
                "Auth code answer lacks the code",
                expected=f"the code as a string at {spec['code_pointer']}",
                received=answer,
                check=PKCE_CODE_BODY,
                operation=op,
            )
        default_redactor.add(code)
        self.labels[code] = label
        return code

    def exchange(self, code: str, verifier: str) -> httpx.Response:
        body = {"code": code, "code_verifier": verifier, "code_challenge_method": "S256"}
        response = self.client.post(self.governance.profile.path(self.spec["exchange_path"]), json=body)
        response.read()
        if response.status_code == 200:  # a key now exists, wanted or not: never show it
            self.exchanged.add(self.labels[code])
            if value := _key_value(response, self.spec["key_pointer"]):
                default_redactor.add(value)
        return response

    def adopt_keys(self) -> list[str]:
        """Hand every key an exchange made to the cleanup; the names of those not found."""
        page_param = self.spec.get("list_page_param")
        missing = []
        for label in self.labels.values():
            found = self.governance.find_keys(label, page_param=page_param)
            self.governance.keys.extend(found)
            if label in self.exchanged and not found:
                missing.append(label)
        return missing


def _key_value(response: httpx.Response, pointer: str) -> str | None:
    try:
        value = json_pointer(response.json(), pointer)
    except (KeyError, ValueError):
        return None
    return value if isinstance(value, str) and value else None


@pytest.fixture
def pkce(governance: Governance) -> Iterator[Pkce]:
    """Codes and exchanges; every key an exchange made is deleted when the test ends."""
    with governance.gateway.client() as client:
        flow = Pkce(governance, client)
        yield flow
        if missing := flow.adopt_keys():  # runs before the governance fixture deletes the keys
            pytest.fail(
                "gatecheck could not find the key(s) the PKCE exchange made, to delete them; "
                f"delete the keys named {', '.join(missing)} by hand"
            )


def _refused(pkce: Pkce, response: httpx.Response, *, what: str, check: CheckId) -> None:
    """Refused with one of the profile's statuses and an envelope; a key handed out instead is
    masked in the failure, since it is a working credential until the cleanup deletes it."""
    statuses = list(pkce.spec.get("refused_statuses", (400, 403)))
    if response.status_code not in statuses:
        received = describe(response)
        if value := _key_value(response, pkce.spec["key_pointer"]):
            received = received.replace(value, "(a new key, masked)")
        raise ContractViolation(
            f"{what} answered HTTP {response.status_code}",
            expected=" or ".join(f"HTTP {status}" for status in statuses),
            received=received,
            check=check,
            operation=pkce.exchange_op,
        )
    check_error_envelope(response, operation=pkce.exchange_op)


def test_pkce_exchange_gives_a_working_key(pkce: Pkce, governance: Governance) -> None:
    """A PKCE code exchanged with its verifier gives a key that can call inference"""
    verifier = new_verifier()
    response = pkce.exchange(pkce.code(verifier), verifier)
    title = "Exchange with the right code_verifier was refused"
    expect_status(response, 200, pkce.exchange_op, check=PKCE_EXCHANGE, title=title)
    key = _key_value(response, pkce.spec["key_pointer"])
    if key is None:
        raise ContractViolation(
            "Exchange answer lacks the new key",
            expected=f"the new key as a string at {pkce.spec['key_pointer']}",
            received=json_object(response, pkce.exchange_op),
            check=PKCE_EXCHANGE_BODY,
            operation=pkce.exchange_op,
        )
    governance.served(
        key, governance.profile.model("chat"), why="The key came from the PKCE exchange", check=PKCE_KEY
    )


def test_wrong_verifier_is_refused(pkce: Pkce) -> None:
    """A PKCE code exchanged with the wrong verifier is refused with an error envelope"""
    code = pkce.code(new_verifier())
    _refused(
        pkce,
        pkce.exchange(code, new_verifier()),
        what="Exchange with a wrong code_verifier",
        check=PKCE_VERIFIER,
    )


def test_code_cannot_be_exchanged_twice(pkce: Pkce) -> None:
    """A PKCE code that was exchanged once is refused the second time"""
    verifier = new_verifier()
    code = pkce.code(verifier)
    first = pkce.exchange(code, verifier)
    title = "Exchange with the right code_verifier was refused"
    expect_status(first, 200, pkce.exchange_op, check=PKCE_EXCHANGE, title=title)
    _refused(
        pkce, pkce.exchange(code, verifier), what="A second exchange of a used code", check=PKCE_CODE_REUSE
    )
