"""Recursive-descent parser for LAP field lists and status-code lists.

Grammar (EBNF; WORD is a lexer token, see ``lexer.py``)::

    field_list  = "{" [ field { "," field } ] "}" ;
    field       = WORD [ "!" ] ":" type [ "=" WORD ] ;
    type        = ( scalar | map | array ) [ "?" ] ;
    scalar      = ( "str" | "int" | "num" | "bool" | "any" ) [ "(" WORD { "/" WORD } ")" ] ;
    map         = "map" [ "?" ] [ field_list ] ;
    array       = "[" type "]" ;
    status_list = "{" status { "," status } "}" ;
    status      = WORD ;                      (* three digits, 100-599 *)

``map?{...}`` is how the seed writes a nullable map with fields, so ``?`` may sit between ``map``
and its braces as well as after the type, but not in both places.  Enum values are de-duplicated in
source order: the LAP writer flattened ``marketing/seo`` into ``.../marketing/marketing/seo/...``
because ``/`` is its separator, and the original value cannot be recovered from that, so we keep
``marketing`` and ``seo`` once each rather than guess.
"""

from __future__ import annotations

import math
from typing import cast

from gatecheck.specs.lap.lexer import Token, TokenStream
from gatecheck.specs.lap.model import NUMBER_FORMATS, Default, LapField, LapType, TypeKind

__all__ = ["parse_field_list", "parse_status", "parse_status_list"]

_SCALARS = ("str", "int", "num", "bool", "any")


def parse_field_list(stream: TokenStream) -> tuple[LapField, ...]:
    stream.expect("{", "to open a field list")
    fields: list[LapField] = []
    seen: dict[str, LapField] = {}
    if stream.accept("}"):
        return ()
    while True:
        field = _parse_field(stream)
        if field.name in seen:
            first = seen[field.name]
            raise stream.error(f"duplicate field {field.name!r} (first at column {first.column})", _at(field))
        seen[field.name] = field
        fields.append(field)
        if stream.accept("}"):
            return tuple(fields)
        stream.expect(",", f"or '}}' after field {field.name!r}")


def _parse_field(stream: TokenStream) -> LapField:
    name = stream.expect_word("a field name")
    required = stream.accept("!") is not None
    stream.expect(":", f"after field name {name.text!r}")
    lap_type = _parse_type(stream)
    default = _parse_default(stream, lap_type, name.text) if stream.accept("=") else None
    return LapField(name.text, lap_type, required, default, name.line, name.column)


def _parse_type(stream: TokenStream) -> LapType:
    if opening := stream.accept("["):
        item = _parse_type(stream)
        stream.expect("]", "to close the array type")
        return LapType("array", item=item, nullable=_parse_nullable(stream, False))
    word = stream.expect_word("a type")
    if word.text == "map":
        nullable = stream.accept("?") is not None
        fields = parse_field_list(stream) if stream.peek.text == "{" else None
        return LapType("map", fields=fields, nullable=_parse_nullable(stream, nullable))
    if word.text not in _SCALARS:
        raise stream.error(
            f"unknown type {word.text!r} (expected str, int, num, bool, any, map or [T])", word
        )
    opening = stream.accept("(")
    args = _parse_args(stream, word, opening) if opening else ()
    return LapType(cast(TypeKind, word.text), args=args, nullable=_parse_nullable(stream, False))


def _parse_nullable(stream: TokenStream, already: bool) -> bool:
    mark = stream.accept("?")
    if mark and already:
        raise stream.error("'?' given twice for one type", mark)
    return already or mark is not None


def _parse_args(stream: TokenStream, kind: Token, opening: Token) -> tuple[str, ...]:
    values: list[str] = []
    while True:
        value = stream.expect_word(f"a value in {kind.text}(...)")
        if value.text not in values:
            values.append(value.text)
        if stream.accept(")"):
            break
        stream.expect("/", "or ')' between values")
    if kind.text in ("bool", "any"):
        raise stream.error(f"type {kind.text!r} takes no '(...)' arguments", opening)
    if kind.text in ("int", "num") and (len(values) != 1 or values[0] not in NUMBER_FORMATS):
        expected = ", ".join(sorted(NUMBER_FORMATS))
        raise stream.error(
            f"unknown {kind.text} format {'/'.join(values)!r} (expected one of {expected})", opening
        )
    return tuple(values)


def _parse_default(stream: TokenStream, lap_type: LapType, name: str) -> Default:
    token = stream.expect_word(f"a default value after '=' for field {name!r}")
    text = token.text
    if lap_type.kind == "bool" and text in ("true", "false"):
        return text == "true"
    if lap_type.kind == "int" and _is_int(text):
        return int(text)
    if lap_type.kind == "num" and _is_number(text):
        return float(text)
    if lap_type.kind == "str" and (not lap_type.enum or text in lap_type.enum):
        return text
    if lap_type.kind == "str":
        raise stream.error(f"default {text!r} is not one of {'/'.join(lap_type.enum)}", token)
    if lap_type.kind in ("bool", "int", "num"):
        raise stream.error(f"default {text!r} is not a valid {lap_type.kind}", token)
    raise stream.error(
        f"a default is only allowed on str, int, num and bool fields, not {lap_type.kind}", token
    )


def _is_int(text: str) -> bool:
    return text.lstrip("+-").isdigit()


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _at(field: LapField) -> Token:
    return Token("word", field.name, field.line, field.column)


def parse_status(stream: TokenStream) -> int:
    token = stream.expect_word("an HTTP status code")
    if not (len(token.text) == 3 and token.text.isdigit() and 100 <= int(token.text) <= 599):
        raise stream.error(f"expected an HTTP status code (100-599), found {token.text!r}", token)
    return int(token.text)


def parse_status_list(stream: TokenStream, *, taken: dict[int, str] | None = None) -> tuple[int, ...]:
    """``{400, 401}``; a code in ``taken`` is rejected with its value as the reason ("both in ...")."""
    stream.expect("{", "to open the status code list")
    codes: list[int] = []
    reasons = {**(taken or {})}
    while True:
        start = stream.peek
        code = parse_status(stream)
        if code in reasons:
            raise stream.error(f"status {code} is {reasons[code]}", start)
        reasons[code] = "listed twice"
        codes.append(code)
        if stream.accept("}"):
            return tuple(codes)
        stream.expect(",", "or '}' between status codes")
