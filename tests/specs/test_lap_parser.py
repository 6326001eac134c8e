"""Document-level LAP: header, groups, endpoint blocks, and errors that point at the right line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatecheck.errors import LapSyntaxError
from gatecheck.specs.lap import LapAuth, LapReturn, LapType, parse_lap

SEED = Path(__file__).parents[2] / "specs" / "openrouter" / "openrouter.lap"

# Six header lines, so the first body line of every document below is line 7.
HEADER = """\
@lap v0.3
@api Demo API
@base https://demo.test/v1
@version 2.1.0
@auth Bearer bearer
# a comment line
"""


def doc(body: str, *, end: str = "@end\n") -> str:
    return HEADER + body + end


def syntax_error(text: str) -> LapSyntaxError:
    with pytest.raises(LapSyntaxError) as caught:
        parse_lap(text, filename="demo.lap")
    return caught.value


def test_header_directives() -> None:
    text = HEADER.replace("@auth Bearer bearer", "@auth Bearer bearer | Bearer bearer")
    text += "@endpoints 0\n@hint one\n@hint two\n@end\n"
    parsed = parse_lap(text)
    assert (parsed.api, parsed.base, parsed.version) == ("Demo API", "https://demo.test/v1", "2.1.0")
    assert parsed.auth == (LapAuth("Bearer", "bearer"),)
    assert (parsed.declared_count, parsed.hints, parsed.endpoints) == (0, ("one", "two"), ())


def test_endpoint_block_in_any_order_with_groups() -> None:
    parsed = parse_lap(
        doc(
            "@endpoint GET /top\n"
            "\n"
            "@group keys\n"
            "@endpoint PATCH /keys/{hash}\n"
            "@errors {404}\n"
            "@returns(200) {deleted: bool}\n"
            "@optional {name: str}\n"
            "@required {hash: str}\n"
            "@returns(202)\n"
            "@endgroup\n"
        )
    )
    top, patch = parsed.endpoints
    assert (top.method, top.path, top.group, top.line) == ("GET", "/top", None, 7)
    assert (patch.method, patch.group, patch.line, patch.path_params) == ("PATCH", "keys", 10, ("hash",))
    assert [f.name for f in patch.required] == ["hash"] and [f.name for f in patch.optional] == ["name"]
    assert patch.errors == (404,)
    assert [(r.status, r.line) for r in patch.returns] == [(200, 12), (202, 15)]
    assert patch.returns[1] == LapReturn(202, None, 15)
    assert patch.returns[0].fields is not None and patch.returns[0].fields[0].type == LapType("bool")


def test_crlf_bom_and_indentation_are_tolerated() -> None:
    text = "\ufeff" + doc("  @endpoint GET /x\n    @returns(200)\n").replace("\n", "\r\n")
    (endpoint,) = parse_lap(text).endpoints
    assert (endpoint.path, endpoint.returns[0].status) == ("/x", 200)


def test_toc_is_checked_per_group() -> None:
    body = "@group a\n@endpoint GET /a\n@endgroup\n@group b\n@endpoint GET /b\n@endpoint GET /c\n@endgroup\n"
    assert parse_lap(HEADER + "@toc a(1), b(2)\n" + body + "@end\n").toc == (("a", 1), ("b", 2))
    error = syntax_error(HEADER + "@toc a(1), b(3)\n" + body + "@end\n")
    assert (error.line, error.column) == (7, 12)
    assert error.reason == "@toc says group 'b' has 3 endpoints but 2 found"


def test_truncated_seed_is_caught_by_the_endpoint_count() -> None:
    lines = SEED.read_text().splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if line.startswith("@endpoint "))
    error = syntax_error("".join(lines[:last]))
    assert (error.file, error.line, error.column) == ("demo.lap", 7, 12)
    assert error.reason == "@endpoints says 39 but 38 endpoints found (truncated file?)"
    assert str(error) == "demo.lap:7:12: @endpoints says 39 but 38 endpoints found (truncated file?)"


def test_missing_end_is_caught_when_the_count_agrees() -> None:
    error = syntax_error(doc("@endpoint GET /x\n@returns(200)\n", end=""))
    assert (error.line, error.column) == (9, 1)
    assert "missing '@end'" in error.reason


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        ("@endpoint GET /x\n@required {a: str\n", 8, 11, "unterminated '{' opened at line 8 column 11"),
        ("@endpoint GET /x\n@optional {foo str}\n", 8, 16, "expected ':' after field name 'foo'"),
        ("@endpoint GET /x\n@returns(200) {a: strr}\n", 8, 19, "unknown type 'strr'"),
        ("@foo bar\n", 7, 1, "unknown directive '@foo'"),
        ("  endpoint GET /x\n", 7, 3, "expected a directive starting with '@', found 'endpoint'"),
        ("@endpoint GET /x\n@endpoint GET /y\n@endpoint GET /x\n", 9, 1, "duplicate endpoint 'GET /x'"),
        ("@endpoint GET /api_keys\n@endpoint GET /api-keys\n", 8, 1, "duplicate operationId 'getApiKeys'"),
        ("@required {a: str}\n", 7, 1, "'@required' outside an @endpoint block"),
        ("@endpoint GET /x\n@api Other\n", 8, 1, "'@api' must come before the first @group or @endpoint"),
        ("@group a\n@group b\n", 8, 1, "'@group' inside @group 'a' opened at line 7 (missing @endgroup?)"),
        ("@endgroup\n", 7, 1, "'@endgroup' without an open @group"),
        ("@group a\n@endpoint GET /x\n", 9, 1, "'@end' inside @group 'a' opened at line 7"),
        ("@group\n", 7, 7, "expected a group name after '@group', found end of line"),
        ("@lap v0.3\n", 7, 1, "duplicate '@lap'"),
        ("@endpoint GET /x\n@required {a: str}\n@optional {a: int}\n", 9, 12, "'a' is in both @required"),
        ("@endpoint GET /x\n@required {a!: str}\n", 8, 12, "'!' on 'a': it only marks required fields"),
        ("@endpoint GET /x\n@returns(200)\n@errors {401, 200}\n", 9, 15, "status 200 is both in @returns"),
        ("@endpoint GET /x\n@returns(200)\n@returns(200) {a: int}\n", 9, 10, "status 200 is already listed"),
        ("@endpoint GET /x\n@errors {400}\n@errors {500}\n", 9, 1, "duplicate '@errors' in this endpoint"),
        ("@endpoint GET /x\n@returns 200\n", 8, 10, "expected '(' after '@returns', found '200'"),
        ("@endpoint GET /x\n@returns(200) {a: int} extra\n", 8, 24, "unexpected 'extra' after @returns"),
        ("@endpoint FETCH /x\n", 7, 11, "unknown HTTP method 'FETCH'"),
        ("@endpoint GET\n", 7, 14, "expected a path after 'GET'"),
        ("@endpoint GET x/y\n", 7, 15, "expected the path to start with '/'"),
        ("@endpoint GET /a/{id/b\n", 7, 18, "malformed path parameter '{id'"),
        ("@endpoint GET /a/x{id}\n", 7, 18, "expected a whole segment"),
        ("@endpoint GET /a/{id}/{id}\n", 7, 23, "duplicate path parameter 'id'"),
        ("@endpoint GET /a?b=1\n", 7, 17, "unexpected '?' in path"),
        ("@endpoint GET /a /b\n", 7, 18, "unexpected '/b' after the path"),
    ],
)
def test_malformed_documents(body: str, line: int, column: int, message: str) -> None:
    error = syntax_error(doc(body))
    assert (error.file, error.line, error.column) == ("demo.lap", line, column), error.reason
    assert message in error.reason


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("", 1, 1, "expected '@lap v0.3' as the first directive, found an empty document"),
        ("# only a comment\n@api X\n", 2, 1, "expected '@lap v0.3' as the first directive, found '@api'"),
        ("@lap v0.4\n", 1, 1, "unsupported LAP version 'v0.4' (this parser reads v0.3)"),
        (HEADER + "@api Again\n@end\n", 7, 1, "duplicate '@api' (first at line 2)"),
        (HEADER + "@endpoints many\n@end\n", 7, 12, "expected the number of endpoints, found 'many'"),
        (HEADER + "@endpoints 1\n@end\n", 7, 12, "@endpoints says 1 but 0 endpoints found (truncated file?)"),
        (HEADER + "@endpoints 0\n@endpoint GET /x\n@end\n", 7, 12, "says 0 but 1 endpoints found"),
        (HEADER + "@end\n@endpoint GET /x\n", 8, 1, "unexpected content after '@end'"),
        (HEADER + "@end extra\n", 7, 6, "unexpected 'extra' after '@end'"),
        (HEADER + "@toc a 1\n@end\n", 7, 8, "expected '(' after group name 'a' in @toc"),
        (HEADER + "@toc a(1)\n@endpoint GET /x\n@end\n", 7, 6, "group 'a' has 1 endpoints but 0 found"),
        (
            HEADER + "@toc a(0)\n@group b\n@endpoint GET /x\n@endgroup\n@end\n",
            7,
            1,
            "'b' (endpoint at line 9)",
        ),
        ("@lap v0.3\n@auth Bearer x | ApiKey header X\n", 2, 18, "expected '<scheme> [name]'"),
        ("@lap v0.3\n@auth Oauth2 x\n", 2, 7, "unsupported auth scheme 'Oauth2' (expected Bearer, Basic)"),
        ("@lap v0.3\n@version 1\n@end\n", 1, 1, "missing '@api' header directive"),
        ("@lap v0.3\n@api\n", 2, 5, "expected the API name after '@api'"),
    ],
)
def test_malformed_headers(text: str, line: int, column: int, message: str) -> None:
    error = syntax_error(text)
    assert (error.line, error.column) == (line, column), error.reason
    assert message in error.reason


def test_error_on_the_last_line_of_a_file_cut_mid_line_suggests_truncation() -> None:
    text = SEED.read_text(encoding="utf-8")
    marker = "@returns(200) {data: map{hash: str, na"
    error = syntax_error(text[: text.index(marker) + len(marker)])
    assert (error.line, error.column) == (114, 25)
    assert error.reason == "unterminated '{' opened at line 114 column 25 (truncated file?)"
    complete = syntax_error(doc("@endpoint GET /x\n@required {a: str\n"))
    assert complete.reason == "unterminated '{' opened at line 8 column 11"
