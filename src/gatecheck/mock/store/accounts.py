"""SqliteAccounts: the :class:`~gatecheck.mock.accounts.Accounts` seam on sqlite.

Status codes, chosen once for both flavors:

- 401: no key, an unknown key, or one that is deleted, expired or disabled ("who are you?");
- a valid key of the wrong role (a management key on inference, an inference key on the key
  API): neither vendor documents this case in prose (OpenRouter: management keys "cannot be
  used to make API calls to OpenRouter's completion endpoints"; Requesty: the key API needs
  manage rights), so the status is the one each vendor's spec documents.  Requesty's contract
  lists 403 on every operation: 403.  OpenRouter's LAP lists 403 only on ``/credits``,
  ``/activity`` and ``/messages`` and just 401 on ``/chat/completions``, ``/keys``,
  ``/guardrails``: 401 by default, and those routes pass ``wrong_role_status=403``;
- 403: a model or provider outside the key's access list or guardrails;
- 402: the key's spend (or a guardrail's budget) reached its limit in the current window.

Fault modes of the management plane each bypass exactly one of these points (see the calls
to ``ctx.fault``); the set is read on every call because the admin API may swap it.

The hot path reads keys, guardrails and spend from memory (``cache.py``: why that is never
stale) and records usage in one insert, group-committed per event-loop turn on the inference
plane (``recorder.py``: why an answered request is a committed one).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from gatecheck.mock.accounts import Principal, Role, UsageRecord
from gatecheck.mock.errors import MockHTTPError
from gatecheck.mock.faults import (
    ACCESS_LIST_IGNORED,
    DELETED_KEY_STILL_VALID,
    DISABLED_KEY_STILL_VALID,
    EXPIRED_KEY_STILL_VALID,
    GUARDRAIL_LIMIT_NOT_ENFORCED,
    GUARDRAIL_NOT_ENFORCED,
    INFERENCE_KEY_MANAGES,
    LIMIT_NOT_ENFORCED,
    MANAGEMENT_KEY_CAN_INFER,
    USAGE_NOT_RECORDED,
    FaultMode,
)
from gatecheck.mock.settings import MockSettings
from gatecheck.mock.store import guardrails, keys, usage
from gatecheck.mock.store.cache import Cache, CachedKey
from gatecheck.mock.store.context import OWNER_ID, Context
from gatecheck.mock.store.database import Database
from gatecheck.mock.store.guardrail_service import GuardrailService
from gatecheck.mock.store.key_service import KeyService
from gatecheck.mock.store.periods import iso, window_start
from gatecheck.mock.store.pkce import PkceService
from gatecheck.mock.store.recorder import Recorder
from gatecheck.mock.store.reports import ReportService

__all__ = ["SqliteAccounts"]

# per flavor, what a key of the other role gets by default: the status, and the message keyed
# by the role the endpoint needs
_WRONG_ROLE: dict[str, tuple[int, dict[str, str]]] = {
    "requesty": (
        403,
        {
            "inference": "management keys cannot call inference endpoints; use an API key",
            "management": "this API key does not have manage rights",
        },
    ),
    "openrouter": (
        401,
        {
            "inference": "Management keys cannot be used for completions; use an inference API key",
            "management": "This endpoint requires a management API key",
        },
    ),
}


class SqliteAccounts:
    """Authorisation and accounting on one sqlite file, plus the services the management
    routes query: ``keys``, ``reports``, ``guardrails``, ``pkce``."""

    def __init__(self, settings: MockSettings, path: Path, *, temporary: bool) -> None:
        self._temporary = temporary
        self.path = path
        self.ctx = Context(Database(path), settings)
        self.keys = KeyService(self.ctx)
        self.reports = ReportService(self.ctx, self.keys)
        self.guardrails = GuardrailService(self.ctx)
        self.pkce = PkceService(self.ctx, self.keys)
        self._cache = Cache(self.ctx.db, _principal)
        self._recorder = Recorder(self.ctx.db, self._cache)
        self._bootstrap()

    # -- the Accounts protocol -------------------------------------------------------------

    def authenticate(
        self, token: str | None, role: Role, *, wrong_role_status: int | None = None
    ) -> Principal:
        """Who holds ``token``; a key of the other role gets ``wrong_role_status``, by default
        the flavor's (see the module docstring)."""
        key = self._valid_key(token)
        crossing = {"inference": MANAGEMENT_KEY_CAN_INFER, "management": INFERENCE_KEY_MANAGES}[role]
        if key.row.role != role and not self.ctx.fault(crossing):
            default_status, messages = _WRONG_ROLE[self.ctx.settings.flavor]
            raise MockHTTPError(wrong_role_status or default_status, messages[role])
        return key.principal

    def authenticate_any(self, token: str | None) -> Principal:
        """Either role: for endpoints any key may call (``GET /key``, ``/generation``)."""
        return self._valid_key(token).principal

    def authorize_inference(self, principal: Principal, model: str, provider: str | None = None) -> None:
        """403 outside the access list or a guardrail, 402 at a spend limit; checked live.

        ``provider`` is a slug or display name (``amazon-bedrock`` / ``Amazon Bedrock``); None
        means the model's owner.  A principal no key stands behind (the inference plane's
        anonymous caller under ``auth-not-enforced``) has nothing to enforce.
        """
        key = self._cache.by_id(principal.key_id)
        if key is None:
            return
        row, now = key.row, self.ctx.now()
        provider = _provider_id(provider or model.split("/", 1)[0])
        listed = row.allowed_models if not self.ctx.fault(ACCESS_LIST_IGNORED) else None
        if listed and model not in listed:
            raise MockHTTPError(403, f"model {model!r} is not in this key's access list")
        for rail in key.rails:
            _check_guardrail(self._cache.spend, rail, row.id, model, provider, now, self.ctx.fault)
        if row.limit_usd is not None and not self.ctx.fault(LIMIT_NOT_ENFORCED):
            spent = self._cache.spend(row.id, window_start(row.limit_reset, now))
            if spent >= row.limit_usd:
                raise MockHTTPError(402, f"key limit of ${row.limit_usd:g} reached (spent ${spent:.6f})")

    def record(self, principal: Principal, record: UsageRecord) -> None:
        """Store the request in one insert, committed on return: parallel requests on a key
        cannot lose each other.  A request without a generation id gets one, so it cannot
        collide with another."""
        self._recorder.record(self._usage_row(principal, record))

    async def arecord(self, principal: Principal, record: UsageRecord) -> None:
        """:meth:`record`, committed with the other requests of this event-loop turn."""
        await self._recorder.arecord(self._usage_row(principal, record))

    def _usage_row(self, principal: Principal, record: UsageRecord) -> usage.Row:
        if not record.generation_id:
            record = replace(record, generation_id=f"gen-{uuid.uuid4().hex}")
        accounted = not self.ctx.fault(USAGE_NOT_RECORDED)
        return usage.row(principal.key_id, record, self.ctx.now(), accounted)

    # -- lifecycle -------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything but the two bootstrap keys, which return to their defaults."""
        bootstrap = [
            keys.fingerprint(self.ctx.settings.api_key),
            keys.fingerprint(self.ctx.settings.admin_key),
        ]
        with self.ctx.db.write() as conn:
            for table in ("usage", "guardrail_keys", "guardrail_members", "guardrails", "auth_codes"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM keys WHERE secret_sha256 NOT IN (?, ?)", bootstrap)
        self.ctx.plaintexts.clear()
        self._bootstrap()

    def close(self) -> None:
        """Close the database; a temporary one is removed with its WAL files."""
        self.ctx.db.close()
        if self._temporary:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{self.path}{suffix}").unlink()

    def _bootstrap(self) -> None:
        """Insert the settings' two keys if missing, and restore them to a usable default."""
        s = self.ctx.settings
        now = iso(self.ctx.now())
        with self.ctx.db.write() as conn:
            for value, role, name in (
                (s.api_key, "inference", "bootstrap"),
                (s.admin_key, "management", "admin"),
            ):
                row = keys.get_by_secret(conn, value)
                if row is None:
                    key_id = self.ctx.new_id()
                    keys.insert(
                        conn, key_id=key_id, value=value, role=role, name=name,
                        bootstrap=True, creator_user_id=OWNER_ID, created_at=now,
                    )  # fmt: skip
                else:
                    key_id = row.id
                    keys.update(
                        conn, key_id, disabled=False, deleted_at=None, expires_at=None,
                        limit_usd=None, limit_reset=None, allowed_models=None,
                    )  # fmt: skip
                self.ctx.plaintexts[key_id] = value

    def _valid_key(self, token: str | None) -> CachedKey:
        if not token:
            raise MockHTTPError(401, "No auth credentials found")
        key = self._cache.by_secret(token)
        if key is None:
            raise MockHTTPError(401, "Invalid API key")
        row, now = key.row, self.ctx.now()
        if row.deleted_at is not None and not self.ctx.fault(DELETED_KEY_STILL_VALID):
            raise MockHTTPError(401, "This API key has been deleted")
        if row.is_expired(now) and not self.ctx.fault(EXPIRED_KEY_STILL_VALID):
            raise MockHTTPError(401, f"This API key expired at {iso(row.expires_at)}")
        if row.disabled and not self.ctx.fault(DISABLED_KEY_STILL_VALID):
            raise MockHTTPError(401, "This API key is disabled")
        return key


def _principal(row: keys.KeyRow, rails: Sequence[guardrails.Guardrail]) -> Principal:
    """The caller, with the access lists that govern it folded into one allow-set each."""
    models = [row.allowed_models, *(g.allowed_models for g in rails)]
    providers = [tuple(map(_provider_id, g.allowed_providers or ())) for g in rails]
    return Principal(
        key_id=row.id,
        role=row.role,  # type: ignore[arg-type]
        name=row.name,
        allowed_models=_intersect(models),
        allowed_providers=_intersect(providers),
    )


def _check_guardrail(
    spend: Callable[[str, datetime | None], float],
    rail: guardrails.Guardrail,
    key_id: str,
    model: str,
    provider: str,
    now: datetime,
    fault: Callable[[FaultMode], bool],
) -> None:
    if rail.allowed_models and model not in rail.allowed_models and not fault(GUARDRAIL_NOT_ENFORCED):
        raise MockHTTPError(403, f"model {model!r} is blocked by guardrail {rail.name!r}")
    if rail.allowed_providers and provider not in {_provider_id(p) for p in rail.allowed_providers}:
        raise MockHTTPError(403, f"provider {provider!r} is blocked by guardrail {rail.name!r}")
    if rail.ignored_providers and provider in {_provider_id(p) for p in rail.ignored_providers}:
        raise MockHTTPError(403, f"provider {provider!r} is ignored by guardrail {rail.name!r}")
    if rail.limit_usd is not None and not fault(GUARDRAIL_LIMIT_NOT_ENFORCED):
        spent = spend(key_id, window_start(rail.reset_interval, now))
        if spent >= rail.limit_usd:
            raise MockHTTPError(402, f"guardrail {rail.name!r} budget of ${rail.limit_usd:g} reached")


def _provider_id(name: str) -> str:
    """One spelling for a provider: the catalog's slugs are display names lower-cased, hyphenated."""
    return name.strip().lower().replace(" ", "-")


def _intersect(lists: Sequence[tuple[str, ...] | None]) -> frozenset[str] | None:
    """What every non-empty list allows; None when none restricts."""
    sets = [frozenset(items) for items in lists if items]
    return frozenset.intersection(*sets) if sets else None
