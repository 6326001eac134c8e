"""LAP v0.3 document parser: line-oriented directives around the field-list grammar of ``fields.py``.

Grammar (EBNF; one directive per line, a field list never spans lines)::

    document  = lap_line { header } { group | endpoint } end_line ;
    lap_line  = "@lap" "v0.3" ;
    header    = "@api" TEXT | "@base" TEXT | "@version" TEXT | "@auth" auth { "|" auth }
              | "@endpoints" DIGITS | "@hint" TEXT | "@toc" toc_entry { "," toc_entry } ;
    auth      = ( "Bearer" | "Basic" ) [ WORD ] ;
    toc_entry = WORD "(" DIGITS ")" ;
    group     = "@group" WORD { endpoint } "@endgroup" ;
    endpoint  = "@endpoint" METHOD PATH [ "@required" field_list ] [ "@optional" field_list ]
                { "@returns" "(" status ")" [ field_list ] } [ "@errors" status_list ] ;
    end_line  = "@end" ;

Blank lines and lines starting with ``#`` are ignored anywhere.  The body directives of an endpoint
may come in any order.  Endpoints outside a group are accepted (the seed has none, but nothing in
LAP needs a group; such operations simply get no tag).  Three checks catch a cut-off download:
``@endpoints`` must match the number of endpoints, ``@toc`` must match each group's count, and the
file must end with ``@end``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gatecheck.errors import LapSyntaxError
from gatecheck.specs.lap import header
from gatecheck.specs.lap.endpoint import EndpointDraft, parse_endpoint_line
from gatecheck.specs.lap.header import Directive
from gatecheck.specs.lap.model import LapDocument, LapEndpoint
from gatecheck.specs.lap.naming import operation_id

__all__ = ["parse_lap"]

_HEADER = {
    "api": lambda d: header.parse_text(d, "the API name"),
    "base": lambda d: header.parse_text(d, "the base URL"),
    "version": lambda d: header.parse_text(d, "the API version"),
    "auth": header.parse_auth,
    "endpoints": header.parse_count,
    "toc": header.parse_toc,
}
_BODY = frozenset({"required", "optional", "returns", "errors"})


def parse_lap(text: str, *, filename: str = "<lap>") -> LapDocument:
    """Parse LAP text; every problem is a :class:`LapSyntaxError` pointing at file:line:column."""
    return _DocumentParser(filename).parse(text)


class _DocumentParser:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.headers: dict[str, tuple[Directive, Any]] = {}
        self.hints: list[str] = []
        self.group: Directive | None = None
        self.draft: EndpointDraft | None = None
        self.endpoints: list[LapEndpoint] = []
        self.seen: dict[str, LapEndpoint] = {}
        self.end: Directive | None = None

    def parse(self, text: str) -> LapDocument:
        lines = text.removeprefix("\ufeff").split("\n")
        directives = self._directives(lines)
        first = next(directives, None)
        if first is None or first.name != "lap":
            found = f"'@{first.name}'" if first else "an empty document"
            line, column = (first.line, first.column) if first else (1, 1)
            message = f"expected '@lap {header.LAP_VERSION}' as the first directive, found {found}"
            raise LapSyntaxError(message, file=self.filename, line=line, column=column)
        header.parse_version(first)
        try:
            for directive in directives:
                self._handle(directive)
        except LapSyntaxError as error:
            raise self._truncation_hint(error, lines) from None
        self._finish_endpoint()
        return self._check_complete(len(lines), lines[-1].rstrip("\r"))

    def _directives(self, lines: list[str]) -> Iterator[Directive]:
        for number, raw in enumerate(lines, 1):
            line = raw.rstrip("\r")
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                yield self._directive(stripped, number, len(line) - len(line.lstrip()) + 1)

    def _directive(self, stripped: str, number: int, column: int) -> Directive:
        if self.end is not None:
            raise self._error("unexpected content after '@end'", number, column)
        if not stripped.startswith("@"):
            found = stripped.split()[0]
            raise self._error(f"expected a directive starting with '@', found {found!r}", number, column)
        length = 1
        while length < len(stripped) and (stripped[length].isalnum() or stripped[length] in "_-"):
            length += 1
        return Directive(
            stripped[1:length], number, column, stripped[length:], column + length, self.filename
        )

    def _truncation_hint(self, error: LapSyntaxError, lines: list[str]) -> LapSyntaxError:
        """An error on the last line of a file without ``@end`` is most likely a cut-off download."""
        last = max((n for n, line in enumerate(lines, 1) if line.strip()), default=0)
        if self.end is not None or error.line != last:
            return error
        return self._error(f"{error.reason} (truncated file?)", error.line, error.column)

    def _handle(self, directive: Directive) -> None:
        name = directive.name
        if name in _HEADER or name == "hint":
            self._header(directive)
        elif name in _BODY:
            if self.draft is None:
                raise directive.error(f"'@{name}' outside an @endpoint block")
            self.draft.add(directive)
        elif name == "lap":
            raise directive.error("duplicate '@lap' (it must appear once, first)")
        elif name in ("group", "endgroup", "endpoint", "end"):
            self._finish_endpoint()
            getattr(self, f"_{name}")(directive)
        else:
            raise directive.error(f"unknown directive '@{name}'")

    def _header(self, directive: Directive) -> None:
        if self.endpoints or self.draft or self.group:
            raise directive.error(f"'@{directive.name}' must come before the first @group or @endpoint")
        if directive.name == "hint":
            self.hints.append(header.parse_text(directive, "a hint"))
            return
        if first := self.headers.get(directive.name):
            raise directive.error(f"duplicate '@{directive.name}' (first at line {first[0].line})")
        self.headers[directive.name] = (directive, _HEADER[directive.name](directive))

    def _value(self, name: str, default: Any = None) -> Any:
        return self.headers[name][1] if name in self.headers else default

    def _group(self, directive: Directive) -> None:
        if self.group is not None:
            message = f"'@group' inside @group {self.group.rest.strip()!r} opened at line {self.group.line}"
            raise directive.error(message + " (missing @endgroup?)")
        stream = directive.stream()
        stream.expect_word("a group name after '@group'")
        stream.expect_end("after the group name")
        self.group = directive

    def _endgroup(self, directive: Directive) -> None:
        if self.group is None:
            raise directive.error("'@endgroup' without an open @group")
        directive.stream().expect_end("after '@endgroup'")
        self.group = None

    def _endpoint(self, directive: Directive) -> None:
        group = self.group.rest.strip() if self.group else None
        self.draft = parse_endpoint_line(directive, group)

    def _end(self, directive: Directive) -> None:
        directive.stream().expect_end("after '@end'")
        self.end = directive
        if self.group is not None:
            message = f"'@end' inside @group {self.group.rest.strip()!r} opened at line {self.group.line}"
            raise directive.error(message + " (missing @endgroup?)")

    def _finish_endpoint(self) -> None:
        if self.draft is None:
            return
        endpoint = self.draft.build()
        self.draft = None
        key = f"{endpoint.method} {endpoint.path}"
        operation = operation_id(endpoint.method, endpoint.path)
        for seen_key in (key, operation):
            if first := self.seen.get(seen_key):
                what = "endpoint" if seen_key == key else f"operationId {seen_key!r} for endpoint"
                message = (
                    f"duplicate {what} '{key}' (first at line {first.line}: {first.method} {first.path})"
                )
                raise LapSyntaxError(message, file=self.filename, line=endpoint.line, column=1)
        self.seen[key] = self.seen[operation] = endpoint
        self.endpoints.append(endpoint)

    def _check_complete(self, last_line: int, last_text: str) -> LapDocument:
        declared = self._value("endpoints")
        if declared is not None and declared != len(self.endpoints):
            directive = self.headers["endpoints"][0]
            hint = " (truncated file?)" if declared > len(self.endpoints) else ""
            message = f"@endpoints says {declared} but {len(self.endpoints)} endpoints found{hint}"
            raise directive.error(
                message, directive.rest_column + len(directive.rest) - len(directive.rest.lstrip())
            )
        if self.end is None:
            message = "missing '@end' at the end of the document (truncated file?)"
            raise self._error(message, last_line, len(last_text) + 1)
        toc = self._value("toc", ())
        self._check_toc(toc)
        return LapDocument(
            api=self._required("api"),
            base=self._value("base"),
            version=self._required("version"),
            auth=self._value("auth", ()),
            declared_count=declared,
            endpoints=tuple(self.endpoints),
            hints=tuple(self.hints),
            toc=tuple((name, count) for name, count, _ in toc),
        )

    def _check_toc(self, toc: tuple[tuple[str, int, int], ...]) -> None:
        """@toc is a second, per-group count: a file cut inside a group fails here even if @endpoints lies."""
        if not toc:
            return
        directive = self.headers["toc"][0]
        listed = {name for name, _, _ in toc}
        for name, count, column in toc:
            found = sum(1 for e in self.endpoints if e.group == name)
            if found != count:
                raise directive.error(
                    f"@toc says group {name!r} has {count} endpoints but {found} found", column
                )
        if stray := next((e for e in self.endpoints if e.group is not None and e.group not in listed), None):
            raise directive.error(
                f"group {stray.group!r} (endpoint at line {stray.line}) is missing from @toc"
            )

    def _required(self, name: str) -> Any:
        if name not in self.headers:
            raise self._error(f"missing '@{name}' header directive", 1, 1)
        return self.headers[name][1]

    def _error(self, message: str, line: int, column: int) -> LapSyntaxError:
        return LapSyntaxError(message, file=self.filename, line=line, column=column)
