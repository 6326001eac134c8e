"""Stable ids and shards: the same test gets the same id and shard on every machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatecheck.errors import UsageError
from gatecheck.runner.ids import Shard, in_shard, parse_shard, stable_id


def test_the_id_is_relative_to_the_suite_and_keeps_classes_and_params(tmp_path: Path) -> None:
    suite_dir = tmp_path / "checkout" / "suites" / "errors"
    path = suite_dir / "sub" / "test_envelope.py"
    nodeid = "suites/errors/sub/test_envelope.py::TestAuth::test_bad_key[openai-401]"
    assert (
        stable_id("errors", suite_dir, path, nodeid)
        == "errors::sub/test_envelope::TestAuth::test_bad_key[openai-401]"
    )
    elsewhere = tmp_path / "other" / "place" / "errors"
    moved = stable_id(
        "errors",
        elsewhere,
        elsewhere / "sub" / "test_envelope.py",
        "sub/test_envelope.py::TestAuth::test_bad_key[openai-401]",
    )
    assert moved == "errors::sub/test_envelope::TestAuth::test_bad_key[openai-401]"


def test_a_file_outside_the_suite_folder_falls_back_to_its_name(tmp_path: Path) -> None:
    assert stable_id("s", tmp_path / "a", tmp_path / "b" / "test_x.py", "b/test_x.py") == "s::test_x"


@pytest.mark.parametrize(
    ("text", "shard"), [("1/4", Shard(1, 4)), (" 2 / 2 ", Shard(2, 2)), ("1/1", Shard(1, 1))]
)
def test_shards_parse(text: str, shard: Shard) -> None:
    assert parse_shard(text) == shard
    assert str(shard) == f"{shard.index}/{shard.count}"


@pytest.mark.parametrize("text", ["", "2", "0/2", "3/2", "1/0", "a/b", "-1/2"])
def test_bad_shards_are_usage_errors_showing_the_form(text: str) -> None:
    with pytest.raises(UsageError, match=r"I/N|between 1 and N"):
        parse_shard(text)


def test_shards_partition_the_ids_deterministically_and_roughly_evenly() -> None:
    ids = [f"suite::test_mod::test_{n}[{n % 7}]" for n in range(600)]
    shards = [Shard(i, 3) for i in (1, 2, 3)]
    chosen = [[t for t in ids if in_shard(t, s)] for s in shards]
    assert sorted(t for part in chosen for t in part) == sorted(ids)
    assert all(150 < len(part) < 250 for part in chosen)
    assert chosen[0] == [t for t in ids if in_shard(t, Shard(1, 3))]
    assert all(in_shard(t, None) and in_shard(t, Shard(1, 1)) for t in ids)
