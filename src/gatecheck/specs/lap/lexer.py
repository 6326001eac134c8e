"""Tokens for the structured part of a LAP line, with positions so every error can point at a column.

LAP is line-oriented: a directive and its arguments (including a whole field list) sit on one line,
so the lexer works one line at a time and ends each with an ``END`` token.  Punctuation is a single
character; everything else between punctuation and blanks is a ``WORD`` (names, types, enum values,
defaults, status codes).  That is why an enum value cannot contain ``/`` or any other punctuation:
the LAP writer had no escape for it, so neither do we.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from gatecheck.errors import LapSyntaxError

__all__ = ["PUNCTUATION", "Token", "TokenStream", "tokenize"]

PUNCTUATION = frozenset("{}[](),:/=?!")
_OPENING, _CLOSING = frozenset("{[("), frozenset("}])")
TokenKind = Literal["punct", "word", "end"]


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    line: int
    column: int

    def describe(self) -> str:
        """How the token reads in an error message ("end of line" rather than an empty quote)."""
        return "end of line" if self.kind == "end" else repr(self.text)


def tokenize(text: str, *, line: int, column: int) -> Iterator[Token]:
    """Split ``text`` (the part of a line starting at 1-based ``column``) into tokens."""
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in PUNCTUATION:
            yield Token("punct", char, line, column + i)
            i += 1
        else:
            start = i
            while i < len(text) and not text[i].isspace() and text[i] not in PUNCTUATION:
                i += 1
            yield Token("word", text[start:i], line, column + start)
    yield Token("end", "", line, column + len(text))


class TokenStream:
    """A cursor over one line's tokens with the expect/accept helpers a recursive-descent parser wants."""

    def __init__(self, text: str, *, line: int, column: int, filename: str) -> None:
        self._tokens = list(tokenize(text, line=line, column=column))
        self._pos = 0
        self._open: list[Token] = []  # brackets consumed but not yet closed, innermost last
        self.filename = filename

    @property
    def peek(self) -> Token:
        return self._tokens[self._pos]

    def next(self) -> Token:
        token = self._tokens[self._pos]
        if token.kind != "end":
            self._pos += 1
        return token

    def accept(self, punct: str) -> Token | None:
        """Consume and return the punctuation token ``punct`` if it is next, else leave the stream alone."""
        if self.peek.kind != "punct" or self.peek.text != punct:
            return None
        if punct in _OPENING:
            self._open.append(self.peek)
        elif punct in _CLOSING and self._open:
            self._open.pop()
        return self.next()

    def expect(self, punct: str, context: str) -> Token:
        token = self.accept(punct)
        if token is None:
            raise self.unexpected(f"expected {punct!r} {context}, found {self.peek.describe()}")
        return token

    def expect_word(self, what: str) -> Token:
        if self.peek.kind != "word":
            raise self.unexpected(f"expected {what}, found {self.peek.describe()}")
        return self.next()

    def expect_end(self, context: str) -> None:
        if self.peek.kind != "end":
            raise self.error(f"unexpected {self.peek.describe()} {context}")

    def unexpected(self, message: str) -> LapSyntaxError:
        """``message``, unless the line ended inside brackets: then say where the bracket opened."""
        if self.peek.kind == "end" and self._open:
            opening = self._open[-1]
            where = f"line {opening.line} column {opening.column}"
            return self.error(f"unterminated {opening.text!r} opened at {where}", opening)
        return self.error(message)

    def error(self, message: str, token: Token | None = None) -> LapSyntaxError:
        at = token or self.peek
        return LapSyntaxError(message, file=self.filename, line=at.line, column=at.column)
