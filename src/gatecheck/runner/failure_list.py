"""The failures of a run, listed at the end of the terminal output with a command to rerun each.

A CI log is often all anyone reads: every failing test gets its title, operation, what was
expected and what came back (one line each), and the ``gatecheck run`` command that reruns just
that test against the same target with the same seed.  Plain text, no colour, fixed layout, so
it reads the same in a log and in a snapshot test.  Text comes from the redacted results.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any

from gatecheck.reports.causes import causes_of, headline

__all__ = ["failure_listing", "rerun_command"]

_WIDTH = 160
_LISTED = ("failed", "error")
#: Flags of the original command that select tests; the rerun command sets its own.
_SELECTION_FLAGS = {"--suites": 1, "-k": 1, "--seed": 1, "--shard": 1, "-x": 0, "--exitfirst": 0, "--lf": 0}
#: What pytest's ``-k`` grammar takes as one identifier (``_pytest.mark.expression``).
_K_IDENT = re.compile(r"(?:\w|:|\+|-|\.|\[|\]|\\|/)+")


def _one_line(text: object) -> str:
    line = " ".join(str(text or "").split())
    return line if len(line) <= _WIDTH else line[: _WIDTH - 3] + "..."


def _keep_target_flags(command: list[str]) -> list[str]:
    kept, skip = [], 0
    for word in command[2:]:  # after "gatecheck run"
        if skip:
            skip -= 1
        elif word in _SELECTION_FLAGS:
            skip = _SELECTION_FLAGS[word]
        else:
            kept.append(word)
    return kept


def _keyword(nodeid: str) -> str:
    """A ``-k`` for the test: ``name[param]`` where pytest's ``-k`` can spell the parameter
    (``test_stateful[part2]``), else the function's name, which reruns all its parameters
    (``test_operation[POST /chat/completions]``: ``-k`` takes no spaces)."""
    name = nodeid.rsplit("::", 1)[-1]
    return name if _K_IDENT.fullmatch(name) else name.split("[", 1)[0]


def rerun_command(results: Mapping[str, Any], test: Mapping[str, Any]) -> str:
    """``gatecheck run --suites S -k NAME --seed N`` plus the run's own target flags."""
    name = _keyword(test["nodeid"])
    words = ["gatecheck", "run", *_keep_target_flags(list(results["run"].get("command") or []))]
    words += ["--suites", test["suite"], "-k", name]
    if results["run"].get("seed") is not None:
        words += ["--seed", str(results["run"]["seed"])]
    return shlex.join(words)


def _describe(test: Mapping[str, Any]) -> list[str]:
    failure = test.get("failure") or {}
    lines = [_one_line(failure.get("title") or test["title"])]
    if failure.get("expected") or failure.get("received"):
        lines.append("Expected: " + _one_line(failure.get("expected")))
        lines.append("Received: " + _one_line(failure.get("received")))
    else:
        message = [m for m in str(failure.get("message") or "").splitlines() if m.strip()]
        lines += [_one_line(m) for m in message[1:3] if _one_line(m) != lines[0]]
    return lines


def failure_listing(results: Mapping[str, Any]) -> str:
    """Every failed or errored test, or "" when there is none."""
    failing = [t for t in results["tests"] if t["outcome"] in _LISTED]
    if not failing:
        return ""
    blocks = [
        f"Root cause: {headline(cause)}\n" + "\n".join(f"    {member}" for member in cause["members"])
        for cause in causes_of(results)
    ]
    blocks.append(f"{len(failing)} failing test(s):")
    for test in failing:
        operation = f"  [{test['operation']}]" if test.get("operation") else ""
        head = f"{test['outcome'].upper()} {test['id']}{operation}"
        body = "".join(f"\n    {line}" for line in _describe(test))
        blocks.append(f"{head}{body}\n    rerun: {rerun_command(results, test)}")
    return "\n\n".join(blocks)
