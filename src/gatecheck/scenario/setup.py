"""An answer that says the scenario's own setup is missing is *not applicable*, never a failure.

A fallback policy the account does not have, or a model it cannot use, makes the target refuse
the scenario's request before the contract point is reached; failing the gateway for that would
be a false alarm.  To keep real defects failing, an answer qualifies only when all of these hold:

- its status is one the profile's ``setup_errors`` entry lists (a 4xx: the request was refused);
- its error message carries that entry's wording (``says``, any case);
- the message names what the scenario asked for (the policy or model it named), so a gateway
  that refuses something else, or refuses everything, still fails.

The test then ends as "not applicable: set up …", quoting the target.
"""

from __future__ import annotations

from collections.abc import Collection

import httpx

from gatecheck.profiles import Profile
from gatecheck.verdicts import not_applicable

__all__ = ["error_text", "skip_if_setup_missing"]


def error_text(response: httpx.Response) -> str:
    """``error.message`` of an envelope (a top-level ``message`` or the body text otherwise)."""
    try:
        body = response.json()
    except ValueError:
        return response.text
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    if message is None and isinstance(body, dict):
        message = body.get("message")
    return str(message) if message is not None else response.text


def skip_if_setup_missing(profile: Profile, response: httpx.Response, asked: Collection[str]) -> None:
    """End the test as not applicable when ``response`` says its setup is missing (see above)."""
    reason = profile.missing_setup(response.status_code, error_text(response), asked)
    if reason is not None:
        not_applicable(reason)
