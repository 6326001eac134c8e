"""The fault plan: which simulated upstreams fail, how, and how many more times.

An entry ``{model, provider?, failure, count?}`` makes attempts at ``model`` (``"*"``: any) on
``provider`` (absent: any) fail with ``failure`` for the next ``count`` matching attempts
(absent or null: always).  Set at startup (``--config``) or replaced at run time with
``PUT /_mock/fault-plan``; ``GET`` shows what is left of each count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["FAILURES", "FaultPlan", "PlanEntry", "parse_fault_plan"]

FAILURES = ("500", "502", "429", "timeout", "cut-before-first-token", "cut-mid-stream")
_KEYS = {"model", "provider", "failure", "count"}


@dataclass
class PlanEntry:
    model: str
    failure: str
    provider: str | None = None
    count: int | None = None  # attempts left to fail; None: every attempt

    def matches(self, model: str, provider: str) -> bool:
        return self.model in ("*", model) and self.provider in (None, provider) and self.count != 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failure"] = int(self.failure) if self.failure.isdigit() else self.failure
        return data


def _entry(raw: Any, where: str) -> PlanEntry:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object with model, failure and optional provider, count")
    if unknown := sorted(set(raw) - _KEYS):
        raise ValueError(
            f"{where} has unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}"
        )
    model, provider, count = raw.get("model"), raw.get("provider"), raw.get("count")
    failure = str(raw.get("failure"))
    if not isinstance(model, str) or not model:
        raise ValueError(f"{where}.model must be a model id or '*'")
    if provider is not None and not isinstance(provider, str):
        raise ValueError(f"{where}.provider must be a provider slug")
    if failure not in FAILURES:
        raise ValueError(f"{where}.failure must be one of {', '.join(FAILURES)}, not {raw.get('failure')!r}")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise ValueError(f"{where}.count must be a positive integer or null (always)")
    return PlanEntry(model, failure, provider, count)


def parse_fault_plan(raw: Any) -> list[PlanEntry]:
    """Validate a plan (a list of entries); ValueError says what is wrong and where."""
    if not isinstance(raw, list):
        raise ValueError("the fault plan must be a list of entries")
    return [_entry(item, f"fault_plan[{i}]") for i, item in enumerate(raw)]


class FaultPlan:
    """The live plan; the first matching entry with attempts left decides an attempt's fate."""

    def __init__(self, entries: list[PlanEntry]) -> None:
        self.entries = entries

    def take(self, model: str, provider: str) -> str | None:
        """The failure for this attempt, if any, using up one of the entry's count."""
        for entry in self.entries:
            if entry.matches(model, provider):
                if entry.count is not None:
                    entry.count -= 1
                return entry.failure
        return None

    def snapshot(self) -> list[dict[str, Any]]:
        return [entry.as_dict() for entry in self.entries]
