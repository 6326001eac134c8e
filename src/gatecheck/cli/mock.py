"""``gatecheck mock``: run the built-in mock gateway in the foreground until Ctrl-C.

The socket is bound before anything is printed, so a busy port is a one-line error rather than
a banner followed by a traceback.  Keys the user supplied are shown masked (they know them);
generated ones are shown in full, since nobody else can tell the user what they are.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from pathlib import Path
from typing import Any

import click
import jsonschema
import uvicorn

from gatecheck import files
from gatecheck.errors import ConfigError, UsageError
from gatecheck.mock.app import create_app
from gatecheck.mock.faults import FAULTS, validate_faults
from gatecheck.mock.inference.faultplan import parse_fault_plan
from gatecheck.mock.server import BACKLOG, uvicorn_config
from gatecheck.mock.settings import RETRY_AFTER_FORMS, MockSettings, generate_key

__all__ = ["CONFIG_SCHEMA", "load_config", "mock", "settings_from"]

_SECONDS = {"type": "number", "minimum": 0}
CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "faults": {"type": "array", "items": {"type": "string"}},
        "fault_plan": {"type": "array", "items": {"type": "object"}},
        "fallback_policies": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
        "delays": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"first_token": _SECONDS, "chunk_gap": _SECONDS, "upstream_timeout": _SECONDS},
        },
        "rate_limit": {"type": ["integer", "null"], "minimum": 1},
        "max_body_bytes": {"type": "integer", "minimum": 1},
        "catalog": {"type": "string"},
    },
}


def load_config(path: Path) -> dict[str, Any]:
    """A mock config file (YAML), validated; every mistake is a ConfigError naming where it is."""
    data = files.load_yaml(path, what="mock config", error=ConfigError) or {}
    try:
        jsonschema.validate(data, CONFIG_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ConfigError(f"mock config {path} is invalid at {where}: {exc.message}") from None
    try:
        parse_fault_plan(data.get("fault_plan", []))
    except ValueError as exc:
        raise ConfigError(f"mock config {path}: {exc}") from None
    return data


def settings_from(
    flavor: str, config: dict[str, Any], faults: tuple[str, ...] = (), **keys: Any
) -> MockSettings:
    """MockSettings from a validated config and the command line (which wins)."""
    delays = config.get("delays", {})
    given = {  # what the file leaves out keeps MockSettings' default: one place for each default
        "first_token_delay": delays.get("first_token"),
        "chunk_gap": delays.get("chunk_gap"),
        "upstream_timeout": delays.get("upstream_timeout"),
        "rate_limit": config.get("rate_limit"),
        "max_body_bytes": config.get("max_body_bytes"),
    }
    settings = MockSettings(
        flavor=flavor,  # type: ignore[arg-type]
        faults=validate_faults([*config.get("faults", []), *faults]),
        fault_plan=config.get("fault_plan", []),
        fallback_policies=config.get("fallback_policies", {}),
        catalog_path=Path(config["catalog"]) if "catalog" in config else None,
        **{name: value for name, value in given.items() if value is not None},
    )
    for name, value in keys.items():
        if value is not None:
            setattr(settings, name, value)
    return settings


def _mask(value: str) -> str:
    return f"{value[:6]}… (as given)"


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)  # before the banner: a client that reads "serving" may connect at once
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(4096)  # connections queue from here, before uvicorn's loop starts: no refused window
    return sock


def _log_to_stderr(level: str) -> None:
    """The mock's loggers (request lines, handler errors) to stderr; the banner stays on stdout."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("gatecheck.mock")
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


def _list_faults() -> None:
    """Each fault on one line, then what it breaks in the mock and what must catch it."""
    width = max(map(len, FAULTS))
    for name, mode in FAULTS.items():
        click.echo(f"{name:<{width}}  {mode.plane:<10}  {mode.description}")
        if mode.breaks:
            click.echo(f"    breaks: {', '.join(sorted(mode.breaks))}")
        for proof in mode.proofs:
            catches = ", ".join(proof.catches)
            click.echo(f"    caught by {proof.suite} ({proof.profile}): {catches}")


@click.command("mock")
@click.option(
    "--flavor", type=click.Choice(["requesty", "openrouter"]), default="requesty", show_default=True
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="0 picks a free port."
)
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="YAML config file."
)
@click.option("--fault", "faults", multiple=True, metavar="NAME", help="Turn on a fault mode (repeatable).")
@click.option(
    "--rate-limit-every",
    "--mock-rate-limit-every",
    "rate_limit_every",
    type=click.IntRange(min=1),
    metavar="N",
    help="Answer every Nth inference request 429 with Retry-After first (a legal rate limit).",
)
@click.option(
    "--retry-after-form",
    "--mock-retry-after-form",
    "retry_after_form",
    type=click.Choice(RETRY_AFTER_FORMS),
    help="How those 429s give Retry-After: delay-seconds (default) or an HTTP-date.",
)
@click.option("--api-key", envvar="GATECHECK_MOCK_API_KEY", help="Inference key (default: generated).")
@click.option(
    "--admin-key", envvar="GATECHECK_MOCK_ADMIN_KEY", help="Admin/management key (default: generated)."
)
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="sqlite file to keep state in."
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="info prints one line per request (method, path, status, ms, model, faults); keys never.",
)
@click.option("--list-faults", is_flag=True, help="List the fault modes and exit.")
def mock(
    flavor: str,
    host: str,
    port: int,
    config_file: Path | None,
    faults: tuple[str, ...],
    rate_limit_every: int | None,
    retry_after_form: str | None,
    api_key: str | None,
    admin_key: str | None,
    db_path: Path | None,
    log_level: str,
    list_faults: bool,
) -> None:
    """Run the built-in mock gateway (Requesty or OpenRouter flavor) until Ctrl-C."""
    if list_faults:
        _list_faults()
        return
    if retry_after_form and not rate_limit_every:
        raise UsageError(
            "--retry-after-form only shapes the 429s of --rate-limit-every N; give both or neither"
        )
    config = load_config(config_file) if config_file else {}
    settings = settings_from(
        flavor,
        config,
        faults,
        api_key=api_key or generate_key(),
        admin_key=admin_key or generate_key("gc-admin"),
        db_path=db_path,
        rate_limit_every=rate_limit_every,
        retry_after_form=retry_after_form,
    )
    sock = _bind(host, port)
    _log_to_stderr(log_level)
    server = uvicorn.Server(uvicorn_config(create_app(settings), host, sock.getsockname()[1]))
    base = f"http://{host}:{sock.getsockname()[1]}"
    click.echo(f"gatecheck mock ({flavor}) serving {base}{settings.prefix}")
    click.echo(f"  admin API:  {base}/_mock/  (health: {base}/_mock/health)")
    click.echo(f"  api key:    {_mask(settings.api_key) if api_key else settings.api_key}")
    click.echo(f"  admin key:  {_mask(settings.admin_key) if admin_key else settings.admin_key}")
    if settings.faults:
        click.echo(f"  faults:     {', '.join(sorted(settings.faults))}")
    if settings.rate_limit_every:
        every, form = settings.rate_limit_every, settings.retry_after_form
        click.echo(
            f"  rate limit: 1 in {every} inference requests answered 429 first (Retry-After as {form})"
        )
    click.echo("Press Ctrl-C to stop.")
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the signal after a clean shutdown
        server.run(sockets=[sock])
    click.echo("gatecheck mock stopped.")
