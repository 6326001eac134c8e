"""A target: where the gateway is, which profile describes it, and which keys to use.

Keys come only from environment variables whose *names* the user gives (``--api-key-env``,
``--management-key-env`` or ``gatecheck.toml``).  An empty URL means the built-in mock.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gatecheck.config import Config
from gatecheck.errors import MissingSecretError, UsageError
from gatecheck.profiles import Profile, get_profile
from gatecheck.target_settings import TargetSettings, resolve_headers

__all__ = ["DEFAULT_API_KEY_ENV", "Target", "resolve_target"]

DEFAULT_API_KEY_ENV = "GATECHECK_API_KEY"
DEFAULT_MANAGEMENT_KEY_ENV = "GATECHECK_MANAGEMENT_KEY"


@dataclass(frozen=True)
class Target:
    """What the suites test; ``url`` is None for the built-in mock, started by the plugin."""

    profile: Profile
    url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a traceback or report
    management_key: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    name: str = ""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # may hold secrets from env
    body: Mapping[str, Any] = field(default_factory=dict)
    secrets: tuple[str, ...] = field(default=(), repr=False)  # header values from env, to redact

    @property
    def is_mock(self) -> bool:
        return self.url is None

    @property
    def label(self) -> str:
        return self.name or (self.url or f"built-in mock ({self.profile.mock_flavor})")


def _secret(variable: str | None, purpose: str, *, required: bool) -> str | None:
    if not variable:
        return None
    value = os.environ.get(variable, "")
    if not value:
        if required:
            raise MissingSecretError(variable, purpose)
        return None
    return value


def resolve_target(
    *,
    url: str | None = None,
    profile: str | None = None,
    api_key_env: str | None = None,
    management_key_env: str | None = None,
    config: Config | None = None,
    timeout: float | None = None,
    settings: TargetSettings | None = None,
) -> Target:
    """Combine command line, config file and environment into one Target.

    ``url`` may be a URL, ``mock`` (or empty) for the built-in mock, or the name of a target in
    the config file.  A real target needs an inference key; a missing variable is an error
    naming the variable, never a confusing 401 later.  ``settings`` (from flags) override the
    named target's settings in the config file, which override the profile.
    """
    config = config or Config()
    settings = settings or TargetSettings()
    name = ""
    if not url and config.defaults.get("target"):
        url = config.defaults["target"]
    if url and not url.startswith(("http://", "https://")) and url != "mock":
        entry = config.target(url)
        name, url = entry.name, entry.url
        profile = profile or entry.profile
        api_key_env = api_key_env or entry.api_key_env
        management_key_env = management_key_env or entry.management_key_env
        timeout = timeout or entry.timeout
        settings = settings.over(entry.settings)
    if url == "mock":
        url = None
    chosen = settings.apply(get_profile(profile or config.defaults.get("profile") or "requesty"))
    headers, secrets = resolve_headers(settings.headers)
    extras: dict[str, Any] = {"headers": headers, "body": dict(settings.body), "secrets": tuple(secrets)}
    if url is None:
        return Target(profile=chosen, timeout=timeout or 30.0, name=name, **extras)
    if url.rstrip("/").endswith(("/chat/completions", "/models")):
        raise UsageError(
            f"--gateway-url should be the API base URL (such as {chosen.base_urls['default']}), "
            f"not an endpoint: {url}"
        )
    return Target(
        profile=chosen,
        url=url.rstrip("/"),
        api_key=_secret(api_key_env or DEFAULT_API_KEY_ENV, f"{chosen.title} API key", required=True),
        management_key=_secret(
            management_key_env or DEFAULT_MANAGEMENT_KEY_ENV, f"{chosen.title} management key", required=False
        ),
        timeout=timeout or 30.0,
        name=name,
        **extras,
    )
