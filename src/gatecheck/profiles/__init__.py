"""Profiles: each vendor's paths, capabilities and differences, as data.

Suites never branch on a vendor's name; they ask the profile (``profile.path("key", id=...)``,
``profile.claims("usage-cost")``).  A profile is a YAML file beside this module, validated on
load against :data:`PROFILE_SCHEMA`; ``--profile PATH.yaml`` loads a user's own.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from gatecheck import files
from gatecheck.errors import ConfigError, UnknownNameError
from gatecheck.profiles.capabilities import CAPABILITIES
from gatecheck.profiles.roles import ROLES

__all__ = [
    "CAPABILITIES",
    "ERROR_CASES",
    "PROFILE_SCHEMA",
    "Profile",
    "available",
    "get_profile",
    "load_profile",
]

_HERE = Path(__file__).parent

_ENDPOINT: dict[str, Any] = {
    "type": "object",
    "required": ["method", "path"],
    "properties": {"method": {"enum": ["GET", "POST", "PATCH", "PUT", "DELETE"]}, "path": {"type": "string"}},
}

_POINTER = {"type": "string", "pattern": "^(/.*)?$"}  # RFC 6901; "" is the whole document
_FIELD = {"type": ["string", "null"]}  # a field name of the vendor's key record; null: absent

# The key API (suites/keys, gatecheck.scenario.keys): where things sit, by vendor
_KEYS: dict[str, Any] = {
    "type": ["object", "null"],
    "required": ["create", "record", "id_field", "value_pointer", "fields"],
    "properties": {
        "create": _ENDPOINT,
        "record": _POINTER,
        "id_field": {"type": "string"},
        "value_pointer": _POINTER,
        "fields": {
            "type": "object",
            "required": ["name"],
            "properties": {k: _FIELD for k in ("name", "limit", "expiry", "labels")},
            "additionalProperties": _FIELD,
        },
        "list_pointer": _POINTER,
        "set_limit": {
            "type": "object",
            "required": ["method", "path", "field"],
            "properties": {**_ENDPOINT["properties"], "field": {"type": "string"}},
        },
        "disable": {
            "oneOf": [
                {"type": "null"},
                {**_ENDPOINT, "properties": {**_ENDPOINT["properties"], "body": {"type": "object"}}},
            ]
        },
        "delete_status": {"type": "integer"},
        "missing_status": {"type": "integer"},
        "usage": {
            "type": ["object", "null"],
            "required": ["path", "spend_pointer"],
            "properties": {"path": {"type": "string"}, "spend_pointer": _POINTER},
        },
        "limit_remaining": _FIELD,
        "management_inference_statuses": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        "expiry_lead_seconds": {"type": "number", "exclusiveMinimum": 0},
        "expiry_grace_seconds": {"type": "number", "minimum": 0},
    },
}

_MODEL_ID = {"type": "string", "minLength": 1}

# How GET models describes a model (suites/models): where each fact sits in a catalog entry
_DOTTED = {"type": ["string", "null"], "minLength": 1}  # "architecture.output_modalities"; null: not listed
_CATALOG: dict[str, Any] = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {
        "id_pattern": {"type": ["string", "null"], "format": "regex"},  # null: ids have no fixed form
        "context_field": _DOTTED,
        "regions_field": _DOTTED,
        "filters": {  # query parameter -> a value to filter by and the entry field that shows it
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["value", "field"],
                "additionalProperties": False,
                "properties": {"value": {"type": "string", "minLength": 1}, "field": {"type": "string"}},
            },
        },
    },
}

# The embedding model's vectors (suites/embeddings)
_EMBEDDING: dict[str, Any] = {
    "type": ["object", "null"],
    "required": ["dimensions"],
    "additionalProperties": False,
    "properties": {
        "dimensions": {"type": "integer", "minimum": 1},
        "reduced_dimensions": {"type": ["integer", "null"], "minimum": 1},  # null: no `dimensions` field
    },
}

# How a request names fallback candidates (suites/fallbacks): a "models" array or a named policy
_FALLBACK: dict[str, Any] = {
    "type": ["object", "null"],
    "required": ["mechanism", "primary", "secondary", "unavailable"],
    "properties": {
        "mechanism": {"enum": ["models-array", "policy"]},
        "field": {"type": "string"},
        "policy_prefix": {"type": "string"},
        "policies": {
            "type": "object",
            "required": ["fallback", "exhausted"],
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "primary": _MODEL_ID,
        "secondary": _MODEL_ID,
        "unavailable": {"type": "array", "items": _MODEL_ID, "minItems": 1},
        "exhausted_statuses": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        "without_fallbacks": {"type": ["object", "null"]},
        "pinned_provider": {"type": "string"},
    },
    "allOf": [
        {
            "if": {"properties": {"mechanism": {"const": "models-array"}}},
            "then": {"required": ["field"]},
            "else": {"required": ["policy_prefix", "policies"]},
        },
        {
            "if": {
                "properties": {"without_fallbacks": {"type": "object"}},
                "required": ["without_fallbacks"],
            },
            "then": {"required": ["pinned_provider"]},
        },
    ],
}

# Guardrails, access lists, PKCE and credits (suites/governance): where each vendor keeps them
_STATUSES = {"type": "array", "items": {"type": "integer"}, "minItems": 1}
_ASSIGN = {  # an assignment call: the path name, the body field naming the keys, the count answered
    "type": "object",
    "required": ["path", "ids_field", "count_field"],
    "properties": {k: {"type": "string"} for k in ("path", "ids_field", "count_field")},
}
_GOVERNANCE: dict[str, Any] = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {
        "guardrails": {
            "type": "object",
            "required": ["record", "id_field", "list_pointer", "fields", "assign", "unassign", "assignments"],
            "properties": {
                "record": _POINTER,
                "id_field": {"type": "string"},
                "list_pointer": _POINTER,
                "list_page_param": {"type": ["string", "null"]},  # the list's offset parameter
                "update_method": {"enum": ["PATCH", "PUT"]},
                "fields": {
                    "type": "object",
                    "required": ["name", "models", "budget"],
                    "additionalProperties": {"type": "string"},
                },
                "assign": _ASSIGN,
                "unassign": _ASSIGN,
                "assignments": {
                    "type": "object",
                    "required": ["path", "list_pointer", "key_field", "total_field"],
                    "additionalProperties": {"type": "string"},
                },
                "delete_status": {"type": "integer"},
                "missing_status": {"type": "integer"},
                "model_refused_statuses": _STATUSES,
                "budget_refused_statuses": _STATUSES,
                "budget_usd": {"type": "number", "exclusiveMinimum": 0},
            },
        },
        "access_lists": {
            "type": "object",
            "required": ["key_field"],
            "properties": {
                "key_field": {"type": "string"},
                "mock_extension": {"type": "boolean"},
                "refused_statuses": _STATUSES,
            },
        },
        "pkce": {
            "type": "object",
            "required": ["code_path", "exchange_path", "code_pointer", "key_pointer", "label_field"],
            "properties": {
                **{k: {"type": "string"} for k in ("code_path", "exchange_path", "label_field")},
                "code_pointer": _POINTER,
                "key_pointer": _POINTER,
                "callback_url": {"type": "string", "pattern": "^https?://"},
                "list_page_param": {"type": ["string", "null"]},
                "terms": {"type": "object"},  # extra fields of the code request (the new key's limit)
                "refused_statuses": _STATUSES,
            },
        },
        "credits": {
            "type": "object",
            "required": ["path", "total_pointer", "usage_pointer"],
            "properties": {"path": {"type": "string"}, "total_pointer": _POINTER, "usage_pointer": _POINTER},
        },
    },
}

#: The refusals whose status a vendor may document (suites/errors reads them).
ERROR_CASES = ("unknown_model", "bad_key", "missing_field")
_ERRORS: dict[str, Any] = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {
        case: {
            "type": "object",
            "required": ["status", "source"],
            "additionalProperties": False,
            "properties": {
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "code": {"type": ["string", "null"]},  # error.code the vendor documents, if any
                "source": {"type": "string"},  # where the vendor documents it
            },
        }
        for case in ERROR_CASES
    },
}

#: Answers that say a scenario's own setup is missing on the account (a fallback policy, a model it
#: cannot use), each with what to set up; read by :mod:`gatecheck.scenario.setup`.
_SETUP_ERRORS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["says", "statuses", "set_up", "source"],
        "additionalProperties": False,
        "properties": {
            "says": {"type": "string", "minLength": 4},  # in error.message, any case
            "statuses": {"type": "array", "items": {"type": "integer", "minimum": 400, "maximum": 499}},
            "set_up": {"type": "string"},  # what the user does about it, after "set up"
            "source": {"type": "string"},  # where the vendor's wording is seen or documented
        },
    },
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
        "models": {
            "type": "object",
            "additionalProperties": False,
            "properties": {role: {"type": ["string", "null"]} for role in ROLES},
        },
        "pricing": {"type": ["object", "null"]},
        "capabilities": {"type": "array", "items": {"enum": sorted(CAPABILITIES)}, "uniqueItems": True},
        "paths": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^/"}},
        "fallback": _FALLBACK,
        "keys": _KEYS,
        "catalog": _CATALOG,
        "embedding": _EMBEDDING,
        "governance": _GOVERNANCE,
        "errors": _ERRORS,
        "setup_errors": _SETUP_ERRORS,
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
    catalog: Mapping[str, Any] | None = None
    embedding: Mapping[str, Any] | None = None
    governance: Mapping[str, Any] | None = None
    errors: Mapping[str, Any] | None = None
    setup_errors: Sequence[Mapping[str, Any]] = ()
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

    def documented_error(self, case: str) -> Mapping[str, Any] | None:
        """What the vendor documents for refusal ``case`` (:data:`ERROR_CASES`): ``{status, code,
        source}``, or None where it is silent (a scenario then reports what it saw, not a pass)."""
        if case not in ERROR_CASES:
            raise UnknownNameError("error case", case, list(ERROR_CASES))
        return (self.errors or {}).get(case)

    def missing_setup(self, status: int, message: str, asked: Collection[str]) -> str | None:
        """What to set up, quoting the target, when an answer says the account lacks what a
        scenario ``asked`` for (``setup_errors``: the status, the wording, and one of the names
        asked must all be in it, so a gateway refusing anything else still fails); else None."""
        lowered = message.lower()
        if not any(name and name.lower() in lowered for name in asked):
            return None
        for entry in self.setup_errors:
            if status in entry["statuses"] and entry["says"].lower() in lowered:
                quoted = message if len(message) <= 200 else message[:200] + "…"
                return f"set up {entry['set_up']}; the target answered HTTP {status}: {quoted}"
        return None

    def model(self, role: str) -> str | None:
        """The model the suites use for ``role`` (see :data:`~gatecheck.profiles.roles.ROLES`)."""
        if role not in ROLES:
            raise UnknownNameError("model role", role, list(ROLES))
        return self.models.get(role)


@cache
def _validator() -> Any:
    """PROFILE_SCHEMA's validator, checked and built once per process.

    ``jsonschema.validate`` checks the schema against its meta-schema on every call (~60 ms of
    CPU), and every process of a run (each xdist worker) loads a profile.
    """
    kind = jsonschema.validators.validator_for(PROFILE_SCHEMA)
    kind.check_schema(PROFILE_SCHEMA)
    return kind(PROFILE_SCHEMA)


def _from_mapping(data: dict[str, Any], source: str) -> Profile:
    # the error jsonschema.validate would raise: the best match among all
    problem = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "(top level)"
        raise ConfigError(f"profile {source} is invalid at {where}: {problem.message}")
    fields = {k: v for k, v in data.items() if k != "capabilities"}
    return Profile(capabilities=frozenset(data["capabilities"]), source=source, **fields)


def load_profile(path: str | Path) -> Profile:
    """Load a user's profile file, with a readable error for every way it can be wrong."""
    path = Path(path)
    data = files.load_yaml(path, what="profile file", error=ConfigError)
    mapping = files.require_mapping(data, label=f"profile file {path}", what="profile", error=ConfigError)
    return _from_mapping(mapping, str(path))


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
