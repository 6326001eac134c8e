"""``summary.md``: the run as a CI job summary or PR comment.

Short on purpose: the verdict first, one table per suite, then each failure with what was
expected and what came back.  Baselined, fixed and not-applicable tests are listed so nobody
has to open the HTML to know why a red test did not fail the gate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gatecheck.reports.causes import causes_of, headline
from gatecheck.reports.outcomes import GATING, HARNESS_ERROR, LABELS, OUTCOMES, TARGET_FAILED, judged

__all__ = ["cell", "fence", "render_summary", "verdict_line"]

_COLUMNS = OUTCOMES
_HEAD = tuple(LABELS.get(o, o) for o in OUTCOMES)


def cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def fence(text: str, lang: str = "") -> str:
    """A code block whose fence is longer than any backtick run inside ``text``."""
    longest = max((len(run) for run in text.split("\n") for run in _runs(run)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{lang}\n{text.rstrip()}\n{marks}"


def _runs(line: str) -> list[str]:
    out, current = [], ""
    for char in line:
        if char == "`":
            current += char
        else:
            if current:
                out.append(current)
            current = ""
    return [*out, current] if current else out


def verdict_line(results: Mapping[str, Any]) -> str:
    run, counts = results["run"], results["summary"]["counts"]
    if run["verdict"] == "error":
        error = run.get("error") or {}
        tally = f"; {judged(counts)}" if sum(counts.values()) else ""
        return f"ERROR: {error.get('message', 'the run did not complete')}{tally}"
    failing, errors = counts.get(TARGET_FAILED, 0), counts.get(HARNESS_ERROR, 0)
    not_run = _not_run_note(results)
    erred = f"; {errors} gatecheck error{'s' if errors != 1 else ''}" if errors else ""
    if run["verdict"] == "fail":
        plural = "s" if failing != 1 else ""
        return f"FAIL: {failing} conformance failure{plural}{erred}; {judged(counts)}{not_run}"
    if run["verdict"] == "pending":
        return "RUNNING: this report is a checkpoint of a run still in progress (or one that was killed)"
    extra = f" ({counts['baselined']} baselined)" if counts["baselined"] else ""
    return f"PASS: conformant{extra}; {judged(counts)}{not_run}"


def _not_run_note(results: Mapping[str, Any]) -> str:
    """How much the budget left unjudged: a pass with half the tests not run is not a full pass."""
    count = results["summary"]["counts"].get("not-run", 0)
    refused = ((results["run"].get("budget") or {}).get("refused")) or 0
    if not count and not refused:
        return ""
    total = len(results.get("tests") or []) or count
    return f"; {count} of {total} tests not run ({refused} requests refused: budget spent)"


def _target_line(target: Mapping[str, Any]) -> str:
    text = f"**Target:** {target['label']} · profile `{target['profile']}`"
    if mock := target.get("mock"):
        faults = ", ".join(f"`{f}`" for f in mock["faults"]) or "none"
        text += f" · mock flavor `{mock['flavor']}` · faults: {faults}"
    elif target["url"] != target["label"]:
        text += f" · {target['url']}"
    return text


def _run_line(run: Mapping[str, Any]) -> str:
    bits = [f"**Run:** `{run['id']}`"]
    if run.get("duration_s") is not None:
        bits.append(f"{run['duration_s']:.1f} s")
    if run.get("seed") is not None:
        bits.append(f"seed {run['seed']}")
    if run.get("shard"):
        bits.append(f"shard {run['shard']['index']}/{run['shard']['count']}")
    if run.get("merged_from"):
        bits.append(f"merged from {len(run['merged_from'])} runs")
    bits.append(f"gatecheck {run['gatecheck_version']}")
    return " · ".join(bits)


def _suite_table(results: Mapping[str, Any]) -> list[str]:
    several = len(results["targets"]) > 1
    head = (["target"] if several else []) + ["suite", "status", *_HEAD, "time"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * (len(head) - 8) + ["---:"] * 8) + "|"]
    for suite in results["suites"]:
        row = [suite["target"]] if several else []
        time = f"{suite['duration_s']:.1f} s" if suite.get("duration_s") is not None else "-"
        row += [f"`{suite['name']}`", suite["status"], *(str(suite["counts"][c]) for c in _COLUMNS), time]
        lines.append("| " + " | ".join(cell(x) for x in row) + " |")
    return lines


def _failure_block(test: Mapping[str, Any]) -> list[str]:
    failure = test.get("failure") or {}
    caps = ", ".join(test["capabilities"]) or "-"
    lines = [
        f"### `{test['id']}`",
        "",
        f"**{cell(failure.get('title', test['title']))}**  ",
        f"{cell(test['title'])} · capability: {caps}",
    ]
    if failure.get("operation"):
        lines[-1] += f" · operation: `{failure['operation']}`"
    lines.append("")
    if "expected" in failure:
        lines += [
            f"- Expected: {cell(failure['expected'])}",
            f"- Received: {cell(failure.get('received', ''))}",
            "",
        ]
    else:
        lines += [fence(failure.get("message", "")), ""]
    for part in ("request", "response"):
        if failure.get(part):
            lines += [f"<details><summary>{part}</summary>", "", fence(failure[part]), "", "</details>", ""]
    return lines


def _listing(title: str, tests: list[Mapping[str, Any]], reason_key: str, collapsed: bool) -> list[str]:
    if not tests:
        return []
    body = [f"- `{t['id']}`: {cell(t.get(reason_key) or t['title'])}" for t in tests]
    if collapsed:
        return [f"<details><summary>{title} ({len(tests)})</summary>", "", *body, "", "</details>", ""]
    return [f"## {title} ({len(tests)})", "", *body, ""]


def render_summary(results: Mapping[str, Any]) -> str:
    """The whole summary.md text."""
    run, tests = results["run"], results["tests"]
    lines = [f"# gatecheck: {verdict_line(results)}", ""]
    lines += [_target_line(t) + "  " for t in results["targets"]]
    lines += [_run_line(run), ""]
    if run.get("error"):
        lines += [f"> **Harness error ({run['error']['kind']}):** {cell(run['error']['message'])}", ""]
    if results["suites"]:
        lines += [*_suite_table(results), ""]
    for suite in results["suites"]:
        if suite.get("error"):
            lines.append(f"- suite `{suite['name']}` {suite['status']}: {cell(suite['error'])}")
    if causes := causes_of(results):
        lines += ["", f"## Root causes ({len(causes)})", ""]
        for cause in causes:
            lines.append(f"- **{cell(headline(cause))}**")
            lines += [f"  - `{member}`" for member in cause["members"]]
    failing = [t for t in tests if t["outcome"] in GATING]
    if failing:
        lines += ["", f"## Failures ({len(failing)})", ""]
        for test in failing:
            lines += _failure_block(test)
    lines += _listing(
        "Baselined (accepted, not gating)",
        [t for t in tests if t["outcome"] == "baselined"],
        "baseline_reason",
        False,
    )
    lines += _listing(
        "Fixed (baselined, now passing: remove from the baseline)",
        [t for t in tests if t["outcome"] == "fixed"],
        "title",
        False,
    )
    if results.get("baseline") and results["baseline"]["stale"]:
        lines += ["## Stale baseline entries (not produced by this run)", ""]
        lines += [f"- `{i}`" for i in results["baseline"]["stale"]] + [""]
    lines += _listing(
        "Inconclusive (the evidence could not decide)",
        [t for t in tests if t["outcome"] == "inconclusive"],
        "skip_reason",
        False,
    )
    lines += _listing(
        "Not run (budget spent)", [t for t in tests if t["outcome"] == "not-run"], "skip_reason", True
    )
    lines += _listing(
        "Not applicable", [t for t in tests if t["outcome"] == "not-applicable"], "skip_reason", True
    )
    lines += _listing("Skipped", [t for t in tests if t["outcome"] == "skipped"], "skip_reason", True)
    lines += _rate_limits(tests)
    return "\n".join(lines).rstrip() + "\n"


def _rate_limits(tests: list[Mapping[str, Any]]) -> list[str]:
    """Tests that waited out a rate limit (the retry policy's figures), so a slow run explains itself."""
    waited = [t for t in tests if (t.get("metrics") or {}).get("rate_limit_retries")]
    if not waited:
        return []
    retries = sum(int(t["metrics"]["rate_limit_retries"]) for t in waited)
    seconds = sum(float(t["metrics"].get("rate_limit_wait_s", 0.0)) for t in waited)
    body = [
        f"- `{t['id']}`: {int(t['metrics']['rate_limit_retries'])} retries, "
        f"{float(t['metrics'].get('rate_limit_wait_s', 0.0)):.1f} s waited"
        for t in waited
    ]
    summary = f"Rate limits waited out ({len(waited)} tests, {retries} retries, {seconds:.1f} s)"
    return [f"<details><summary>{summary}</summary>", "", *body, "", "</details>", ""]
