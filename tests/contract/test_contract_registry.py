"""The check registry: one list, names unique, selection by name and by the profile's claims."""

from __future__ import annotations

import pytest
from schemathesis.checks import CHECKS as SCHEMATHESIS_CHECKS
from schemathesis.checks import load_all_checks

from gatecheck.checks.registry import CheckInfo, CheckRegistry, all_checks, contract_check
from gatecheck.errors import UnknownNameError
from gatecheck.profiles import get_profile

GATECHECK_CHECKS = {
    "error_envelope",
    "usage_cost",
    "generation_id",
    "sse_events",
    "sse_done",
    "sse_usage_chunk",
}


def test_every_check_is_listed_once_with_a_one_line_title() -> None:
    registry = all_checks()
    names = registry.names()
    assert len(names) == len(set(names))
    assert set(names) >= GATECHECK_CHECKS
    assert {"not_a_server_error", "response_schema_conformance", "ignored_auth"} <= set(names)
    for info in registry:
        assert info.title and "\n" not in info.title, info


def test_schemathesis_knows_every_listed_check_by_the_same_name() -> None:
    load_all_checks()
    known = set(SCHEMATHESIS_CHECKS.get_all_names())
    assert set(all_checks().names()) <= known


def test_registering_a_name_twice_is_an_error() -> None:
    registry = CheckRegistry()
    registry.register(CheckInfo("one", "A title", "gatecheck", module="a"))
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(CheckInfo("one", "Another title", "gatecheck", module="b"))
    with pytest.raises(ValueError, match="registered twice"):
        contract_check()(_named("error_envelope"))


def _named(name: str):  # type: ignore[no-untyped-def]
    def check(ctx, response, case):  # type: ignore[no-untyped-def]
        """A stand-in"""

    check.__name__ = name
    return check


def test_a_check_needing_a_capability_is_dropped_where_the_profile_lacks_it() -> None:
    registry = all_checks()
    openrouter = {c.name for c in registry.select(None, profile=get_profile("openrouter"))}
    requesty = {c.name for c in registry.select(None, profile=get_profile("requesty"))}
    plain = {c.name for c in registry.select(None, profile=get_profile("openai"))}
    assert {"usage_cost", "generation_id"} <= openrouter
    assert "usage_cost" in requesty and "generation_id" not in requesty
    assert not {"usage_cost", "generation_id"} & plain
    assert "positive_data_acceptance" not in openrouter  # off unless named


def test_names_all_and_removals_select_checks() -> None:
    registry = all_checks()
    assert [c.name for c in registry.select(registry.parse("sse_done,error_envelope"))] == [
        "sse_done",
        "error_envelope",
    ]
    assert "positive_data_acceptance" in {c.name for c in registry.select(registry.parse(["all"]))}
    without = {c.name for c in registry.select(registry.parse("-ignored_auth"))}
    assert "ignored_auth" not in without and "not_a_server_error" in without
    assert registry.parse(None) is None


def test_an_unknown_check_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownNameError, match=r"unknown check 'sse_dome'.*sse_done"):
        all_checks().parse("sse_dome")
