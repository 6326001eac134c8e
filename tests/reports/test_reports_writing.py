"""Writing reports when the disk or the report folder is not what it should be, and concurrently.

A full disk or a path that is not a plain file is a harness problem: a ReportWriteError naming
the file (exit 2, one line), never a traceback.  Runs finishing at once into one report folder
each keep their history line.
"""

from __future__ import annotations

import errno
import multiprocessing
from pathlib import Path

import pytest

from gatecheck.errors import ReportWriteError
from gatecheck.reports import atomic
from gatecheck.reports.history import HISTORY_FILE, append_history, read_history

WRITERS, APPENDS = 8, 6


def _full_disk(path: Path, data: bytes) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", str(path))


def test_a_full_disk_is_a_report_write_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_replace", _full_disk)
    with pytest.raises(ReportWriteError, match=r"^cannot write .*summary\.md: No space left on device$"):
        atomic.write_text(tmp_path / "summary.md", "# run\n")


def test_a_file_where_the_history_folder_goes_is_a_report_write_error(tmp_path: Path) -> None:
    (tmp_path / "history").write_text("not a folder\n")
    in_the_way = r"history/index\.jsonl: .*/history is in the way and is not a folder$"
    with pytest.raises(ReportWriteError, match=in_the_way):
        append_history(tmp_path, {"run_id": "r1"})


def test_a_folder_where_the_index_goes_is_a_report_write_error(tmp_path: Path) -> None:
    (tmp_path / HISTORY_FILE).mkdir(parents=True)
    with pytest.raises(ReportWriteError, match=r"^cannot write .*index\.jsonl: .* is not a plain file$"):
        append_history(tmp_path, {"run_id": "r1"})


def test_overwrite_in_place_rewrites_an_existing_file_only(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text('{"status": "running", "padding": "' + "x" * 100 + '"}')
    atomic.overwrite_in_place(path, b'{"status":"error"}')
    assert path.read_bytes() == b'{"status":"error"}'
    with pytest.raises(ReportWriteError, match=r"missing\.json: No such file"):
        atomic.overwrite_in_place(tmp_path / "missing.json", b"{}")


def test_a_damaged_history_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / HISTORY_FILE
    path.parent.mkdir()
    path.write_bytes(b'{"run_id": "a"}\n\xff\xfe not json\n' + b"[" * 100_000 + b"\n" + b'{"run_id": "b"}\n')
    assert [e["run_id"] for e in read_history(path)] == ["a", "b"]


def _append_many(root: str, writer: int, start: multiprocessing.synchronize.Barrier) -> None:
    start.wait()  # every writer begins at once: the contention ten concurrent runs create
    for n in range(APPENDS):
        append_history(Path(root), {"run_id": f"w{writer}-{n}", "padding": "x" * 4000})


@pytest.mark.slow  # eight spawned processes: about five seconds on two cores
def test_concurrent_appends_keep_every_line(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")  # no fork of a threaded pytest process
    start = context.Barrier(WRITERS)
    writers = [context.Process(target=_append_many, args=(str(tmp_path), w, start)) for w in range(WRITERS)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)  # a bound, not a threshold: they finish in about a second
        assert process.exitcode == 0
    ids = [entry["run_id"] for entry in read_history(tmp_path / HISTORY_FILE)]
    assert sorted(ids) == sorted(f"w{w}-{n}" for w in range(WRITERS) for n in range(APPENDS))
