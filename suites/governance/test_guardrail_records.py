"""What the guardrail API keeps and tells: fields as set and as patched, listings, deletion, and
assignment counts that match the keys each request added or removed."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.check_ids import (
    GUARDRAIL_ASSIGNMENT_COUNT,
    GUARDRAIL_ASSIGNMENTS,
    GUARDRAIL_DELETED_GET,
    GUARDRAIL_GET_BODY,
    GUARDRAIL_GET_FIELDS,
    GUARDRAIL_GET_STATUS,
    GUARDRAIL_LIST,
    GUARDRAIL_LIST_STATUS,
    GUARDRAIL_LISTED,
    GUARDRAIL_PATCHED_FIELDS,
    GUARDRAIL_UPDATE_STATUS,
    CheckId,
)
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.scenario import describe, expect_status, json_object, json_pointer

if TYPE_CHECKING:
    from conftest import Governance  # the fixture's type, for readers and type checkers only

#: Pages of the guardrail list searched for a guardrail just made.
MAX_PAGES = 50

pytestmark = [
    pytest.mark.capability("guardrails"),
    pytest.mark.capability("key-management"),
    pytest.mark.writes,
]


def _differs(sent: Any, received: Any) -> bool:
    if isinstance(sent, float):
        return not (isinstance(received, int | float) and math.isclose(received, sent, abs_tol=1e-9))
    if isinstance(sent, list):
        return not (isinstance(received, list) and sorted(map(str, received)) == sorted(sent))
    return received != sent


def _expect_fields(
    governance: Governance, rail_id: str, wanted: dict[str, Any], *, title: str, check: CheckId
) -> None:
    """Get the guardrail and compare each logical field with what was sent."""
    op = governance.op("GET", "guardrail")
    response = governance.admin.get(governance.profile.path("guardrail", id=rail_id))
    expect_status(response, 200, op, check=GUARDRAIL_GET_STATUS)
    record = governance.guardrail_record(response, op, check=GUARDRAIL_GET_BODY)
    names = governance.rails["fields"]
    problems = [
        f"{names[field]}: sent {value!r}, got {record.get(names[field], '(absent)')!r}"
        for field, value in wanted.items()
        if _differs(value, record.get(names[field]))
    ]
    if problems:
        raise ContractViolation(
            title,
            expected=f"{', '.join(names[field] for field in wanted)} as sent",
            received="; ".join(problems),
            check=check,
            operation=op,
        )


def _listed(governance: Governance, rail_id: str) -> None:
    """The guardrail is on some page of the list (``list_page_param`` pages it)."""
    spec = governance.rails
    op = governance.op("GET", "guardrails")
    seen: list[str] = []
    for _ in range(MAX_PAGES):
        params = {spec["list_page_param"]: len(seen)} if spec.get("list_page_param") else {}
        response = governance.admin.get(governance.profile.path("guardrails"), params=params)
        expect_status(response, 200, op, check=GUARDRAIL_LIST_STATUS)
        try:
            rows = json_pointer(json_object(response, op, check=GUARDRAIL_LIST), spec["list_pointer"])
        except KeyError:
            rows = None
        page = [str(r.get(spec["id_field"])) for r in rows or () if isinstance(r, dict)]
        seen += page
        if rail_id in seen or not page or not spec.get("list_page_param"):
            break
    if rail_id not in seen:
        raise ContractViolation(
            "Guardrail list does not include a guardrail just made",
            expected=f"{spec['id_field']} {rail_id} among the guardrails at {spec['list_pointer']}",
            received=f"{len(seen)} guardrails listed: {', '.join(seen[:20]) or 'none'}",
            check=GUARDRAIL_LISTED,
            operation=op,
        )


def test_guardrail_crud_round_trip(governance: Governance) -> None:
    """A guardrail reads back as created and as patched, is listed, and reads as 404 once deleted"""
    allowed, other = governance.models()
    created = {"description": "made by gatecheck", "models": [allowed], "budget": 5.0}
    rail_id = governance.rail_id(governance.new_guardrail(**created))
    _expect_fields(
        governance, rail_id, created, title="Get does not return the fields the guardrail was created with",
        check=GUARDRAIL_GET_FIELDS,
    )  # fmt: skip
    patch = {"description": "patched by gatecheck", "models": [allowed, other], "budget": 7.5}
    method = governance.rails.get("update_method", "PATCH")
    op = governance.op(method, "guardrail")
    path = governance.profile.path("guardrail", id=rail_id)
    response = governance.admin.request(method, path, json=governance.guardrail_body(**patch))
    expect_status(response, 200, op, check=GUARDRAIL_UPDATE_STATUS)
    _expect_fields(
        governance, rail_id, patch, title="Get does not return the guardrail's patched fields",
        check=GUARDRAIL_PATCHED_FIELDS,
    )  # fmt: skip
    _listed(governance, rail_id)
    op = governance.op("DELETE", "guardrail")
    expect_status(governance.admin.delete(path), governance.rails.get("delete_status", 200), op)
    gone, missing = governance.admin.get(path), governance.rails.get("missing_status", 404)
    if gone.status_code != missing:
        raise ContractViolation(
            f"Deleted guardrail still reads as HTTP {gone.status_code}",
            expected=f"HTTP {missing} with an error envelope: the guardrail no longer exists",
            received=describe(gone),
            check=GUARDRAIL_DELETED_GET,
            operation=governance.op("GET", "guardrail"),
        )
    check_error_envelope(gone, operation=governance.op("GET", "guardrail"))


def _count(governance: Governance, reported: Any, expected: int, *, remove: bool = False) -> None:
    call = governance.rails["unassign" if remove else "assign"]
    if reported != expected or isinstance(reported, bool):
        verb = "removed" if remove else "assigned"
        raise ContractViolation(
            f"{call['count_field']} says {reported!r} keys were {verb}; the request {verb} {expected}",
            expected=f"{call['count_field']}: {expected} (the keys this request {verb})",
            received=f"{call['count_field']}: {reported!r}",
            check=GUARDRAIL_ASSIGNMENT_COUNT,
            operation=governance.op("POST", call["path"]),
        )


def _holds(governance: Governance, rail_id: str, key_ids: list[str]) -> None:
    listing = governance.rails["assignments"]
    ids, total = governance.assigned(rail_id)
    if sorted(ids) != sorted(key_ids) or total != len(key_ids):
        raise ContractViolation(
            "Guardrail's key assignments do not list the keys assigned",
            expected=f"{len(key_ids)} keys ({', '.join(key_ids) or 'none'}), {listing['total_field']}: "
            f"{len(key_ids)}",
            received=f"keys {ids}, {listing['total_field']}: {total!r}",
            check=GUARDRAIL_ASSIGNMENTS,
            operation=governance.op("GET", listing["path"]),
        )


def test_assignment_counts_match_the_keys(governance: Governance) -> None:
    """assigned_count and unassigned_count count exactly the keys each request added or removed"""
    rail_id = governance.rail_id(governance.new_guardrail())
    first, second = governance.new_key(), governance.new_key()
    _count(governance, governance.assign(rail_id, [first.id]), 1)
    _count(governance, governance.assign(rail_id, [second.id]), 1)
    _holds(governance, rail_id, [first.id, second.id])
    _count(governance, governance.assign(rail_id, [first.id, second.id], remove=True), 2, remove=True)
    _holds(governance, rail_id, [])
