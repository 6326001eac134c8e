"""Properties: LAP -> OpenAPI -> LAP -> OpenAPI is a fixed point, and no input crashes the parser.

The generated documents cover every construct the compiler maps (path/query/body fields, nested
maps, arrays, enums, formats, defaults, nullability, ``!``, returns with and without bodies,
errors, groups), so a mapping that ``emit_lap`` does not invert shows up as a diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from gatecheck.errors import LapSyntaxError
from gatecheck.specs.lap import LapEmitError, compile_lap, emit_lap
from gatecheck.specs.lap.naming import operation_id

SEED = Path(__file__).parents[2] / "specs" / "openrouter" / "openrouter.lap"
PROFILE = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

LOWER = "abcdefghijklmnopqrstuvwxyz"
names = st.builds(str.__add__, st.sampled_from(LOWER), st.text(LOWER + "0123456789_", max_size=6))
words = st.text(LOWER, min_size=1, max_size=6).filter(lambda w: w != "by")
enum_values = st.lists(
    st.text(LOWER + LOWER.upper() + "0123456789_.-", min_size=1, max_size=6),
    min_size=2,
    max_size=4,
    unique=True,
)
scalars = st.one_of(
    st.sampled_from(
        ["str", "int", "bool", "any", "map", "num(double)", "int(int64)", "str(uuid)", "str(date-time)"]
    ),
    enum_values.map(lambda values: f"str({'/'.join(values)})"),
)


Field = tuple[str, bool, str, bool]  # name, '!', type text, '?'


def render(fields: list[Field]) -> str:
    return "{" + ", ".join(f"{n}{'!' if r else ''}: {t}{'?' if q else ''}" for n, r, t, q in fields) + "}"


def field_tuples(types: st.SearchStrategy[str]) -> st.SearchStrategy[list[Field]]:
    one = st.tuples(names, st.booleans(), types, st.booleans())
    return st.lists(one, max_size=4, unique_by=lambda f: f[0])


def maps(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return field_tuples(inner).map(lambda fields: f"map{render(fields)}")


types = st.recursive(
    scalars, lambda inner: st.one_of(inner.map(lambda t: f"[{t}]"), maps(inner)), max_leaves=6
)
defaults = st.sampled_from(
    ["flag: bool=true", "count: int=-2", "ratio: num(double)=0.25", "mode: str(a/b)=b"]
)


@st.composite
def endpoints(draw: st.DrawFn) -> tuple[str, str]:
    method = draw(st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]))
    segments = draw(st.lists(st.one_of(words, words.map(lambda w: "{" + w + "}")), min_size=1, max_size=4))
    path = "/" + "/".join(dict.fromkeys(segments))
    params = [s[1:-1] for s in path.split("/") if s.startswith("{")]
    lines = [f"@endpoint {method} {path}"]
    typed = [(p, False, draw(st.sampled_from(["str", "int", "str(uuid)"])), False) for p in params]
    # '!' is for fields inside maps; at the top of a request @required says it.
    extra = [(n, False, t, q) for n, _, t, q in draw(field_tuples(types)) if n not in params]
    if required := typed + extra:
        lines.append(f"@required {render(required)}")
    if (optional := draw(defaults)).split(":")[0] not in {f[0] for f in required}:
        lines.append(f"@optional {{{optional}}}")
    for status in draw(st.lists(st.sampled_from([200, 201, 202, 204]), max_size=2, unique=True)):
        lines.append(
            f"@returns({status}) {render(draw(field_tuples(types)))}" if status != 204 else "@returns(204)"
        )
    if errors := draw(st.lists(st.sampled_from([400, 401, 404, 429, 500, 529]), max_size=3, unique=True)):
        lines.append(f"@errors {{{', '.join(map(str, errors))}}}")
    return f"{method} {path}", "\n".join(lines)


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(
        st.lists(endpoints(), min_size=1, max_size=5, unique_by=lambda e: operation_id(*e[0].split()))
    )
    text = ["@lap v0.3", "@api Generated", "@version 0.0.1", f"@endpoints {len(blocks)}"]
    for index, (_, block) in enumerate(blocks):
        group = draw(st.sampled_from([None, "alpha", "beta"]))
        text += [block] if group is None else [f"@group {group}", block, "@endgroup"]
        text.append(f"# endpoint {index}")
    return "\n".join([*text, "@end", ""])


@pytest.mark.slow
@PROFILE
@given(documents())
def test_generated_documents_are_a_fixed_point_of_emit_then_compile(text: str) -> None:
    spec = compile_lap(text)
    assert compile_lap(emit_lap(spec)) == spec


@settings(PROFILE, max_examples=10)
@given(documents())
def test_generated_documents_are_valid_openapi(text: str) -> None:
    validate(compile_lap(text))


@PROFILE
@given(st.data())
def test_damaged_seed_gives_a_lap_syntax_error_or_a_document(data: st.DataObject) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    index = data.draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    position = data.draw(st.integers(0, len(line)))
    damage = data.draw(
        st.sampled_from(["", "{", "}", "[", "]", "(", ")", ",", ":", "?", "!", "=", "/", "@", " x"])
    )
    cut = data.draw(st.integers(0, 3))
    lines[index] = line[:position] + damage + line[position + cut :]
    try:
        compile_lap("\n".join(lines))
    except LapSyntaxError as error:
        assert error.line >= 1 and error.column >= 1


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"$ref": "#/components/schemas/Thing"}, "'$ref' cannot be expressed"),
        ({"type": "string", "enum": ["marketing/seo"]}, "enum value 'marketing/seo' cannot be written"),
        ({"type": "string", "enum": ["uuid"]}, "would read back as a format"),
        ({"type": ["string", "integer"]}, "LAP only has T and nullable T?"),
        ({"type": "string", "format": "color"}, "format 'color' of a string"),
        ({"oneOf": [{"type": "string"}]}, "'oneOf' cannot be expressed"),
    ],
)
def test_emit_refuses_what_lap_cannot_say(schema: dict[str, object], message: str) -> None:
    spec = compile_lap("@lap v0.3\n@api A\n@version 1\n@endpoint POST /x\n@optional {f: str}\n@end\n")
    spec["paths"]["/x"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]["f"] = (
        schema
    )
    with pytest.raises(LapEmitError) as caught:
        emit_lap(spec)
    assert caught.value.where == "#/paths/~1x/post/properties/f"
    assert message in str(caught.value)


def test_emit_drops_annotations_lap_has_no_syntax_for() -> None:
    spec = compile_lap("@lap v0.3\n@api A\n@version 1\n@endpoint GET /x\n@optional {f: int}\n@end\n")
    spec["paths"]["/x"]["get"]["summary"] = "List x"
    spec["paths"]["/x"]["get"]["parameters"][0]["schema"]["description"] = "how many"
    assert "@optional {f: int}" in emit_lap(spec)


def test_emit_spells_an_optional_response_field_as_nullable() -> None:
    # Plain OpenAPI often has optional, never-null response fields; LAP's nearest word is 'T?'.
    spec = compile_lap(
        "@lap v0.3\n@api A\n@version 1\n@endpoint GET /x\n@returns(200) {a: str, m: map{b: int}}\n@end\n"
    )
    schema = spec["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema["required"] = ["a"]
    assert "@returns(200) {a: str, m: map?{b: int}}" in emit_lap(spec)


def test_emit_refuses_auth_and_parameters_lap_cannot_say() -> None:
    spec = compile_lap("@lap v0.3\n@api A\n@version 1\n@endpoint GET /x\n@optional {f: int}\n@end\n")
    spec["paths"]["/x"]["get"]["parameters"][0]["in"] = "header"
    with pytest.raises(LapEmitError, match="inline path and query parameters only"):
        emit_lap(spec)
    spec["paths"]["/x"]["get"]["parameters"][0]["in"] = "query"
    spec["security"] = [{"key": []}]
    spec["components"]["securitySchemes"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    with pytest.raises(LapEmitError, match="http bearer and basic only"):
        emit_lap(spec)
