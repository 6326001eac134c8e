"""Who may call inference, how often: authentication and the per-key rate limit.

Every inference handler starts with :func:`admit`; it is the one place the ``auth-not-enforced``
fault applies, and it marks the request as inference-plane so the error renderer knows which
faults concern its errors.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections import deque
from typing import TYPE_CHECKING

from starlette.requests import Request

from gatecheck.mock.accounts import Principal
from gatecheck.mock.errors import MockHTTPError

if TYPE_CHECKING:
    from gatecheck.mock.inference.context import Context

__all__ = ["ANONYMOUS", "RateLimiter", "admit", "bearer", "mark_inference"]

ANONYMOUS = Principal(key_id="anonymous", role="inference", name="(auth not enforced)")
_WINDOW = 60.0
_ANALYTICS = ("http-referer", "x-title")  # 001 changelog: app attribution headers


def bearer(request: Request) -> str | None:
    """The token from ``Authorization: Bearer``, or Anthropic-style ``x-api-key``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("x-api-key") or None


class RateLimiter:
    """A sliding one-minute window of request times per key, and a share of legal 429s.

    ``every``: the Nth, 2Nth... request is answered 429 with a valid Retry-After before it is
    served, as a busy real gateway does; a client that waits and retries gets its answer.
    """

    def __init__(self, per_minute: int | None, *, every: int = 0, form: str = "seconds") -> None:
        self.per_minute = per_minute
        self.every, self.form = every, form
        self._count = 0
        self._seen: dict[str, deque[float]] = {}

    def check(self, key: str) -> None:
        """Count one request, or 429 with Retry-After when the key's window is full."""
        self._share()
        if self.per_minute is None:
            return
        now = time.monotonic()
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= now - _WINDOW:
            seen.popleft()
        if len(seen) >= self.per_minute:
            wait = max(1, math.ceil(seen[0] + _WINDOW - now))
            raise MockHTTPError(
                429,
                f"rate limit of {self.per_minute} requests per minute exceeded",
                headers={"Retry-After": str(wait)},
            )
        seen.append(now)

    def _share(self) -> None:
        if not self.every:
            return
        self._count += 1
        if self._count % self.every:
            return
        # An HTTP-date has whole seconds: two from now asks for a wait of one to two seconds.
        value = email.utils.formatdate(time.time() + 2, usegmt=True) if self.form == "date" else "1"
        raise MockHTTPError(429, "too many requests; retry later", headers={"Retry-After": value})


def mark_inference(request: Request) -> None:
    """Errors of this request are inference-plane errors (see the error renderer)."""
    request.state.plane = "inference"


def admit(ctx: Context, request: Request) -> Principal:
    """Authenticate an inference call and count it against its key's rate limit."""
    mark_inference(request)
    try:
        principal = ctx.accounts.authenticate(bearer(request), "inference")
    except MockHTTPError as exc:
        if exc.status != 401 or "auth-not-enforced" not in ctx.faults:
            raise
        principal = ANONYMOUS
    ctx.limiter.check(principal.key_id)
    if "analytics-headers-refused" in ctx.faults and any(h in request.headers for h in _ANALYTICS):
        raise MockHTTPError(400, "unsupported request headers: HTTP-Referer, X-Title")
    return principal
