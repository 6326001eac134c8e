"""What ``gatecheck probe`` learnt about a target, and which bundled profile fits it best.

Kept apart from the questions (:mod:`gatecheck.discover.asks`) so the section writer and the
report read one record.  A capability is *seen* when an answer showed it, *absent* when the
question was asked and the answer did not show it, and neither when the probe could not ask
(no model for it, budget spent): only absent capabilities are taken away from a profile's claims.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gatecheck.profiles import Profile, available, get_profile

__all__ = ["Findings", "Step", "pick_profile"]


@dataclass(frozen=True)
class Step:
    """One question and its answer, for the printed account: ``GET /models  200  12 models``."""

    request: str
    status: int | None  # None: no answer (transport error)
    note: str


@dataclass
class Findings:
    """Everything the probe saw; filled in by the questions, read by the report and the section."""

    url: str
    model_ids: list[str] = field(default_factory=list)
    catalog: list[dict[str, Any]] = field(default_factory=list)
    models: dict[str, str] = field(default_factory=dict)  # role -> model that answered
    candidates: dict[str, str] = field(default_factory=dict)  # failing / rate_limited -> why
    seen: set[str] = field(default_factory=set)
    absent: dict[str, str] = field(default_factory=dict)  # capability -> why not
    embedding_dimensions: int | None = None
    key_paths: list[str] = field(default_factory=list)  # management endpoints that answered 200
    steps: list[Step] = field(default_factory=list)
    requests: int = 0

    def saw(self, capability: str) -> None:
        self.seen.add(capability)
        self.absent.pop(capability, None)

    def lacks(self, capability: str, why: str) -> None:
        if capability not in self.seen:
            self.absent[capability] = why

    def step(self, request: str, status: int | None, note: str) -> None:
        self.steps.append(Step(request, status, note))


def _dotted(entry: Mapping[str, Any], dotted: str) -> bool:
    node: Any = entry
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _fits(profile: Profile, findings: Findings) -> bool:
    """A vendor profile fits when the catalog prices models its way, or its key API answered."""
    keys = (profile.keys or {}).get("create", {}).get("path")
    if keys and profile.paths.get(str(keys)) in findings.key_paths:
        return True
    fields: Sequence[str] = list(((profile.pricing or {}).get("fields") or {}).values())
    sample = findings.catalog[:5]
    return bool(fields and sample) and all(_dotted(e, f) for e in sample for f in fields)


def pick_profile(findings: Findings, fallback: str = "openai") -> Profile:
    """The bundled profile whose vendor data the answers match; ``fallback`` for a plain server."""
    for name in available():
        profile = get_profile(name)
        if name != fallback and _fits(profile, findings):
            return profile
    return get_profile(fallback)
