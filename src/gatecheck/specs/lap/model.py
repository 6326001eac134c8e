"""The parsed form of a LAP document, kept close to the source so errors and tools can point back at it.

Every node that came from the text carries its 1-based ``line`` (and ``column`` for fields), which is
what lets later stages (OpenAPI conversion, linting) report problems in terms the author can find.
The classes are frozen: a parsed document is a value, compared by the round-trip tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "NUMBER_FORMATS",
    "STRING_FORMATS",
    "Default",
    "LapAuth",
    "LapDocument",
    "LapEndpoint",
    "LapField",
    "LapReturn",
    "LapType",
    "TypeKind",
]

TypeKind = Literal["str", "int", "num", "bool", "any", "map", "array"]
Default = str | int | float | bool

# ``str(x)`` with one value is a format when ``x`` is one of these, otherwise a one-value enum.
# The list is the JSON Schema 2020-12 formats plus the OpenAPI ones; an API whose only enum
# value is literally "uuid" cannot be written in LAP, which is the price of the short syntax.
STRING_FORMATS = frozenset(
    {
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
        "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
        "json-pointer", "relative-json-pointer", "regex", "byte", "binary", "password",
    }
)  # fmt: skip
NUMBER_FORMATS = frozenset({"int32", "int64", "float", "double"})


@dataclass(frozen=True)
class LapType:
    """A field's type; ``args`` keeps the raw ``(a/b/c)`` values, de-duplicated in source order."""

    kind: TypeKind
    args: tuple[str, ...] = ()
    fields: tuple[LapField, ...] | None = None
    item: LapType | None = None
    nullable: bool = False

    @property
    def format(self) -> str | None:
        if self.kind in ("int", "num") and self.args:
            return self.args[0]
        if self.kind == "str" and len(self.args) == 1 and self.args[0] in STRING_FORMATS:
            return self.args[0]
        return None

    @property
    def enum(self) -> tuple[str, ...]:
        if self.kind == "str" and self.args and self.format is None:
            return self.args
        return ()


@dataclass(frozen=True)
class LapField:
    """``name[!]: type[=default]``; ``required_in_map`` is the ``!`` marker of nested maps."""

    name: str
    type: LapType
    required_in_map: bool = False
    default: Default | None = None
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class LapReturn:
    """``@returns(CODE) [{fields}]``; ``fields`` is None when the LAP gives no body."""

    status: int
    fields: tuple[LapField, ...] | None
    line: int


@dataclass(frozen=True)
class LapEndpoint:
    """One ``@endpoint`` block; ``required``/``optional`` still include path parameters, as LAP lists them."""

    method: str
    path: str
    group: str | None
    required: tuple[LapField, ...]
    optional: tuple[LapField, ...]
    returns: tuple[LapReturn, ...]
    errors: tuple[int, ...]
    line: int

    @property
    def path_params(self) -> tuple[str, ...]:
        """Names of ``{name}`` segments in path order (the parser has checked they are well formed)."""
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))


@dataclass(frozen=True)
class LapAuth:
    """One ``@auth`` alternative, e.g. ``Bearer bearer``: a scheme and the name the source gave it."""

    scheme: str
    name: str


@dataclass(frozen=True)
class LapDocument:
    """A whole file; ``declared_count`` and ``toc`` are kept although the parser already checked them."""

    api: str
    base: str
    version: str
    auth: tuple[LapAuth, ...]
    declared_count: int | None
    endpoints: tuple[LapEndpoint, ...]
    hints: tuple[str, ...] = ()
    toc: tuple[tuple[str, int], ...] = ()
