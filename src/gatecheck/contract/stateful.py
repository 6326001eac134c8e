"""The stateful phase: sequences of calls along the spec's links (key lifecycle, guardrails).

The specs link a create to the reads, updates and delete of what it created, and a delete to
a read that must then answer 404; schemathesis walks those links and its stateful checks
(``use_after_free``, ``ensure_resource_availability``) judge the sequence.  Two ways to run it:

- against the mock, as a Hypothesis state machine (``schema.as_state_machine()``), the mock
  reset through ``POST /_mock/reset`` at the start of every example so no example sees what
  another left behind, and seeded from the run's seed;
- against a real gateway, with schemathesis' own engine (``--phases stateful``), which is built
  for state that persists between scenarios; everything it creates is tracked and deleted at
  the end, every request is charged to the budget first, and bodies are capped as elsewhere.

The phase's scenarios are independent of each other (each starts from a reset mock, or works on
what it created itself), so the phase is split into :data:`STATEFUL_PARTS` test items that run
side by side under ``--concurrency``: against a gateway 300 ms away its chain of dependent calls
was the run's floor (about 80 calls, 24 s).  Each part is its own Hypothesis run, and Hypothesis
opens every run with its simplest scenario, so the scenarios past the first are what is shared
out: a part runs its own simplest one plus its share of the others, and splitting loses none of
the random scenarios one run would have made.  The parts and their seeds depend only on the
run's seed and ``--examples``, never on the concurrency.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

import httpx
import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.engine import events
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER, HookContext

from gatecheck.checks.safety import BudgetSession, ResourceTracker, cap_body, classify
from gatecheck.checks.schemathesis_checks import failure_keys
from gatecheck.contract.operations import HTTP_METHODS
from gatecheck.contract.run import ContractFailures, ContractTarget, failures_class
from gatecheck.contract.settings import ContractSettings, bearer_schemes
from gatecheck.errors import BudgetExhausted
from gatecheck.profiles import Profile
from gatecheck.redact import default_redactor
from gatecheck.tls import default_context

if TYPE_CHECKING:
    from schemathesis import Case, Response
    from schemathesis.generation.stateful.state_machine import APIStateMachine

__all__ = [
    "STATEFUL_PARTS",
    "EngineFailures",
    "StatefulPart",
    "linked_document",
    "reset_mock",
    "run_state_machine",
    "run_with_engine",
    "state_machine",
    "stateful_parts",
]

#: How many test items the stateful phase is split into (fewer when there are fewer scenarios).
#: Fixed, not taken from ``--concurrency``, so that ids, seeds and results do not depend on it.
STATEFUL_PARTS = 4


@dataclass(frozen=True)
class StatefulPart:
    """One share of the stateful phase's scenarios: part ``number``, ``examples`` of them."""

    number: int
    examples: int

    @property
    def id(self) -> str:
        """The test id's parameter: ``part1`` (plain, so ``-k part1`` selects it)."""
        return f"part{self.number}"

    def settings(self, settings: ContractSettings) -> ContractSettings:
        """The run's settings for this part: its share of the scenarios, and a seed of its own
        derived from the run's (the first part keeps the run's seed)."""
        seed = settings.seed
        if self.number > 1:  # str seeding is hashed with sha512: the same in every process
            seed = random.Random(f"{settings.seed}:stateful:{self.number}").randrange(2**32)
        return replace(settings, seed=seed, examples=self.examples, stateful_examples=self.examples)


