"""``gatecheck specs diff`` output: a one-screen summary first, then the changes by operation."""

from __future__ import annotations

from collections import defaultdict

from gatecheck.reports.specdiff import Change

__all__ = ["render_markdown"]

_SUMMARY_ROWS = 15


def render_markdown(changes: list[Change], *, old_label: str = "old", new_label: str = "new") -> str:
    """The changes as Markdown: counts and the most affected operations, then each operation's list."""
    breaking = [c for c in changes if c.breaking]
    by_operation: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_operation[change.operation].append(change)
    kinds = defaultdict(int)
    for change in changes:
        kinds[change.kind] += 1
    lines = [
        f"# Spec diff: {old_label} -> {new_label}",
        "",
        f"{len(breaking)} breaking, {len(changes) - len(breaking)} non-breaking "
        f"in {len(by_operation)} operation(s)",
        "",
    ]
    if kinds:
        lines += ["By kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())), ""]
    lines += _summary(by_operation)
    for title, wanted in (("Breaking", True), ("Non-breaking", False)):
        group = [c for c in changes if c.breaking is wanted]
        lines += [f"## {title} ({len(group)})", ""]
        if not group:
            lines += ["none", ""]
        for operation in sorted({c.operation for c in group}):
            lines.append(f"### {operation}")
            for c in (c for c in group if c.operation == operation):
                where = c.location[len(operation) :].strip() or "(the operation)"
                lines.append(f"- `{where}` ({c.kind}): {c.message}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _summary(by_operation: dict[str, list[Change]]) -> list[str]:
    if not by_operation:
        return []
    ranked = sorted(
        by_operation.items(), key=lambda kv: (-sum(c.breaking for c in kv[1]), -len(kv[1]), kv[0])
    )
    lines = ["| operation | breaking | non-breaking |", "|---|---|---|"]
    for operation, found in ranked[:_SUMMARY_ROWS]:
        hard = sum(c.breaking for c in found)
        lines.append(f"| `{operation}` | {hard} | {len(found) - hard} |")
    if len(ranked) > _SUMMARY_ROWS:
        lines.append(f"| ... and {len(ranked) - _SUMMARY_ROWS} more operation(s) | | |")
    return [*lines, ""]
