"""Read spec files (YAML, JSON, LAP text) into Python values with errors a user can act on.

Every failure names the file, and for syntax errors the line and column, because the usual reader
of these messages is someone who just edited a vendor document or an overlay by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from gatecheck.errors import SpecLoadError

__all__ = ["read_mapping", "read_text"]


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a 3 MB document in 1 s, not 9


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without implicit timestamps.

    PyYAML turns ``2024-01-01`` into a ``datetime.date``, which is not a JSON value: schema
    ``default``/``examples`` and metadata dates must stay strings to reach validators and
    ``--output-format json`` unchanged.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def read_text(path: Path) -> str:
    """The file's UTF-8 text, or a SpecLoadError saying why it cannot be had."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecLoadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SpecLoadError(f"{path}: is a folder without a spec.yaml, not a spec file") from None
    except UnicodeDecodeError as exc:
        raise SpecLoadError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise SpecLoadError(f"{path}: cannot read: {exc.strerror}") from None


def read_mapping(path: Path, *, what: str = "spec") -> dict[str, Any]:
    """Parse a YAML or JSON file whose top level must be a mapping (an OpenAPI, overlay or metadata file)."""
    text = read_text(path)
    data = _parse_json(text, path) if path.suffix.lower() == ".json" else _parse_yaml(text, path)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise SpecLoadError(f"{path}: a {what} must be a mapping at the top level, but the file is {kind}")
    return data


def _parse_yaml(text: str, path: Path) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        reason = exc.problem or exc.context or "malformed YAML"
        raise SpecLoadError(f"{where}: invalid YAML: {reason}") from None
    except yaml.YAMLError as exc:
        raise SpecLoadError(f"{path}: invalid YAML: {exc}") from None


def _parse_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecLoadError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
