"""OpenAPI Overlay 1.0 application: each action kind, and every way an overlay can be wrong."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gatecheck.errors import SpecInvalidError
from gatecheck.specs.overlay import apply_overlay, check_overlay

DOC: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"title": "T", "version": "1"},
    "tags": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
    "paths": {
        "/x": {
            "parameters": [],
            "get": {"responses": {"200": {"description": "OK"}}},
            "post": {"responses": {"400": {"description": "Bad request"}}},
        }
    },
    "components": {"schemas": {"S": {"type": "object", "required": ["a"], "properties": {"a": {}}}}},
}


def overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "test", "version": "1"}, "actions": list(actions)}


def apply(*actions: dict[str, Any]) -> dict[str, Any]:
    return apply_overlay(DOC, overlay(*actions), source="o.yaml")


def test_update_merges_objects_recursively_and_replaces_arrays_and_scalars() -> None:
    result = apply(
        {
            "target": "$.components.schemas.S",
            "update": {"required": ["b"], "type": "array", "properties": {"b": {"type": "string"}}},
        }
    )
    assert result["components"]["schemas"]["S"] == {
        "type": "array",
        "required": ["b"],
        "properties": {"a": {}, "b": {"type": "string"}},
    }


def test_update_on_an_array_appends_the_value_as_one_entry() -> None:
    result = apply({"target": "$.tags", "update": {"name": "d"}})
    assert [t["name"] for t in result["tags"]] == ["a", "b", "c", "d"]


def test_update_on_the_root() -> None:
    assert apply({"target": "$", "update": {"openapi": "3.1.0"}})["openapi"] == "3.1.0"


def test_update_applies_to_every_selected_node() -> None:
    result = apply({"target": "$.paths[*][?@.responses].responses", "update": {"500": {"description": "E"}}})
    assert result["paths"]["/x"]["get"]["responses"]["500"] == {"description": "E"}
    assert result["paths"]["/x"]["post"]["responses"]["500"] == {"description": "E"}
    assert result["paths"]["/x"]["parameters"] == []


def test_each_selected_node_gets_its_own_copy_of_the_update() -> None:
    result = apply({"target": "$.paths['/x'][*].responses", "update": {"500": {"description": "E"}}})
    get, post = (result["paths"]["/x"][m]["responses"]["500"] for m in ("get", "post"))
    get["description"] = "changed"
    assert post["description"] == "E"


def test_remove_deletes_members_and_primitives() -> None:
    result = apply(
        {"target": "$.paths['/x'].post", "remove": True},
        {"target": "$.info.version", "remove": True},
    )
    assert "post" not in result["paths"]["/x"]
    assert result["info"] == {"title": "T"}


def test_remove_several_array_entries_keeps_the_right_ones() -> None:
    result = apply({"target": "$.tags[?@.name != 'b']", "remove": True})
    assert result["tags"] == [{"name": "b"}]


def test_remove_a_node_selected_twice_removes_it_once() -> None:
    result = apply({"target": "$.tags[0,0]", "remove": True})
    assert [t["name"] for t in result["tags"]] == ["b", "c"]


def test_actions_apply_in_order() -> None:
    result = apply(
        {"target": "$.components.schemas.S.required", "remove": True},
        {"target": "$.components.schemas.S", "update": {"required": ["z"]}},
    )
    assert result["components"]["schemas"]["S"]["required"] == ["z"]


def test_the_input_document_is_not_changed() -> None:
    before = copy.deepcopy(DOC)
    apply(
        {"target": "$.components.schemas.S.properties", "update": {"x": {}}},
        {"target": "$.tags", "remove": True},
    )
    assert before == DOC


def test_a_target_that_selects_nothing_is_an_error() -> None:
    with pytest.raises(
        SpecInvalidError, match=r"o\.yaml: action 2 \(target \$\.components\.schemas\.Gone\): selects"
    ):
        apply({"target": "$", "update": {}}, {"target": "$.components.schemas.Gone", "remove": True})


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"target": "$.info.title", "update": {"x": 1}}, "selects a str; update its parent"),
        ({"target": "$.info", "update": ["x"]}, "'update' must be a mapping"),
        ({"target": "$", "remove": True}, "cannot remove the whole document"),
    ],
)
def test_impossible_actions_are_errors(action: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecInvalidError, match=message):
        apply(action)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"target": "$.info", "update": {}, "remove": True}, "exactly one of 'update' or 'remove: true'"),
        ({"target": "$.info"}, "exactly one of 'update' or 'remove: true'"),
        ({"target": "$.info", "remove": "yes"}, "'remove' must be true or false"),
        ({"target": "$.info", "udpate": {}}, r"unknown field\(s\) udpate"),
        ({"target": "$.paths[/x]", "remove": True}, "is not RFC 9535 JSONPath"),
        ({"update": {}}, "a string 'target'"),
        ("remove $.info", "a string 'target'"),
    ],
)
def test_malformed_actions_are_rejected_with_their_number(action: Any, message: str) -> None:
    with pytest.raises(SpecInvalidError, match=rf"o\.yaml: action 1: .*{message}"):
        apply(action)


def test_extension_fields_on_actions_are_allowed() -> None:
    assert apply({"target": "$.info", "update": {"x": 1}, "x-why": "because"})["info"]["x"] == 1


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (["not", "a", "mapping"], "must be a mapping"),
        ({"info": {"title": "t", "version": "1"}, "actions": [{}]}, "'overlay' must be an Overlay version"),
        ({"overlay": "2.0.0", "info": {"title": "t", "version": "1"}, "actions": [{}]}, "Overlay version"),
        ({"overlay": "1.0.0", "info": {"title": "t"}, "actions": [{}]}, "'info' must be a mapping"),
        ({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": []}, "non-empty list"),
    ],
)
def test_malformed_overlay_documents_are_rejected(document: Any, message: str) -> None:
    with pytest.raises(SpecInvalidError, match=message):
        check_overlay(document, source="o.yaml")
