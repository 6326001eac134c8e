"""What the governance scenarios share: throwaway keys and guardrails, deleted after every test.

:class:`Governance` reads ``profile.governance`` (where a vendor keeps guardrails, their fields
and their assignment counts) and ``profile.keys`` (how keys are made), so the scenarios name no
vendor.  Everything a test creates through it is deleted when that test ends, even after a
failure: guardrails first, so no assignment outlives them, then keys.  A real account is left
as it was found.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import (
    CHECK_IDS,
    GUARDRAIL_ASSIGN,
    GUARDRAIL_ASSIGNMENTS,
    GUARDRAIL_ASSIGNMENTS_STATUS,
    GUARDRAIL_CREATE_BODY,
    GUARDRAIL_CREATE_STATUS,
    GUARDRAIL_UNASSIGN,
    KEY_LIST_STATUS,
    CheckId,
)
from gatecheck.checks.envelope import error_message
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile
from gatecheck.scenario import (
    CreatedKey,
    chat_request,
    create_key,
    eventually,
    expect_status,
    json_object,
    json_pointer,
    operation,
)

#: Lets a person recognise (and delete) what a killed run left behind.
NAME_PREFIX = "gatecheck-"
#: Pages of the key list searched for a key known only by its name (PKCE keys).
MAX_KEY_PAGES = 50


def new_name() -> str:
    return NAME_PREFIX + secrets.token_hex(4)


@dataclass(repr=False)
class Governance:
    """Keys, guardrails and inference with those keys, per ``profile.governance`` and ``profile.keys``."""

    gateway: Gateway
    admin: httpx.Client
    settle_timeout: float  # how long a gateway may take to apply a change (caches, accounting)
    keys: list[str] = field(default_factory=list)
    guardrails: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        # tracebacks print fixture values: never let the gateway's keys reach a report
        made = f"keys={len(self.keys)}, guardrails={len(self.guardrails)}"
        return f"Governance(profile={self.profile.name!r}, {made})"

    @property
    def profile(self) -> Profile:
        return self.gateway.profile

    def section(self, name: str) -> dict[str, Any]:
        """``profile.governance[name]``; a profile without it makes the scenario not applicable."""
        found = (self.profile.governance or {}).get(name)
        if not found:
            pytest.skip(f"not applicable: profile {self.profile.name} describes no governance.{name}")
        return dict(found)

    @property
    def rails(self) -> dict[str, Any]:
        return self.section("guardrails")

    def op(self, method: str, endpoint: str) -> str:
        """The operation label with the path template (``GET /guardrails/{id}``): stable across runs."""
        return operation(method, self.profile.paths[endpoint])

    def models(self) -> tuple[str, str]:
        """Two chat models: one a restriction allows, and one it must refuse."""
        allowed, other = self.profile.model("chat"), self.profile.model("chat_alt")
        if not allowed or not other or allowed == other:
            pytest.skip(f"not applicable: profile {self.profile.name} names no two chat models")
        return allowed, other

    # -- keys and inference ------------------------------------------------------------------

    def new_key(self, **fields: Any) -> CreatedKey:
        """A new key, deleted when the test ends; ``fields`` by logical or vendor name."""
        key = create_key(self.admin, self.profile, name=new_name(), **fields)
        self.keys.append(key.id)
        return key

    def find_keys(self, name: str, *, page_param: str | None = None) -> list[str]:
        """Ids of the live keys named ``name``: how a key made outside the key API is found.
        ``page_param`` names the list's offset parameter; None: the list is one page."""
        spec = dict(self.profile.keys or {})
        name_field = (spec.get("fields") or {}).get("name") or "name"
        op = self.op("GET", "keys")
        found: list[str] = []
        offset = 0
        for _ in range(MAX_KEY_PAGES):
            params = {page_param: offset} if page_param else {}
            response = self.admin.get(self.profile.path("keys"), params=params)
            expect_status(response, 200, op, check=KEY_LIST_STATUS)
            try:
                page = json_pointer(json_object(response, op), spec.get("list_pointer", "/data"))
            except KeyError:
                page = None
            records = [r for r in page if isinstance(r, dict)] if isinstance(page, list) else []
            found += [str(r.get(spec["id_field"])) for r in records if r.get(name_field) == name]
            if not page_param or not records:
                break
            offset += len(records)
        return found

    @property
    def chat_op(self) -> str:
        return operation("POST", self.profile.path("chat"))

    def infer(self, key: str, model: str | None = None) -> httpx.Response:
        """One small chat request for ``model`` (default: the profile's chat model) made with ``key``."""
        with self.gateway.client(key=key) as client:
            response = client.post(self.profile.path("chat"), json=chat_request(self.profile, model=model))
            response.read()
            return response

    def served(self, key: str, model: str | None, *, why: str, check: CheckId) -> None:
        """Inference with ``key`` for ``model`` (None: the profile's) answers 200, within the settle time."""

        def attempt() -> None:
            response = self.infer(key, model)
            title = (
                f"{why}, yet a request for {model or 'the chat model'} answered HTTP {response.status_code}"
            )
            expect_status(response, 200, self.chat_op, check=check, title=title)

        eventually(attempt, self.settle_timeout)

    def refused(
        self,
        key: str,
        model: str,
        statuses: Collection[int],
        *,
        why: str,
        check: CheckId,
        naming: Collection[str] = (),
    ) -> None:
        """Inference with ``key`` for ``model`` is refused with ``statuses`` and an error envelope
        whose message names one of ``naming`` (when given), within the settle time."""
        message_check = CHECK_IDS.part(check, "message")

        def attempt() -> None:
            response = self.infer(key, model)
            title = f"{why}, yet a request for {model} answered HTTP {response.status_code}"
            expect_status(response, statuses, self.chat_op, check=check, title=title)
            message = error_message(response, operation=self.chat_op)
            if naming and not any(name.lower() in message.lower() for name in naming):
                raise ContractViolation(
                    "Refusal does not say what refused it",
                    expected=f"an error message naming one of: {', '.join(naming)}",
                    received=message,
                    check=message_check,
                    operation=self.chat_op,
                )

        eventually(attempt, self.settle_timeout)

    # -- guardrails --------------------------------------------------------------------------

    def guardrail_body(self, **logical: Any) -> dict[str, Any]:
        """A guardrail body from logical field names (``name``, ``models``, ``budget``...)."""
        names = self.rails["fields"]
        return {names.get(name, name): value for name, value in logical.items()}

    def guardrail_record(self, response: httpx.Response, op: str, *, check: CheckId) -> dict[str, Any]:
        """The guardrail in a create, get or patch answer, with its id."""
        spec = self.rails
        answer = json_object(response, op, check=check)
        try:
            record = json_pointer(answer, spec["record"])
        except KeyError:
            record = None
        if not isinstance(record, dict) or not record.get(spec["id_field"]):
            raise ContractViolation(
                "Guardrail answer lacks the guardrail or its id",
                expected=f"the guardrail at {spec['record'] or '(top level)'}, with {spec['id_field']}",
                received=answer,
                check=check,
                operation=op,
            )
        return record

    def new_guardrail(self, **logical: Any) -> dict[str, Any]:
        """A new guardrail (a recognisable name unless given), deleted when the test ends."""
        logical.setdefault("name", new_name())
        op = self.op("POST", "guardrails")
        response = self.admin.post(self.profile.path("guardrails"), json=self.guardrail_body(**logical))
        expect_status(response, (200, 201), op, check=GUARDRAIL_CREATE_STATUS)
        record = self.guardrail_record(response, op, check=GUARDRAIL_CREATE_BODY)
        self.guardrails.append(str(record[self.rails["id_field"]]))
        return record

    def rail_id(self, record: dict[str, Any]) -> str:
        return str(record[self.rails["id_field"]])

    def assign(self, rail_id: str, key_ids: list[str], *, remove: bool = False) -> Any:
        """Assign (or remove) keys; the count the answer reports, unchecked."""
        call = self.rails["unassign" if remove else "assign"]
        op = self.op("POST", call["path"])
        body = {call["ids_field"]: key_ids}
        response = self.admin.post(self.profile.path(call["path"], id=rail_id), json=body)
        expect_status(response, 200, op, check=GUARDRAIL_UNASSIGN if remove else GUARDRAIL_ASSIGN)
        return json_object(response, op).get(call["count_field"])

    def assigned(self, rail_id: str) -> tuple[list[str], Any]:
        """The key ids a guardrail's assignment listing shows, and the total it reports."""
        listing = self.rails["assignments"]
        op = self.op("GET", listing["path"])
        response = self.admin.get(self.profile.path(listing["path"], id=rail_id))
        expect_status(response, 200, op, check=GUARDRAIL_ASSIGNMENTS_STATUS)
        body = json_object(response, op, check=GUARDRAIL_ASSIGNMENTS)
        try:
            rows = json_pointer(body, listing["list_pointer"])
        except KeyError:
            rows = None
        ids = [str(r.get(listing["key_field"])) for r in rows or () if isinstance(r, dict)]
        return ids, body.get(listing["total_field"])

    # -- cleanup -----------------------------------------------------------------------------

    def cleanup(self) -> list[str]:
        """Delete every guardrail, then every key created; what the target would not confirm gone."""
        rails = (self.profile.governance or {}).get("guardrails") or {}
        doomed = [("guardrail", i, self.profile.path("guardrail", id=i), rails) for i in self.guardrails]
        doomed += [("key", i, self.profile.path("key", id=i), self.profile.keys or {}) for i in self.keys]
        left = [f"{kind} {ident}" for kind, ident, path, spec in doomed if not self._deleted(path, spec)]
        self.guardrails.clear()
        self.keys.clear()
        return left

    def _deleted(self, path: str, spec: Mapping[str, Any]) -> bool:
        gone = {spec.get("delete_status", 200), spec.get("missing_status", 404)}
        try:
            return self.admin.delete(path).status_code in gone
        except httpx.HTTPError:
            return False


@pytest.fixture
def governance(gateway: Gateway, accounting_timeout: float) -> Iterator[Governance]:
    """The management API with the management key; what a test creates is deleted when it ends."""
    if not gateway.management_key:
        pytest.skip("needs a management key: export one and name it with --management-key-env")
    with gateway.client(key=gateway.management_key) as admin:
        api = Governance(gateway, admin, accounting_timeout)
        yield api
        if left := api.cleanup():
            pytest.fail(f"gatecheck could not delete what it created: {', '.join(left)}")
