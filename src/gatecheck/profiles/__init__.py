"""Profiles: each vendor's paths, capabilities and differences, as data.

Suites never branch on a vendor's name; they ask the profile (``profile.path("key", id=...)``,
``profile.claims("usage-cost")``).  A profile is a YAML file beside this module, validated on
load against :data:`PROFILE_SCHEMA`; ``--profile PATH.yaml`` loads a user's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from gatecheck.errors import ConfigError, UnknownNameError
from gatecheck.profiles.capabilities import CAPABILITIES

__all__ = ["CAPABILITIES", "PROFILE_SCHEMA", "Profile", "available", "get_profile", "load_profile"]

_HERE = Path(__file__).parent

_ENDPOINT = {
    "type": "object",
    "required": ["method", "path"],
    "properties": {"method": {"enum": ["GET", "POST", "PATCH", "PUT", "DELETE"]}, "path": {"type": "string"}},
}

PROFILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "title", "spec", "base_urls", "mock_prefix", "mock_flavor", "capabilities", "paths"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "title": {"type": "string"},
        "spec": {"type": "string"},
        "base_urls": {
            "type": "object",
            "required": ["default"],
            "additionalProperties": {"type": "string", "pattern": "^https?://"},
        },
        "mock_prefix": {"type": "string", "pattern": "^/"},
        "mock_flavor": {"enum": ["requesty", "openrouter"]},
        "auth": {"type": "object"},
        "default_model": {"type": ["string", "null"]},
        "models": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
        "pricing": {"type": ["object", "null"]},
        "capabilities": {"type": "array", "items": {"enum": sorted(CAPABILITIES)}, "uniqueItems": True},
        "paths": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^/"}},
        "fallback": {"type": ["object", "null"]},
        "keys": {
            "type": ["object", "null"],
            "properties": {"create": _ENDPOINT, "set_limit": {"type": "object"}},
        },
    },
}


@dataclass(frozen=True)
class Profile:
    """A vendor's contract as gatecheck needs it; see the YAML files for the meaning of each field."""

    name: str
    title: str
    spec: str
    base_urls: Mapping[str, str]
    mock_prefix: str
    mock_flavor: str
    capabilities: frozenset[str]
    paths: Mapping[str, str]
    auth: Mapping[str, Any] = field(default_factory=dict)
    default_model: str | None = None
    models: Mapping[str, str | None] = field(default_factory=dict)
    pricing: Mapping[str, Any] | None = None
    fallback: Mapping[str, Any] | None = None
    keys: Mapping[str, Any] | None = None
    source: str = ""

    def claims(self, capability: str) -> bool:
        """Whether the profile claims ``capability``; unknown names are a programming error."""
        if capability not in CAPABILITIES:
            raise UnknownNameError("capability", capability, list(CAPABILITIES))
        return capability in self.capabilities

    def path(self, name: str, **params: str) -> str:
        """The path of a named endpoint, relative to the base URL, with ``{id}``-style params filled."""
        try:
            template = self.paths[name]
        except KeyError:
            raise UnknownNameError(f"endpoint of profile {self.name}", name, list(self.paths)) from None
        return template.format(**params)

    def model(self, role: str) -> str | None:
        """The model the suites use for ``role`` (chat, chat_alt, embedding, rerank)."""
        return self.models.get(role)


def _from_mapping(data: dict[str, Any], source: str) -> Profile:
    try:
        jsonschema.validate(data, PROFILE_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ConfigError(f"profile {source} is invalid at {where}: {exc.message}") from None
    fields = {k: v for k, v in data.items() if k != "capabilities"}
    return Profile(capabilities=frozenset(data["capabilities"]), source=source, **fields)


def load_profile(path: str | Path) -> Profile:
    """Load a user's profile file, with a readable error for every way it can be wrong."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"profile file {path} does not exist") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"profile file {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"profile file {path} must hold a mapping, not {type(data).__name__}")
    return _from_mapping(data, str(path))


def available() -> list[str]:
    """Names of the bundled profiles."""
    return sorted(p.stem for p in _HERE.glob("*.yaml"))


@cache
def _bundled(name: str) -> Profile:
    return load_profile(_HERE / f"{name}.yaml")


def get_profile(name_or_path: str) -> Profile:
    """A bundled profile by name, or a user's profile by path (anything ending in .yaml/.yml)."""
    if name_or_path.endswith((".yaml", ".yml")):
        return load_profile(name_or_path)
    if name_or_path not in available():
        raise UnknownNameError("profile", name_or_path, available())
    return _bundled(name_or_path)
