"""Allure extras and the optional HTML build: a clear message without the CLI, the right call with it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from reports_factory import record, results

from gatecheck.reports.allure import AllureUnavailable, build_allure_html, write_allure_extras


def _run_dir(tmp_path: Path) -> Path:
    run_dir = tmp_path / "run"
    (run_dir / "allure-results").mkdir(parents=True)
    write_allure_extras(run_dir / "allure-results", results([record("s::m::test_a")]))
    return run_dir


def test_extras_describe_the_target_and_categories(tmp_path: Path) -> None:
    folder = _run_dir(tmp_path) / "allure-results"
    properties = (folder / "environment.properties").read_text()
    assert (
        "target=mock" in properties and "profile=requesty" in properties and "spec.requesty=1.0" in properties
    )
    names = [c["name"] for c in json.loads((folder / "categories.json").read_text())]
    assert names[0].startswith("Not applicable")


def test_without_the_allure_cli_the_message_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(AllureUnavailable, match="npm install -g allure"):
        build_allure_html(_run_dir(tmp_path))
    with pytest.raises(AllureUnavailable, match="no allure-results/ folder"):
        build_allure_html(tmp_path)


def _fake_allure(tmp_path: Path, version: str) -> Path:
    """Stands in for the allure CLI: prints a version, records its arguments and config."""
    exe = tmp_path / "bin" / "allure"
    exe.parent.mkdir(exist_ok=True)
    exe.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo {version}; exit 0; fi\n'
        f'echo "$@" > "{tmp_path}/args.txt"\n'
        'while [ $# -gt 0 ]; do if [ "$1" = "--config" ]; then cp "$2" '
        f'"{tmp_path}/config.json"; fi; shift; done\n'
    )
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return exe


def test_allure_3_is_called_with_a_single_file_config(tmp_path: Path) -> None:
    run_dir = _run_dir(tmp_path)
    built = build_allure_html(run_dir, exe=str(_fake_allure(tmp_path, "3.0.0")))
    assert built == run_dir / "allure-report"
    args = (tmp_path / "args.txt").read_text().split()
    assert args[:2] == ["generate", str(run_dir / "allure-results")] and "--output" in args
    assert json.loads((tmp_path / "config.json").read_text())["plugins"]["awesome"]["options"] == {
        "singleFile": True
    }


def test_allure_2_gets_its_own_flags(tmp_path: Path) -> None:
    run_dir = _run_dir(tmp_path)
    build_allure_html(run_dir, tmp_path / "out", exe=str(_fake_allure(tmp_path, "2.32.0")))
    assert (tmp_path / "args.txt").read_text().split() == [
        "generate",
        str(run_dir / "allure-results"),
        "--single-file",
        "--clean",
        "-o",
        str(tmp_path / "out"),
    ]


def test_the_report_allure_command_reports_a_missing_cli_as_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from gatecheck.cli import _attach, cli

    _attach()
    monkeypatch.setenv("PATH", str(tmp_path / "empty") + os.pathsep)
    result = CliRunner().invoke(cli, ["report", "allure", str(_run_dir(tmp_path))])
    assert result.exit_code == 2 and "npm install -g allure" in result.stderr
