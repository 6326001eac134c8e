"""PKCE authorisation codes (OpenRouter ``/auth/keys/code`` then ``/auth/keys``).

A code is a bearer secret until it is exchanged, so it is stored like a key: as its sha256.
Verification follows RFC 7636: ``S256`` compares base64url(sha256(verifier)) without padding
to the challenge, ``plain`` compares the verifier itself; both in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
from typing import Any

from gatecheck.mock.store.keys import fingerprint

__all__ = ["consume", "find_unused", "insert", "s256", "verifier_matches"]


def s256(verifier: str) -> str:
    """The S256 challenge for ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verifier_matches(challenge: str, method: str, verifier: str) -> bool:
    expected = s256(verifier) if method == "S256" else verifier
    return hmac.compare_digest(expected.encode(), challenge.encode())


def insert(conn: sqlite3.Connection, code: str, **fields: Any) -> None:
    row = {"code_sha256": fingerprint(code), **fields}
    conn.execute(
        f"INSERT INTO auth_codes ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )


def find_unused(conn: sqlite3.Connection, code: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM auth_codes WHERE code_sha256 = ? AND used_at IS NULL", (fingerprint(code),)
    ).fetchone()


def consume(conn: sqlite3.Connection, code: str, now: str) -> bool:
    """Mark the code used; False when another exchange got there first."""
    return (
        conn.execute(
            "UPDATE auth_codes SET used_at = ? WHERE code_sha256 = ? AND used_at IS NULL",
            (now, fingerprint(code)),
        ).rowcount
        == 1
    )
