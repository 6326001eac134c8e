"""The one way gatecheck reads a file it was given: bounded, and every failure one readable line.

Config, profiles, specs (YAML, JSON, LAP, spec folders), overlays, baselines, earlier
results.json files and model catalogs all come through here, because each of them can be
anything a user (or a broken CI cache) puts at that path: a folder, a FIFO, /dev/zero, Latin-1
bytes, a spec nested a thousand levels deep, or a 500-byte YAML "billion laughs".  Each such
file becomes a :class:`~gatecheck.errors.GatecheckError` (the caller's subclass, so a bad
baseline is still a ``BaselineError``) naming the file and the problem: exit 2, never a
traceback, never exit 1.

Limits, each far above any real input (the OpenAI document: 3 MB, 110,000 YAML nodes, 23
levels deep, no aliases):

* :data:`MAX_FILE_BYTES`: more is refused after reading one byte past the cap, never whole;
* :data:`MAX_DEPTH`: deeper nesting is refused before anything recursive (deepcopy, jsonschema,
  the overlay engine) walks it and dies of ``RecursionError``;
* :data:`MAX_ALIAS_NODES`: PyYAML builds aliases as shared objects, cheaply; the explosion comes
  later, when a validator or ``json.dumps`` walks the document as a tree.  The node graph is
  measured *before* it is constructed, as the tree every later reader will see.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from gatecheck.errors import GatecheckError, UsageError

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "FileLoadError",
    "YamlLoader",
    "load_data",
    "load_json",
    "load_toml",
    "load_yaml",
    "parse_json",
    "parse_toml",
    "parse_yaml",
    "read_text",
    "require_mapping",
]

#: Bytes read from any one input file; a bigger file is refused with the cap in the message.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Nesting levels of mappings and lists in any one input file.
MAX_DEPTH = 64
#: Nodes YAML aliases may add to a document, counted as the fully expanded tree.
MAX_ALIAS_NODES = 1_000_000

ErrorType = type[GatecheckError]


class FileLoadError(UsageError):
    """A file given to gatecheck cannot be read or parsed (when no more specific error fits)."""


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a 3 MB document in 1 s, not 9


class YamlLoader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without implicit timestamps.

    PyYAML turns ``2024-01-01`` into a ``datetime.date``, which is not a JSON value: schema
    ``default``/``examples`` and metadata dates must stay strings to reach validators and
    ``--output-format json`` unchanged.
    """


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def _label(path: Path, what: str) -> str:
    return f"{what} {path}" if what else str(path)


