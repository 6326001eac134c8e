"""Everything an inference handler needs, built once per app: settings, flavor shapes, catalog,
accounts and the state the admin API changes at run time (active faults, fault plan, rate limits).

Handlers receive the :class:`Context` explicitly (bound when the route table is built) rather
than reaching for globals, so two mocks of different flavors can run in one process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from gatecheck.errors import ConfigError
from gatecheck.mock.accounts import Accounts
from gatecheck.mock.catalog import Catalog, default_catalog, load_catalog
from gatecheck.mock.faults import validate_faults
from gatecheck.mock.inference.faultplan import FaultPlan, parse_fault_plan
from gatecheck.mock.inference.guard import RateLimiter
from gatecheck.mock.settings import MockSettings
from gatecheck.profiles import get_profile

if TYPE_CHECKING:
    from gatecheck.mock.inference.shapes import Shapes

__all__ = ["Context", "ManagedAccounts"]


class ManagedAccounts(Accounts, Protocol):
    """Accounts as the management plane provides them: also resettable and closable."""

    def reset(self) -> None:
        """Forget every key, usage record and guardrail except the startup keys."""
        ...

    def close(self) -> None:
        """Release the database."""
        ...


@dataclass
class Context:
    settings: MockSettings
    shapes: Shapes
    catalog: Catalog
    accounts: ManagedAccounts
    default_model: str | None
    startup_faults: frozenset[str] = frozenset()
    plan: FaultPlan = field(default_factory=lambda: FaultPlan([]))
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(None))
    startup_timing: tuple[float, float] = (0.0, 0.0)  # first_token_delay, chunk_gap
    closed: bool = False

    @classmethod
    def build(cls, settings: MockSettings, accounts: ManagedAccounts) -> Context:
        """Validate the settings against the registries and catalog; ConfigError says what is wrong."""
        from gatecheck.mock.inference.shapes import shapes_for

        settings.faults = set(settings.faults)  # mutated in place from here on (see set_faults)
        shapes = shapes_for(settings.flavor)
        catalog = load_catalog(settings.catalog_path) if settings.catalog_path else default_catalog()
        _check_policies(settings, catalog)
        profile = get_profile(settings.flavor)
        faults = frozenset(validate_faults(settings.faults))
        default = shapes.default_model(profile)
        ctx = cls(settings, shapes, catalog, accounts, default, faults)
        ctx.startup_timing = (settings.first_token_delay, settings.chunk_gap)
        ctx.restore()
        return ctx

    @property
    def faults(self) -> set[str]:
        """The active fault modes: ``settings.faults`` itself, which the management plane reads too."""
        return self.settings.faults

    def set_faults(self, names: set[str]) -> None:
        """Replace the active faults in place, so every holder of the settings sees the change."""
        self.settings.faults.clear()
        self.settings.faults.update(names)

    def restore(self) -> None:
        """Back to the startup faults, fault plan, stream timing and empty rate-limit windows."""
        self.set_faults(set(self.startup_faults))
        self.settings.first_token_delay, self.settings.chunk_gap = self.startup_timing
        try:
            self.plan = FaultPlan(parse_fault_plan(self.settings.fault_plan))
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        self.limiter = RateLimiter(
            self.settings.rate_limit,
            every=self.settings.rate_limit_every,
            form=self.settings.retry_after_form,
        )

    def reset(self) -> None:
        """``POST /_mock/reset``: startup state, and the accounts' too, for test isolation."""
        self.restore()
        self.accounts.reset()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.accounts.close()


def _check_policies(settings: MockSettings, catalog: Catalog) -> None:
    for name, chain in settings.fallback_policies.items():
        if not chain:
            raise ConfigError(f"fallback policy {name!r} is empty")
        for model_id in chain:
            model = catalog.get(model_id)
            if model is None or model.kind != "chat":
                raise ConfigError(f"fallback policy {name!r} names {model_id!r}, which is not a chat model")
