"""The mock's model catalog, read once from ``fixtures/catalog.yaml``.

Every price, context window and provider list the mock reports or charges comes from here, so
a cost check can recompute ``usage.cost`` from ``GET /models`` alone.  The file is validated on
load with a readable error; lookups are precomputed because they sit on the request hot path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jsonschema

from gatecheck import files
from gatecheck._paths import project_dir
from gatecheck.errors import ConfigError

__all__ = ["Catalog", "CatalogModel", "Provider", "default_catalog", "load_catalog"]

Kind = Literal["chat", "embedding", "rerank"]

_STRINGS = {"type": "array", "items": {"type": "string"}}
_MODEL = {
    "type": "object",
    "required": [
        "id",
        "name",
        "kind",
        "created",
        "context_window",
        "input_price",
        "output_price",
        "providers",
    ],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9-]+/[A-Za-z0-9._:-]+$"},
        "name": {"type": "string"},
        "kind": {"enum": ["chat", "embedding", "rerank"]},
        "description": {"type": "string"},
        "created": {"type": "integer"},
        "context_window": {"type": "integer", "minimum": 1},
        "max_completion_tokens": {"type": "integer", "minimum": 1},
        "input_price": {"type": "number", "minimum": 0},
        "output_price": {"type": "number", "minimum": 0},
        "request_price": {"type": "number", "minimum": 0},
        "dimensions": {"type": "integer", "minimum": 1},
        "regions": _STRINGS,
        "input_modalities": _STRINGS,
        "output_modalities": _STRINGS,
        "tokenizer": {"type": "string"},
        "categories": _STRINGS,
        "supported_parameters": _STRINGS,
        "providers": {**_STRINGS, "minItems": 1},
        "moderated": {"type": "boolean"},
        "aliases": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9-]+/[A-Za-z0-9._:-]+$"}},
    },
}
_SCHEMA = {
    "type": "object",
    "required": ["providers", "models"],
    "additionalProperties": False,
    "properties": {
        "providers": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "zdr": {"type": "boolean"},
                    "region": {"type": "string"},
                },
            },
        },
        "defaults": {"type": "object", "additionalProperties": {"type": "object"}},
        "models": {"type": "array", "items": _MODEL, "minItems": 1},
    },
}


@dataclass(frozen=True)
class Provider:
    """A simulated upstream; ``slug`` is what ``provider.order`` names, ``name`` what answers report."""

    slug: str
    name: str
    zdr: bool = False
    region: str = "us"

    def matches(self, wanted: str) -> bool:
        """OpenRouter accepts slugs and display names, case-insensitively."""
        return wanted.lower() in (self.slug, self.name.lower())


@dataclass(frozen=True)
class CatalogModel:
    """One routable model; prices are USD per million tokens, ``request_price`` USD per search unit."""

    id: str
    name: str
    kind: Kind
    description: str
    created: int
    context_window: int
    max_completion_tokens: int
    input_price: float
    output_price: float
    request_price: float
    dimensions: int | None
    regions: tuple[str, ...]
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    tokenizer: str
    categories: tuple[str, ...]
    supported_parameters: tuple[str, ...]
    providers: tuple[Provider, ...]
    moderated: bool
    aliases: tuple[str, ...] = ()  # other ids that route here (undated names), never listed

    @property
    def owner(self) -> str:
        return self.id.split("/", 1)[0]

    def cost(self, prompt_tokens: int, completion_tokens: int = 0, search_units: int = 0) -> float:
        """USD for one request, rounded so float noise never shows in a response."""
        raw = (
            prompt_tokens * self.input_price / 1e6
            + completion_tokens * self.output_price / 1e6
            + search_units * self.request_price
        )
        return round(raw, 12)


class Catalog:
    """The models by id and the providers by slug."""

    def __init__(self, models: list[CatalogModel], providers: Mapping[str, Provider]) -> None:
        self.models = tuple(models)
        self.providers = dict(providers)
        self._by_id = {alias: m for m in models for alias in m.aliases}
        self._by_id.update({m.id: m for m in models})

    def get(self, model_id: str) -> CatalogModel | None:
        """The model with this id or alias."""
        return self._by_id.get(model_id)

    def of_kind(self, kind: Kind) -> tuple[CatalogModel, ...]:
        return tuple(m for m in self.models if m.kind == kind)


def _model(raw: dict[str, Any], defaults: dict[str, Any], providers: Mapping[str, Provider]) -> CatalogModel:
    data = {**defaults.get(raw["kind"], {}), **raw}
    unknown = [p for p in data["providers"] if p not in providers]
    if unknown:
        raise ConfigError(f"catalog model {data['id']} names unknown provider(s): {', '.join(unknown)}")

    def tup(key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        return tuple(data.get(key, default))

    return CatalogModel(
        id=data["id"],
        name=data["name"],
        kind=data["kind"],
        description=data.get("description", ""),
        created=data["created"],
        context_window=data["context_window"],
        max_completion_tokens=data.get("max_completion_tokens", data["context_window"]),
        input_price=float(data["input_price"]),
        output_price=float(data["output_price"]),
        request_price=float(data.get("request_price", 0.0)),
        dimensions=data.get("dimensions"),
        regions=tup("regions", ("us",)),
        input_modalities=tup("input_modalities", ("text",)),
        output_modalities=tup("output_modalities", ("text",) if data["kind"] == "chat" else ("embeddings",)),
        tokenizer=data.get("tokenizer", "Other"),
        categories=tup("categories"),
        supported_parameters=tup("supported_parameters"),
        providers=tuple(providers[p] for p in data["providers"]),
        moderated=bool(data.get("moderated", False)),
        aliases=tup("aliases"),
    )


@cache
def _validator() -> Any:
    """The catalog schema's validator, checked and built once per process (``jsonschema.validate``
    checks the schema itself on every call: tens of ms for each mock started)."""
    kind = jsonschema.validators.validator_for(_SCHEMA)
    kind.check_schema(_SCHEMA)
    return kind(_SCHEMA)


def load_catalog(path: str | Path) -> Catalog:
    """Load and validate a catalog file; every mistake is a ConfigError naming where it is."""
    path = Path(path)
    data = files.load_yaml(path, what="model catalog", error=ConfigError)
    # the error jsonschema.validate would raise: the best match among all
    problem = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "(top level)"
        raise ConfigError(f"model catalog {path} is invalid at {where}: {problem.message}")
    providers = {slug: Provider(slug=slug, **fields) for slug, fields in data["providers"].items()}
    models = [_model(raw, data.get("defaults", {}), providers) for raw in data["models"]]
    ids = [name for m in models for name in (m.id, *m.aliases)]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise ConfigError(f"model catalog {path} lists {', '.join(duplicates)} more than once")
    return Catalog(models, providers)


@cache
def default_catalog() -> Catalog:
    """The bundled catalog, loaded once per process."""
    return load_catalog(project_dir("fixtures") / "catalog.yaml")
