"""Harness errors: things wrong with gatecheck's inputs or surroundings, never with the gateway.

A gateway's departure from its contract is a :class:`gatecheck.failures.ContractViolation`
(an ``AssertionError``), reported as a test failure.  Everything here instead stops the run
with exit code 2 and a message the user can act on.  The tree::

    GatecheckError
     ├── UsageError              bad command line, config file or environment
     │    ├── ConfigError        gatecheck.toml does not validate
     │    ├── UnknownNameError   no such profile, spec, suite, check or fault mode
     │    └── MissingSecretError an environment variable named for a key is unset
     ├── SpecError               a spec cannot be loaded, parsed or validated
     │    ├── SpecLoadError      missing file, unreadable YAML/JSON
     │    ├── LapSyntaxError     malformed LAP, with file:line:column
     │    └── SpecInvalidError   parsed, but not valid OpenAPI
     ├── TargetError             the gateway cannot be talked to at all
     │    ├── TargetUnreachable  connection refused, DNS failure
     │    └── TargetTimeout      no answer within the configured timeout
     ├── BudgetExhausted         the request or token budget for a real target is spent
     ├── RunTimeExceeded         the run reached --max-duration
     ├── ReportWriteError        a report cannot be written (disk full, a path that is not a plain file)
     └── HarnessBug              gatecheck's own code raised while judging an answer (a bug)
"""

from __future__ import annotations

__all__ = [
    "REPORT_BUGS",
    "BudgetExhausted",
    "ConfigError",
    "GatecheckError",
    "HarnessBug",
    "LapSyntaxError",
    "MissingSecretError",
    "ReportWriteError",
    "RunTimeExceeded",
    "SpecError",
    "SpecInvalidError",
    "SpecLoadError",
    "TargetError",
    "TargetTimeout",
    "TargetUnreachable",
    "UnknownNameError",
    "UsageError",
]


class GatecheckError(Exception):
    """Base of every harness error; ``str(err)`` is the whole user-facing message."""

    exit_code = 2


class UsageError(GatecheckError):
    """The command line, config file or environment asks for something impossible."""


class ConfigError(UsageError):
    """A config file was found but does not validate."""


class UnknownNameError(UsageError):
    """A name (profile, spec, suite, check, fault mode) is not in its registry."""

    def __init__(self, kind: str, name: str, known: list[str] | tuple[str, ...]) -> None:
        self.kind, self.name, self.known = kind, name, list(known)
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(sorted(self.known)) or '(none)'}")


class MissingSecretError(UsageError):
    """An environment variable that should hold a key is unset or empty."""

    def __init__(self, variable: str, purpose: str) -> None:
        self.variable = variable
        super().__init__(
            f"environment variable {variable} is not set; it should hold the {purpose}. "
            f"Export it, or name another variable with the matching --*-key-env option."
        )


class SpecError(GatecheckError):
    """A spec cannot be used."""


class SpecLoadError(SpecError):
    """A spec file is missing or is not readable YAML/JSON."""


class LapSyntaxError(SpecError):
    """A LAP document is malformed; carries the position for editors and CI annotations."""

    def __init__(self, message: str, *, file: str, line: int, column: int) -> None:
        self.file, self.line, self.column, self.reason = file, line, column, message
        super().__init__(f"{file}:{line}:{column}: {message}")


class SpecInvalidError(SpecError):
    """A spec parsed but is not a valid OpenAPI document."""


class TargetError(GatecheckError):
    """The target gateway cannot be talked to at all."""


class TargetUnreachable(TargetError):
    """Connection refused, DNS failure, TLS failure."""


class TargetTimeout(TargetError):
    """The target did not answer within the configured timeout."""


class BudgetExhausted(GatecheckError):
    """The request or token budget for a real target is spent; the run stops sending."""


#: Where a user reports a gatecheck bug; every harness-bug title ends with it.
REPORT_BUGS = (
    "this is gatecheck's fault, not the gateway's: please report it to gatecheck's maintainers "
    "with this message and the run's results.json"
)


class HarnessBug(GatecheckError):
    """gatecheck's own code (a check, the contract adapter, the SSE decoder) raised while judging.

    The gateway's answer may be perfectly fine; the run reports the test as ``error`` (never
    ``failed``) and exits 2 when nothing else failed.
    """

    def __init__(self, where: str, cause: BaseException) -> None:
        self.where, self.cause = where, cause
        first = (str(cause).strip().splitlines() or [""])[0][:200]
        super().__init__(f"gatecheck error in {where}: {type(cause).__name__}: {first} ({REPORT_BUGS})")


class RunTimeExceeded(GatecheckError):
    """The run reached ``--max-duration``; what had not finished is not run."""


class ReportWriteError(GatecheckError):
    """A report file cannot be written: the disk is full, or a path in the report folder is not
    what it should be (a folder where ``history/index.jsonl`` goes, a file named ``history``)."""
