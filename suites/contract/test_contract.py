"""Property-based contract tests: every operation of the target's spec, checked by schemathesis.

One item per operation (``test_operation[POST /chat/completions]``): schemathesis generates
requests from the spec (its examples, boundary values, random valid and invalid data), and
every answer must keep the contract the checks of ``gatecheck.checks.registry`` describe.
A failure names the operation, the check and the contract point, and carries a curl command
that reproduces it with the key redacted.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis

from gatecheck.contract.run import ContractRun

schema = schemathesis.pytest.from_fixture("contract_schema")


@schema.parametrize()
def test_operation(case: schemathesis.Case, contract_run: ContractRun) -> None:
    """Generated requests to the operation are answered as its contract says"""
    contract_run.check(case)


# schemathesis returns a wrapper with a docstring of its own; reports take their title from this.
test_operation.__doc__ = "Generated requests to the operation are answered as its contract says"


@pytest.mark.writes
@pytest.mark.long_chain  # chains of dependent calls: started first, the parts overlap the rest
def test_stateful(contract_stateful: Callable[[], None]) -> None:
    """Linked operations (key lifecycle, guardrails) keep the contract across sequences of calls"""
    contract_stateful()
