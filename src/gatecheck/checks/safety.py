"""Safety for runs against a real gateway: what may be sent, how much, and what is left behind.

A property-based run against a paid gateway must not create resources it cannot clean up,
must not spend more than the budget, and must not ask for long completions.  So:

- operations are classified (:func:`classify`) as reads, inference or writes; writes (keys,
  guardrails, auth) run against a real target only with ``--allow-writes``;
- generated inference bodies are capped (:func:`cap_body`): few output tokens, one choice;
- every request goes through a :class:`BudgetSession`, which charges the budget *before*
  sending (it is never exceeded) and counts the tokens each answer reports;
- a rate-limited answer is waited out and retried under the run's one policy
  (:mod:`gatecheck.retry`), each retry charged like any request;
- what a write creates is tracked from its answer and deleted at the end, pass or fail
  (:class:`ResourceTracker`), and secrets it returns are registered with the redactor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import requests

from gatecheck.budget import Budget
from gatecheck.limited_session import LimitedSession
from gatecheck.redact import Redactor, default_redactor
from gatecheck.retry import RetryPolicy, default_policy
from gatecheck.specs.oas import request_fields

if TYPE_CHECKING:
    from gatecheck.profiles import Profile

__all__ = [
    "INFERENCE_ENDPOINTS",
    "INFERENCE_FIELDS",
    "MAX_OUTPUT_TOKENS",
    "BudgetSession",
    "Created",
    "Kind",
    "ResourceTracker",
    "cap_body",
    "classify",
]

Kind = Literal["read", "inference", "write"]

#: Profile endpoint names whose POST is a (billed) model call rather than a write.
INFERENCE_ENDPOINTS = ("chat", "embeddings", "rerank", "responses", "messages")
#: Request fields that make a POST a model call, whatever its path.
INFERENCE_FIELDS = frozenset({"messages", "input", "prompt", "stream"})
#: The most output tokens a generated request may ask a real gateway for.
MAX_OUTPUT_TOKENS = 16
_TOKEN_FIELDS = ("max_tokens", "max_completion_tokens", "max_output_tokens")


def classify(
    method: str,
    path: str,
    profile: Profile,
    operation: Mapping[str, Any] | None = None,
    document: Mapping[str, Any] | None = None,
) -> Kind:
    """Whether an operation only reads, calls a model, or changes state on the gateway.

    A POST is a model call when the profile names its path, or when its request schema has a
    field only model calls take (:data:`INFERENCE_FIELDS`): a spec's own ``POST /responses`` is
    inference whether or not the profile lists it, and goes with the inference key.
    """
    method = method.upper()
    if method in ("GET", "HEAD", "OPTIONS"):
        return "read"
    inference = {profile.paths[name] for name in INFERENCE_ENDPOINTS if name in profile.paths}
    if method != "POST":
        return "write"
    if path in inference:
        return "inference"
    fields = request_fields(document, operation) if operation is not None and document is not None else set()
    return "inference" if fields & INFERENCE_FIELDS else "write"


def cap_body(body: Any, limit: int = MAX_OUTPUT_TOKENS) -> Any:
    """A generated inference body made cheap: output tokens capped at ``limit``, one choice.

    Only values that are valid and too large are changed, so negative test data stays negative.
    """
    if not isinstance(body, dict):
        return body
    capped = dict(body)
    for name in _TOKEN_FIELDS:
        value = capped.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > limit:
            capped[name] = limit
    if isinstance(capped.get("n"), int) and not isinstance(capped["n"], bool) and capped["n"] > 1:
        capped["n"] = 1
    return capped


class BudgetSession(LimitedSession):
    """A requests session that charges every request to a budget before it leaves.

    schemathesis sends through it both the generated request and the probes its checks add
    (``ignored_auth`` resends without credentials), so every one of them is counted, and every
    one is retried under the run's retry policy when it is rate-limited (each attempt charged,
    each answer bounded by the run's limits: :class:`gatecheck.limited_session.LimitedSession`).
    """

    def __init__(self, budget: Budget, policy: RetryPolicy | None = None, *, timeout: float = 30.0) -> None:
        super().__init__(budget, timeout=timeout)
        self.policy = policy

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        path = urlsplit(request.url or "").path
        return (self.policy or default_policy).send(
            lambda: super(BudgetSession, self).send(request, **kwargs),
            status=lambda r: r.status_code,
            retry_after=lambda r: r.headers.get("retry-after"),
            operation=f"{request.method} {path}",
            discard=lambda r: r.close(),
        )


@dataclass(frozen=True)
class Created:
    """A resource a write created: where to DELETE it."""

    path: str  # the item path with the id filled in, relative to the base URL
    operation: str  # the operation that created it


@dataclass
class ResourceTracker:
    """Remembers what POSTs created and deletes it at the end, so a real target is left as found.

    The item path and the id come from the spec: the created resource lives at ``POST``'s path
    plus ``/{param}`` where a DELETE is defined, and its id is read from the answer as the
    create operation's links say (``$response.body#/id``), else from ``id``, ``hash`` or
    ``data.id``.  Plaintext keys in answers are registered with the redactor on sight.
    """

    document: Mapping[str, Any]
    redactor: Redactor = field(default_factory=lambda: default_redactor)
    created: list[Created] = field(default_factory=list)

    def observe(self, method: str, path: str, filled_path: str, status: int, body: Any) -> Created | None:
        """Record what a finished call (``path`` its template, ``filled_path`` as sent) created or deleted."""
        for secret in _secrets(body):
            self.redactor.add(secret)
        if method.upper() == "DELETE" and 200 <= status < 300:
            self.forget(filled_path)
            return None
        if method.upper() != "POST" or not 200 <= status < 300:
            return None
        item = self._item_path(path)
        if item is None:
            return None
        template, parameter = item
        identifier = self._identifier(path, parameter, body)
        if identifier is None:
            return None
        created = Created(template.replace("{" + parameter + "}", str(identifier)), f"POST {path}")
        self.created.append(created)
        return created

    def forget(self, filled_path: str) -> None:
        self.created = [c for c in self.created if c.path != filled_path]

    def cleanup(self, delete: Callable[[str], int]) -> list[str]:
        """DELETE everything still recorded, newest first; returns what could not be deleted."""
        leftovers = []
        while self.created:
            item = self.created.pop()
            try:
                status = delete(item.path)
            except Exception as exc:  # the run is ending: report, never mask the test's own outcome
                leftovers.append(f"{item.path} (from {item.operation}): {type(exc).__name__}: {exc}")
                continue
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"{item.path} (from {item.operation}): DELETE answered {status}")
        return leftovers

    def _item_path(self, collection: str) -> tuple[str, str] | None:
        for candidate, operations in (self.document.get("paths") or {}).items():
            head, _, last = candidate.rpartition("/")
            if head == collection.rstrip("/") and last.startswith("{") and "delete" in (operations or {}):
                return candidate, last[1:-1]
        return None

    def _identifier(self, path: str, parameter: str, body: Any) -> Any:
        for expression in self._link_expressions(path, parameter):
            value = _pointer(body, expression.removeprefix("$response.body#"))
            if isinstance(value, str | int) and value != "":
                return value
        for pointer in ("/id", "/hash", "/data/id", "/data/hash"):
            value = _pointer(body, pointer)
            if isinstance(value, str | int) and value != "":
                return value
        return None

    def _link_expressions(self, path: str, parameter: str) -> Iterator[str]:
        responses = (((self.document.get("paths") or {}).get(path) or {}).get("post") or {}).get("responses")
        for response in (responses or {}).values():
            for link in ((response or {}).get("links") or {}).values():
                value = ((link or {}).get("parameters") or {}).get(parameter)
                if isinstance(value, str) and value.startswith("$response.body#"):
                    yield value


def _pointer(document: Any, pointer: str) -> Any:
    value = document
    for part in pointer.lstrip("/").split("/") if pointer else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _secrets(body: Any) -> Iterator[str]:
    """Plaintext key values in an answer (a create-key answer carries the new key once)."""
    if isinstance(body, dict):
        for name, value in body.items():
            if name == "key" and isinstance(value, str):
                yield value
            else:
                yield from _secrets(value)
    elif isinstance(body, list):
        for value in body:
            yield from _secrets(value)
