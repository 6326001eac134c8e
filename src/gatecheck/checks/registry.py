"""The contract checks the schemathesis suite can select: schemathesis' built-ins gatecheck uses, and its own.

Everything that lists contract checks reads :data:`CHECKS`: the contract suite's
``--contract-checks`` option, ``gatecheck run --checks``, the reports and the docs.  A check is
known by a registered contract id (:mod:`gatecheck.check_ids`, snake_case: schemathesis'
convention, because gatecheck's own checks are also registered with schemathesis under that
name and run from ``st run --checks NAME``), whose title it reports; with the operation it
forms a failure's stable key, ``"POST /chat/completions::error_envelope"``.  This module says
how each is run (default, capability, stateful); the ids and titles of every check, contract
and scenario alike, live in :mod:`gatecheck.check_ids`.

gatecheck's own checks register through :func:`contract_check`, which puts them in both
registries at once, so the two cannot drift.  Registering a name twice, or a name with no
registered contract id, is an error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from gatecheck.check_ids import (
    CHECK_IDS,
    CONTRACT_CONTENT_TYPE_CONFORMANCE,
    CONTRACT_ENSURE_RESOURCE_AVAILABILITY,
    CONTRACT_IGNORED_AUTH,
    CONTRACT_NEGATIVE_DATA_REJECTION,
    CONTRACT_NOT_A_SERVER_ERROR,
    CONTRACT_POSITIVE_DATA_ACCEPTANCE,
    CONTRACT_RESPONSE_HEADERS_CONFORMANCE,
    CONTRACT_RESPONSE_SCHEMA_CONFORMANCE,
    CONTRACT_STATUS_CODE_CONFORMANCE,
    CONTRACT_USE_AFTER_FREE,
    CheckId,
    failure_key,
)
from gatecheck.errors import UnknownNameError

if TYPE_CHECKING:
    from gatecheck.profiles import Profile

__all__ = ["CHECKS", "CheckInfo", "CheckRegistry", "all_checks", "contract_check", "failure_key"]

Origin = Literal["schemathesis", "gatecheck"]
F = TypeVar("F", bound=Callable[..., object])

#: Modules whose import registers gatecheck's own checks (see :func:`all_checks`).
_CHECK_MODULES = ("gatecheck.checks.schemathesis_checks",)


@dataclass(frozen=True)
class CheckInfo:
    """One selectable check; ``title`` is its one-line report title."""

    name: str
    title: str
    origin: Origin
    default: bool = True  # part of the selection when the user names none
    requires: str | None = None  # a capability the profile must claim for the check to apply
    stateful: bool = False  # judges sequences of calls, so it fires only in stateful runs
    module: str = ""  # where a gatecheck check is defined; re-importing that module re-registers it


class CheckRegistry:
    """Checks by name, in registration order; names are unique."""

    def __init__(self) -> None:
        self._checks: dict[str, CheckInfo] = {}

    def register(self, info: CheckInfo) -> CheckInfo:
        existing = self._checks.get(info.name)
        if existing is not None and not (info.module and existing.module == info.module):
            raise ValueError(f"check {info.name!r} registered twice")
        if not info.title or "\n" in info.title:
            raise ValueError(f"check {info.name!r} needs a one-line title (its docstring's first line)")
        self._checks[info.name] = info
        return info

    def __iter__(self) -> Iterator[CheckInfo]:
        return iter(self._checks.values())

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, name: object) -> bool:
        return name in self._checks

    def names(self) -> list[str]:
        return list(self._checks)

    def get(self, name: str) -> CheckInfo:
        try:
            return self._checks[name]
        except KeyError:
            raise UnknownNameError("check", name, self.names()) from None

    def parse(self, text: str | Iterable[str] | None) -> list[str] | None:
        """Names from a ``--checks`` value (comma-separated, repeatable); None when none are given.

        ``all`` stands for every check; ``-name`` removes one from the default selection.
        """
        if text is None:
            return None
        parts = [text] if isinstance(text, str) else list(text)
        names = [n.strip() for part in parts for n in part.split(",") if n.strip()]
        for name in names:
            if name != "all":
                self.get(name.removeprefix("-"))
        return names or None

    def select(
        self, names: Iterable[str] | None = None, *, profile: Profile | None = None
    ) -> list[CheckInfo]:
        """The checks to run: the named ones (or the defaults), minus those the profile cannot have.

        A check that needs a capability the profile does not claim is dropped even when named:
        ``usage_cost`` on a target that promises no cost would only report the absence of a promise.
        """
        chosen = list(names) if names is not None else []
        removed = {n[1:] for n in chosen if n.startswith("-")}
        wanted = [n for n in chosen if not n.startswith("-")]
        if "all" in wanted:
            picked = list(self)
        elif wanted:
            picked = [self.get(n) for n in dict.fromkeys(wanted)]
        else:
            picked = [c for c in self if c.default]
        return [
            c
            for c in picked
            if c.name not in removed and (profile is None or c.requires is None or profile.claims(c.requires))
        ]


#: The process-wide registry; import through :func:`all_checks` to be sure gatecheck's are in it.
CHECKS = CheckRegistry()


def all_checks() -> CheckRegistry:
    """The registry with every check registered (imports the modules that define gatecheck's)."""
    for module in _CHECK_MODULES:
        importlib.import_module(module)
    return CHECKS


def _builtin(check: CheckId, *, default: bool = True, stateful: bool = False) -> None:
    CHECKS.register(
        CheckInfo(check, CHECK_IDS.title(check), "schemathesis", default=default, stateful=stateful)
    )


# schemathesis' built-in checks that fit a gateway (titles in gatecheck's voice, in check_ids).
_builtin(CONTRACT_NOT_A_SERVER_ERROR)
_builtin(CONTRACT_STATUS_CODE_CONFORMANCE)
_builtin(CONTRACT_CONTENT_TYPE_CONFORMANCE)
_builtin(CONTRACT_RESPONSE_SCHEMA_CONFORMANCE)
_builtin(CONTRACT_RESPONSE_HEADERS_CONFORMANCE)
_builtin(CONTRACT_NEGATIVE_DATA_REJECTION)
_builtin(CONTRACT_IGNORED_AUTH)
_builtin(CONTRACT_POSITIVE_DATA_ACCEPTANCE, default=False)
_builtin(CONTRACT_USE_AFTER_FREE, stateful=True)
_builtin(CONTRACT_ENSURE_RESOURCE_AVAILABILITY, stateful=True)


def contract_check(*, requires: str | None = None, default: bool = True) -> Callable[[F], F]:
    """Register a gatecheck check with this registry and with schemathesis, under its function name.

    The function has schemathesis' signature ``(ctx, response, case)`` and the name of a contract
    id registered in :mod:`gatecheck.check_ids`, whose title it reports.  ``requires`` names the
    capability a profile must claim for it to apply.
    """

    def register(func: F) -> F:
        import schemathesis

        if func.__name__ not in CHECK_IDS or CHECK_IDS.info(func.__name__).kind != "contract":
            raise ValueError(f"contract check {func.__name__!r} has no contract id in gatecheck/check_ids.py")
        check = CHECK_IDS.get(func.__name__)
        CHECKS.register(
            CheckInfo(
                check,
                CHECK_IDS.title(check),
                "gatecheck",
                default=default,
                requires=requires,
                module=func.__module__,
            )
        )
        return cast(F, schemathesis.check(cast(Any, func)))

    return register
