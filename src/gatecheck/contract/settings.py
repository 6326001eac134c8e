"""What a contract run does, as one value, and the schemathesis configuration it becomes.

The seed decides every generated request: schemathesis derives each operation's seed from it
and the operation's label, so a run replays exactly with ``--gatecheck-seed N`` whatever the
order or the number of xdist workers.  Hypothesis' example database is off for the same
reason: a failure remembered from an earlier run would make two runs with one seed differ.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schemathesis.config import SchemathesisConfig
from schemathesis.config._output import DEFAULT_KEYS_TO_SANITIZE

from gatecheck.redact import MASK

__all__ = [
    "ALL_PHASES",
    "DEFAULT_EXAMPLES",
    "DEFAULT_PHASES",
    "REAL_TARGET_EXAMPLES",
    "REAL_TARGET_PHASES",
    "ContractSettings",
    "bearer_schemes",
    "new_seed",
]

ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
#: The stateful phase is its own test (it walks links across operations), not a per-operation phase.
DEFAULT_PHASES = ("examples", "coverage", "fuzzing")
#: Against a real gateway the coverage phase is left out: it sends every boundary and invalid value
#: of every field (some 150 requests for chat alone), which would spend the request budget on 400s.
REAL_TARGET_PHASES = ("examples", "fuzzing")
#: Fuzzed examples per operation against the mock: chat bodies (free-form messages and tools) are
#: slow to generate, and this keeps a flavor's run within a minute on two cores.
DEFAULT_EXAMPLES = 20
#: Against a real gateway every example costs money and budget.
REAL_TARGET_EXAMPLES = 5
#: Events read from a stream before judging it; far above any answer the run asks for.
MAX_STREAM_EVENTS = 10_000
_HEALTH_CHECKS = ["too_slow", "filter_too_much", "data_too_large", "large_base_example"]
#: Field names whose values are masked in schemathesis' output, on top of its own list. Its default
#: markers ("token", "key") would mask max_tokens and key_label and break reproduction commands;
#: secrets are masked by value anyway (gatecheck.redact), so the markers are narrowed.
_SANITIZED_KEYS = [*DEFAULT_KEYS_TO_SANITIZE, "key", "code_verifier"]
_SENSITIVE_MARKERS = ["secret", "password", "passwd", "credential", "api_key", "apikey", "api-key"]
#: Statuses that reject invalid data: schemathesis' list plus 410 (an endpoint that is gone refuses
#: everything) and 413 (a body over the gateway's size limit).
_REJECTION_STATUSES = [
    *("400", "401", "403", "404", "405", "406", "409", "410", "413", "415", "422", "428", "429", "5xx")
]


def bearer_schemes(document: Mapping[str, Any]) -> list[str]:
    """Names of the spec's HTTP bearer security schemes: where schemathesis puts the key."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    return [
        name
        for name, scheme in schemes.items()
        if isinstance(scheme, Mapping)
        and scheme.get("type") == "http"
        and str(scheme.get("scheme", "")).lower() == "bearer"
    ]


def new_seed() -> int:
    """A fresh seed, printed in the pytest header so the run can be replayed."""
    return random.SystemRandom().randrange(2**32)


@dataclass(frozen=True)
class ContractSettings:
    """Everything that decides what the contract suite generates and checks."""

    seed: int
    examples: int = DEFAULT_EXAMPLES
    checks: tuple[str, ...] = ()
    phases: tuple[str, ...] = DEFAULT_PHASES
    timeout: float = 30.0
    stateful_examples: int = DEFAULT_EXAMPLES  # scenarios of linked calls
    stateful_steps: int = 10  # calls per scenario, at most

    def schemathesis_config(
        self,
        *,
        base_url: str | None = None,
        key: str | None = None,
        schemes: list[str] | None = None,
        phases: tuple[str, ...] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> SchemathesisConfig:
        """The schemathesis configuration: only the chosen checks and phases, secrets masked.

        The key is given as the spec's bearer scheme(s), not as a header added at call time:
        schemathesis then knows which requests carry credentials, so the ones it generates
        *without* them (negative tests of authentication) really go out without them.
        """
        enabled = self.phases if phases is None else phases
        checks: dict[str, Any] = {"enabled": False}
        checks.update({name: {"enabled": True} for name in self.checks})
        if "negative_data_rejection" in checks:
            checks["negative_data_rejection"]["expected-statuses"] = _REJECTION_STATUSES
        data: dict[str, Any] = {
            "seed": self.seed,
            "suppress-health-check": _HEALTH_CHECKS,
            "max-stream-events": MAX_STREAM_EVENTS,
            "request-timeout": self.timeout,
            "warnings": False,
            "output": {
                "sanitization": {
                    "replacement": MASK,
                    "keys-to-sanitize": _SANITIZED_KEYS,
                    "sensitive-markers": _SENSITIVE_MARKERS,
                }
            },
            # Unknown query, header and body fields are ignored by both vendors and by OpenAI, so
            # schemathesis' negative cases that only add one prove nothing: they are not generated.
            "generation": {
                "max-examples": self.examples,
                "database": "none",
                "allow-extra-parameters": False,
            },
            "phases": {
                **{name: {"enabled": name in enabled} for name in ALL_PHASES},
                "stateful": {"enabled": "stateful" in enabled, "max-steps": self.stateful_steps},
            },
            "checks": checks,
        }
        if base_url:
            data["base-url"] = base_url
        if headers:  # the target's own (--header): every case carries them, like every scenario
            data["headers"] = dict(headers)
        if key and schemes:
            data["auth"] = {"openapi": {name: {"bearer": key} for name in schemes}}
        elif key:
            data["headers"] = {**data.get("headers", {}), "Authorization": f"Bearer {key}"}
        return SchemathesisConfig.from_dict(data)
