"""Is a real target there at all?  Asked once, quickly, before any suite process starts.

Without this, an unreachable gateway shows up as every suite failing slowly with connection
errors.  Any HTTP answer (even 401 or 404) counts as reachable: the suites judge the answers.
"""

from __future__ import annotations

import httpx

from gatecheck.budget import Budget
from gatecheck.errors import TargetTimeout, TargetUnreachable
from gatecheck.http import make_client

__all__ = ["PROBE_TIMEOUT", "probe"]

PROBE_TIMEOUT = 5.0


def probe(url: str, timeout: float | None = None, *, budget: Budget | None = None) -> None:
    """Raise TargetUnreachable / TargetTimeout unless ``url`` answers within a few seconds.

    The probe is a request like any other: charged to the run's budget, its body never read.
    """
    limit = min(timeout or PROBE_TIMEOUT, PROBE_TIMEOUT)
    try:
        with make_client(url, None, timeout=limit, budget=budget) as client, client.stream("GET", ""):
            pass
    except httpx.TimeoutException:
        raise TargetTimeout(
            f"target {url} did not answer within {limit:g} s; check the URL and your network, "
            "or raise --timeout for a slow gateway"
        ) from None
    except httpx.TransportError as exc:
        reason = str(exc) or type(exc).__name__
        raise TargetUnreachable(
            f"target {url} is unreachable ({type(exc).__name__}: {reason}); "
            "check the URL, DNS and that the gateway is up"
        ) from None
