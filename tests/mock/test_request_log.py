"""The request log: one line per request at INFO (method, path, status, ms, model, faults), no
key ever, and silent unless asked for, so fixtures and ``gatecheck run`` print nothing."""

from __future__ import annotations

import logging
import re
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

import httpx
import pytest

from gatecheck.mock.requestlog import LOGGER

if TYPE_CHECKING:
    from conftest import MockClient

CLI = [sys.executable, "-c", "from gatecheck.cli import main; main()", "mock"]
LINE = re.compile(r"^(GET|POST|PUT|DELETE) (/\S*) (\d{3}) (\d+\.\d)ms( model=\S+)?( fault=\S+)?$")


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_quiet_by_default(requesty: MockClient, caplog: pytest.LogCaptureFixture) -> None:
    assert requesty.chat().status == 200
    assert _lines(caplog) == []


def test_one_line_per_request_with_model_and_faults(
    openrouter: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    openrouter.chat()
    openrouter.faults("wrong-cost")
    openrouter.chat(model="no/such-model")
    openrouter.get("/models", key="sk-or-v1-should-never-be-logged")
    lines = _lines(caplog)
    assert len(lines) == 4, lines  # chat, PUT faults, chat, models
    assert all(LINE.match(line) for line in lines), lines
    assert lines[0].startswith("POST /api/v1/chat/completions 200 ")
    assert "model=openai/gpt-4o-mini" in lines[0]
    assert lines[2].startswith("POST /api/v1/chat/completions 404 ") and "fault=wrong-cost" in lines[2]
    assert openrouter.settings.api_key not in "".join(lines) and "sk-or-v1" not in "".join(lines)


def test_control_characters_cannot_forge_a_line(
    requesty: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    requesty.chat(model="fake\nPOST /v1/keys 200 1.0ms")
    (line,) = _lines(caplog)
    assert "\n" not in line and line.startswith("POST /v1/chat/completions 400 ")


@pytest.mark.slow  # a CLI subprocess
def test_cli_prints_one_line_per_request_at_info() -> None:
    key = "sk-cli-log-test-key-0123456789"
    proc = subprocess.Popen(
        [*CLI, "--port", "0", "--api-key", key, "--log-level", "info"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().split("serving ")[1].strip()
        headers = {"Authorization": f"Bearer {key}"}
        body = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
        statuses = [
            httpx.post(base + "/chat/completions", json=body, headers=headers).status_code,
            httpx.get(base + "/models", headers=headers).status_code,
            httpx.post(base + "/chat/completions", json={}, headers=headers).status_code,
        ]
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    lines = [line.split(" ", 1)[1] for line in err.splitlines() if " /v1/" in line]
    assert statuses == [200, 200, 400]
    assert [line.split()[:3] for line in lines] == [
        ["POST", "/v1/chat/completions", "200"],
        ["GET", "/v1/models", "200"],
        ["POST", "/v1/chat/completions", "400"],
    ], err
    assert "model=openai/gpt-4o-mini" in lines[0] and key not in err and "Traceback" not in err
