"""The field-list grammar: every type form the seed uses, and the errors an author is likely to make."""

from __future__ import annotations

import pytest

from gatecheck.errors import LapSyntaxError
from gatecheck.specs.lap import LapField, LapType
from gatecheck.specs.lap.fields import parse_field_list, parse_status_list
from gatecheck.specs.lap.lexer import TokenStream


def fields(text: str) -> tuple[LapField, ...]:
    stream = TokenStream(text, line=7, column=1, filename="t.lap")
    parsed = parse_field_list(stream)
    stream.expect_end("after the field list")
    return parsed


def one(text: str) -> LapField:
    (field,) = fields("{" + text + "}")
    return field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: str", LapType("str")),
        ("a: int", LapType("int")),
        ("a: bool", LapType("bool")),
        ("a: any", LapType("any")),
        ("a: map", LapType("map")),
        ("a: num(double)", LapType("num", args=("double",))),
        ("a: [str]", LapType("array", item=LapType("str"))),
        ("a: [[int]]", LapType("array", item=LapType("array", item=LapType("int")))),
        ("a: str?", LapType("str", nullable=True)),
        ("a: [map]?", LapType("array", item=LapType("map"), nullable=True)),
        ("a: str(date-time)?", LapType("str", args=("date-time",), nullable=True)),
    ],
)
def test_scalar_array_and_nullable_types(text: str, expected: LapType) -> None:
    assert one(text).type == expected


def test_enum_values_keep_order_and_drop_repeats() -> None:
    # The seed writes the value 'marketing/seo' as '.../marketing/marketing/seo/...'.
    lap_type = one("c: str(programming/marketing/marketing/seo/legal)").type
    assert lap_type.enum == ("programming", "marketing", "seo", "legal")
    assert lap_type.format is None


@pytest.mark.parametrize("fmt", ["date-time", "uuid", "uri", "email", "date"])
def test_single_known_value_is_a_format(fmt: str) -> None:
    lap_type = one(f"a: str({fmt})").type
    assert (lap_type.format, lap_type.enum) == (fmt, ())


def test_single_unknown_value_is_a_one_value_enum() -> None:
    lap_type = one("a: str(auto)").type
    assert (lap_type.format, lap_type.enum) == (None, ("auto",))


def test_map_with_fields_nests_to_any_depth_and_marks_required_in_map() -> None:
    outer = one("p: map{id!: str, deep: map{deeper: [map{x!: int}]}}")
    identifier, deep = outer.type.fields or ()
    assert (identifier.name, identifier.required_in_map, deep.required_in_map) == ("id", True, False)
    (deeper,) = deep.type.fields or ()
    assert deeper.type.item is not None
    assert deeper.type.item.fields == (LapField("x", LapType("int"), True, None, 7, 42),)


@pytest.mark.parametrize("text", ["a: map?{b: int}", "a: map{b: int}?"])
def test_nullable_map_with_fields_either_spelling(text: str) -> None:
    lap_type = one(text).type
    assert lap_type.nullable
    assert [f.name for f in lap_type.fields or ()] == ["b"]


@pytest.mark.parametrize(
    ("text", "default"),
    [
        ("a: bool=false", False),
        ("a: bool=true", True),
        ("a: int=-3", -3),
        ("a: num(double)=0.5", 0.5),
        ("a: str(auto/default)=auto", "auto"),
        ("a: str=hello", "hello"),
    ],
)
def test_defaults_are_typed(text: str, default: object) -> None:
    value = one(text).default
    assert value == default and type(value) is type(default)


def test_field_positions_point_at_the_name() -> None:
    a, b = fields("{a: str,   b: int}")
    assert [(a.line, a.column), (b.line, b.column)] == [(7, 2), (7, 12)]


def test_empty_field_list() -> None:
    assert fields("{}") == ()


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("{foo str}", 6, "expected ':' after field name 'foo', found 'str'"),
        ("{a: strr}", 5, "unknown type 'strr'"),
        ("{a: str, b: map{c: int", 16, "unterminated '{' opened at line 7 column 16"),
        ("{a: str, b: map{c: int}", 1, "unterminated '{' opened at line 7 column 1"),
        ("{a: [str}", 9, "expected ']' to close the array type, found '}'"),
        ("{a: [str", 5, "unterminated '[' opened at line 7 column 5"),
        ("{a: str(x/y", 8, "unterminated '(' opened at line 7 column 8"),
        ("{a: str(x/y}", 12, "expected '/' or ')' between values, found '}'"),
        ("{a: str b: int}", 9, "expected ',' or '}' after field 'a', found 'b'"),
        ("{a: str, a: int}", 10, "duplicate field 'a' (first at column 2)"),
        ("{a: bool=maybe}", 10, "default 'maybe' is not a valid bool"),
        ("{a: int=1.5}", 9, "default '1.5' is not a valid int"),
        ("{a: str(x/y)=z}", 14, "default 'z' is not one of x/y"),
        ("{a: map=x}", 9, "a default is only allowed on str, int, num and bool fields"),
        ("{a: map?{b: int}?}", 17, "'?' given twice"),
        ("{a: num(single)}", 8, "unknown num format 'single'"),
        ("{a: bool(x)}", 9, "type 'bool' takes no '(...)' arguments"),
        ("{a: }", 5, "expected a type, found '}'"),
    ],
)
def test_malformed_field_lists(text: str, column: int, message: str) -> None:
    with pytest.raises(LapSyntaxError) as caught:
        fields(text)
    assert (caught.value.file, caught.value.line, caught.value.column) == ("t.lap", 7, column)
    assert message in caught.value.reason


def test_status_list() -> None:
    stream = TokenStream("{400, 401,529}", line=1, column=1, filename="t.lap")
    assert parse_status_list(stream) == (400, 401, 529)


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("{400, 40}", 7, "expected an HTTP status code (100-599), found '40'"),
        ("{400, 700}", 7, "found '700'"),
        ("{400, 400}", 7, "status 400 is listed twice"),
        ("{400", 1, "unterminated '{'"),
    ],
)
def test_malformed_status_lists(text: str, column: int, message: str) -> None:
    with pytest.raises(LapSyntaxError) as caught:
        parse_status_list(TokenStream(text, line=3, column=1, filename="t.lap"))
    assert (caught.value.line, caught.value.column) == (3, column)
    assert message in caught.value.reason
