"""Read spec files (YAML, JSON, LAP text) into Python values with errors a user can act on.

Every failure names the file, and for syntax errors the line and column, because the usual reader
of these messages is someone who just edited a vendor document or an overlay by hand.  The
reading itself (size, encoding, nesting, YAML aliases) is :mod:`gatecheck.files`'; what is
added here is the spec's own error type and the top-level shape every spec file must have.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatecheck import files
from gatecheck.errors import SpecLoadError

__all__ = ["read_mapping", "read_text"]


def read_text(path: Path) -> str:
    """The file's UTF-8 text (a LAP source), or a SpecLoadError saying why it cannot be had."""
    return files.read_text(path, error=SpecLoadError)


def read_mapping(path: Path, *, what: str = "spec") -> dict[str, Any]:
    """Parse a YAML or JSON file whose top level must be a mapping (an OpenAPI, overlay or metadata file)."""
    data = files.load_data(path, error=SpecLoadError)
    return files.require_mapping(data, label=str(path), what=what, error=SpecLoadError)
