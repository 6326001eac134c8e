"""The command-line options of the plugin; ``gatecheck run`` passes its flags through these."""

from __future__ import annotations

import pytest

from gatecheck.mock.settings import RETRY_AFTER_FORMS
from gatecheck.profiles.roles import ROLES

__all__ = ["add_options"]


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("gatecheck", "gatecheck gateway target")
    group.addoption(
        "--gateway-url",
        default=None,
        help="API base URL of the gateway, a target name from gatecheck.toml, or 'mock' "
        "(default: the built-in mock gateway)",
    )
    group.addoption(
        "--profile", default=None, help="vendor profile: requesty, openrouter, openai or a .yaml file"
    )
    group.addoption(
        "--api-key-env",
        default=None,
        help="environment variable holding the inference key (default GATECHECK_API_KEY)",
    )
    group.addoption(
        "--management-key-env",
        default=None,
        help="environment variable holding the management key (default GATECHECK_MANAGEMENT_KEY)",
    )
    group.addoption(
        "--model",
        dest="gatecheck_models",
        action="append",
        default=[],
        metavar="ROLE=NAME",
        help=f"the target's model for a role (repeatable); roles: {', '.join(ROLES)}",
    )
    group.addoption(
        "--embedding-dimensions",
        type=int,
        default=None,
        metavar="N",
        help="vector length of the embedding model",
    )
    group.addoption(
        "--header",
        dest="gatecheck_headers",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="extra request header (repeatable); ${ENV} in the value is read from the environment",
    )
    group.addoption(
        "--body-field",
        dest="gatecheck_body_fields",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="extra field in every inference request body (repeatable)",
    )
    group.addoption(
        "--gatecheck-config", default=None, help="config file (default ./gatecheck.toml if present)"
    )
    group.addoption(
        "--mock-fault",
        action="append",
        default=[],
        help="fault mode for the built-in mock (repeatable); see 'gatecheck mock --list-faults'",
    )
    group.addoption(
        "--mock-rate-limit-every",
        type=int,
        default=0,
        metavar="N",
        help="the built-in mock answers every Nth inference request 429 with Retry-After first "
        "(a legal rate limit: verdicts must not change)",
    )
    group.addoption(
        "--mock-retry-after-form",
        choices=RETRY_AFTER_FORMS,
        default="seconds",
        help="how those 429s give Retry-After: delay-seconds or an HTTP-date",
    )
    group.addoption(
        "--allow-writes",
        action="store_true",
        default=False,
        help="allow tests that create or delete resources on a real target",
    )
    group.addoption(
        "--max-requests",
        type=int,
        default=None,
        help="request budget for a real target (default 500; unlimited against the mock)",
    )
    group.addoption(
        "--max-tokens",
        type=int,
        default=None,
        help="token budget for a real target (default 50000; unlimited against the mock)",
    )
    group.addoption(
        "--gatecheck-budget",
        default=None,
        help="the run's shared budget file (set by 'gatecheck run'; default: one for this session)",
    )
    group.addoption("--request-timeout", type=float, default=None, help="seconds to wait for an answer")
    group.addoption("--examples", type=int, default=None, help="schemathesis examples per operation")
    group.addoption("--gatecheck-seed", type=int, default=None, help="seed for generated data")
    group.addoption(
        "--contract-checks",
        action="append",
        default=None,
        help="checks of the contract suite, comma-separated: names, 'all', '-name' to drop one",
    )
    spec = parser.getgroup("gatecheck-spec", "gatecheck: your own spec")
    spec.addoption(
        "--spec",
        default=None,
        help="test against this spec (an OpenAPI or LAP file, a spec folder or a bundled name) "
        "instead of the profile's; with no --profile, the profile is inferred from it",
    )
    spec.addoption(
        "--operations",
        action="append",
        default=None,
        help="operations of the spec to test, comma-separated: 'METHOD /path' globs, operationIds or tags",
    )
    spec.addoption(
        "--strict-spec",
        action="store_true",
        default=False,
        help="refuse a spec with any problem instead of repairing it or skipping what it breaks",
    )
