"""Node clients (openai-node, the Vercel AI SDK with @ai-sdk/openai-compatible and
@openrouter/ai-sdk-provider) against both flavors, through ``node/matrix.mjs``.

The packages come from ``node/package.json`` and its lock file: installed once with ``npm ci``
where ``node_modules`` is missing, then every run is offline.  Without node or npm, or when the
install cannot reach a registry, the tests skip with the reason.  One node process per flavor
runs every feature; each (client, feature) is its own test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from client_matrix import expect

from gatecheck.mock.server import MockServer

NODE_DIR = Path(__file__).resolve().parent / "node"
INSTALL_TIMEOUT = 300
RUN_TIMEOUT = 120
FEATURES = [
    ("openai-node", "chat", None),
    ("openai-node", "stream-with-usage", None),
    ("openai-node", "tools-round-trip", None),
    ("openai-node", "embeddings", None),
    ("openai-node", "models", None),
    ("openai-node", "typed-errors", None),
    ("ai-sdk-openai-compatible", "generate-text", None),
    ("ai-sdk-openai-compatible", "stream-with-usage", None),
    ("ai-sdk-openai-compatible", "tools", None),
    ("openrouter-ai-sdk-provider", "generate-text", "openrouter"),
    ("openrouter-ai-sdk-provider", "stream-with-usage", "openrouter"),
]


@cache
def _installed() -> str | None:
    """None when the node packages are ready, else why they cannot be."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "node and npm are not installed"
    if (NODE_DIR / "node_modules").is_dir():
        return None
    command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        done = subprocess.run(command, cwd=NODE_DIR, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"npm ci did not finish within {INSTALL_TIMEOUT} s"
    if done.returncode != 0:
        return f"npm ci failed (no registry?): {done.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="module")
def node_results(server: MockServer) -> dict[tuple[str, str], dict[str, Any]]:
    """Every feature's result line for this flavor, from one node run."""
    if reason := _installed():
        pytest.skip(reason)
    env = {
        **os.environ,
        "MOCK_FLAVOR": server.settings.flavor,
        "MOCK_BASE_URL": server.base_url,
        "MOCK_API_KEY": server.settings.api_key,
    }
    done = subprocess.run(
        ["node", "matrix.mjs"], cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert done.returncode == 0, f"node matrix.mjs exited {done.returncode}: {done.stderr[-1500:]}"
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {(line["client"], line["feature"]): line for line in lines}


@pytest.mark.parametrize(("client", "feature", "only"), FEATURES, ids=[f"{c}-{f}" for c, f, _ in FEATURES])
def test_node_client(
    server: MockServer,
    node_results: dict[tuple[str, str], dict[str, Any]],
    client: str,
    feature: str,
    only: str | None,
) -> None:
    if only and server.settings.flavor != only:
        pytest.skip(f"{client} targets the {only} flavor only")
    result = node_results.get((client, feature))
    expect(result is not None, client, feature, "no result line: the script did not run this feature")
    assert result is not None
    expect(result["ok"], client, feature, result["detail"])
