"""``gatecheck probe``: ask an unknown target what it serves, and propose its gatecheck.toml section.

It turns a first run against an unknown gateway from an hour of reading into one command: a
handful of tiny requests (never more than :data:`PROBE_BUDGET`), an account of each answer, and
a target section naming the profile, models, vector length and claims the answers support.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gatecheck.budget import Budget
from gatecheck.discover.asks import ask_all
from gatecheck.discover.findings import Findings
from gatecheck.http import make_client
from gatecheck.profiles import Profile
from gatecheck.runner.probe import probe as reachable

__all__ = ["PROBE_BUDGET", "Findings", "Probed", "probe_target"]

#: Requests one probe may send, whatever the target answers (the reachability check included).
PROBE_BUDGET = 16


@dataclass
class Probed:
    """A probe's result: what it found and the profile that fits."""

    findings: Findings
    profile: Profile
    budget: Budget = field(repr=False)


def probe_target(
    url: str,
    api_key: str | None,
    *,
    profile: Profile | None = None,
    management_key: str | None = None,
    headers: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
    timeout: float = 20.0,
    models: Mapping[str, str] | None = None,
) -> Probed:
    """Ask ``url`` every question within :data:`PROBE_BUDGET` requests (management calls included).

    ``models`` (role -> name, from ``--model``) are tried first, listed or not.
    """
    budget = Budget(max_requests=PROBE_BUDGET)
    budget.charge_request()
    reachable(url, timeout)  # an unreachable target is a one-line error, not an empty section
    findings = Findings(url=url.rstrip("/"))
    options: dict[str, Any] = {"timeout": timeout, "budget": budget, "headers": dict(headers or {})}
    with make_client(url, api_key, body=body, **options) as client:
        if management_key:
            with make_client(url, management_key, **options) as management:
                chosen = ask_all(client, profile, findings, management, models)
        else:
            chosen = ask_all(client, profile, findings, None, models)
    findings.requests = budget.requests
    return Probed(findings, chosen, budget)
