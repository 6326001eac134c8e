"""What a test becomes when the run's own limits, not the gateway, stop it.

- the budget is spent before the test could send: *not run* (never passed, never failed),
  also when the test swallowed the refusal and carried on (Hypothesis examples);
- a plain answer too slow or too large to judge: *inconclusive*, with the figures;
- the target refused a model configured for a role, saying the account cannot use it (the
  profile's ``setup_errors``): *not applicable: set up …*, quoting the target;
- the target stopped answering (the circuit breaker tripped): *not run*, and the session stops,
  so the remaining tests are not each left to time out; ``gatecheck run`` then ends with exit 2.

A stream that does not end within its limits is a contract violation and stays a failure
(:class:`gatecheck.limits.StreamLimitExceeded`).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

import pytest

from gatecheck.budget import last_refusal_here, refused_here
from gatecheck.errors import BudgetExhausted
from gatecheck.failures import ContractViolation
from gatecheck.limits import AnswerLimitExceeded, TargetNotAnswering
from gatecheck.plugin.fixtures import target_for
from gatecheck.verdicts import inconclusive, not_applicable, not_run

__all__: list[str] = []


#: How :func:`gatecheck.scenario.describe` renders an answer in a violation's ``received``.
_DESCRIBED = re.compile(r"HTTP (\d{3}) [^:]*: (.*)", re.S)


def _setup_missing(item: pytest.Item, exc: ContractViolation) -> str | None:
    """Why the violation is the account's missing setup: the target refused a model configured
    for one of the profile's roles, saying the account cannot use it."""
    answer = _DESCRIBED.fullmatch(exc.received) if isinstance(exc.received, str) else None
    if answer is None:
        return None
    profile = target_for(item.config).profile
    return profile.missing_setup(int(answer[1]), answer[2], [m for m in profile.models.values() if m])


def _judge(item: pytest.Item, exc: BaseException) -> None:
    if "gateway" not in getattr(item, "fixturenames", ()):
        return  # not a test of a gateway (gatecheck's own tests): an exception stays an exception
    if isinstance(exc, ContractViolation) and (setup := _setup_missing(item, exc)):
        not_applicable(setup)
    if isinstance(exc, TargetNotAnswering):
        item.session.shouldstop = f"gatecheck: {exc}"
        not_run(str(exc))
    if isinstance(exc, BudgetExhausted):
        not_run(f"budget spent: {exc}")
    if isinstance(exc, AnswerLimitExceeded):
        inconclusive(str(exc))


def _unwrap(exc: BaseException) -> BaseException:
    """The harness error inside a one-member exception group (Hypothesis wraps some)."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, Any]:
    try:
        return (yield)
    except Exception as exc:
        _judge(item, _unwrap(exc))
        raise


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    before = refused_here()
    try:
        result = yield
    except Exception as exc:
        _judge(item, _unwrap(exc))
        raise
    refused = refused_here() - before
    if refused and "gateway" in getattr(item, "fixturenames", ()):
        # Hypothesis (the contract suite) carries on past a refused example: the test ran only
        # in part, which is not a pass.
        not_run(f"budget spent: {refused} request(s) of this test refused ({last_refusal_here()})")
    return result
