"""What the specs layer needs to know about an OpenAPI document's shape: version and operations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from gatecheck.errors import SpecInvalidError

__all__ = ["HTTP_METHODS", "format_location", "iter_operations", "openapi_version"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def openapi_version(document: Mapping[str, Any], *, source: str) -> Literal["3.0", "3.1"]:
    """The document's OpenAPI minor version, or SpecInvalidError when it is not OpenAPI 3.0/3.1."""
    declared = document.get("openapi")
    if declared is None:
        hint = " (Swagger 2.0: convert it to OpenAPI 3 first)" if "swagger" in document else ""
        raise SpecInvalidError(f"{source}: not an OpenAPI document: no top-level 'openapi' field{hint}")
    for minor in ("3.0", "3.1"):
        if str(declared) == minor or str(declared).startswith(f"{minor}."):
            return minor
    raise SpecInvalidError(f"{source}: OpenAPI {declared} is not supported; use 3.0.x or 3.1.x")


def iter_operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield ``(METHOD, path, operation)`` in document order, skipping path-level fields."""
    paths = document.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        for method in item:
            if method in HTTP_METHODS and isinstance(item[method], dict):
                yield method.upper(), str(path), item[method]


def format_location(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """A JSONPath in the style overlays are written in: ``$.paths['/keys'].post``."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append("['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']")
    return "".join(out)
