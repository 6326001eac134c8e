"""Properties of ``specs diff``: a spec diffed with itself reports nothing, and nothing makes it raise."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatecheck.reports.specdiff import diff_specs
from gatecheck.specs.registry import available, load_spec

BUNDLED = [info.name for info in available()]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["#/components", "null"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["$ref", "type", "enum", "const", "anyOf", "allOf", "properties", "required", "items", "x"]
            ),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@pytest.mark.parametrize("name", BUNDLED)
@pytest.mark.parametrize("layer", ["document", "raw"])
def test_a_bundled_spec_diffed_with_itself_reports_nothing(name: str, layer: str) -> None:
    spec = load_spec(name)
    assert diff_specs(getattr(spec, layer), copy.deepcopy(getattr(spec, layer))) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            "openai",
            marks=pytest.mark.xfail(
                reason="known defect: a nullable: true beside a $ref is dropped when the $ref is resolved, "
                "so the nullable repair reads as a type change (9 locations in the OpenAI document)",
                strict=True,
            ),
        ),
        "openrouter",
    ],
)
def test_a_real_spec_diffed_with_itself_reports_nothing(real_specs: Path, name: str) -> None:
    spec = load_spec(str(real_specs / f"{name}-openapi.yaml"))
    assert diff_specs(spec.raw, copy.deepcopy(spec.raw)) == []
    assert diff_specs(spec.raw, spec.document) == []  # the repairs change no meaning a client sees


@functools.cache
def _raw(name: str) -> dict[str, Any]:
    return load_spec(name).raw


def _places(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        out.append((node, key))
        _places(value, out)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), JSON), min_size=1, max_size=4), st.sampled_from(BUNDLED))
def test_any_mangled_spec_diffs_without_raising(edits: list[tuple[int, Any]], name: str) -> None:
    original = _raw(name)
    mangled = copy.deepcopy(original)
    for index, value in edits:
        places = _places(mangled, [])
        container, key = places[index % len(places)]
        container[key] = value
    diff_specs(original, mangled)
    diff_specs(mangled, original)
    assert diff_specs(mangled, copy.deepcopy(mangled)) == []