def stateful_parts(examples: int) -> list[StatefulPart]:
    """The parts ``examples`` scenarios are split into.

    Every part opens with Hypothesis' simplest scenario, so the ``examples - 1`` others are shared
    out and each part runs one more than its share: ``--examples 5`` makes four parts of 2.
    """
    others = max(0, examples - 1)
    count = max(1, min(STATEFUL_PARTS, others))
    return [
        StatefulPart(number, 1 + others // count + (1 if number <= others % count else 0))
        for number in range(1, count + 1)
    ]


def _operation_ids(document: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if isinstance(item, Mapping) and isinstance(item.get(method), Mapping):
                yield path, method, item[method]


def linked_document(document: Mapping[str, Any]) -> dict[str, Any] | None:
    """``document`` with only the operations its links connect; None when it has no links."""
    sources: set[tuple[str, str]] = set()
    targets: set[str] = set()
    for path, method, operation in _operation_ids(document):
        for response in (operation.get("responses") or {}).values():
            links = (response or {}).get("links") if isinstance(response, Mapping) else None
            for link in (links or {}).values():
                sources.add((path, method))
                if isinstance(link, Mapping) and link.get("operationId"):
                    targets.add(str(link["operationId"]))
    if not sources:
        return None
    paths: dict[str, dict[str, Any]] = {}
    for path, method, operation in _operation_ids(document):
        if (path, method) in sources or operation.get("operationId") in targets:
            item = document["paths"][path]
            kept = paths.setdefault(path, {k: v for k, v in item.items() if k not in HTTP_METHODS})
            kept[method] = operation
    return {**{k: v for k, v in document.items() if k != "paths"}, "paths": paths}


def _stateful_schema(
    document: Mapping[str, Any], settings: ContractSettings, target: ContractTarget
) -> schemathesis.BaseSchema:
    # Linked operations manage keys and guardrails: they take the management key where there is one.
    key = target.management_key or target.api_key
    config = settings.schemathesis_config(
        base_url=target.base_url, key=key, schemes=bearer_schemes(document), phases=("stateful",)
    )
    return schemathesis.openapi.from_dict(dict(document), config=config)


def state_machine(
    document: Mapping[str, Any],
    settings: ContractSettings,
    target: ContractTarget,
    *,
    reset: Callable[[], None],
) -> type[APIStateMachine]:
    """A state machine over the linked operations of the mock, reset before each example and
    seeded by the run (a real gateway goes through :func:`run_with_engine` instead)."""
    base = _stateful_schema(document, settings, target).as_state_machine()
    session = BudgetSession(target.budget, timeout=target.timeout)

    class GatecheckStateMachine(base):  # type: ignore[valid-type,misc]
        """One scenario of linked calls, from a freshly reset mock."""

        #: Every failure raised, in order: Hypothesis' final replay of a failing scenario meets
        #: fresh ids from the server and may take another path, which it reports as flakiness.
        found: ClassVar[list[ContractFailures]] = []

        def setup(self) -> None:
            reset()

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"base_url": target.base_url, "session": session, "timeout": target.timeout}

        def validate_response(
            self, response: Response, case: Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            __tracebackhide__ = True
            try:
                super().validate_response(response, case, additional_checks, **kwargs)
            except FailureGroup as group:
                failure = failures_class(tuple(failure_keys(group)))(group)
                self.found.append(failure)
                raise failure from None

    GatecheckStateMachine.__name__ = GatecheckStateMachine.__qualname__ = "GatecheckStateMachine"
    # As schemathesis' engine does per suite: the seed also orders the first step's rules, so the
    # simplest scenario each part opens with starts somewhere else.
    GatecheckStateMachine.rule_order_seed = settings.seed
    return hypothesis.seed(settings.seed)(GatecheckStateMachine)


def run_state_machine(machine: type[APIStateMachine], settings: ContractSettings) -> None:
    """Run ``machine`` for the settings' examples and steps; raises the failures it found.

    When Hypothesis cannot replay a failing scenario (the server answered the replay with other
    ids), the failures the first run saw are raised instead of its complaint about flakiness.
    """
    found: list[ContractFailures] = getattr(machine, "found", [])
    found.clear()
    try:
        _run(machine, settings)
    except hypothesis.errors.Flaky:
        if not found:
            raise
        distinct = {type(f): f for f in found}
        if len(distinct) == 1:
            raise found[0] from None
        raise ExceptionGroup("the stateful phase found several failures", list(distinct.values())) from None


def _run(machine: type[APIStateMachine], settings: ContractSettings) -> None:
    machine.run(
        settings=hypothesis.settings(
            max_examples=settings.stateful_examples,
            stateful_step_count=settings.stateful_steps,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            # Generate only, as schemathesis does: a replay meets a server whose ids and timing differ,
            # so shrinking a stateful failure would report Hypothesis flakiness instead of the failure.
            phases=[hypothesis.Phase.generate],
        )
    )


class EngineFailures(AssertionError):
    """What schemathesis' engine found in the stateful phase, one entry per operation and check."""

    def __init__(self, found: dict[str, tuple[Failure, str]]) -> None:
        self.found = found
        lines = [f"The stateful phase found {len(found)} distinct failures"]
        for key, (failure, curl) in found.items():
            lines += [
                "",
                f"- {key}: {failure.title}",
                _indent(failure.message),
                "",
                "  Reproduce with:",
                f"    {curl}",
            ]
        super().__init__(default_redactor.text("\n".join(lines)))

    @property
    def keys(self) -> list[str]:
        return list(self.found)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def run_with_engine(
    document: Mapping[str, Any],
    settings: ContractSettings,
    target: ContractTarget,
    profile: Profile,
    tracker: ResourceTracker,
) -> None:
    """Run schemathesis' engine's stateful phase against a real target; raises EngineFailures.

    The engine sends through its own sessions, so the budget is charged from schemathesis' hooks:
    each case before it is sent, and, reserved up front or when a resource is created, the
    requests its checks send on their own (one auth probe pair per operation, a read-back and
    the cleanup's DELETE per created resource).
    """
    schema = _stateful_schema(document, settings, target)
    try:
        for _ in range(2 * sum(1 for _ in _operation_ids(document))):
            target.budget.charge_request()
    except BudgetExhausted as exc:
        pytest.skip(f"gatecheck: {exc}")

    def before_call(context: HookContext, case: Case, kwargs: dict[str, Any]) -> None:
        target.budget.charge_request()
        if classify(case.method, case.operation.path, profile) == "inference":
            case.body = cap_body(case.body)

    def after_call(context: HookContext, case: Case, response: Response) -> None:
        status, body = response.status_code, _json(response)
        if tracker.observe(case.method, case.operation.path, case.formatted_path, status, body):
            with contextlib.suppress(BudgetExhausted):
                target.budget.charge_request()
                target.budget.charge_request()

    GLOBAL_HOOK_DISPATCHER.register_hook_with_name(before_call, "before_call")
    GLOBAL_HOOK_DISPATCHER.register_hook_with_name(after_call, "after_call")
    found: dict[str, tuple[Failure, str]] = {}
    errors: list[str] = []
    spent = False
    try:
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                _collect(event, found)
            elif isinstance(event, events.NonFatalError):
                spent = spent or isinstance(event.value.__cause__, BudgetExhausted)
                errors.append(f"{event.label}: {type(event.value).__name__}: {event.value}")
            elif isinstance(event, events.FatalError):
                errors.append(f"{type(event.exception).__name__}: {event.exception}")
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(before_call)
        GLOBAL_HOOK_DISPATCHER.unregister(after_call)
    if found:
        raise EngineFailures(found)
    if spent:
        pytest.skip("gatecheck: the budget was spent during the stateful phase")
    if errors:
        raise AssertionError(default_redactor.text("The stateful phase could not run:\n" + "\n".join(errors)))


def _collect(event: events.ScenarioFinished, found: dict[str, tuple[Failure, str]]) -> None:
    for nodes in event.recorder.checks.values():
        for node in nodes:
            info = node.failure_info
            if info is not None:
                key = f"{info.failure.operation or '*'}::{node.name}"
                found.setdefault(key, (info.failure, info.code_sample))


def _json(response: Response) -> Any:
    try:
        return json.loads(response.content) if response.content else None
    except ValueError:
        return None


def reset_mock(root_url: str, admin_key: str | None, *, timeout: float = 10.0) -> Callable[[], None]:
    """A function that puts the mock back in its startup state (``POST /_mock/reset``)."""

    def reset() -> None:
        response = httpx.post(
            root_url.rstrip("/") + "/_mock/reset",
            headers={"Authorization": f"Bearer {admin_key}"} if admin_key else {},
            timeout=timeout,
            verify=default_context(),  # one reset per example: a new TLS context each would cost 50 ms
        )
        if response.status_code != 200:
            raise AssertionError(
                f"gatecheck: the mock refused POST /_mock/reset: HTTP {response.status_code}"
            )

    return reset
