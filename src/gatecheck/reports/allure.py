"""Allure: extra files for ``allure-results/`` and the optional HTML build.

allure-pytest writes the results while the suites run; gatecheck adds an environment file
(target, profile, versions) and categories (conformance failure, harness error, not
applicable) so Allure groups results the way gatecheck reports them.  Building Allure's HTML
needs the ``allure`` CLI (an npm package); gatecheck itself never does, so its absence is a
clear message, not a failure of the run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gatecheck.errors import UsageError
from gatecheck.reports.atomic import write_json, write_text

__all__ = ["ALLURE_DIR", "AllureUnavailable", "build_allure_html", "write_allure_extras"]

ALLURE_DIR = "allure-results"
INSTALL_HINT = (
    "the 'allure' command is not installed. Install Allure 3 with Node.js: 'npm install -g allure' "
    "(or run 'npx allure generate ...'), then rerun 'gatecheck report allure RUN_DIR'. "
    "gatecheck's own report.html needs nothing extra."
)

_CATEGORIES = [
    {
        "name": "Not applicable (capability not claimed)",
        "matchedStatuses": ["skipped"],
        "messageRegex": ".*not applicable.*",
    },
    {"name": "Harness errors", "matchedStatuses": ["broken"]},
    {"name": "Conformance failures", "matchedStatuses": ["failed"]},
]


class AllureUnavailable(UsageError):
    """The allure CLI is missing or failed."""


def write_allure_extras(allure_dir: Path, results: Mapping[str, Any]) -> None:
    """environment.properties and categories.json for the run's allure-results folder."""
    if not allure_dir.is_dir():
        return
    env = {"gatecheck": results["run"]["gatecheck_version"], "run": results["run"]["id"]}
    for index, target in enumerate(results["targets"]):
        suffix = f".{index + 1}" if len(results["targets"]) > 1 else ""
        env[f"target{suffix}"] = target["label"]
        env[f"profile{suffix}"] = target["profile"]
        if target.get("mock"):
            env[f"mock.faults{suffix}"] = ",".join(target["mock"]["faults"]) or "none"
    for spec in results["specs"]:
        env[f"spec.{spec['name']}"] = spec["version"]
    lines = [f"{key}={str(value).replace(chr(10), ' ')}" for key, value in env.items()]
    write_text(allure_dir / "environment.properties", "\n".join(lines) + "\n")
    write_json(allure_dir / "categories.json", _CATEGORIES)


def _major_version(exe: str) -> int | None:
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)\.\d+", out)
    return int(match.group(1)) if match else None


def build_allure_html(run_dir: Path, output: Path | None = None, *, exe: str | None = None) -> Path:
    """Build Allure's single-file HTML report from ``run_dir/allure-results``; returns its folder."""
    run_dir = run_dir.resolve()  # allure 3 runs in a temporary folder (for its config file)
    results_dir = run_dir / ALLURE_DIR
    if not results_dir.is_dir():
        raise AllureUnavailable(f"{run_dir} has no {ALLURE_DIR}/ folder; is it a gatecheck run folder?")
    exe = exe or shutil.which("allure")
    if not exe:
        raise AllureUnavailable(INSTALL_HINT)
    output = (output or run_dir / "allure-report").resolve()
    if _major_version(exe) == 2:
        command = [exe, "generate", str(results_dir), "--single-file", "--clean", "-o", str(output)]
        return _run(command, output, cwd=None)
    with tempfile.TemporaryDirectory(prefix="gatecheck-allure-") as tmp:
        config = Path(tmp) / "allurerc.json"
        write_json(
            config,
            {
                "name": f"gatecheck {run_dir.name}",
                "output": str(output),
                "plugins": {"awesome": {"options": {"singleFile": True}}},
            },
        )
        command = [exe, "generate", str(results_dir), "--config", str(config), "--output", str(output)]
        return _run(command, output, cwd=Path(tmp))


def _run(command: list[str], output: Path, cwd: Path | None) -> Path:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=cwd)
    except (OSError, subprocess.SubprocessError) as exc:
        raise AllureUnavailable(f"running {command[0]} failed: {exc}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise AllureUnavailable(f"allure generate exited with {done.returncode}: {' | '.join(tail)}")
    return output
