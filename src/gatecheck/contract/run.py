"""One generated case, sent the safe way and judged by the chosen checks.

:class:`ContractRun` is what the contract test calls for every case schemathesis generates:
it caps the body for a real target, sends through the budgeted session (which waits out rate
limits under the run's retry policy, :mod:`gatecheck.retry`), records what a write created,
and hands the answer to ``case.validate_response``, which runs the checks the settings enabled
and raises schemathesis' FailureGroup, with a redacted curl command that reproduces the
request; that is re-raised as :class:`ContractFailures`.  The key comes from the schemathesis
config (see ``settings``).
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi._auth_retry import get_security_parameters
from schemathesis.specs.openapi.checks import ignored_auth

from gatecheck.budget import Budget
from gatecheck.checks.safety import BudgetSession, ResourceTracker, cap_body
from gatecheck.checks.schemathesis_checks import failure_keys
from gatecheck.contract.operations import ContractOperation
from gatecheck.errors import BudgetExhausted, TargetTimeout, TargetUnreachable
from gatecheck.limits import AnswerLimitExceeded
from gatecheck.verdicts import inconclusive, not_run

if TYPE_CHECKING:
    from schemathesis import Case, Response

__all__ = [
    "ContractFailures",
    "ContractRun",
    "ContractTarget",
    "delete_created",
    "describe_failure",
    "failures_class",
]


class ContractFailures(AssertionError):
    """The checks one case failed, with schemathesis' account of them (the curl command included).

    Each distinct set of failure keys gets its own subclass: Hypothesis tells bugs apart by the
    exception's type and where it was raised, and every check failure is raised from the same
    line, so without this a failure found first would hide all others of the operation.
    """

    keys: tuple[str, ...] = ()

    def __init__(self, group: FailureGroup) -> None:
        super().__init__(group.message)
        self.group = group

    @property
    def failures(self) -> tuple[Failure, ...]:
        return tuple(self.group.exceptions)

    @property
    def title(self) -> str:
        """The failures' titles, as one line (reports list a group of these by title)."""
        return "; ".join(dict.fromkeys(str(f.title) for f in self.failures))


@functools.cache
def failures_class(keys: tuple[str, ...]) -> type[ContractFailures]:
    """The ContractFailures subclass for one set of failure keys (one per set, so one per bug)."""
    return type("ContractFailures", (ContractFailures,), {"keys": keys, "__module__": __name__})


def describe_failure(error: BaseException) -> str | None:
    """The readable account of contract failures in ``error`` (one per distinct bug), or None.

    Hypothesis reports one failing case per distinct set of failure keys; a case whose keys all
    appeared in a case already shown adds nothing, so it is left out.
    """
    if isinstance(error, ContractFailures):
        return str(error).strip()
    if not isinstance(error, BaseExceptionGroup):
        return None
    cases = [inner for inner in error.exceptions if isinstance(inner, ContractFailures)]
    if not cases or len(cases) != len(error.exceptions):
        return None
    shown: list[ContractFailures] = []
    seen: set[str] = set()
    for case in sorted(cases, key=lambda c: -len(c.keys)):
        if not set(case.keys) <= seen:
            shown.append(case)
            seen.update(case.keys)
    if len(shown) == 1:
        return str(shown[0]).strip()
    header = f"{len(shown)} failing cases of this operation, {len(seen)} distinct failures"
    return header + "\n\n" + "\n\n".join(f"[{i}] {str(c).strip()}" for i, c in enumerate(shown, 1))


@dataclass
class ContractTarget:
    """The target as the contract run sees it, shared by every operation of a session."""

    base_url: str
    api_key: str | None
    management_key: str | None
    budget: Budget
    real: bool = False
    timeout: float = 30.0
    mock_root_url: str | None = None  # the mock's URL without the API prefix, where /_mock/ lives
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # --header; may hold secrets
    #: Set when the target stopped answering; later cases fail at once instead of waiting again.
    down: str | None = None

    def key_for(self, operation: ContractOperation) -> str | None:
        if operation.uses_management_key and self.management_key:
            return self.management_key
        return self.api_key


