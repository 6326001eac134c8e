"""The httpx clients suites use: authenticated, budgeted, with a timeout, redaction-aware.

Built from a Target, never from ad-hoc ``os.environ`` reads, so a missing key is a clear
harness error instead of a confusing 401.
"""

from __future__ import annotations

import json

import httpx

from gatecheck.budget import Budget

__all__ = ["make_client"]


def _charge_tokens(budget: Budget):  # type: ignore[no-untyped-def]
    def hook(response: httpx.Response) -> None:
        if "application/json" not in response.headers.get("content-type", ""):
            return
        response.read()
        try:
            usage = json.loads(response.content).get("usage") or {}
        except (ValueError, AttributeError):
            return
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
) -> httpx.Client:
    """A client for ``base_url``; paths given to it are relative (``client.post("chat/completions")``)."""
    budget = budget or Budget()
    all_headers = {"User-Agent": "gatecheck", **(headers or {})}
    if key:
        all_headers["Authorization"] = f"Bearer {key}"
    return httpx.Client(
        base_url=base_url.rstrip("/") + "/",
        headers=all_headers,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        event_hooks={
            "request": [lambda _request: budget.charge_request()],
            "response": [_charge_tokens(budget)],
        },
    )
