"""Checks: pure functions that look at what a gateway answered and raise ContractViolation.

Each check takes an ``httpx.Response`` or a value already taken from one, plus the operation it
came from, and raises :class:`gatecheck.failures.ContractViolation` with a stable ``check`` id
naming the point of the contract it guards.  Checks never send requests; the scenario suites in
``suites/`` and the schemathesis contract suite send them and hand the answers here.
"""
