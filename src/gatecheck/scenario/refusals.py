"""Refusals judged by what the vendor documents, read from the profile (``errors:``).

Accepting "400 or 404" for an unknown model means the scenario cannot fail on the status; a
vendor that documents 404 ``model_not_found`` must be held to it.  Where the profile states
nothing, any plausible refusal is accepted, but the test ends *inconclusive* with what it saw,
so a guess is never reported as a pass.
"""

from __future__ import annotations

from typing import Any

import httpx

from gatecheck.check_ids import CHECK_IDS, CheckId
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario.responses import expect_status
from gatecheck.verdicts import inconclusive

__all__ = ["expect_documented_refusal"]


def expect_documented_refusal(
    response: httpx.Response,
    profile: Profile,
    case: str,
    operation: str,
    *,
    check: CheckId,
    silent: tuple[int, ...],
    names: str | None = None,
) -> dict[str, Any]:
    """The status, error envelope and error code the vendor documents for ``case``, and a message
    mentioning ``names``; returns ``error``.  ``silent``: the statuses accepted as a refusal where
    the vendor documents none (everything else is still judged before the test says inconclusive)."""
    message_check, code_check = CHECK_IDS.part(check, "message"), CHECK_IDS.part(check, "code")
    documented = profile.documented_error(case)
    expect_status(response, documented["status"] if documented else silent, operation, check=check)
    error = check_error_envelope(response, operation=operation)
    message = str(error.get("message"))
    if names and names.lower() not in message.lower():
        raise ContractViolation(
            "Error message does not name the problem",
            expected=f"an error message mentioning {names!r}",
            received=f"HTTP {response.status_code} message: {message!r}",
            check=message_check,
            operation=operation,
        )
    if documented is None:
        inconclusive(
            f"profile {profile.name} states no documented status for this refusal ({case}); the target "
            f"answered HTTP {response.status_code} with error.code {error.get('code')!r}, not judged further"
        )
    code = documented.get("code")
    if code and str(error.get("code")) != code:
        raise ContractViolation(
            f"Error code is not the documented {code!r}",
            expected=f"error.code {code!r} ({documented['source']})",
            received=f"HTTP {response.status_code} error.code: {error.get('code')!r}",
            check=code_check,
            operation=operation,
        )
    return error
