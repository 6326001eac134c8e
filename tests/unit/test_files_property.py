"""Property: whatever bytes sit at a path gatecheck reads, only a GatecheckError comes out.

Every user-facing file loader is fed random bytes, deeply nested documents, YAML alias bombs and
recursive aliases, and well-formed documents of the wrong shape (a list where a mapping goes, a
number where a list goes).  Any other exception is a traceback a user would see with exit 1,
which CI reads as "the gateway is non-conformant".
"""

from __future__ import annotations

import copy
import itertools
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatecheck.cli.mock import load_config as load_mock_config
from gatecheck.config import load_config
from gatecheck.errors import GatecheckError
from gatecheck.files import MAX_DEPTH
from gatecheck.mock.catalog import load_catalog
from gatecheck.profiles import load_profile
from gatecheck.reports.baseline import load_baseline
from gatecheck.reports.results import load_results
from gatecheck.specs.registry import load_spec

pytestmark = (
    pytest.mark.slow
)  # ~40 s: twelve loaders, fifty examples each; tests/unit/test_files.py is the quick check

_names = itertools.count()


def _spec_folder(source: Path) -> Path:
    """A user spec folder whose spec.yaml is sound and whose source is the fuzzed file."""
    meta = {
        "name": source.parent.name,
        "title": "t",
        "version": "1",
        "format": "openapi",
        "source": source.name,
    }
    (source.parent / "spec.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    return source.parent


def _spec_meta(meta: Path) -> Path:
    """A user spec folder with a sound source and overlay, and the fuzzed spec.yaml."""
    meta.write_bytes(meta.read_bytes().replace(b"NAME", meta.parent.name.encode()))
    (meta.parent / "source.yaml").write_text(yaml.safe_dump(SEEDS["spec"]), encoding="utf-8")
    overlay = {"overlay": "1.0.0", "info": {"title": "o", "version": "1"}, "actions": []}
    (meta.parent / "overlay.yaml").write_text(yaml.safe_dump(overlay), encoding="utf-8")
    return meta.parent


def _spec(path: Path) -> Any:
    return load_spec(str(path))


#: Each loader entry point: the file it reads, the seed its mutations start from, how to call it.
LOADERS: dict[str, tuple[str, str, Callable[[Path], Any]]] = {
    "config": ("gatecheck.toml", "config", load_config),
    "profile": ("profile.yaml", "profile", load_profile),
    "spec-yaml": ("spec.yaml", "spec", _spec),
    "spec-json": ("spec.json", "spec", _spec),
    "spec-lap": ("spec.lap", "lap", _spec),
    "spec-folder": ("source.yaml", "spec", lambda p: _spec(_spec_folder(p))),
    "spec-meta": ("spec.yaml", "spec-meta", lambda p: _spec(_spec_meta(p))),
    "baseline-yaml": ("baseline.yaml", "baseline", load_baseline),
    "baseline-json": ("baseline.json", "baseline", load_baseline),
    "results": ("results.json", "results", load_results),
    "catalog": ("catalog.yaml", "catalog", load_catalog),
    "mock-config": ("mock.yaml", "mock-config", load_mock_config),
}

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_json_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
_LAP_SEED = """@lap v0.3
@api Seed API
@base https://example.com/v1
@version 1.0.0
@auth Bearer bearer
@endpoints 2

@group chat
@endpoint POST /chat/completions
@required {messages: [map{role!: str, content!: any}], model: str}
@optional {stream: bool=false, temperature: num(double), service_tier: str(auto/flex)=auto}
@returns(200) {id: str, choices: [map], usage: map{total_tokens: int}?}
@errors {400, 401, 429}

@endpoint GET /models/{id}
@required {id: str}
@returns(200) {data: [map{id: str}]}
@errors {404}

@endgroup
"""

_THING = "#/components/schemas/Thing"
_SCHEMA = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
#: Well-formed documents of each kind: a mutation of one of these reaches past the first check.
SEEDS: dict[str, Any] = {
    "config": {
        "defaults": {"profile": "requesty", "max_requests": 200},
        "targets": {
            "staging": {
                "url": "https://gateway.example.com/v1",
                "profile": "requesty",
                "api_key": "${STAGING_KEY}",
                "models": {"chat": "m1"},
                "headers": {"X-Tenant": "t"},
                "body": {"route": "x"},
                "capabilities": ["chat"],
            }
        },
    },
    "profile": yaml.safe_load((Path(__file__).parents[2] / "src/gatecheck/profiles/openai.yaml").read_text()),
    "spec": {
        "openapi": "3.1.0",
        "info": {"title": "Seed", "version": "1"},
        "servers": [{"url": "https://example.com/v1"}],
        "paths": {
            "/things/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "getThing",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": _THING}}},
                        },
                        "default": {"$ref": "#/components/responses/Error"},
                    },
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"allOf": [_SCHEMA], "nullable": True}}},
                    },
                    "responses": {"200": {"description": "ok", "links": {"l": {"operationId": "getThing"}}}},
                },
            }
        },
        "components": {
            "schemas": {"Thing": _SCHEMA},
            "responses": {"Error": {"description": "error"}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    },
    "spec-meta": {"name": "NAME", "title": "t", "version": "1", "format": "openapi", "source": "source.yaml",
                  "overlay": ["overlay.yaml"], "provenance": {"date": "2026-01-01"}},
    "baseline": {"version": 1, "failures": [{"id": "errors::test_x::test_y", "reason": "r"}, "a::b::c"]},
    "results": {"schema_version": "1.1", "run": {"id": "r", "status": "complete", "exit_code": 0},
                "targets": [], "suites": [], "tests": [], "summary": {"total": 0}},
    "catalog": yaml.safe_load((Path(__file__).parents[2] / "fixtures/catalog.yaml").read_text()),
    "mock-config": {"faults": [], "delays": {"first_token": 0.1}, "rate_limit": 5, "max_body_bytes": 10},
}  # fmt: skip


