"""``gatecheck run --spec/--operations/--strict``, checked before any suite process starts.

A spec that cannot be read, a ``--strict`` spec with problems, or an ``--operations`` item that
matches nothing is a one-line harness error (exit 2) here, rather than a suite that "could not
be collected".  The target the reports name gets the profile the suites will use: the generic
one, inferred from the spec, when no profile was named.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from gatecheck.config import Config
from gatecheck.profiles.generic import generic_profile
from gatecheck.specs.registry import load_spec
from gatecheck.specs.select import parse_selection, select_operations
from gatecheck.target import Target

__all__ = ["check_spec"]


def check_spec(
    spec: str | None, operations: str | None, strict: bool, target: Target, profile_given: bool
) -> tuple[str | None, Target]:
    """The spec argument for the suites (a resolved path, or a bundled name) and the reported target."""
    if not spec:
        if operations:
            select_operations(load_spec(target.profile.spec).document, parse_selection([operations]))
        return None, target
    chosen = str(Path(spec).resolve()) if Path(spec).exists() else spec
    loaded = load_spec(chosen, strict=strict)
    if operations:
        select_operations(loaded.document, parse_selection([operations]))
    profile = (
        dataclasses.replace(target.profile, spec=chosen)
        if profile_given
        else generic_profile(loaded.document, chosen)
    )
    return chosen, dataclasses.replace(target, profile=profile)


def spec_of_target(options_target: str | None, config: Config) -> tuple[str | None, str | None]:
    """The ``spec`` and ``profile`` the config file gives the named target, if any."""
    name = options_target or config.defaults.get("target")
    entry = config.targets.get(name) if isinstance(name, str) else None
    return (entry.spec, entry.profile) if entry is not None else (None, None)
