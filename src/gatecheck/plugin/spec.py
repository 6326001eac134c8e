"""Which spec a session tests, and which of its operations: ``--spec``, ``--operations``, ``--strict-spec``.

The spec is ``--spec``, else the ``spec`` of the named target in gatecheck.toml, else the
profile's.  A spec given without any profile gets the generic profile inferred from it
(:mod:`gatecheck.profiles.generic`); with a profile, the profile keeps its claims and only its
spec changes.  The selected operations are cut out of the document once per session
(:func:`gatecheck.specs.select.subset`), so nothing downstream holds the rest of a large document.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gatecheck.config import Config
from gatecheck.errors import GatecheckError
from gatecheck.profiles.generic import generic_profile
from gatecheck.specs.registry import LoadedSpec, load_spec
from gatecheck.specs.select import parse_selection, select_operations, subset
from gatecheck.target import Target

__all__ = ["spec_override", "target_spec", "with_spec"]

_SPEC_KEY = pytest.StashKey[LoadedSpec]()


def _entry_field(config: pytest.Config, cfg: Config, name: str) -> str | None:
    url = config.getoption("gateway_url") or cfg.defaults.get("target")
    entry = cfg.targets.get(url) if isinstance(url, str) else None
    return getattr(entry, name, None) if entry is not None else None


def spec_override(config: pytest.Config, cfg: Config) -> str | None:
    """The spec the options or the config file name for this session, if any."""
    given = config.getoption("spec") or _entry_field(config, cfg, "spec")
    if given and Path(given).exists():
        return str(Path(given).resolve())
    return given


def with_spec(target: Target, config: pytest.Config, cfg: Config) -> Target:
    """``target`` with its profile testing the session's spec (a generic profile if none was named)."""
    spec = spec_override(config, cfg)
    if not spec:
        return target
    profile_given = (
        config.getoption("profile") or cfg.defaults.get("profile") or _entry_field(config, cfg, "profile")
    )
    if profile_given:
        return dataclasses.replace(target, profile=dataclasses.replace(target.profile, spec=spec))
    document = load_spec(spec, strict=config.getoption("strict_spec")).document
    return dataclasses.replace(target, profile=generic_profile(document, spec))


def target_spec(config: pytest.Config, name: str) -> LoadedSpec:
    """The session's spec ``name``, loaded once, cut down to ``--operations`` when given."""
    if _SPEC_KEY not in config.stash:
        try:
            loaded = load_spec(name, strict=config.getoption("strict_spec"))
            selection = parse_selection(config.getoption("operations"))
            if selection:
                kept = select_operations(loaded.document, selection)
                loaded = dataclasses.replace(loaded, document=subset(loaded.document, kept))
        except GatecheckError as exc:
            raise pytest.UsageError(f"gatecheck: {exc}") from None
        config.stash[_SPEC_KEY] = loaded
    return config.stash[_SPEC_KEY]
