"""What a user adds to a profile for one target: models per role, vector length, headers, body fields.

A bundled profile describes a vendor; a real deployment has its own model names, a tenant
header, a field its router needs.  These settings come from the command line (``--model``,
``--embedding-dimensions``, ``--header``, ``--body-field``) and from a target's table in
``gatecheck.toml``; flags override the config file, which overrides the profile.  Header values
may hold ``${ENV}`` placeholders, resolved here and then treated as secrets (redacted).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gatecheck.errors import UnknownNameError, UsageError
from gatecheck.profiles import CAPABILITIES, Profile
from gatecheck.profiles.roles import ROLES

__all__ = [
    "HEADER_PLACEHOLDER",
    "SECRET_HEADER",
    "TargetSettings",
    "parse_body_field",
    "parse_header",
    "parse_model",
    "resolve_headers",
]

#: ``${NAME}`` anywhere in a header value: ``Bearer ${TENANT_TOKEN}``.
HEADER_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 field-name
#: Header names that carry credentials: their values must come from the environment (${ENV}).
SECRET_HEADER = re.compile(r"key|token|secret|auth|cookie|session|password", re.IGNORECASE)
#: Set by gatecheck from the key named with --api-key-env; a header flag must not replace it.
_RESERVED = frozenset({"authorization", "content-length", "host", "transfer-encoding"})


@dataclass(frozen=True)
class TargetSettings:
    """Per-target additions to a profile; empty fields mean "not given", so a lower layer applies."""

    models: Mapping[str, str] = field(default_factory=dict)
    embedding_dimensions: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  # values may hold ${ENV} placeholders
    body: Mapping[str, Any] = field(default_factory=dict)
    capabilities: frozenset[str] | None = None  # None: the profile's claims

    def over(self, lower: TargetSettings) -> TargetSettings:
        """These settings with ``lower`` filling what they leave out (a header by name, case-blind)."""
        mine = {name.lower() for name in self.headers}
        headers = {**{k: v for k, v in lower.headers.items() if k.lower() not in mine}, **self.headers}
        return TargetSettings(
            models={**lower.models, **self.models},
            embedding_dimensions=self.embedding_dimensions or lower.embedding_dimensions,
            headers=headers,
            body={**lower.body, **self.body},
            capabilities=self.capabilities if self.capabilities is not None else lower.capabilities,
        )

    def apply(self, profile: Profile) -> Profile:
        """The profile as this target serves it: the user's models, vector length and claims."""
        models = {**profile.models, **self.models}
        embedding = dict(profile.embedding or {})
        if self.models.get("embedding") not in (None, profile.model("embedding")):
            # Another model: the profile's vector lengths describe the vendor's model, not this one.
            embedding = {"dimensions": None, "reduced_dimensions": None}
        if self.embedding_dimensions:
            embedding["dimensions"] = self.embedding_dimensions
            reduced = embedding.get("reduced_dimensions")
            if reduced is not None and reduced >= self.embedding_dimensions:
                embedding["reduced_dimensions"] = None
        capabilities = profile.capabilities if self.capabilities is None else self.capabilities
        return dataclasses.replace(
            profile, models=models, embedding=embedding or None, capabilities=frozenset(capabilities)
        )


def parse_model(text: str) -> tuple[str, str]:
    """``chat=my-model`` -> ("chat", "my-model"); the role must be one of :data:`ROLES`."""
    role, sep, name = text.partition("=")
    role, name = role.strip(), name.strip()
    if not sep or not name:
        raise UsageError(f"--model takes ROLE=NAME (roles: {', '.join(ROLES)}), not {text!r}")
    if role not in ROLES:
        raise UnknownNameError("model role", role, list(ROLES))
    return role, name


def parse_header(text: str) -> tuple[str, str]:
    """``'X-Tenant: acme'`` -> ("X-Tenant", "acme"), refusing what gatecheck sets itself."""
    name, sep, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not _TOKEN.match(name):
        raise UsageError(f"--header takes 'Name: value', not {text!r}")
    check_header_name(name)
    if SECRET_HEADER.search(name) and not HEADER_PLACEHOLDER.search(value):
        # A credential on the command line lands in shell history, `ps` and the recorded command.
        raise UsageError(
            f"header {name} carries a credential: give its value as '${{ENV_VAR}}' "
            "(single-quoted, so gatecheck reads the variable, not the shell)"
        )
    return name, value


def check_header_name(name: str) -> None:
    """Refuse headers gatecheck owns (the key goes in with --api-key-env, never as a header)."""
    if name.lower() in _RESERVED:
        raise UsageError(
            f"header {name} is set by gatecheck; name the key's environment variable with --api-key-env"
        )


def parse_body_field(text: str) -> tuple[str, Any]:
    """``provider={"order":["a"]}`` -> ("provider", {...}); a value that is not JSON is a string."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"--body-field takes NAME=JSON, not {text!r}")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def parse_flags(
    models: Iterable[str] = (),
    headers: Iterable[str] = (),
    body_fields: Iterable[str] = (),
    embedding_dimensions: int | None = None,
) -> TargetSettings:
    """The command line's target settings; each malformed flag is a one-line usage error."""
    return TargetSettings(
        models=dict(parse_model(m) for m in models),
        embedding_dimensions=embedding_dimensions,
        headers=dict(parse_header(h) for h in headers),
        body=dict(parse_body_field(b) for b in body_fields),
    )


def check_capabilities(names: Iterable[str]) -> frozenset[str]:
    """Capability names from a config file, each one known to the registry."""
    for name in names:
        if name not in CAPABILITIES:
            raise UnknownNameError("capability", name, list(CAPABILITIES))
    return frozenset(names)


def resolve_headers(headers: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Header values with ``${ENV}`` filled in, and the filled-in values (secrets to redact).

    A placeholder naming an unset variable is an error naming it, never an empty header.
    """
    secrets: list[str] = []
    resolved: dict[str, str] = {}
    for name, value in headers.items():

        def fill(match: re.Match[str], header: str = name) -> str:
            variable = match.group(1)
            filled = os.environ.get(variable, "")
            if not filled:
                raise UsageError(
                    f"environment variable {variable} is not set; the {header} header's value needs it"
                )
            secrets.append(filled)
            return filled

        resolved[name] = HEADER_PLACEHOLDER.sub(fill, value)
    return resolved, secrets


def check_url(url: str) -> str:
    """A target's API base URL, refused with a one-line reason when it cannot be one."""
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--target must be an http:// or https:// base URL, not {url!r}")
    if url.rstrip("/").endswith(("/chat/completions", "/models", "/embeddings")):
        raise UsageError(
            f"--target should be the API base URL (such as http://host:port/v1), not an endpoint: {url}"
        )
    return url.rstrip("/")
