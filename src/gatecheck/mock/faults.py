"""Fault modes: named switches that each make the mock break exactly one contract point.

They exist to prove that every check and scenario can fail: a test turns one on and asserts
that the scenario aimed at that point fails, naming the defect.  This dict is the only list;
``gatecheck mock --list-faults``, the admin API and the docs read it.  Names are public
interface (CLI flags, config files, baselines): never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gatecheck.errors import UnknownNameError

__all__ = ["FAULTS", "FaultMode", "validate_faults"]


@dataclass(frozen=True)
class FaultMode:
    """One way the mock can misbehave; ``description`` is a one-line report title."""

    name: str
    description: str
    plane: Literal["inference", "management"]


def _registry(*modes: FaultMode) -> dict[str, FaultMode]:
    table: dict[str, FaultMode] = {}
    for mode in modes:
        if mode.name in table:
            raise ValueError(f"fault mode {mode.name!r} registered twice")
        table[mode.name] = mode
    return table


def _i(name: str, description: str) -> FaultMode:
    return FaultMode(name, description, "inference")


def _m(name: str, description: str) -> FaultMode:
    return FaultMode(name, description, "management")


FAULTS: dict[str, FaultMode] = _registry(
    # inference plane (issue: mock inference)
    _i("omit-usage-cost", "usage.cost is missing from answers and from the stream's usage chunk"),
    _i("wrong-cost", "usage.cost is ten times the catalog price"),
    _i("no-done-sentinel", "streams end without the final 'data: [DONE]'"),
    _i("data-not-json", "one SSE data payload is not JSON"),
    _i(
        "usage-chunk-has-choices", "the usage chunk repeats the last choice instead of 'choices: []'"
    ),
    _i("duplicate-usage-chunk", "the stream's usage chunk is sent twice"),
    _i("buffered-stream", "the whole stream is buffered and sent in one write at the end"),
    _i("no-fallback", "a failing primary model is not replaced by the next candidate"),
    _i("wrong-model-reported", "the answer's model names the requested model, not the one that answered"),
    _i("error-as-200", "upstream failures are answered 200 with an error body"),
    _i("no-retry-after", "429 answers lack the Retry-After header"),
    _i("bad-error-envelope", "error bodies are plain text instead of {'error': {'message': ...}}"),
    _i("auth-not-enforced", "inference requests without a valid key are served"),
    # management plane (issue: mock management)
    _m("deleted-key-still-valid", "a deleted key still authenticates inference"),
    _m("expired-key-still-valid", "an expired key still authenticates inference"),
    _m("limit-not-enforced", "a key whose spend reached its limit is still served"),
    _m("key-value-in-get", "get and list return the key's plaintext value"),
    _m("usage-not-recorded", "inference is not accounted against the calling key"),
    _m("stale-limit-remaining", "limit_remaining ignores spend since the key was created"),
)


def validate_faults(names: list[str] | set[str] | tuple[str, ...]) -> set[str]:
    """The given names as a set, or UnknownNameError naming the first unknown one."""
    for name in names:
        if name not in FAULTS:
            raise UnknownNameError("fault mode", name, list(FAULTS))
    return set(names)
