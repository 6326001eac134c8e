"""The public surface of ``gatecheck.specs.lap`` is exactly what the rest of gatecheck may rely on."""

from __future__ import annotations

import gatecheck.specs.lap as lap
from gatecheck.errors import SpecError


def test_exported_names_are_exactly_the_public_api() -> None:
    assert sorted(lap.__all__) == [
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
    assert all(hasattr(lap, name) for name in lap.__all__)


def test_compile_is_parse_then_to_openapi() -> None:
    text = "@lap v0.3\n@api A\n@version 1\n@endpoint GET /x\n@returns(200)\n@end\n"
    assert lap.compile_lap(text) == lap.to_openapi(lap.parse_lap(text))


def test_emit_error_is_a_harness_spec_error() -> None:
    # The CLI turns SpecError into a one-line message with exit code 2, never a traceback.
    assert issubclass(lap.LapEmitError, SpecError)
