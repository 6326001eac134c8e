"""Secrets are masked wherever they appear, registered or merely credential-shaped."""

from __future__ import annotations

from gatecheck.redact import MASK, Redactor


def test_registered_secret_is_masked_in_text_and_structures() -> None:
    redactor = Redactor(["my-secret-value"])
    assert redactor.text("key=my-secret-value;") == f"key={MASK};"
    assert redactor.data({"a": ["x my-secret-value"], "my-secret-value": 1}) == {"a": [f"x {MASK}"], MASK: 1}


def test_credential_shaped_strings_are_masked_without_registration() -> None:
    redactor = Redactor()
    fake_key = "sk-or-v1-" + "0123456789abcdef" + "0123"  # assembled, so no key-shaped literal is committed
    text = redactor.text(f"curl -H 'Authorization: Bearer abcdefghijklmnop' {fake_key}")
    assert "abcdefghijklmnop" not in text and "0123456789abcdef" not in text
    assert text.count(MASK) == 2


def test_sensitive_headers_are_masked_whole() -> None:
    assert Redactor().headers([("Authorization", "Basic Zm9v"), ("X-Title", "app")]) == [
        ("Authorization", MASK),
        ("X-Title", "app"),
    ]


def test_short_values_are_not_treated_as_secrets() -> None:
    redactor = Redactor(["abc"])
    assert redactor.text("abc") == "abc"
