"""The directives before the first ``@group``/``@endpoint``: what the API is called, where it lives, how
it authenticates, and how many endpoints the file claims (so a truncated download is caught).

Each handler takes one directive line and returns the parsed value; the document parser decides
where the values go and whether a directive may repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatecheck.errors import LapSyntaxError
from gatecheck.specs.lap.lexer import TokenStream
from gatecheck.specs.lap.model import LapAuth

__all__ = [
    "AUTH_SCHEMES",
    "LAP_VERSION",
    "Directive",
    "parse_auth",
    "parse_count",
    "parse_text",
    "parse_toc",
    "parse_version",
]

LAP_VERSION = "v0.3"
# LAP scheme word -> (components.securitySchemes key, http scheme).  Only http schemes so far:
# LAP v0.3 has no syntax for where an API key travels.
AUTH_SCHEMES = {"bearer": ("bearerAuth", "bearer"), "basic": ("basicAuth", "basic")}


@dataclass(frozen=True)
class Directive:
    """One ``@name rest`` line; ``rest_column`` is the 1-based column where ``rest`` starts."""

    name: str
    line: int
    column: int
    rest: str
    rest_column: int
    filename: str

    def stream(self) -> TokenStream:
        return TokenStream(self.rest, line=self.line, column=self.rest_column, filename=self.filename)

    def error(self, message: str, column: int | None = None) -> LapSyntaxError:
        return LapSyntaxError(message, file=self.filename, line=self.line, column=column or self.column)


def parse_text(directive: Directive, what: str) -> str:
    """Free text such as ``@api OpenRouter API``: anything non-empty, surrounding blanks dropped."""
    text = directive.rest.strip()
    if not text:
        raise directive.error(f"expected {what} after '@{directive.name}'", directive.rest_column)
    return text


def parse_version(directive: Directive) -> None:
    version = parse_text(directive, "the LAP version")
    if version != LAP_VERSION:
        raise directive.error(f"unsupported LAP version {version!r} (this parser reads {LAP_VERSION})")


def parse_count(directive: Directive) -> int:
    stream = directive.stream()
    token = stream.expect_word("the number of endpoints after '@endpoints'")
    if not token.text.isdigit():
        raise stream.error(f"expected the number of endpoints, found {token.text!r}", token)
    stream.expect_end("after the endpoint count")
    return int(token.text)


def parse_auth(directive: Directive) -> tuple[LapAuth, ...]:
    """``@auth Bearer bearer | Bearer bearer``: alternatives split by ``|``, duplicates dropped."""
    found: list[LapAuth] = []
    column = directive.rest_column
    for alternative in directive.rest.split("|"):
        words = alternative.split()
        start = column + len(alternative) - len(alternative.lstrip())
        column += len(alternative) + 1
        if not 1 <= len(words) <= 2:
            raise directive.error("expected '<scheme> [name]' in @auth, e.g. 'Bearer bearer'", start)
        if words[0].lower() not in AUTH_SCHEMES:
            known = ", ".join(scheme.title() for scheme in AUTH_SCHEMES)
            raise directive.error(f"unsupported auth scheme {words[0]!r} (expected {known})", start)
        auth = LapAuth(words[0], words[-1])
        if auth not in found:
            found.append(auth)
    return tuple(found)


def parse_toc(directive: Directive) -> tuple[tuple[str, int, int], ...]:
    """``@toc keys(5), auth(2)`` -> ``(("keys", 5, column), ...)``; the column is kept for errors."""
    stream = directive.stream()
    entries: list[tuple[str, int, int]] = []
    while True:
        name = stream.expect_word("a group name in @toc")
        stream.expect("(", f"after group name {name.text!r} in @toc")
        count = stream.expect_word(f"the endpoint count of group {name.text!r}")
        if not count.text.isdigit():
            raise stream.error(f"expected a number of endpoints, found {count.text!r}", count)
        stream.expect(")", f"after the count of group {name.text!r}")
        entries.append((name.text, int(count.text), name.column))
        if stream.peek.kind == "end":
            return tuple(entries)
        stream.expect(",", "or end of line between @toc entries")
