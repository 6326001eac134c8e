"""``--mock-rate-limit-every`` from the command line: ``gatecheck run`` and ``gatecheck mock``.

A run against a mock that answers every Nth inference request 429 first gives the verdicts of a
run without, records the waits on its tests and says in results.json how the mock was limited;
the flags are refused, in one line, for a real gateway; ``gatecheck mock`` serves the 429s.
"""

from __future__ import annotations

import email.utils
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from test_run_helpers import gatecheck

REAL = ("--target", "https://gateway.example/v1", "--profile", "openai", "--api-key-env", "RL_TEST_KEY")
#: Small plain and streamed token-count scenarios of the real cost suite: a few inference requests.
SELECTION = ("--suites", "cost", "-k", "usage_adds_up", "--seed", "5")


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (("--mock-rate-limit-every", "3"), "--mock-rate-limit-every only apply to the built-in mock"),
        (
            ("--mock-rate-limit-every", "3", "--mock-retry-after-form", "date"),
            "--mock-rate-limit-every and --mock-retry-after-form only apply to the built-in mock",
        ),
    ],
)
def test_the_flags_are_refused_for_a_real_gateway(
    flags: tuple[str, ...], says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RL_TEST_KEY", "sk-not-used-0000")
    outcome = gatecheck("run", *REAL, *flags)
    assert outcome.exit_code == 2, outcome.stdout + outcome.stderr
    assert says in outcome.stderr and "gateway.example" in outcome.stderr
    assert "Traceback" not in outcome.stderr and len(outcome.stderr.strip().splitlines()) == 1


def test_a_retry_after_form_alone_is_refused() -> None:
    outcome = gatecheck("run", "--mock-retry-after-form", "date")
    assert outcome.exit_code == 2 and "give both or neither" in outcome.stderr, outcome.stderr
    assert gatecheck("run", "--mock-rate-limit-every", "0").exit_code == 2  # click's own range check


@pytest.mark.slow
def test_a_rate_limited_run_keeps_its_verdicts_and_records_the_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    clean = gatecheck("run", *SELECTION)
    limited = gatecheck("run", *SELECTION, "--mock-rate-limit-every", "2", "--mock-retry-after-form", "date")
    assert clean.exit_code == limited.exit_code == 0, limited.stdout + limited.stderr
    assert limited.outcomes() == clean.outcomes() and "passed" in clean.outcomes().values()
    mock = limited.results["targets"][0]["mock"]
    assert mock["rate_limit"] == {"every": 2, "retry_after": "date"}
    assert "rate_limit" not in clean.results["targets"][0]["mock"]
    retries = [t["metrics"].get("rate_limit_retries", 0) for t in limited.results["tests"]]
    assert sum(retries) >= 2, retries  # every second inference request was refused once
    assert "Rate limits waited out" in (limited.run_dir / "summary.md").read_text()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_gatecheck_mock_answers_every_nth_inference_request_429_first() -> None:
    key = "gc-mock-rate-limited-0001"
    command = [sys.executable, "-c", "from gatecheck.cli import main; main()", "mock", "--port", "0"]
    command += ["--api-key", key, "--rate-limit-every", "2", "--retry-after-form", "date"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().split()[-1]  # "gatecheck mock (requesty) serving http://...:PORT/v1"
        banner = [proc.stdout.readline() for _ in range(4)]
        assert any("1 in 2 inference requests answered 429 first (Retry-After as date)" in b for b in banner)
        body = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            statuses = [client.post("/chat/completions", json=body) for _ in range(4)]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        assert proc.stdout is not None
        proc.stdout.close()
    assert [r.status_code for r in statuses] == [200, 429, 200, 429]
    assert email.utils.parsedate_to_datetime(statuses[1].headers["retry-after"]) is not None
