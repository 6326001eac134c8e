"""Secrets of unusual shapes, planted where issue 16 lists them, never reach an artefact."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_run import GATECHECK, KEY_ENV, Run, assert_complete_report
from hostile_servers import hostile_server

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings

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


#: Faults that make the key scenarios fail while holding created keys, so tracebacks, captured
#: output and failure messages all have a key to leak (function arguments, records, echoes).
_KEY_FAULTS = frozenset(
    {"deleted-key-still-valid", "expired-key-still-valid", "key-value-in-get", "usage-not-recorded"}
)


def _minted(root: Path, prefix: str) -> list[str]:
    """Files holding a key the mock minted: ``<prefix>-`` and 32 hex digits, whoever wrote them."""
    shape = re.compile(re.escape(prefix).encode() + rb"-[0-9a-f]{32}")
    return [str(p) for p in root.rglob("*") if p.is_file() and shape.search(p.read_bytes())]


def test_keys_the_target_creates_in_an_odd_shape_appear_in_no_file(
    tmp_path: Path, gatecheck_run: Callable[..., Run]
) -> None:
    """Keys a gateway creates during the run, in a shape no pattern knows, are masked by value"""
    prefix = "zq" + secrets.token_hex(3)  # no redaction pattern knows it; unique to this test
    settings = MockSettings(flavor="requesty", key_prefix=prefix, faults=set(_KEY_FAULTS))
    with MockServer(settings) as mock:
        run = gatecheck_run(
            mock.base_url,
            *("--profile", "requesty", "--suites", "keys", "--allow-writes"),
            *("--management-key-env", "HOSTILE_ADMIN_KEY"),
            *("--limit", "settle=2"),  # a key change never shows: waited for 2 s, not the default 20
            key=settings.api_key,
            env={"HOSTILE_ADMIN_KEY": settings.admin_key},
        )
    results = assert_complete_report(run)
    assert run.measured.exit_code == 1, results["run"]
    failed = [t for t in results["tests"] if t["outcome"] == "failed"]
    assert len(failed) >= len(_KEY_FAULTS) - 1, [t["id"] for t in results["tests"]]
    assert any("within 2 s" in json.dumps(t) for t in failed), failed
    assert _minted(tmp_path, prefix) == []
    assert prefix not in run.measured.stdout + run.measured.stderr


def _wait_until_failures_are_written(temp: Path) -> None:
    """Until failed tests, whose messages quote the echoed key, are in the work folder's allure
    results (``echo-key`` goes silent after a few answers: the run cannot end); bounded."""
    for _ in range(1200):
        results = [p.read_bytes() for p in temp.glob("gatecheck-run-*/allure/*-result.json")]
        if sum(b'"status": "failed"' in r for r in results) >= 3:
            return
        time.sleep(0.1)


def test_a_run_killed_mid_way_leaves_no_secret_and_the_next_run_sweeps_its_folder(
    tmp_path: Path, gatecheck_run: Callable[..., Run]
) -> None:
    """kill -9 of the runner and its suite process: the work folder holds no echoed key, and the
    next run removes it"""
    key = _fake("echo", "7h6g5f4d3s2a")  # no known prefix: masked by value or not at all
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, KEY_ENV: key, "TMPDIR": str(temp)}
    with hostile_server("echo-key") as (url, _counter):
        argv = [GATECHECK, "run", "--target", url, "--profile", "openai", "--suites", "errors"]
        argv += ["--api-key-env", KEY_ENV, "--report-dir", str(tmp_path / "killed")]
        proc = subprocess.Popen(argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
        try:
            _wait_until_failures_are_written(temp)
            assert proc.poll() is None, "the run ended before it could be killed"
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        left = list(temp.glob("gatecheck-run-*"))
        assert left, "kill -9 left no work folder: the sweep below would prove nothing"
        assert _leaks(temp, [key]) == []
        assert _leaks(tmp_path / "killed", [key]) == []
    with hostile_server("html-502") as (url, _counter):  # the next run, against a quick target
        run = gatecheck_run(url, "--profile", "openai", "--suites", "errors", key=key)
    assert_complete_report(run)
    assert [p for p in left if p.exists()] == []
    assert list(temp.glob("gatecheck-run-*")) == []
    assert _leaks(tmp_path, [key]) == []
