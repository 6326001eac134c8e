"""A real LiteLLM proxy on loopback, its upstream gatecheck's own mock: a real target for the tests.

Started once per module (it takes 20-40 s to boot).  Offline by construction:
``LITELLM_LOCAL_MODEL_COST_MAP=True`` makes it read its bundled price map, and every outbound
proxy variable points at a closed loopback port, so anything that still tried to download
would fail and leave a line in the proxy's log, which :func:`download_attempts` reads.

Deployments (model names the proxy serves -> the mock's model):

``gc-chat``, ``gc-chat-alt``, ``gc-embed``
    healthy: ``openai/gpt-4o-mini``, ``anthropic/claude-sonnet-4-20250514``,
    ``openai/text-embedding-3-small``.
``gc-broken``
    ``openai/gpt-4.1``, whose every upstream answers 500 (the mock's fault plan).
``gc-limited``
    ``openai/gpt-4o``, whose every upstream answers 429.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from gatecheck.cli import _attach, cli
from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings

MASTER_KEY = "sk-gatecheck-litellm-" + "0" * 16  # the proxy's own key, only ever on loopback
UPSTREAM_KEY = "gc-mock-litellm-upstream-" + "1" * 12
#: Readiness polls, one per second at most: a bound, not a timing assertion.
READINESS_POLLS = 180
DEPLOYMENTS = {
    "gc-chat": "openai/gpt-4o-mini",
    "gc-chat-alt": "anthropic/claude-sonnet-4-20250514",
    "gc-embed": "openai/text-embedding-3-small",
    "gc-broken": "openai/gpt-4.1",
    "gc-limited": "openai/gpt-4o",  # not an o-series name: LiteLLM refuses temperature=0 for those
}
FAULT_PLAN = [{"model": "openai/gpt-4.1", "failure": "500"}, {"model": "openai/gpt-4o", "failure": "429"}]
#: What LiteLLM logs when it reaches for the network (cost map, telemetry, anything else).
_DOWNLOAD = re.compile(
    r"fetch|ConnectError|ProxyError|Failed to (download|retrieve)|raw\.githubusercontent", re.I
)


@dataclass(frozen=True)
class Proxy:
    """A running LiteLLM proxy: its API base URL and its log file."""

    base_url: str
    log: Path


def _litellm() -> str | None:
    here = Path(sys.executable).parent / "litellm"
    return str(here) if here.exists() else shutil.which("litellm")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(upstream: str) -> str:
    lines = ["model_list:"]
    for name, model in DEPLOYMENTS.items():
        # Healthy deployments let LiteLLM's OpenAI client retry: a pooled upstream connection the
        # mock's uvicorn closed after its keep-alive otherwise surfaces as "Connection error".
        # The broken and throttled ones must not retry (their failures are the point).
        retries = 0 if name in ("gc-broken", "gc-limited") else 2
        lines += [
            f"  - model_name: {name}",
            f"    litellm_params: {{model: openai/{model}, api_base: '{upstream}', "
            f"api_key: os.environ/GC_UPSTREAM_KEY, max_retries: {retries}}}",
        ]
    lines += [
        "router_settings: {num_retries: 0}",
        "litellm_settings: {num_retries: 0, telemetry: false}",
        "general_settings: {master_key: os.environ/GC_LITELLM_MASTER_KEY}",
    ]
    return "\n".join(lines) + "\n"


def _offline_env() -> dict[str, str]:
    closed = "http://127.0.0.1:9"  # discard port: nothing listens, every attempt fails at once
    return {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_TELEMETRY": "False",
        "GC_UPSTREAM_KEY": UPSTREAM_KEY,
        "GC_LITELLM_MASTER_KEY": MASTER_KEY,
        **{name: closed for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")},
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }


def _answers(url: str, key: str | None, wanted: int | None) -> bool:
    """Whether ``url`` answers (with ``wanted``, when given) within a generous bound."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        status = httpx.get(url, headers=headers, timeout=30.0).status_code
    except httpx.TransportError:
        return False
    return wanted is None or status == wanted


def _wait_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    """Ready means the API itself answers, not just the liveness route: the first hits of a
    cold proxy (route loading, the model list) are slow, and gatecheck's own reachability
    check gives a target 5 s."""
    root = base_url.removesuffix("/v1")
    checks = [
        (f"{root}/health/liveliness", None, 200),
        (f"{base_url}/models", MASTER_KEY, 200),
        (base_url, None, None),
    ]
    for _ in range(READINESS_POLLS):
        if process.poll() is not None:
            pytest.fail(f"litellm exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        while checks and _answers(*checks[0]):
            checks.pop(0)
        if not checks:
            return
        time.sleep(1.0)
    pytest.fail(f"litellm did not become ready after {READINESS_POLLS} polls:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def litellm_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """The proxy, with the mock behind it; both stopped when the module ends."""
    command = _litellm()
    if command is None:
        pytest.skip("litellm is not installed: pip install -e '.[test]' installs litellm[proxy]")
    folder = tmp_path_factory.mktemp("litellm")
    settings = MockSettings(flavor="requesty", api_key=UPSTREAM_KEY, fault_plan=list(FAULT_PLAN))
    with MockServer(settings) as mock:
        (folder / "config.yaml").write_text(_config(mock.base_url))
        port, log = _free_port(), folder / "litellm.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [
                    command,
                    "--config",
                    str(folder / "config.yaml"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=_offline_env(),
                cwd=folder,
            )
        try:
            _wait_ready(process, f"http://127.0.0.1:{port}/v1", log)
            yield Proxy(f"http://127.0.0.1:{port}/v1", log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def download_attempts(proxy: Proxy) -> list[str]:
    """Lines of the proxy's log that show it reaching for the network."""
    return [line for line in proxy.log.read_text(errors="replace").splitlines() if _DOWNLOAD.search(line)]


@dataclass
class Outcome:
    """One in-process CLI invocation (suites still run in their own processes)."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def run_dir(self) -> Path:
        line = next(line for line in self.stdout.splitlines() if line.startswith("reports: "))
        return Path(line.removeprefix("reports: ").strip())

    @property
    def results(self) -> dict[str, Any]:
        return json.loads((self.run_dir / "results.json").read_text(encoding="utf-8"))

    def outcomes(self) -> dict[str, str]:
        return {t["id"]: t["outcome"] for t in self.results["tests"]}


def gatecheck(*args: str) -> Outcome:
    """``gatecheck ARGS...`` through the real CLI."""
    _attach()
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)
