"""What the specs layer needs to know about an OpenAPI document's shape: version and operations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from gatecheck.errors import SpecInvalidError

__all__ = [
    "HTTP_METHODS",
    "format_location",
    "iter_operations",
    "openapi_version",
    "request_fields",
    "schema_fields",
]

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
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return
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


def _resolved(document: Mapping[str, Any], node: Any) -> Any:
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target
    return None


def schema_fields(document: Mapping[str, Any], schema: Any, depth: int = 0) -> set[str]:
    """Top-level property names a JSON schema mentions, through ``$ref`` and every combinator."""
    schema = _resolved(document, schema)
    if not isinstance(schema, Mapping) or depth > 8:
        return set()
    properties = schema.get("properties")
    names = {str(k) for k in properties} if isinstance(properties, Mapping) else set()
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or [] if isinstance(schema.get(keyword), list) else []:
            names |= schema_fields(document, branch, depth + 1)
    return names


def request_fields(document: Mapping[str, Any], operation: Mapping[str, Any]) -> set[str]:
    """The top-level fields of an operation's JSON request body (empty when it has none)."""
    body = _resolved(document, operation.get("requestBody"))
    content = body.get("content") if isinstance(body, Mapping) else None
    for media_type, media in (content or {}).items() if isinstance(content, Mapping) else ():
        if "json" in str(media_type) and isinstance(media, Mapping):
            return schema_fields(document, media.get("schema"))
    return set()
