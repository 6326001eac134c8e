"""``gatecheck probe``: what does this target serve?  Prints an account and a gatecheck.toml section."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from gatecheck.errors import MissingSecretError, UsageError
from gatecheck.redact import Redactor

__all__ = ["probe"]


def _key(variable: str | None, purpose: str, *, required: bool) -> str | None:
    if not variable:
        return None
    value = os.environ.get(variable, "")
    if not value and required:
        raise MissingSecretError(variable, purpose)
    return value or None


@click.command()
@click.option("--target", "url", required=True, metavar="URL", help="the gateway's API base URL")
@click.option(
    "--api-key-env",
    default="GATECHECK_API_KEY",
    show_default=True,
    metavar="VAR",
    help="environment variable holding the inference key",
)
@click.option(
    "--management-key-env", metavar="VAR", help="environment variable holding a management key (optional)"
)
@click.option(
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="extra request header (repeatable); ${ENV} in the value is read from the environment",
)
@click.option(
    "--body-field", "body_fields", multiple=True, metavar="NAME=JSON", help="extra inference body field"
)
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="ROLE=NAME",
    help="a model to try first for a role (repeatable), listed by the target or not",
)
@click.option("--profile", metavar="NAME", help="the profile to propose (default: the one the answers match)")
@click.option("--name", metavar="NAME", help="the target's name in gatecheck.toml (default: from the URL)")
@click.option("--write", is_flag=True, help="add the section to the config file")
@click.option("--config", metavar="FILE", default="gatecheck.toml", show_default=True, help="config file")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=20.0, metavar="S")
def probe(
    url: str,
    api_key_env: str,
    management_key_env: str | None,
    headers: tuple[str, ...],
    body_fields: tuple[str, ...],
    models: tuple[str, ...],
    profile: str | None,
    name: str | None,
    write: bool,
    config: str,
    timeout: float,
) -> None:
    """Ask a gateway what it serves (a few tiny requests) and propose its gatecheck.toml target section.

    At most 16 requests: the model list, a tiny chat, a stream with usage, tools, json_schema,
    embeddings, Responses, Messages, rerank, and key management when a management key is named.
    """
    from gatecheck.discover import probe_target
    from gatecheck.discover.report import account
    from gatecheck.discover.section import default_name, render_section, write_section
    from gatecheck.profiles import get_profile
    from gatecheck.target_settings import check_url, parse_flags, resolve_headers

    url = check_url(url)
    settings = parse_flags(models=models, headers=headers, body_fields=body_fields)
    resolved, secrets = resolve_headers(settings.headers)
    api_key = _key(api_key_env, "API key", required=True)
    management_key = _key(management_key_env, "management key", required=True)
    redactor = Redactor([s for s in (api_key, management_key, *secrets) if s])
    probed = probe_target(
        url,
        api_key,
        profile=get_profile(profile) if profile else None,
        management_key=management_key,
        headers=resolved,
        body=settings.body,
        timeout=timeout,
        models=settings.models,
    )
    for role, model in settings.models.items():  # roles the probe cannot judge stay as the user named them
        probed.findings.models.setdefault(role, model)
    target_name = name or default_name(url)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", target_name):
        raise UsageError(f"--name takes letters, digits, '-' and '_' (a TOML bare key), not {target_name!r}")
    section = render_section(
        target_name,
        probed.findings,
        probed.profile,
        api_key_env=api_key_env,
        management_key_env=management_key_env,
        headers=settings.headers,  # as given: ${ENV} placeholders stay placeholders
        body=settings.body,
    )
    click.echo(redactor.text(account(probed)))
    click.echo(section, nl=False)
    if write:
        write_section(Path(config), target_name, section)
        added = f"[targets.{target_name}] to {config}"
        click.echo(f"\ngatecheck: added {added}; run: gatecheck run --target {target_name}")
