"""RFC 6901 JSON pointers: how every problem, repair and broken operation names its place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Parts", "pointer", "resolve_pointer", "split_pointer"]

Parts = tuple[str | int, ...]


def pointer(parts: Parts | list[str | int]) -> str:
    """``("paths", "/keys", "post")`` as ``/paths/~1keys/post``; ``()`` is ``""``, the whole document."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def split_pointer(text: str) -> list[str]:
    """The tokens of a pointer (``#`` prefix allowed), unescaped."""
    text = text.removeprefix("#")
    if not text:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in text.split("/")[1:]]


def resolve_pointer(root: Any, text: str) -> Any:
    """The node at ``text`` in ``root``, or None when nothing is there."""
    node = root
    for token in split_pointer(text):
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node
