"""gatecheck.files: each hazard a user's file can hold, refused in one line naming the file.

The property test beside this file (test_files_property.py, slow) fuzzes every loader; these
are the named cases, quick enough for every edit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatecheck import files
from gatecheck.cli import cli
from gatecheck.config import load_config
from gatecheck.errors import ConfigError, GatecheckError, SpecLoadError
from gatecheck.files import MAX_ALIAS_NODES, MAX_DEPTH, FileLoadError
from gatecheck.reports.baseline import BaselineError, load_baseline
from gatecheck.reports.results import ResultsFileError, load_results
from gatecheck.specs.registry import load_spec

#: Nine lines that expand to 10^9 nodes: 130 s and 5.9 GB before gatecheck.files measured aliases.
BILLION_LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_a_billion_laughs_is_refused_before_anything_expands_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "bomb.yaml", BILLION_LAUGHS)
    with pytest.raises(
        FileLoadError, match=rf"bomb\.yaml: YAML aliases expand .* \(limit {MAX_ALIAS_NODES:,}\)"
    ):
        files.load_yaml(path)


def test_aliases_within_the_limit_load_as_before(tmp_path: Path) -> None:
    path = _write(tmp_path, "ok.yaml", "base: &b {type: string}\nuse: [*b, *b]\nday: 2024-01-01\n")
    assert files.load_yaml(path) == {
        "base": {"type": "string"},
        "use": [{"type": "string"}] * 2,
        "day": "2024-01-01",
    }


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileLoadError, match="recursive document"):
        files.load_yaml(_write(tmp_path, "loop.yaml", "a: &a [1, *a]\n"))


def _nested(syntax: str, levels: int) -> str:
    if syntax == "toml":  # the top-level table is the first level
        return "a = " + "[" * (levels - 1) + "]" * (levels - 1)
    if syntax == "json":
        return '{"a": ' * levels + "1" + "}" * levels
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("syntax", ["yaml", "json", "toml"])
def test_nesting_up_to_the_limit_loads_and_one_more_level_is_refused(tmp_path: Path, syntax: str) -> None:
    load = files.load_toml if syntax == "toml" else files.load_data
    load(_write(tmp_path, f"ok.{syntax}", _nested(syntax, MAX_DEPTH)))
    with pytest.raises(FileLoadError, match=f"nested more than {MAX_DEPTH} levels deep"):
        load(_write(tmp_path, f"deep.{syntax}", _nested(syntax, MAX_DEPTH + 1)))


def test_nesting_too_deep_for_the_parser_itself_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileLoadError, match="nested too deeply to read"):
        files.load_json(_write(tmp_path, "deeper.json", "[" * 100_000 + "]" * 100_000))


def test_a_file_over_the_size_cap_is_refused_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1024 * 1024)
    with pytest.raises(FileLoadError, match=r"/dev/zero: is larger than 1 MiB"):
        files.read_text(Path("/dev/zero"))  # endless: only the cap is read


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, ": does not exist"),
        ("folder", ": is a folder, not a file"),
        (b"a: \xe9t\xe9\n", r": is not UTF-8 text \(invalid continuation byte at byte 3\)"),
        ("a: [1, 2\n", ":2:1: invalid YAML"),
        ("!!int " + "9" * 5000, ": invalid YAML: Exceeds the limit"),
    ],
)
def test_os_decoding_and_parse_problems_name_the_file_in_one_line(
    tmp_path: Path, content: str | bytes | None, problem: str
) -> None:
    path = tmp_path / "x.yaml"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        _write(tmp_path, "x.yaml", content)
    with pytest.raises(FileLoadError, match=f"^profile file {re.escape(str(path))}{problem}") as caught:
        files.load_yaml(path, what="profile file")
    assert "\n" not in str(caught.value)


def test_each_caller_keeps_its_own_error_type(tmp_path: Path) -> None:
    bomb = _write(tmp_path, "bomb.yaml", BILLION_LAUGHS)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match=f"config file {folder}: is a folder"):
        load_config(folder)
    with pytest.raises(BaselineError, match=r"baseline .*bomb\.yaml: YAML aliases expand"):
        load_baseline(bomb)
    with pytest.raises(SpecLoadError, match=r"bomb\.yaml: YAML aliases expand"):
        load_spec(str(bomb))
    with pytest.raises(ResultsFileError, match=r"results\.json:1:1: invalid JSON"):
        load_results(_write(tmp_path, "results.json", "\x00"))


@pytest.mark.parametrize(
    "document",
    [
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: [1, 2]\n",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {/x: {post: {responses: true}}}\n",
    ],
)
def test_a_spec_of_the_wrong_shape_is_a_spec_error_not_a_crash(tmp_path: Path, document: str) -> None:
    path = _write(tmp_path, f"shape{len(document)}.yaml", document)
    try:
        spec = load_spec(str(path))
    except GatecheckError as exc:
        assert str(path) in str(exc)
    else:
        assert spec.problems, "a document of the wrong shape loaded clean"


def test_the_cli_reports_a_bad_file_in_one_line_with_exit_2(tmp_path: Path) -> None:
    bomb = _write(tmp_path, "bomb.yaml", BILLION_LAUGHS)
    result = CliRunner().invoke(cli, ["specs", "lint", str(bomb)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"gatecheck: error: {bomb}: YAML aliases expand")
    assert result.stderr.count("\n") == 1
