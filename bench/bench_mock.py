"""Benchmark the mock gateway on loopback, beside Prism and nginx when they are installed.

Run by hand (not part of the test suite):

    .venv/bin/python bench/bench_mock.py [--duration 10] [--connections 16] [--threads 1]
        [--rounds 3] [--slow-streams 1000] [--skip-external] [--markdown]

Each server runs in its own process, started here and stopped at the end.  The load generator
is wrk when it is on PATH (``apt-get install -y wrk nginx``; Prism: ``npm i -g
@stoplight/prism-cli``), else a pure-Python httpx generator, which saturates a CPU itself and so
understates every server.  Measured side by side: non-streaming chat req/s with p50/p99 latency
(mock; the same app with accounting stubbed; a bare ASGI app on uvicorn, the ceiling of any
Python server here; Prism serving specs/requesty/openapi.yaml; nginx serving a static answer of
the same size), each server's CPU time per request (all its processes and threads, from /proc:
steadier than req/s on a shared machine), 50-chunk streams per second, and 1,000 concurrent
slow streams checked for lost chunks.  ``--rounds`` repeats the chat comparison interleaved and
reports each server's median round.  The last lines judge the issue's two throughput aims.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
KEY, ADMIN = "sk-bench-0123456789abcdef", "gc-admin-bench-0123456789"
CHAT = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "What is an LLM gateway?"}]}
STREAM = {**CHAT, "stream": True, "max_tokens": 48}  # role + 48 tokens + finish = 50 chunks, then [DONE]
STREAM_CHUNKS = 50


@dataclass(frozen=True)
class Load:
    """How hard each load run pushes: wrk threads, open connections, seconds."""

    seconds: int
    connections: int
    threads: int


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    note: str = ""
    requests: int = 0
    cpu_us: float | None = None  # the server's CPU time (all its processes and threads) per request


# ---------------------------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(command: list[str], port: int, *, cwd: Path = ROOT, startup: float = 30.0) -> Iterator[int]:
    """Run ``command`` until the block ends; yields its pid once ``port`` accepts connections."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + startup
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start on port {port}")
            time.sleep(0.1)
        yield proc.pid
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process and all its descendants so far (Linux), else None."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            if current == pid:
                return None
    return total / ticks


# The Python ceiling: a bare ASGI app (no framework, no work) on uvicorn with the mock's settings,
# answering every request with a body as large as the mock's.  No Python server that does anything
# per request can be faster on this machine.
_RAW = """
import sys, uvicorn
from gatecheck.mock.server import uvicorn_config

BODY = b'{"answer":"' + b"x" * 900 + b'"}'
HEAD = {"type": "http.response.start", "status": 200,
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]}

async def app(scope, receive, send):
    if scope["type"] == "http":
        await receive()
        await send(HEAD)
        await send({"type": "http.response.body", "body": BODY})

config = uvicorn_config(app, "127.0.0.1", int(sys.argv[1]))
config.lifespan = "off"
uvicorn.Server(config).run()
"""


def raw_command(port: int) -> list[str]:
    return [sys.executable, "-c", _RAW, str(port)]


# The inference plane alone: the same app with accounting stubbed out (no sqlite reads or writes).
# Not a configuration anyone should run; it shows how much of a request the store costs.
_STUB = """
import sys, uvicorn
from gatecheck.mock.accounts import Principal
from gatecheck.mock.app import create_app
from gatecheck.mock.server import uvicorn_config
from gatecheck.mock.settings import MockSettings

class Stub:
    def authenticate(self, token, role, **kw): return Principal("bench", role)
    def authorize_inference(self, *args): return None
    def record(self, *args): return None
    async def arecord(self, *args): return None
    def reset(self): return None
    def close(self): return None

app = create_app(MockSettings(api_key=sys.argv[2], admin_key=sys.argv[3]))
app.state.mock.accounts = Stub()
uvicorn.Server(uvicorn_config(app, "127.0.0.1", int(sys.argv[1]))).run()
"""


def stub_command(port: int) -> list[str]:
    return [sys.executable, "-c", _STUB, str(port), KEY, ADMIN]


def mock_command(port: int, config: Path | None = None) -> list[str]:
    command = [sys.executable, "-c", "from gatecheck.cli import main; main()", "mock", "--flavor", "requesty"]
    command += ["--port", str(port), "--api-key", KEY, "--admin-key", ADMIN]
    return command + (["--config", str(config)] if config else [])


