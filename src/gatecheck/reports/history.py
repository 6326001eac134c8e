"""``reports/history/index.jsonl``: one line per run, so trends need no old run folders.

Each line holds what the drift report plots (pass rate, latency percentiles per operation) and
enough to find the run again.  The file is rewritten atomically on every append: CI caches
restore it whole, and a crash never leaves half a line.  The read-modify-write happens under a
lock file beside it, so runs finishing at once into one report folder each keep their line (ten
concurrent runs lost one or two lines in three of eight trials without it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from gatecheck.errors import ReportWriteError
from gatecheck.reports.atomic import write_text
from gatecheck.reports.metrics import series
from gatecheck.reports.svg import percentile

__all__ = ["HISTORY_FILE", "append_history", "history_entry", "read_history"]

HISTORY_FILE = Path("history") / "index.jsonl"
_KEEP = 500  # lines; a nightly job keeps well over a year
#: How long a run waits for another to finish its append; an append takes milliseconds, and the
#: lock dies with its holder (flock), so only a wedged file system makes this wait out.
LOCK_WAIT_S = 60.0


def _latency(results: Mapping[str, Any], metric: str) -> dict[str, dict[str, float]]:
    return {
        op: {"p50": round(percentile(v, 50), 3), "p90": round(percentile(v, 90), 3), "n": len(v)}
        for op, v in series(results["tests"], metric).items()
    }


def history_entry(results: Mapping[str, Any], run_dir: str) -> dict[str, Any]:
    """The index line for one run."""
    run = results["run"]
    return {
        "run_id": run["id"],
        "run_dir": run_dir,
        "started": run["started"],
        "finished": run["finished"],
        "verdict": run["verdict"],
        "exit_code": run["exit_code"],
        "targets": [t["label"] for t in results["targets"]],
        "profiles": sorted({t["profile"] for t in results["targets"]}),
        "shard": run.get("shard"),
        "total": results["summary"]["total"],
        "counts": results["summary"]["counts"],
        "pass_rate": results["summary"]["pass_rate"],
        "latency_ms": _latency(results, "total_ms"),
        "ttft_ms": _latency(results, "ttft_ms"),
    }


def read_history(path: Path) -> list[dict[str, Any]]:
    """Every well-formed line of an index (a damaged line is skipped, not fatal)."""
    if not path.is_file():
        return []
    entries = []
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):  # not JSON, or JSON no history line looks like
            continue
        if isinstance(entry, dict) and "run_id" in entry:
            entries.append(entry)
    return entries


def append_history(report_root: Path, entry: Mapping[str, Any]) -> Path:
    """Add ``entry`` to ``report_root/history/index.jsonl`` (replacing a line with the same run id)."""
    path = report_root / HISTORY_FILE
    lock = path.with_name(f".{path.name}.lock")
    for part, kind in ((path.parent, "a folder"), (path, "a plain file")):
        if part.exists() and not (part.is_dir() if part == path.parent else part.is_file()):
            raise ReportWriteError(f"cannot write {path}: {part} is in the way and is not {kind}")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(lock, timeout=LOCK_WAIT_S):
            entries = [e for e in read_history(path) if e["run_id"] != entry["run_id"]]
            entries.append(dict(entry))
            write_text(path, "".join(json.dumps(e, sort_keys=True) + "\n" for e in entries[-_KEEP:]))
    except Timeout:
        raise ReportWriteError(
            f"cannot write {path}: another run held its lock for {LOCK_WAIT_S:g} s"
        ) from None
    except OSError as exc:  # `history` is a file, the lock a folder, the disk full
        raise ReportWriteError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
    return path