def _places(document: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    children = (
        document.items()
        if isinstance(document, dict)
        else enumerate(document)
        if isinstance(document, list)
        else ()
    )
    for key, value in children:
        yield from _places(value, (*at, key))


@st.composite
def _mutated(draw: st.DrawFn, seed: Any) -> Any:
    """``seed`` with one to three places replaced by a value of any type, or removed."""
    document = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 3))):
        places = list(_places(document))
        at = draw(st.sampled_from(places))
        value = draw(_json_values)
        if not at:
            document = value
            continue
        parent = document
        for key in at[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[at[-1]]
        else:
            parent[at[-1]] = value
    return document


@st.composite
def _mutated_text(draw: st.DrawFn, seed: str) -> str:
    """``seed`` with a few spans cut, repeated or replaced by random characters."""
    text = seed
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        insert = draw(st.sampled_from(["", text[start:end] * 2]) | st.text(max_size=12))
        text = text[:start] + insert + text[end:]
    return text


def _as_text(document: Any, syntax: str) -> str:
    if syntax == "json":
        return json.dumps(document)
    if syntax == "toml":
        if not isinstance(document, dict):
            return f"value = {_toml(document)}"
        return "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in document.items())
    return yaml.safe_dump(document)


def _toml(value: Any) -> str:
    """A value as TOML (which has no null: an empty string stands in)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if value == value and abs(value) != float("inf") else "0"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps("" if value is None else value)


def _deep(depth: int, syntax: str) -> str:
    if syntax == "toml":
        return "a = " + "[" * depth + "]" * depth
    if syntax == "json":
        return '{"a": ' * depth + "1" + "}" * depth
    return "".join(f"{' ' * i}k{i}:\n" for i in range(depth)) + " " * depth + "v: 1\n"


def _bomb(width: int, levels: int) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@st.composite
def _contents(draw: st.DrawFn, seed: str, syntax: str) -> bytes:
    kind = draw(st.sampled_from(["bytes", "deep", "bomb", "recursive", "mutated", "mutated", "values"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "deep":
        return _deep(draw(st.sampled_from([MAX_DEPTH - 2, MAX_DEPTH + 1, 990, 20_000])), syntax).encode()
    if kind == "bomb":
        return _bomb(draw(st.integers(2, 12)), draw(st.integers(2, 9))).encode()
    if kind == "recursive":
        return b"a: &a [1, *a]\nb: &b {x: *b}\n"
    if kind == "mutated" and seed == "lap":
        return draw(_mutated_text(_LAP_SEED)).encode()
    if kind == "mutated":
        return _as_text(draw(_mutated(SEEDS[seed])), syntax).encode()
    return _as_text(draw(_json_values), syntax).encode()


def _syntax(file_name: str) -> str:
    return {".toml": "toml", ".json": "json"}.get(Path(file_name).suffix, "yaml")


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One folder for all examples (hypothesis runs a test body many times per fixture)."""
    with tempfile.TemporaryDirectory(prefix="gatecheck-fuzz-") as folder:
        yield Path(folder)


@pytest.mark.parametrize("loader", sorted(LOADERS))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_only_gatecheck_errors_come_out_of_a_file_loader(
    loader: str, scratch: Path, data: st.DataObject
) -> None:
    file_name, seed, load = LOADERS[loader]
    content = data.draw(_contents(seed, _syntax(file_name)), label="content")
    folder = scratch / f"{loader}-{next(_names)}"  # a fresh path: the spec cache keys on path and mtime
    folder.mkdir()
    path = folder / file_name
    path.write_bytes(content)
    try:
        load(path)
    except GatecheckError as exc:
        message = str(exc)
        assert message and "\n" not in message, f"not one line: {message!r}"
        assert "Traceback" not in message
