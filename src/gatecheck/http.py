"""The httpx clients suites use: authenticated, budgeted, with a timeout, shape-recording.

Built from a Target, never from ad-hoc ``os.environ`` reads, so a missing key is a clear
harness error instead of a confusing 401.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from gatecheck.budget import Budget
from gatecheck.extra_body import ExtraBodyTransport
from gatecheck.retry import RetryTransport
from gatecheck.shapes import record_shape

__all__ = ["make_client"]


def _is_stream_request(request: httpx.Request) -> bool:
    return b'"stream": true' in request.content or b'"stream":true' in request.content


def _observe(budget: Budget) -> Callable[[httpx.Response], None]:
    """Charge tokens and record the response shape of every JSON answer.

    Streamed requests are left alone: reading their body here would buffer the stream in our
    own client and hide the very thing the streaming suite measures.
    """

    def hook(response: httpx.Response) -> None:
        if "application/json" not in response.headers.get("content-type", ""):
            return
        if _is_stream_request(response.request):
            return
        response.read()
        try:
            body = json.loads(response.content)
        except ValueError:
            return
        if response.is_success:
            record_shape(f"{response.request.method} {response.request.url.path}", body)
        usage = body.get("usage") if isinstance(body, dict) else None
        tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
        if isinstance(tokens, int):
            budget.charge_tokens(tokens)

    return hook


def make_client(
    base_url: str,
    key: str | None,
    *,
    timeout: float = 30.0,
    budget: Budget | None = None,
    headers: dict[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
) -> httpx.Client:
    """A client for ``base_url``; paths given to it are relative (``client.post("chat/completions")``).

    ``body`` holds extra fields for every inference request body (``--body-field``).
    """
    budget = budget or Budget()
    all_headers = {"User-Agent": "gatecheck", **(headers or {})}
    if key:
        all_headers["Authorization"] = f"Bearer {key}"
    transport = ExtraBodyTransport(httpx.HTTPTransport(), body) if body else None
    return httpx.Client(
        base_url=base_url.rstrip("/") + "/",
        # rate limits waited out, retries charged (gatecheck.retry)
        transport=RetryTransport(transport, charge=budget.charge_request),
        headers=all_headers,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        event_hooks={
            "request": [lambda _request: budget.charge_request()],
            "response": [_observe(budget)],
        },
    )
