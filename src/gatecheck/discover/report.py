"""The probe's account for the terminal: each question, its answer, and what that means."""

from __future__ import annotations

from gatecheck.discover import Probed
from gatecheck.profiles.roles import ROLES

__all__ = ["account"]


def account(probed: Probed) -> str:
    """Plain text, fixed layout: one line per request, then capabilities, models and the profile."""
    found = probed.findings
    lines = [f"gatecheck probe: {found.url} ({found.requests} requests)"]
    width = max((len(s.request) for s in found.steps), default=0)
    for step in found.steps:
        status = "---" if step.status is None else str(step.status)
        lines.append(f"  {step.request:<{width}}  {status}  {step.note}".rstrip())
    lines.append(f"capabilities seen: {', '.join(sorted(found.seen)) or '(none)'}")
    for capability, why in sorted(found.absent.items()):
        lines.append(f"  not seen: {capability}: {why}")
    for role in ROLES:
        if role in found.models:
            lines.append(f"model {role}: {found.models[role]}")
    if found.embedding_dimensions:
        lines.append(f"embedding dimensions: {found.embedding_dimensions}")
    beyond = sorted(found.seen - probed.profile.capabilities)
    if beyond:
        lines.append(f"seen, but profile {probed.profile.name} does not test them: {', '.join(beyond)}")
    lines.append(f"profile: {probed.profile.name} ({probed.profile.title})")
    return "\n".join(lines) + "\n\n"
