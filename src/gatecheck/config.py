"""``gatecheck.toml``: named targets and run defaults, validated before anything runs.

Secrets may appear only as ``${ENV_VAR}`` placeholders, and placeholders only where secrets go,
so a config file can be committed and a key can never be.  Parsed with the standard library's
``tomllib`` through :mod:`gatecheck.files`; validated with jsonschema so every mistake names its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from gatecheck import files
from gatecheck.errors import ConfigError, GatecheckError
from gatecheck.profiles import CAPABILITIES
from gatecheck.profiles.roles import ROLES
from gatecheck.target_settings import HEADER_PLACEHOLDER, SECRET_HEADER, TargetSettings, check_header_name

__all__ = ["CONFIG_SCHEMA", "Config", "TargetConfig", "load_config"]

PLACEHOLDER = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")

_TARGET = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url"],
    "properties": {
        "url": {"type": "string", "pattern": "^(https?://|mock$)"},
        "profile": {"type": "string"},
        "spec": {"type": "string", "minLength": 1},
        "api_key": {"type": "string", "pattern": PLACEHOLDER.pattern},
        "management_key": {"type": "string", "pattern": PLACEHOLDER.pattern},
        "timeout": {"type": "number", "exclusiveMinimum": 0},
        "models": {
            "type": "object",
            "additionalProperties": False,
            "properties": {role: {"type": "string", "minLength": 1} for role in ROLES},
        },
        "embedding_dimensions": {"type": "integer", "minimum": 1},
        "headers": {
            "type": "object",
            "propertyNames": {"pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},
            "additionalProperties": {"type": "string"},
        },
        "body": {"type": "object"},
        "capabilities": {"type": "array", "items": {"enum": sorted(CAPABILITIES)}, "uniqueItems": True},
    },
}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "defaults": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "target": {"type": "string"},
                "profile": {"type": "string"},
                "suites": {"type": "array", "items": {"type": "string"}},
                "report_dir": {"type": "string"},
                "seed": {"type": "integer"},
                "examples": {"type": "integer", "minimum": 1},
                "max_requests": {"type": "integer", "minimum": 1},
                "max_tokens": {"type": "integer", "minimum": 1},
                "concurrency": {"type": "integer", "minimum": 1},
                "timeout": {"type": "number", "exclusiveMinimum": 0},
                "allow_writes": {"type": "boolean"},
            },
        },
        "targets": {"type": "object", "additionalProperties": _TARGET},
    },
}


@dataclass(frozen=True)
class TargetConfig:
    """One named target; key fields hold environment variable *names*, never values."""

    name: str
    url: str
    profile: str | None = None
    api_key_env: str | None = None
    management_key_env: str | None = None
    timeout: float | None = None
    settings: TargetSettings = field(default_factory=TargetSettings)
    spec: str | None = None  # the target's own spec (file, folder or bundled name), as --spec


@dataclass(frozen=True)
class Config:
    """A validated config file (or the empty default when there is none)."""

    defaults: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, TargetConfig] = field(default_factory=dict)
    source: str | None = None

    def target(self, name: str) -> TargetConfig:
        if name not in self.targets:
            from gatecheck.errors import UnknownNameError

            raise UnknownNameError(f"target in {self.source or 'config'}", name, list(self.targets))
        return self.targets[name]


def _env_name(value: str | None) -> str | None:
    if value is None:
        return None
    match = PLACEHOLDER.match(value)
    assert match  # guaranteed by the schema
    return match.group(1)


def _settings(spec: dict[str, Any], where: str) -> TargetSettings:
    """The target's additions to its profile; a credential header must be a ${ENV} placeholder."""
    headers = spec.get("headers", {})
    for name, value in headers.items():
        try:
            check_header_name(name)
        except GatecheckError as exc:
            raise ConfigError(f"{where}.headers.{name}: {exc}") from None
        if SECRET_HEADER.search(name) and not HEADER_PLACEHOLDER.search(value):
            raise ConfigError(
                f"{where}.headers.{name}: a credential header's value must come from the environment "
                "(write it as ${ENV_VAR})"
            )
    capabilities = spec.get("capabilities")
    return TargetSettings(
        models=spec.get("models", {}),
        embedding_dimensions=spec.get("embedding_dimensions"),
        headers=headers,
        body=spec.get("body", {}),
        capabilities=frozenset(capabilities) if capabilities is not None else None,
    )


def load_config(path: str | Path | None = None) -> Config:
    """Load ``path``, or ``./gatecheck.toml`` when it exists, or return the empty config."""
    if path is None:
        path = Path("gatecheck.toml")
        if not path.exists():
            return Config()
    path = Path(path)
    data = files.load_toml(path, what="config file", error=ConfigError)
    validator = jsonschema.Draft202012Validator(CONFIG_SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.absolute_path) or "(top level)"
        hint = " (secrets must be written as ${ENV_VAR})" if "key" in where else ""
        message = first.message
        if isinstance(first.instance, str) and first.instance:
            # never echo a value: where a placeholder was expected it is a literal secret
            message = message.replace(repr(first.instance), "the value given")
        raise ConfigError(f"config file {path}: {where}: {message}{hint}")
    targets = {
        name: TargetConfig(
            name=name,
            url=spec["url"],
            profile=spec.get("profile"),
            api_key_env=_env_name(spec.get("api_key")),
            management_key_env=_env_name(spec.get("management_key")),
            timeout=spec.get("timeout"),
            settings=_settings(spec, f"config file {path}: targets.{name}"),
            spec=spec.get("spec"),
        )
        for name, spec in data.get("targets", {}).items()
    }
    return Config(defaults=data.get("defaults", {}), targets=targets, source=str(path))