# ---------------------------------------------------------------------------------------------- load


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(name: str, url: str, body: Mapping[str, Any] | None, how: Load) -> Result:
    """One wrk run; POSTs ``body`` as JSON with the bench key, or GETs when it is None."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if body is not None:
            script.write(f"wrk.method = 'POST'\nwrk.body = [[{json.dumps(body)}]]\n")
            script.write("wrk.headers['Content-Type'] = 'application/json'\n")
        script.write(f"wrk.headers['Authorization'] = 'Bearer {KEY}'\n")
    command = ["wrk", f"-t{how.threads}", f"-c{how.connections}", f"-d{how.seconds}s", "--latency"]
    command += ["-s", script.name, url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    percentile = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Result(
        name,
        float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        _ms(percentile["50"]),
        _ms(percentile["99"]),
        int(errors.group(1)) if errors else 0,
        "wrk",
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
    )


async def _python_load(url: str, body: Mapping[str, Any] | None, seconds: int, connections: int) -> Result:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections)
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=30) as client:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                start = time.perf_counter()
                reply = await (client.post(url, json=body) if body is not None else client.get(url))
                latencies.append((time.perf_counter() - start) * 1000)
                errors += reply.status_code >= 300

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return Result("", len(latencies) / elapsed, cuts[49], cuts[98], errors, "python httpx", len(latencies))


def load(name: str, url: str, body: Mapping[str, Any] | None, how: Load, server: int | None = None) -> Result:
    """One load run; with the ``server`` pid, also the server's CPU time per request."""
    before = cpu_seconds(server) if server else None
    if shutil.which("wrk"):
        result = wrk(name, url, body, how)
    else:
        result = asyncio.run(_python_load(url, body, how.seconds, how.connections))
        result.name = name
    after = cpu_seconds(server) if server else None
    if before is not None and after is not None and result.requests:
        result.cpu_us = (after - before) / result.requests * 1e6
    return result


# ---------------------------------------------------------------------------------------------- streams


async def _one_slow_stream(port: int, payload: bytes) -> tuple[int, bool]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + payload)
    await writer.drain()
    raw = await reader.read(-1)
    writer.close()
    return raw.count(b"data: {"), b"data: [DONE]" in raw


async def _slow_streams(port: int, count: int) -> tuple[int, int, float]:
    payload = json.dumps(STREAM).encode()
    began = time.perf_counter()
    results = await asyncio.gather(*(_one_slow_stream(port, payload) for _ in range(count)))
    lost = sum(STREAM_CHUNKS - chunks for chunks, _ in results)
    complete = sum(1 for chunks, done in results if done and chunks == STREAM_CHUNKS)
    return complete, lost, time.perf_counter() - began


def check_stream_shape(base: str) -> None:
    reply = httpx.post(base + "/chat/completions", json=STREAM, headers={"Authorization": f"Bearer {KEY}"})
    chunks = reply.text.count("data: {")
    assert chunks == STREAM_CHUNKS and "data: [DONE]" in reply.text, f"a stream had {chunks} chunks"


