"""Secrets of unusual shapes, planted where issue 16 lists them, never reach an artefact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_run import Run, assert_complete_report
from hostile_servers import hostile_server

pytestmark = pytest.mark.slow


def _fake(*parts: str) -> str:
    """Assembled at run time, so no secret-shaped literal is committed."""
    return "-".join(parts)


def _leaks(root: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {s[:4]}..." for s in secrets if s.encode() in data]
    return found


def test_url_credentials_and_keys_are_redacted_by_value(
    tmp_path: Path, gatecheck_run: Callable[..., Run]
) -> None:
    """Userinfo and query credentials in the target URL, and the key, appear in no file"""
    user, password = _fake("zzuser", "q7w8e9"), _fake("pw", "x1y2z3w4v5")
    query, key = _fake("qk", "a9s8d7f6g5"), _fake("odd", "shape", "5t4r3e2w")
    with hostile_server("html-502") as (url, _counter):
        host = url.removeprefix("http://")
        target = f"http://{user}:{password}@{host}?token={query}"
        run = gatecheck_run(target, "--profile", "openai", "--suites", "errors", key=key)
    assert_complete_report(run)
    assert run.measured.exit_code in (1, 2)
    assert _leaks(tmp_path, [user, password, query, key]) == []
    assert all(s not in run.measured.stdout + run.measured.stderr for s in (password, query, key))


def test_a_literal_key_in_the_config_is_refused_without_echoing_it(
    tmp_path: Path, gatecheck_run: Callable[..., Run]
) -> None:
    """A literal key in gatecheck.toml is refused (exit 2) and appears nowhere"""
    literal = _fake("lit", "zx9cv8bn7m6")
    config = tmp_path / "gatecheck.toml"
    config.write_text(f'[targets.t]\nurl = "http://127.0.0.1:9/v1"\napi_key = "{literal}"\n')
    run = gatecheck_run("t", "--config", str(config))
    assert run.measured.exit_code == 2
    assert literal not in run.measured.stdout + run.measured.stderr
    config.unlink()
    assert _leaks(tmp_path, [literal]) == []
