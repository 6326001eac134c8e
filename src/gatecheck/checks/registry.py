"""The one registry of contract checks: schemathesis' built-ins gatecheck uses, and its own.

Everything that lists checks reads :data:`CHECKS`: the contract suite's ``--contract-checks``
option, ``gatecheck run --checks``, the reports and the docs.  A check is known by a stable
snake_case ``name`` (schemathesis' convention, because gatecheck's own checks are also
registered with schemathesis under that name and run from ``st run --checks NAME``); with
the operation it forms a failure's stable key, ``"POST /chat/completions::error_envelope"``.

gatecheck's own checks register through :func:`contract_check`, which puts them in both
registries at once, so the two cannot drift.  Registering a name twice is an error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

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


def _builtin(name: str, title: str, *, default: bool = True, stateful: bool = False) -> None:
    CHECKS.register(CheckInfo(name, title, "schemathesis", default=default, stateful=stateful))


# schemathesis' built-in checks that fit a gateway, with report titles in gatecheck's voice.
_builtin("not_a_server_error", "The gateway answers without a 5xx server error")
_builtin("status_code_conformance", "The status code is one the spec documents for the operation")
_builtin("content_type_conformance", "The Content-Type is one the spec documents for the status")
_builtin("response_schema_conformance", "The body matches the response schema the spec documents")
_builtin("response_headers_conformance", "Headers the spec marks required are present and valid")
_builtin("negative_data_rejection", "Requests that break the request schema are rejected with a 4xx")
_builtin("ignored_auth", "Operations that declare authentication reject missing or wrong credentials")
_builtin("positive_data_acceptance", "Requests that match the request schema are accepted", default=False)
_builtin("use_after_free", "A deleted resource is gone: reading it after DELETE answers 404", stateful=True)
_builtin(
    "ensure_resource_availability", "A created resource can be read back right after creation", stateful=True
)


def contract_check(*, requires: str | None = None, default: bool = True) -> Callable[[F], F]:
    """Register a gatecheck check with this registry and with schemathesis, under its function name.

    The function has schemathesis' signature ``(ctx, response, case)``; its docstring's first line
    is its title.  ``requires`` names the capability a profile must claim for it to apply.
    """

    def register(func: F) -> F:
        import schemathesis

        title = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        CHECKS.register(
            CheckInfo(
                func.__name__, title, "gatecheck", default=default, requires=requires, module=func.__module__
            )
        )
        return cast(F, schemathesis.check(cast(Any, func)))

    return register


def failure_key(operation: str | None, check: str) -> str:
    """The stable identity of a failure: where it happened and which check saw it."""
    return f"{operation or '*'}::{check}"
