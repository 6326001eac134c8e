"""The contract run: property-based tests of every operation of a target's spec, with schemathesis.

The pytest suite in ``suites/contract/`` is the way in; this package holds what it is made of,
so the runner and tests can use the parts without pytest:

- ``settings``    ContractSettings (seed, examples, checks, phases) and the schemathesis config
- ``operations``  the spec's operations, classified (read, inference, write) and one at a time
- ``run``         ContractRun: one generated case sent safely, validated, its resources tracked
- ``stateful``    the stateful phase over the spec's links (mock reset between examples)
- ``compat``      a bridge over a pytest 9.2 change schemathesis 4.32 does not know yet
"""
