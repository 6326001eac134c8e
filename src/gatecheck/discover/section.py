"""The ``gatecheck.toml`` target section a probe proposes, and ``--write`` adding it to the file.

The section says only what the probe can stand behind: the profile whose vendor data matched,
the models that answered, the embedding model's measured vector length, and the profile's claims
minus those the target visibly lacks.  Candidates for the ``failing`` and ``rate_limited`` roles
are written commented out: one bad answer does not prove a model *always* fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gatecheck import files
from gatecheck.config import load_config
from gatecheck.discover.findings import Findings
from gatecheck.errors import ConfigError, UsageError
from gatecheck.profiles import Profile
from gatecheck.profiles.roles import ROLES
from gatecheck.reports.atomic import write_text

__all__ = ["default_name", "render_section", "write_section"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def default_name(url: str) -> str:
    """A target name from the URL's host and port: ``http://127.0.0.1:4000/v1`` -> ``127-0-0-1-4000``."""
    parts = urlsplit(url)
    host = re.sub(r"[^A-Za-z0-9_-]+", "-", parts.hostname or "target").strip("-")
    return f"{host}-{parts.port}" if parts.port else host


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name)


def _value(value: Any) -> str:
    """A JSON value as TOML (JSON strings are valid TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise UsageError(f"cannot write {value!r} to gatecheck.toml (TOML has no null)")


def render_section(
    name: str,
    findings: Findings,
    profile: Profile,
    *,
    api_key_env: str,
    management_key_env: str | None = None,
    headers: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
) -> str:
    """The TOML text of ``[targets.NAME]`` and its sub-tables."""
    table = f"targets.{_key(name)}"
    lines = [
        f"# Proposed by `gatecheck probe` from {findings.url}: review it before you rely on it.",
        f"[{table}]",
        f"url = {_value(findings.url)}",
        f"profile = {_value(profile.name)}",
        f'api_key = "${{{api_key_env}}}"',
    ]
    if management_key_env:
        lines.append(f'management_key = "${{{management_key_env}}}"')
    if findings.embedding_dimensions:
        lines.append(f"embedding_dimensions = {findings.embedding_dimensions}")
    claims = sorted(profile.capabilities - set(findings.absent))
    if claims != sorted(profile.capabilities):
        lines.append(f"capabilities = {_value(claims)}")
        for capability, why in sorted(findings.absent.items()):
            if capability in profile.capabilities:
                lines.append(f"#   not claimed: {capability} ({why})")
    lines.append(f"# seen: {', '.join(sorted(findings.seen)) or '(nothing)'}")
    lines += ["", f"[{table}.models]"]
    lines += [f"{role} = {_value(findings.models[role])}" for role in ROLES if role in findings.models]
    for role, model in sorted(findings.candidates.items()):
        lines.append(
            f"# {role} = {_value(model)}  # failed once during the probe; uncomment if it always does"
        )
    if headers:
        lines += ["", f"[{table}.headers]"] + [f"{_key(k)} = {_value(v)}" for k, v in headers.items()]
    if body:
        lines += ["", f"[{table}.body]"] + [f"{_key(k)} = {_value(v)}" for k, v in body.items()]
    return "\n".join(lines) + "\n"


def write_section(path: Path, name: str, section: str) -> None:
    """Append ``section`` to ``path`` (created if missing); an existing target of that name is kept."""
    before = files.read_text(path, what="config file", error=ConfigError) if path.exists() else ""
    existing = files.parse_toml(before, label=f"config file {path}", error=ConfigError).get("targets", {})
    if isinstance(existing, dict) and name in existing:
        raise UsageError(f"{path} already has a target named {name!r}; pick another with --name")
    write_text(path, (before.rstrip("\n") + "\n\n" if before.strip() else "") + section)
    try:
        load_config(path)
    except ConfigError:
        write_text(path, before) if before else path.unlink()
        raise
