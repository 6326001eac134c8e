"""One ``@endpoint`` block: the method/path line, then its body directives in any order.

A draft collects the body directives and rejects contradictions as soon as the second directive
arrives (a field both required and optional, a status both returned and an error), so the error
points at the line that introduced the contradiction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gatecheck.specs.lap.fields import parse_field_list, parse_status, parse_status_list
from gatecheck.specs.lap.header import Directive
from gatecheck.specs.lap.model import LapEndpoint, LapField, LapReturn

__all__ = ["METHODS", "EndpointDraft", "parse_endpoint_line"]

METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_PARAM_CHARS = frozenset("_-.")


def parse_endpoint_line(directive: Directive, group: str | None) -> EndpointDraft:
    """``@endpoint METHOD /path/{param}``; path parameters must be whole segments."""
    words = _words(directive.rest, directive.rest_column)
    if not words:
        raise directive.error("expected 'METHOD /path' after '@endpoint'", directive.rest_column)
    (method, method_column), *rest = words
    if method not in METHODS:
        raise directive.error(
            f"unknown HTTP method {method!r} (expected one of {', '.join(METHODS)})", method_column
        )
    if not rest:
        raise directive.error(f"expected a path after {method!r}", method_column + len(method))
    (path, path_column), *extra = rest
    if extra:
        raise directive.error(f"unexpected {extra[0][0]!r} after the path", extra[0][1])
    _check_path(directive, path, path_column)
    return EndpointDraft(method, path, group, directive.line)


def _words(text: str, column: int) -> list[tuple[str, int]]:
    """Blank-separated words of free text with their 1-based columns."""
    words: list[tuple[str, int]] = []
    position = 0
    for word in text.split():
        position = text.index(word, position)
        words.append((word, column + position))
        position += len(word)
    return words


def _check_path(directive: Directive, path: str, column: int) -> None:
    if not path.startswith("/"):
        raise directive.error(f"expected the path to start with '/', found {path!r}", column)
    names: set[str] = set()
    offset = 0
    for segment in path.split("/"):
        at = column + offset
        offset += len(segment) + 1
        if bad := next((c for c in "?#" if c in segment), None):
            message = f"unexpected {bad!r} in path (no query string or fragment)"
            raise directive.error(message, at + segment.index(bad))
        if "{" not in segment and "}" not in segment:
            continue
        name = segment[1:-1]
        whole = segment.startswith("{") and segment.endswith("}") and name
        if not whole or not all(c.isalnum() or c in _PARAM_CHARS for c in name):
            raise directive.error(
                f"malformed path parameter {segment!r}: expected a whole segment '{{name}}'", at
            )
        if name in names:
            raise directive.error(f"duplicate path parameter {name!r}", at)
        names.add(name)


@dataclass
class EndpointDraft:
    method: str
    path: str
    group: str | None
    line: int
    required: tuple[LapField, ...] = ()
    optional: tuple[LapField, ...] = ()
    returns: list[LapReturn] = field(default_factory=list)
    errors: tuple[int, ...] = ()
    seen: dict[str, Directive] = field(default_factory=dict)

    def add(self, directive: Directive) -> None:
        if directive.name != "returns" and (first := self.seen.get(directive.name)):
            raise directive.error(
                f"duplicate '@{directive.name}' in this endpoint (first at line {first.line})"
            )
        self.seen.setdefault(directive.name, directive)
        if directive.name in ("required", "optional"):
            self._add_fields(directive)
        elif directive.name == "returns":
            self._add_returns(directive)
        else:
            self._add_errors(directive)

    def _add_fields(self, directive: Directive) -> None:
        stream = directive.stream()
        fields = parse_field_list(stream)
        stream.expect_end("after the field list")
        if marked := next((f for f in fields if f.required_in_map), None):
            message = (
                f"'!' on {marked.name!r}: it only marks required fields inside a map, use @required here"
            )
            raise directive.error(message, marked.column)
        others = {f.name for f in (self.optional if directive.name == "required" else self.required)}
        if clash := next((f for f in fields if f.name in others), None):
            message = f"field {clash.name!r} is in both @required and @optional"
            raise directive.error(message, clash.column)
        setattr(self, directive.name, fields)

    def _add_returns(self, directive: Directive) -> None:
        stream = directive.stream()
        stream.expect("(", "after '@returns'")
        start = stream.peek
        status = parse_status(stream)
        stream.expect(")", "after the status code")
        fields = parse_field_list(stream) if stream.peek.text == "{" and stream.peek.kind == "punct" else None
        stream.expect_end("after @returns")
        if status in self.errors or any(r.status == status for r in self.returns):
            raise directive.error(f"status {status} is already listed for this endpoint", start.column)
        self.returns.append(LapReturn(status, fields, directive.line))

    def _add_errors(self, directive: Directive) -> None:
        stream = directive.stream()
        taken = {r.status: f"both in @returns (line {r.line}) and @errors" for r in self.returns}
        self.errors = parse_status_list(stream, taken=taken)
        stream.expect_end("after the status code list")

    def build(self) -> LapEndpoint:
        return LapEndpoint(
            self.method,
            self.path,
            self.group,
            self.required,
            self.optional,
            tuple(self.returns),
            self.errors,
            self.line,
        )
