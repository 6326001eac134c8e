"""Turn a spec's files into documents: the vendor source as OpenAPI, then the contract overlays.

Kept apart from the registry so that ``lint`` can run each step on its own and report every
problem, where loading stops at the first one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from gatecheck.specs.loader import read_mapping, read_text
from gatecheck.specs.oas import openapi_version
from gatecheck.specs.overlay import apply_overlay

__all__ = ["SpecFormat", "apply_overlays", "read_source"]

SpecFormat = Literal["openapi", "lap"]


def read_source(path: Path, spec_format: SpecFormat) -> dict[str, Any]:
    """The vendor document as an OpenAPI dict: parsed as is, or compiled from LAP."""
    if spec_format == "lap":
        # Imported here: the LAP compiler is only needed for LAP sources.
        from gatecheck.specs.lap import compile_lap

        return compile_lap(read_text(path), filename=str(path))
    document = read_mapping(path, what="OpenAPI document")
    openapi_version(document, source=str(path))
    return document


def apply_overlays(raw: dict[str, Any], overlays: Sequence[Path]) -> dict[str, Any]:
    """``raw`` with each overlay file applied in order; ``raw`` itself is not changed."""
    document = raw
    for path in overlays:
        document = apply_overlay(document, read_mapping(path, what="overlay"), source=str(path))
    return document if overlays else dict(raw)
