"""Root causes: failures that share one cause, grouped under it.

A target that answers every streamed request with HTTP 500 fails ten streaming scenarios; a
reader needs one line ("10 failures: POST /chat/completions answers HTTP 500"), then the ten
members.  Two failures share a cause when they hit the same operation with the same unexpected
HTTP status, or otherwise break the same first rule (check id) on the same operation.  Only
causes with two or more members are listed; every member stays in the failure list too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["cause_of", "causes_of", "headline", "root_causes"]

#: The outcomes grouped: failures of the target, accepted or not (never gatecheck's own errors).
GROUPED = frozenset({"failed", "baselined"})
_STATUS = re.compile(r"\bHTTP (\d{3})\b")


def _status(failure: Mapping[str, Any]) -> str | None:
    details = failure.get("details") or {}
    if isinstance(details, Mapping) and isinstance(details.get("status"), int):
        return str(details["status"])
    for text in (failure.get("received"), failure.get("title")):
        found = _STATUS.search(str(text or ""))
        if found and not found.group(1).startswith("2"):
            return found.group(1)
    return None


def cause_of(test: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(key, label)`` of a failed test's cause, or None when nothing identifies one."""
    failure = test.get("failure") or {}
    operation = failure.get("operation") or test.get("operation")
    if not operation:
        return None
    status = _status(failure)
    if status is not None:
        return f"status:{operation}:{status}", f"{operation} answers HTTP {status}"
    check = str(failure.get("check") or "").split(",")[0]
    if check:
        return (
            f"rule:{operation}:{check}",
            f"{operation} breaks {check}: {failure.get('title') or test['title']}",
        )
    return None


def root_causes(tests: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Causes shared by at least two failures, largest first: ``{key, cause, count, members}``."""
    groups: dict[str, dict[str, Any]] = {}
    for test in tests:
        if test["outcome"] not in GROUPED or (found := cause_of(test)) is None:
            continue
        key, label = found
        groups.setdefault(key, {"key": key, "cause": label, "count": 0, "members": []})
        groups[key]["members"].append(test["id"])
        groups[key]["count"] += 1
    shared = [g for g in groups.values() if g["count"] >= 2]
    return sorted(shared, key=lambda g: (-g["count"], g["key"]))


def causes_of(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The run's causes: its ``causes`` section, or computed for a file written before 1.1."""
    causes = results.get("causes")
    return list(causes) if isinstance(causes, list) else root_causes(results["tests"])


def headline(cause: Mapping[str, Any]) -> str:
    """``10 failures: POST /chat/completions answers HTTP 500``."""
    return f"{cause['count']} failures: {cause['cause']}"