def read_text(path: Path, *, what: str = "", error: ErrorType = FileLoadError, missing_hint: str = "") -> str:
    """The file's UTF-8 text, at most :data:`MAX_FILE_BYTES`, or ``error`` saying why not."""
    label = _label(path, what)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise error(f"{label}: does not exist{'; ' + missing_hint if missing_hint else ''}") from None
    except IsADirectoryError:
        raise error(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise error(f"{label}: cannot be read: {exc.strerror or type(exc).__name__}") from None
    if len(data) > MAX_FILE_BYTES:
        raise error(f"{label}: is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; gatecheck reads no more")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{label}: is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def parse_yaml(text: str, *, label: str, error: ErrorType = FileLoadError) -> Any:
    """YAML ``text`` as Python values, refusing excessive nesting and alias expansion first."""
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, label, error)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        reason = exc.problem or exc.context or "malformed YAML"
        raise error(f"{where}: invalid YAML: {reason}") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # ValueError & co.: a tagged scalar its constructor refuses (``!!int`` of 5,000 digits)
        raise error(f"{label}: invalid YAML: {_one_line(exc)}") from None
    except RecursionError:
        raise error(f"{label}: nested too deeply to read (limit {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()


def parse_json(text: str, *, label: str, error: ErrorType = FileLoadError) -> Any:
    """JSON ``text`` as Python values, refusing excessive nesting."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{label}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise error(f"{label}: invalid JSON: {_one_line(exc)}") from None
    except RecursionError:
        raise error(f"{label}: nested too deeply to read (limit {MAX_DEPTH} levels)") from None
    _check_depth(data, label, error)
    return data


def parse_toml(text: str, *, label: str, error: ErrorType = FileLoadError) -> dict[str, Any]:
    """TOML ``text`` as a table, refusing excessive nesting."""
    try:
        data = tomllib.loads(text)
    except ValueError as exc:  # TOMLDecodeError, or an integer of more digits than Python converts
        raise error(f"{label}: invalid TOML: {_one_line(exc)}") from None
    except RecursionError:
        raise error(f"{label}: nested too deeply to read (limit {MAX_DEPTH} levels)") from None
    _check_depth(data, label, error)
    return data


def load_yaml(path: Path, *, what: str = "", error: ErrorType = FileLoadError, missing_hint: str = "") -> Any:
    """A YAML file's value (``None`` when empty)."""
    text = read_text(path, what=what, error=error, missing_hint=missing_hint)
    return parse_yaml(text, label=_label(path, what), error=error)


def load_json(path: Path, *, what: str = "", error: ErrorType = FileLoadError, missing_hint: str = "") -> Any:
    """A JSON file's value."""
    text = read_text(path, what=what, error=error, missing_hint=missing_hint)
    return parse_json(text, label=_label(path, what), error=error)


def load_toml(
    path: Path, *, what: str = "", error: ErrorType = FileLoadError, missing_hint: str = ""
) -> dict[str, Any]:
    """A TOML file's table."""
    text = read_text(path, what=what, error=error, missing_hint=missing_hint)
    return parse_toml(text, label=_label(path, what), error=error)


def load_data(path: Path, *, what: str = "", error: ErrorType = FileLoadError, missing_hint: str = "") -> Any:
    """A ``.json`` file as JSON, anything else as YAML (a superset of JSON)."""
    if path.suffix.lower() == ".json":
        return load_json(path, what=what, error=error, missing_hint=missing_hint)
    return load_yaml(path, what=what, error=error, missing_hint=missing_hint)


def require_mapping(
    data: Any, *, label: str, what: str = "file", error: ErrorType = FileLoadError
) -> dict[str, Any]:
    """``data`` if it is a mapping with text keys, else ``error``: the type check every caller needs."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_kind(data)}"
        article = "an" if what[:1].lower() in "aeiou" else "a"
        raise error(f"{label}: {article} {what} must be a mapping at the top level, but the file is {kind}")
    if bad := next((k for k in data if not isinstance(k, str)), None):
        raise error(f"{label}: a {what} must have text keys, but one key is a {_kind(bad)}: {bad!r:.40}")
    return data


def _kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300]


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _check_nodes(root: yaml.Node, label: str, error: ErrorType) -> None:
    """Refuse a node graph that is too deep, recursive, or whose aliases expand too far.

    Iterative on purpose (a recursive walk would die of the very depth it checks), and linear
    in the nodes written: each shared node's expanded size is computed once.
    """
    expanded: dict[int, int] = {}
    on_path: set[int] = {id(root)}
    stack: list[tuple[yaml.Node, Iterator[yaml.Node]]] = [(root, _children(root))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if id(child) in on_path:
                raise error(f"{label}: a YAML alias refers to a node that contains it (a recursive document)")
            if id(child) not in expanded:
                if len(stack) >= MAX_DEPTH and not isinstance(child, yaml.ScalarNode):
                    raise error(f"{label}: nested more than {MAX_DEPTH} levels deep")
                on_path.add(id(child))
                stack.append((child, _children(child)))
                break
        else:
            stack.pop()
            on_path.discard(id(node))
            expanded[id(node)] = 1 + sum(expanded[id(child)] for child in _children(node))
    added = expanded[id(root)] - len(expanded)
    if added > MAX_ALIAS_NODES:
        raise error(
            f"{label}: YAML aliases expand {len(expanded):,} written nodes by {added:,} more "
            f"(limit {MAX_ALIAS_NODES:,}); write the document without aliases"
        )


def _check_depth(data: Any, label: str, error: ErrorType) -> None:
    """Refuse parsed JSON/TOML nested deeper than :data:`MAX_DEPTH` (no sharing there: a plain walk)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth >= MAX_DEPTH:
                    raise error(f"{label}: nested more than {MAX_DEPTH} levels deep")
                stack.append((child, depth + 1))