# ---------------------------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line),
        "0",
    )
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical CPUs",
        "memory": f"{int(memory) // 1024 // 1024} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def table(results: list[Result], markdown: bool) -> str:
    head = ("benchmark", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "errors", "generator")
    rows = [
        (
            r.name,
            f"{r.rps:,.0f}",
            f"{r.p50_ms:.2f}" if r.p50_ms is not None else "-",
            f"{r.p99_ms:.2f}" if r.p99_ms is not None else "-",
            f"{r.cpu_us:.0f}" if r.cpu_us is not None else "-",
            str(r.errors),
            r.note,
        )
        for r in results
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    widths = [max(len(str(x)) for x in column) for column in zip(head, *rows, strict=True)]
    return "\n".join(
        "  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)) for row in (head, *rows)
    )


def bench_mock(how: Load) -> list[Result]:
    """Non-streaming chat (auth and usage accounting on), 50-chunk streams, and the health route."""
    port = free_port()
    with serving(mock_command(port), port) as pid:
        base, root = f"http://127.0.0.1:{port}/v1", f"http://127.0.0.1:{port}"
        check_stream_shape(base)
        chat = load("mock: chat, non-streaming", base + "/chat/completions", CHAT, how, pid)
        streams = load("mock: 50-chunk streams", base + "/chat/completions", STREAM, how, pid)
        streams.note += f"; {streams.rps * STREAM_CHUNKS:,.0f} chunks/s"
        health = load("mock: GET /_mock/health", root + "/_mock/health", None, how, pid)
        return [chat, streams, health]


def bench_mock_chat(how: Load) -> list[Result]:
    port = free_port()
    with serving(mock_command(port), port) as pid:
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        return [load("mock: chat, non-streaming", url, CHAT, how, pid)]


def bench_stub(how: Load) -> list[Result]:
    port = free_port()
    with serving(stub_command(port), port) as pid:
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        return [load("mock, accounting stubbed: chat", url, CHAT, how, pid)]


def bench_raw(how: Load) -> list[Result]:
    port = free_port()
    with serving(raw_command(port), port) as pid:
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        return [load("bare ASGI app on uvicorn (Python ceiling)", url, CHAT, how, pid)]


def bench_prism(how: Load) -> list[Result]:
    if not shutil.which("prism"):
        return []
    port = free_port()
    spec = ROOT / "specs" / "requesty" / "openapi.yaml"
    with serving(["prism", "mock", "-v", "error", "-p", str(port), str(spec)], port, startup=60) as pid:
        url = f"http://127.0.0.1:{port}/chat/completions"
        return [load("prism: chat, non-streaming", url, CHAT, how, pid)]


def bench_nginx(how: Load) -> list[Result]:
    """nginx serving a static file as large as the mock's chat answer: the loopback ceiling."""
    if not shutil.which("nginx"):
        return []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # nginx workers run as an unprivileged user
        port = free_port()
        (root / "chat.json").write_text(json.dumps({"answer": "x" * 900}))
        conf = root / "nginx.conf"
        conf.write_text(
            f"worker_processes auto; pid {root}/nginx.pid; error_log {root}/error.log; daemon off;\n"
            "events { worker_connections 4096; }\n"
            f"http {{ access_log off; client_body_temp_path {root}/body; proxy_temp_path {root}/proxy;\n"
            f"fastcgi_temp_path {root}/fcgi; uwsgi_temp_path {root}/uwsgi; scgi_temp_path {root}/scgi;\n"
            f"server {{ listen 127.0.0.1:{port};\n"
            f"location / {{ root {root}; default_type application/json; }} }} }}\n"
        )
        with serving(["nginx", "-c", str(conf)], port) as pid:
            url = f"http://127.0.0.1:{port}/chat.json"
            return [load("nginx: static file (ceiling)", url, None, how, pid)]


def bench_slow_streams(count: int) -> list[Result]:
    """``count`` concurrent streams paced at 0.2 s + 49 x 50 ms; every chunk must arrive."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "slow.yaml"
        config.write_text("delays: {first_token: 0.2, chunk_gap: 0.05}\n")
        port = free_port()
        with serving(mock_command(port, config), port):
            complete, lost, wall = asyncio.run(_slow_streams(port, count))
    note = f"{complete} complete, {lost} chunks lost, {wall:.1f} s wall"
    return [Result(f"mock: {count} concurrent slow streams", complete / wall, note=note)]


def median_of(rounds: list[list[Result]]) -> list[Result]:
    """Per benchmark, the round with the median req/s (the load on a shared VM drifts)."""
    by_name: dict[str, list[Result]] = {}
    for result in (r for results in rounds for r in results):
        by_name.setdefault(result.name, []).append(result)
    picked = []
    for runs in by_name.values():
        runs.sort(key=lambda r: r.rps)
        middle = runs[(len(runs) - 1) // 2]
        if len(runs) > 1:
            middle.note += f"; median of {len(runs)}: " + ", ".join(f"{r.rps:,.0f}" for r in runs)
        picked.append(middle)
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat the chat comparison, interleaved; report medians"
    )
    parser.add_argument("--slow-streams", type=int, default=1000, help="0 skips the slow-stream run")
    parser.add_argument("--skip-external", action="store_true", help="do not run Prism or nginx")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    how = Load(args.duration, args.connections, args.threads)
    load_average = " ".join(f"{x:.2f}" for x in os.getloadavg())

    # the side-by-side chat comparison, interleaved so drifting load hits every server alike
    chat = [bench_mock_chat, bench_stub, bench_raw] + (
        [] if args.skip_external else [bench_prism, bench_nginx]
    )
    rounds = [[r for bench in chat for r in bench(how)] for _ in range(args.rounds)]
    results = median_of(rounds)
    results += bench_mock(how)[1:]  # streams and the health floor, once
    if args.slow_streams:
        results += bench_slow_streams(args.slow_streams)

    print("\n".join(f"{k}: {v}" for k, v in machine().items()))
    print(f"load average at start: {load_average}")
    print(f"wrk: -t{how.threads} -c{how.connections} -d{how.seconds}s")
    print()
    print(table(results, args.markdown))
    print()
    print(aims(results))


def aims(results: list[Result]) -> str:
    """The issue's two throughput aims, judged on this run's own Prism and nginx figures."""
    rps = {r.name: r.rps for r in results}
    cpu = {r.name: r.cpu_us for r in results}
    mock = rps.get("mock: chat, non-streaming", 0.0)
    lines = []
    if prism := rps.get("prism: chat, non-streaming"):
        met = "met" if mock >= 4 * prism else "NOT met"
        lines.append(f"chat >= 4x Prism: {mock:,.0f} vs {prism:,.0f} req/s = {mock / prism:.2f}x ({met})")
        mock_cpu, prism_cpu = cpu.get("mock: chat, non-streaming"), cpu.get("prism: chat, non-streaming")
        if mock_cpu and prism_cpu:
            lines.append(f"  per CPU second: the mock serves {prism_cpu / mock_cpu:.2f}x Prism's requests")
    if nginx := rps.get("nginx: static file (ceiling)"):
        met = "met" if mock >= 0.1 * nginx else "NOT met"
        lines.append(f"chat >= 10% of nginx: {mock:,.0f} vs {nginx:,.0f} req/s = {mock / nginx:.1%} ({met})")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
