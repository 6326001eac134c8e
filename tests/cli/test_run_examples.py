"""The GitHub Actions recipes in examples/ work: their shell steps run here, against the mock.

Each workflow's ``run:`` steps are executed with bash the way the runner would (``uses:``
steps, which need GitHub, are skipped; ``${{ steps.X.outputs.Y }}`` and ``$GITHUB_OUTPUT`` /
``$GITHUB_STEP_SUMMARY`` behave as on GitHub), with the synthetic suites as the project.  Every
``gatecheck`` command line in them is also parsed by the real CLI, so a renamed flag breaks this
test rather than a user's pipeline.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from test_run_helpers import CHAT_SUITE, make_home

from gatecheck.cli import _attach, cli

pytestmark = pytest.mark.slow  # runs gatecheck or a suite in a subprocess

EXAMPLES = Path(__file__).parents[2] / "examples" / "github-actions"
_EXPRESSION = re.compile(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}")


def _job(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((EXAMPLES / name).read_text())
    (job,) = workflow["jobs"].values()
    return job


def _gatecheck_lines(script: str) -> list[str]:
    joined = script.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if re.match(r"\s*gatecheck\s", line)]


@pytest.mark.parametrize("name", ["gate.yml", "nightly.yml"])
def test_every_gatecheck_command_in_the_recipes_parses(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _attach()
    monkeypatch.setenv("GATECHECK_TARGET", "mock")
    monkeypatch.setenv("GATECHECK_PROFILE", "requesty")
    lines = [line for step in _job(name)["steps"] if "run" in step for line in _gatecheck_lines(step["run"])]
    assert lines, f"{name} runs no gatecheck command"
    for line in lines:
        words = shlex.split(os.path.expandvars(_EXPRESSION.sub("PLACEHOLDER", line)))
        words = words[: next((i for i, w in enumerate(words) if w in (">", "||", "&&", ";")), len(words))]
        words = [w for w in words if not w.startswith("${") and w != "$GATECHECK_EXTRA_ARGS"]
        group_ctx = cli.make_context("gatecheck", words[1:], resilient_parsing=True)
        command = cli.get_command(group_ctx, words[1])
        assert command is not None, line
        rest = words[2:]
        if isinstance(command, click.Group):
            command = command.get_command(group_ctx, rest[0])
            assert command is not None, line
            rest = rest[1:]
        command.make_context(words[1], rest)  # raises on an unknown flag or a bad value


class _Actions:
    """Just enough of a GitHub Actions runner for the run: steps of one job."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir, self.env = workdir, env
        self.summary = workdir / "step-summary.md"
        self.outputs: dict[str, dict[str, str]] = {}

    def run_job(self, job: dict[str, Any]) -> list[tuple[str, int]]:
        failed, codes = False, []
        for step in job["steps"]:
            if "run" not in step or "pip install" in step["run"]:
                continue
            if failed and "always()" not in str(step.get("if", "")):
                continue
            code = self._step(step)
            codes.append((step.get("name", step.get("id", "?")), code))
            failed = failed or code != 0
        return codes

    def _step(self, step: dict[str, Any]) -> int:
        output = self.workdir / "step-output.txt"
        output.write_text("")
        script = _EXPRESSION.sub(lambda m: self.outputs.get(m.group(1), {}).get(m.group(2), ""), step["run"])
        env = {**self.env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(self.summary)}
        done = subprocess.run(
            ["bash", "-e", "-c", script], cwd=self.workdir, env=env, capture_output=True, text=True
        )
        if "id" in step:
            pairs = (line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            self.outputs[step["id"]] = dict(pairs)
        return done.returncode


@pytest.fixture
def actions(tmp_path: Path) -> _Actions:
    home = make_home(
        tmp_path / "home", {"chat": {"test_chat.py": CHAT_SUITE}}
    )  # one suite: half the processes
    workdir = tmp_path / "repo"
    workdir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GATECHECK_HOME": str(home),
        "GATECHECK_TARGET": "mock",
        "GATECHECK_PROFILE": "requesty",
        "GATECHECK_EXTRA_ARGS": "",
        "GATEWAY_API_KEY": "",
        "KEEP_RUNS": "14",
    }
    return _Actions(workdir, env)


def test_the_gate_recipe_passes_a_conformant_gateway_and_stops_a_broken_one(actions: _Actions) -> None:
    job = _job("gate.yml")
    assert actions.run_job(job)[-1] == ("Gate on the verdict", 0)
    assert "# gatecheck: PASS" in actions.summary.read_text()
    actions.env["GATECHECK_EXTRA_ARGS"] = "--mock-fault omit-usage-cost"
    assert actions.run_job(job)[-1] == ("Gate on the verdict", 1)
    assert "chat::test_chat::test_cost_is_reported" in actions.summary.read_text()


def test_the_nightly_recipe_keeps_history_and_reports_drift(actions: _Actions) -> None:
    job = _job("nightly.yml")
    first = actions.run_job(job)
    assert first[-1] == ("Fail on regressions or harness errors", 0)
    assert "No previous run" in actions.summary.read_text()
    actions.env["GATECHECK_EXTRA_ARGS"] = "--mock-fault omit-usage-cost"
    second = actions.run_job(job)
    assert second[-1] == ("Fail on regressions or harness errors", 1)
    latest = actions.workdir / "reports" / "latest"
    drift = (latest / "drift.md").read_text()
    assert "## Newly failing (1)" in drift and "chat::test_chat::test_cost_is_reported" in drift
    assert "<svg" in (latest / "drift.html").read_text()  # pass rate over the two nights
    history = (actions.workdir / "reports" / "history" / "index.jsonl").read_text().splitlines()
    assert len(history) == 2
