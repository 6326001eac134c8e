"""The real server: uvicorn on loopback, the official openai SDK, chunk timing, the CLI."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from gatecheck.cli.mock import _bind, load_config, settings_from
from gatecheck.errors import ConfigError, UnknownNameError
from gatecheck.mock.faults import FAULTS
from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings

CLI = [sys.executable, "-c", "from gatecheck.cli import main; main()", "mock"]
USER = [{"role": "user", "content": "What is an LLM gateway?"}]


@pytest.fixture(scope="module", params=["requesty", "openrouter"])
def server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    with MockServer(MockSettings(flavor=request.param)) as running:
        yield running


@pytest.fixture(scope="module")
def paced() -> Iterator[MockServer]:
    with MockServer(MockSettings(flavor="openrouter", chunk_gap=0.04)) as running:
        yield running


def _client(server: MockServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key=server.settings.api_key, max_retries=0)


def test_server_urls_and_health(server: MockServer) -> None:
    assert server.base_url == server.root_url + server.settings.prefix
    health = httpx.get(server.root_url + "/_mock/health").json()
    prefix = server.settings.prefix
    assert (
        health["status"] == "ok" and health["flavor"] == server.settings.flavor and health["prefix"] == prefix
    )
    for path in [prefix, *health["regions"].values()]:  # Requesty's EU router: the same API under /eu/v1
        reply = httpx.get(
            server.root_url + path + "/models", headers={"Authorization": f"Bearer {server.settings.api_key}"}
        )
        assert reply.status_code == 200
    assert ("eu" in health["regions"]) == (server.settings.flavor == "requesty")


def test_openai_sdk_chat_and_models(server: MockServer) -> None:
    client = _client(server)
    completion = client.chat.completions.create(model="openai/gpt-4o-mini", messages=USER, max_tokens=9)
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage is not None and completion.usage.completion_tokens == 9
    assert completion.model_extra is not None or completion.usage.model_extra is not None
    ids = [m.id for m in client.models.list()]
    assert "openai/gpt-4o-mini" in ids and "anthropic/claude-sonnet-4-20250514" in ids


def test_openai_sdk_streaming_with_usage(server: MockServer) -> None:
    stream = _client(server).chat.completions.create(
        model="openai/gpt-4o-mini", messages=USER, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    usage = chunks[-1].usage
    assert text.startswith("Mock answer") and chunks[-1].choices == []
    assert usage is not None and usage.completion_tokens > 0
    assert (usage.model_extra or {}).get("cost", 0) > 0


def test_openai_sdk_embeddings(server: MockServer) -> None:
    result = _client(server).embeddings.create(model="openai/text-embedding-3-small", input=["a", "b"])
    assert [d.index for d in result.data] == [0, 1]
    assert len(result.data[0].embedding) == 1536


def test_openai_sdk_sees_errors_as_exceptions(server: MockServer) -> None:
    client = openai.OpenAI(base_url=server.base_url, api_key="sk-not-a-real-key-00000", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model="openai/gpt-4o-mini", messages=USER)


def _reads(server: MockServer) -> list[bytes]:
    """The raw reads of one streamed answer: how the bytes reached the client, not when."""
    body = {"model": "openai/gpt-4o-mini", "messages": USER, "stream": True, "max_tokens": 6}
    headers = {"Authorization": f"Bearer {server.settings.api_key}"}
    with httpx.stream("POST", server.base_url + "/chat/completions", json=body, headers=headers) as response:
        return list(response.iter_raw())


def test_chunks_arrive_as_they_are_produced_and_buffered_stream_does_not(paced: MockServer) -> None:
    # 9 frames 40 ms apart: they reach the client in several reads, unless the client stalls for
    # the whole stream; a buffered stream arrives in one write, so in at most two reads.
    assert len(_reads(paced)) >= 3
    admin = {"Authorization": f"Bearer {paced.settings.admin_key}"}
    httpx.put(paced.root_url + "/_mock/faults", json={"faults": ["buffered-stream"]}, headers=admin)
    try:
        buffered = _reads(paced)
    finally:
        httpx.post(paced.root_url + "/_mock/reset", headers=admin)
    assert len(buffered) <= 2 and b"[DONE]" in b"".join(buffered)


async def _stream_all(server: MockServer, count: int) -> list[int]:
    body = {"model": "openai/gpt-4o-mini", "messages": USER, "stream": True, "max_tokens": 8}
    headers = {"Authorization": f"Bearer {server.settings.api_key}"}
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(
        base_url=server.base_url, headers=headers, limits=limits, timeout=30
    ) as client:

        async def one() -> int:
            reply = await client.post("/chat/completions", json=body)
            return sum(1 for line in reply.text.splitlines() if line.startswith("data: {"))

        return await asyncio.gather(*(one() for _ in range(count)))


def test_concurrent_paced_streams_lose_no_chunk(paced: MockServer) -> None:
    counts = asyncio.run(_stream_all(paced, 100))
    assert counts == [11] * 100  # role + 8 tokens + finish + usage (OpenRouter always sends it), every one


# ---------------------------------------------------------------------------------------------- CLI


@pytest.mark.slow
def test_cli_serves_until_interrupted_and_masks_given_keys() -> None:
    key = "sk-cli-test-key-0123456789"
    proc = subprocess.Popen(
        [*CLI, "--flavor", "openrouter", "--port", "0", "--api-key", key],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline() for _ in range(5)]
        base = banner[0].split("serving ")[1].strip()
        reply = httpx.post(
            base + "/chat/completions",
            json={"model": "openai/gpt-4o-mini", "messages": USER},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert reply.status_code == 200 and base.endswith("/api/v1")
        assert key not in "".join(banner) and "sk-cli" in banner[2]
        assert "gc-admin-" in banner[3]  # generated: shown in full
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_cli_socket_accepts_connections_before_the_banner_is_printed() -> None:
    """The banner says "serving" right after ``_bind``: a client may connect before uvicorn runs."""
    sock = _bind("127.0.0.1", 0)
    try:
        with socket.create_connection(sock.getsockname(), timeout=10):
            pass  # queued by the kernel: refused only if the socket were not listening
    finally:
        sock.close()


@pytest.mark.slow
def test_cli_list_faults_reads_the_registry() -> None:
    out = subprocess.run([*CLI, "--list-faults"], capture_output=True, text=True, check=True).stdout
    assert [line.split()[0] for line in out.splitlines() if not line.startswith(" ")] == list(FAULTS)
    entry = out.split("\nno-done-sentinel ")[1].split("\n")
    assert entry[1] == "    breaks: stream.done"
    assert "caught by streaming (requesty): test_done_sentinel_ends_the_stream" in entry[2]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [(["--fault", "nope"], "unknown fault mode 'nope'"), (["--config", "/no/such.yaml"], "does not exist")],
)
def test_cli_usage_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_config_file_is_validated_and_applied(tmp_path: Path) -> None:
    good = tmp_path / "mock.yaml"
    good.write_text(
        json.dumps(
            {
                "faults": ["wrong-cost"],
                "fault_plan": [{"model": "openai/gpt-4o", "failure": 429, "count": 1}],
                "fallback_policies": {"safe": ["openai/gpt-4o", "openai/gpt-4o-mini"]},
                "delays": {"first_token": 0.5, "chunk_gap": 0.01},
                "rate_limit": 60,
            }
        )
    )
    settings = settings_from("requesty", load_config(good), ("no-fallback",), api_key="k1", admin_key="k2")
    assert settings.faults == {"wrong-cost", "no-fallback"} and settings.rate_limit == 60
    assert settings.first_token_delay == 0.5 and settings.fallback_policies["safe"][0] == "openai/gpt-4o"
    assert settings.api_key == "k1"
    for text, where in [
        ("delays: {first_token: fast}", "delays/first_token"),
        ("fault_plan: [{model: m, failure: 418}]", "fault_plan[0].failure"),
        ("rate_limit: 0", "rate_limit"),
        ("colour: blue", "colour"),
        ("faults: [", "invalid YAML"),
    ]:
        good.write_text(text)
        with pytest.raises(ConfigError, match=where.replace("[", r"\[")):
            load_config(good)
    with pytest.raises(UnknownNameError):
        settings_from("requesty", {"faults": ["nope"]})
