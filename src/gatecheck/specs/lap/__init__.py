"""LAP v0.3 -> OpenAPI 3.1.0 compiler, and the way back for round-trip tests.

LAP is a one-line-per-directive digest of an API (``@endpoint POST /keys``, ``@required {name: str}``)
that vendors publish for LLM agents; gatecheck compiles it to OpenAPI so schemathesis and the
mock can use it.  Grammar: ``parser.py`` (directives) and ``fields.py`` (field lists).  Malformed
input raises :class:`gatecheck.errors.LapSyntaxError` with file, line and column.
"""

from __future__ import annotations

from typing import Any

from gatecheck.specs.lap.emit import emit_lap
from gatecheck.specs.lap.emit_types import LapEmitError
from gatecheck.specs.lap.model import LapAuth, LapDocument, LapEndpoint, LapField, LapReturn, LapType
from gatecheck.specs.lap.openapi import to_openapi
from gatecheck.specs.lap.parser import parse_lap

__all__ = [
    "LapAuth",
    "LapDocument",
    "LapEmitError",
    "LapEndpoint",
    "LapField",
    "LapReturn",
    "LapType",
    "compile_lap",
    "emit_lap",
    "parse_lap",
    "to_openapi",
]


def compile_lap(text: str, *, filename: str = "<lap>") -> dict[str, Any]:
    """``to_openapi(parse_lap(text))``: the result is not validated here, callers that load user
    specs run ``openapi_spec_validator`` once over the final (overlaid) document."""
    return to_openapi(parse_lap(text, filename=filename))
