"""The PKCE key exchange: an app gets a code, later trades it (with the verifier) for a key.

Decisions where OpenRouter's documents are silent:

- a code without ``code_challenge`` exchanges on the code alone; a challenge without a method
  is ``plain``, RFC 7636's default;
- a wrong verifier is 403 and does *not* use the code up (the client may retry with the right
  one); a successful exchange does, atomically with creating the key, so two concurrent
  exchanges of one code yield one key and one 403;
- an unknown or already used code is 403 too: the caller cannot tell them apart.
"""

from __future__ import annotations

import secrets
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.faults import PKCE_CODE_REUSABLE, PKCE_KEY_UNUSABLE, PKCE_VERIFIER_NOT_CHECKED
from gatecheck.mock.store import codes, keys
from gatecheck.mock.store.context import Context
from gatecheck.mock.store.key_service import KeyService
from gatecheck.mock.store.periods import iso

__all__ = ["IssuedCode", "PkceService"]


@dataclass(frozen=True)
class IssuedCode:
    code: str
    app_id: int
    created_at: str


class PkceService:
    def __init__(self, ctx: Context, key_service: KeyService) -> None:
        self.ctx = ctx
        self.keys = key_service

    def issue(self, callback_url: str, user_id: str, **terms: Any) -> IssuedCode:
        """A fresh single-use code; ``terms`` are what the key will get (limit, expiry, label)."""
        code = secrets.token_urlsafe(24)
        # a stable small number per calling app, as OpenRouter identifies apps by their URL
        app_id = zlib.crc32((urlsplit(callback_url).hostname or "").encode()) % 1_000_000
        now = iso(self.ctx.now())
        with self.ctx.db.write() as conn:
            codes.insert(
                conn, code, app_id=app_id, callback_url=callback_url, user_id=user_id, created_at=now, **terms
            )
        return IssuedCode(code, app_id, now)  # type: ignore[arg-type]

    def exchange(self, code: str, verifier: str | None, method: str | None) -> tuple[str, str]:
        """(new key value, user id); 403 for an unknown, used or unverified code."""
        value, key_id, now = self.ctx.new_key_value(), self.ctx.new_id(), iso(self.ctx.now())
        with self.ctx.db.write() as conn:
            row = codes.find_unused(conn, code)
            if row is None:
                raise MockHTTPError(403, "invalid or already used code")
            if row["challenge"] is not None:
                stored = row["method"] or "plain"
                if method is not None and method != stored:
                    raise MockHTTPError(400, f"code_challenge_method {method!r} does not match {stored!r}")
                matches = verifier is not None and codes.verifier_matches(row["challenge"], stored, verifier)
                if not matches and not self.ctx.fault(PKCE_VERIFIER_NOT_CHECKED):
                    raise MockHTTPError(403, "code_verifier does not match the code_challenge")
            if not self.ctx.fault(PKCE_CODE_REUSABLE):
                codes.consume(conn, code, now)
            keys.insert(
                conn, key_id=key_id, value=value, role="inference", name=row["key_label"] or "PKCE key",
                limit_usd=row["limit_usd"], limit_reset=row["limit_reset"], expires_at=row["expires_at"],
                creator_user_id=row["user_id"], created_at=now,
            )  # fmt: skip
        self.ctx.plaintexts[key_id] = value
        if self.ctx.fault(PKCE_KEY_UNUSABLE):
            return self.ctx.new_key_value(), row["user_id"]
        return value, row["user_id"]