class ContractRun:
    """Sends and validates the cases of one operation; ``close`` deletes what they created."""

    def __init__(self, target: ContractTarget, operation: ContractOperation, document: Mapping[str, Any]):
        self.target = target
        self.operation = operation
        self.session = BudgetSession(target.budget, timeout=target.timeout)
        self.tracker = ResourceTracker(document)

    def check(self, case: Case) -> Response:
        """Send ``case`` and run the enabled checks on the answer; raises their failures."""
        __tracebackhide__ = True
        if self.target.real and self.operation.kind == "inference":
            case.body = cap_body(case.body)
        try:
            response = self._send(case)
            if self.target.real:
                self._observe(case, response)
            excluded = [] if self._auth_probes_paid(case, response) else [ignored_auth]
            case.validate_response(
                response, excluded_checks=excluded, transport_kwargs=self._transport_kwargs()
            )
        except BudgetExhausted as exc:
            not_run(f"budget spent: {exc}")
        except AnswerLimitExceeded as exc:
            inconclusive(str(exc))
        except FailureGroup as group:
            raise failures_class(tuple(failure_keys(group)))(group) from None
        return response

    def _auth_probes_paid(self, case: Case, response: Response) -> bool:
        """Pay for ignored_auth's probes before they leave; False when the budget cannot.

        schemathesis sends them through a fresh session (it drops ours to drop its credentials),
        so :class:`BudgetSession` never sees them.  Under pytest it probes after every 2xx
        answer: one request without credentials and one per security parameter with wrong
        ones (at most; an early return leaves some unspent, never overspent).  A case with no
        budget left for them is judged without that check.
        """
        if not 200 <= response.status_code < 300:
            return True
        try:
            for _ in range(1 + len(get_security_parameters(case.operation))):
                self.target.budget.charge_request()
        except BudgetExhausted:
            return False
        return True

    def _transport_kwargs(self) -> dict[str, Any]:
        return {"base_url": self.target.base_url, "session": self.session, "timeout": self.target.timeout}

    def _send(self, case: Case) -> Response:
        if self.target.down:
            raise TargetUnreachable(self.target.down)

        try:
            return case.call(base_url=self.target.base_url, session=self.session, timeout=self.target.timeout)
        except requests.Timeout as exc:
            self.target.down = f"{self.target.base_url} did not answer within {self.target.timeout:g} s"
            raise TargetTimeout(self.target.down) from exc
        except requests.ConnectionError as exc:
            self.target.down = f"{self.target.base_url} stopped answering: {type(exc).__name__}"
            raise TargetUnreachable(self.target.down) from exc

    def _observe(self, case: Case, response: Response) -> None:
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            body = None
        created = self.tracker.observe(
            case.method, case.operation.path, case.formatted_path, response.status_code, body
        )
        if created is not None and self.target.real:
            with contextlib.suppress(BudgetExhausted):  # pay for its DELETE now: cleanup never overruns
                self.target.budget.charge_request()

    def close(self) -> list[str]:
        """Delete what this operation's cases created on a real target; returns what is left."""
        return delete_created(self.target, self.tracker, self.target.key_for(self.operation))


def delete_created(target: ContractTarget, tracker: ResourceTracker, key: str | None) -> list[str]:
    """DELETE on a real target what ``tracker`` recorded; returns what could not be deleted.

    Not charged to the budget: each DELETE was paid for when its resource was created.
    """
    if not target.real:
        return []  # the mock is the harness's own; its state goes when it stops
    headers = {**target.headers, **({"Authorization": f"Bearer {key}"} if key else {})}
    with requests.Session() as session:

        def delete(path: str) -> int:
            url = target.base_url.rstrip("/") + path
            return session.delete(
                url, headers=headers, timeout=target.timeout, allow_redirects=False
            ).status_code

        return tracker.cleanup(delete)
