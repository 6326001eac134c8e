"""gatecheck's own contract checks, as schemathesis checks: usable from pytest and from ``st run``.

Each is a thin adapter: it decides whether an answer is in its scope and hands it to the pure
check of :mod:`gatecheck.checks` that judges that contract point (the same function the scenario
suites call), turning the :class:`~gatecheck.failures.ContractViolation` it raises into a
:class:`GatecheckFailure`, a schemathesis failure with gatecheck's stable key.  Importing this
module registers them; from the schemathesis CLI::

    SCHEMATHESIS_HOOKS=gatecheck.checks.schemathesis_checks st run SPEC --checks error_envelope,sse_events
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import httpx
from schemathesis.core.failures import CustomFailure, Failure, FailureGroup, Severity

from gatecheck.check_ids import CHECK_IDS, GENERATION_ID, CheckId
from gatecheck.checks.cost import check_usage_cost
from gatecheck.checks.envelope import check_error_envelope
from gatecheck.checks.rate_limits import check_retry_after
from gatecheck.checks.registry import contract_check, failure_key
from gatecheck.checks.sse_events import (
    EVENT_STREAM,
    EventSchema,
    capture_from_body,
    check_event_schemas,
    event_schema,
)
from gatecheck.checks.stream import (
    DONE,
    StreamCapture,
    check_content_type,
    check_data_is_json,
    check_done_sentinel,
    check_usage_chunk,
)
from gatecheck.checks.stream_usage import json_payloads, streamed_usage
from gatecheck.checks.usage import check_usage
from gatecheck.errors import HarnessBug
from gatecheck.failures import ContractViolation, excerpt

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response

__all__ = ["GatecheckFailure", "failure_keys"]

GENERATION_ID_HEADER = "x-generation-id"
CheckFn = Callable[["CheckContext", "Response", "Case"], None]


class GatecheckFailure(Failure):
    """A ContractViolation found by one of gatecheck's checks, in the form schemathesis reports."""

    code = "ST901"  # schemathesis' family for custom checks; gatecheck's identity is ``key``
    kind_title = "gatecheck contract check failed"
    __slots__ = ("check", "violation")

    def __init__(self, violation: ContractViolation, *, check: CheckId, operation: str) -> None:
        message = f"Check: {check} ({violation.check})\nExpected: {violation.expected}\n"
        message += f"Received: {excerpt(violation.received)}"
        super().__init__(operation=operation, title=violation.title, message=message, severity=Severity.HIGH)
        self.check = check
        self.violation = violation

    @property
    def key(self) -> str:
        return failure_key(self.operation, self.check)

    @property
    def _unique_key(self) -> str:
        # One finding per operation and check, however the message is worded.
        return self.check


def _adapter(func: CheckFn) -> CheckFn:
    """Run a check body and report its ContractViolation as a GatecheckFailure under the check's name.

    Anything else the body raises is gatecheck's own bug, never the gateway's failure: it leaves
    as a :class:`~gatecheck.errors.HarnessBug`, which the report counts as ``error``.
    """

    check_id = CHECK_IDS.get(func.__name__, "contract")  # unregistered: an import error

    @functools.wraps(func)
    def check(ctx: CheckContext, response: Response, case: Case) -> None:
        try:
            func(ctx, response, case)
        except ContractViolation as violation:
            raise GatecheckFailure(violation, check=check_id, operation=case.operation.label) from None
        except AssertionError:
            raise
        except Exception as exc:
            raise HarnessBug(f"contract check {func.__name__} on {case.operation.label}", exc) from exc

    return check


# ---------------------------------------------------------------- helpers over schemathesis objects


def _content_type(response: Response) -> str:
    values = response.headers.get("content-type") or [""]
    return values[0].split(";")[0].strip().lower()


def _header_pairs(response: Response) -> list[tuple[str, str]]:
    return [(name, value) for name, values in response.headers.items() for value in values]


#: Headers that describe the bytes on the wire, not the decoded body schemathesis hands us.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _as_httpx(response: Response) -> httpx.Response:
    """The answer as an httpx response over its *decoded* body.

    schemathesis has already undone any Content-Encoding; keeping that header over the decoded
    bytes would make httpx decode them a second time (a gzip 5xx then raised DecodingError).
    """
    headers = [(name, value) for name, value in _header_pairs(response) if name.lower() not in _WIRE_HEADERS]
    return httpx.Response(response.status_code, headers=headers, content=response.content)


def _body(case: Case) -> Mapping[str, Any]:
    return case.body if isinstance(case.body, Mapping) else {}


def _asked_to_stream(case: Case) -> bool:
    return _body(case).get("stream") is True


def _asked_for_usage(case: Case) -> bool:
    options = _body(case).get("stream_options")
    return isinstance(options, Mapping) and options.get("include_usage") is True


def _is_stream(response: Response) -> bool:
    return _content_type(response) == EVENT_STREAM


def _capture(response: Response, case: Case) -> StreamCapture:
    return capture_from_body(
        response.content,
        operation=case.operation.label,
        status=response.status_code,
        headers=httpx.Headers(_header_pairs(response)),
    )


def _resolve(document: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, Mapping) and str(node.get("$ref", "")).startswith("#/"):
        target: Any = document
        for part in node["$ref"][2:].split("/"):
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target
    return node


def _has_property(document: Mapping[str, Any], schema: Any, name: str, depth: int = 0) -> bool:
    schema = _resolve(document, schema)
    if not isinstance(schema, Mapping) or depth > 8:
        return False
    if name in (schema.get("properties") or {}):
        return True
    branches = [*schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    return any(_has_property(document, b, name, depth + 1) for b in branches)


def _documents_usage(case: Case, status: int) -> bool:
    """Whether the spec's JSON answer for ``status`` has a ``usage`` object: a billed generation."""
    document = case.operation.schema.raw_schema
    operation = (document.get("paths", {}).get(case.operation.path) or {}).get(case.operation.method.lower())
    responses = (operation or {}).get("responses") or {}
    response = _resolve(document, responses.get(str(status)) or responses.get(f"{str(status)[0]}XX"))
    content = (response or {}).get("content") or {}
    media = _resolve(document, content.get("application/json")) or {}
    return _has_property(document, media.get("schema"), "usage")


_EVENT_SCHEMAS: dict[tuple[int, str, str], tuple[Mapping[str, Any], EventSchema | None]] = {}


def _event_schema(case: Case) -> EventSchema | None:
    """The operation's chunk schema, built once per spec document (kept alive so ids stay unique)."""
    document = case.operation.schema.raw_schema
    key = (id(document), case.operation.path, case.operation.method)
    cached = _EVENT_SCHEMAS.get(key)
    if cached is None or cached[0] is not document:
        if len(_EVENT_SCHEMAS) > 256:
            _EVENT_SCHEMAS.clear()
        cached = (document, event_schema(document, case.operation.path, case.operation.method))
        _EVENT_SCHEMAS[key] = cached
    return cached[1]


# ---------------------------------------------------------------- the checks


@contract_check()
@_adapter
def error_envelope(ctx: CheckContext, response: Response, case: Case) -> None:
    """Every 4xx and 5xx answer is a JSON error envelope with a message"""
    if response.status_code >= 400:
        check_error_envelope(_as_httpx(response), operation=case.operation.label)


@contract_check(requires="usage-cost")
@_adapter
def usage_cost(ctx: CheckContext, response: Response, case: Case) -> None:
    """Billed answers report usage with a non-negative usage.cost"""
    if not 200 <= response.status_code < 300:
        return
    if _is_stream(response):
        for index, event in enumerate(_capture(response, case).events):
            chunk = _json(event.data)
            if isinstance(chunk, dict) and isinstance(chunk.get("usage"), dict):
                check_usage_cost(
                    chunk["usage"], operation=case.operation.label, where=f"the usage chunk (event {index})"
                )
    elif _documents_usage(case, response.status_code):
        answer = _json(response.content)
        usage = answer.get("usage") if isinstance(answer, dict) else None
        check_usage_cost(usage, operation=case.operation.label, where="the answer")


@contract_check(requires="generation-stats")
@_adapter
def generation_id(ctx: CheckContext, response: Response, case: Case) -> None:
    """Chat answers carry an X-Generation-Id header to look their stats up by"""
    # Chat-shaped requests (chat completions, messages) are the generations the stats API is for.
    if not 200 <= response.status_code < 300 or not isinstance(_body(case).get("messages"), list):
        return
    if not (response.headers.get(GENERATION_ID_HEADER) or [""])[0].strip():
        raise ContractViolation(
            "Answer lacks the X-Generation-Id header",
            expected="X-Generation-Id: <id usable with GET /generation?id=...>",
            received=f"HTTP {response.status_code}, headers: {sorted(response.headers)}",
            check=GENERATION_ID,
            operation=case.operation.label,
        )


@contract_check()
@_adapter
def sse_events(ctx: CheckContext, response: Response, case: Case) -> None:
    """Every streamed event is JSON that matches the spec's chunk schema"""
    if not 200 <= response.status_code < 300:
        return
    if _asked_to_stream(case):
        check_content_type(_capture(response, case))
    if not _is_stream(response):
        return
    schema = _event_schema(case)
    capture = _capture(response, case)
    if schema is None:
        check_data_is_json(capture)
    else:
        check_event_schemas(capture, schema)


@contract_check()
@_adapter
def sse_done(ctx: CheckContext, response: Response, case: Case) -> None:
    """A stream ends with data: [DONE] and sends nothing after it"""
    # Only where the spec declares the sentinel: Responses and Messages streams end with a typed
    # event instead. A stream read only in part (max-stream-events) cannot be judged for its end.
    if not _is_stream(response) or not 200 <= response.status_code < 300 or response.stream_cut_short:
        return
    schema = _event_schema(case)
    if schema is not None and schema.terminator == DONE:
        check_done_sentinel(_capture(response, case))


@contract_check()
@_adapter
def sse_usage_chunk(ctx: CheckContext, response: Response, case: Case) -> None:
    """A stream asked for usage sends it once, in a final chunk with choices: []"""
    judged = _is_stream(response) and 200 <= response.status_code < 300 and not response.stream_cut_short
    if not judged or not _asked_for_usage(case):
        return
    capture = _capture(response, case)
    try:
        check_data_is_json(capture)
    except ContractViolation:
        return  # a stream that is not JSON has no usage chunk to judge; sse_events reports it
    check_usage_chunk(capture, with_cost=False)


#: Which API's usage block an operation answers with, by the end of its path (API names, not vendors').
_USAGE_APIS = (
    ("chat/completions", "chat"),
    ("responses", "responses"),
    ("messages", "messages"),
    ("embeddings", "embeddings"),
)


@contract_check()
@_adapter
def usage_tokens(ctx: CheckContext, response: Response, case: Case) -> None:
    """Token counts are whole, add up, and stay within the output limit the request set"""
    if not 200 <= response.status_code < 300 or case.method.upper() != "POST":
        return
    api = next((api for end, api in _USAGE_APIS if case.operation.path.rstrip("/").endswith(end)), None)
    if api is None:
        return
    where = "the answer"
    if _is_stream(response):
        # A stream read only in part (max-stream-events) has no end to judge.
        streamed = (
            None
            if response.stream_cut_short
            else streamed_usage(json_payloads(_capture(response, case)), api)
        )
        usage, where = (streamed.usage, streamed.where) if streamed else (None, where)
    else:
        answer = _json(response.content)
        usage = answer.get("usage") if isinstance(answer, dict) else None
    if usage is not None:  # an answer without usage is other checks' business
        check_usage(usage, case.body, api=api, operation=case.operation.label, where=where)


@contract_check(requires="rate-limits")
@_adapter
def retry_after(ctx: CheckContext, response: Response, case: Case) -> None:
    """A 429 answer carries a usable Retry-After (delay-seconds or an HTTP-date)"""
    if response.status_code == 429:
        values = response.headers.get("retry-after") or []
        check_retry_after(values[0] if values else None, operation=case.operation.label)


def _json(data: str | bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


# ---------------------------------------------------------------- stable keys for reports


def _check_name(failure: Failure) -> str:
    if isinstance(failure, GatecheckFailure):
        return failure.check
    checks = getattr(type(failure), "checks", ())
    if checks:
        return checks[0]
    if isinstance(failure, CustomFailure) and "`" in failure.title:
        return failure.title.split("`")[1]
    return type(failure).__name__


def _failures(exc: BaseException) -> Iterator[Failure]:
    group = getattr(exc, "group", None)  # gatecheck.contract.run.ContractFailures wraps a FailureGroup
    if isinstance(group, FailureGroup):
        yield from _failures(group)
    elif isinstance(exc, Failure):
        yield exc
    elif isinstance(exc, BaseExceptionGroup):  # FailureGroup, or Hypothesis' group of distinct bugs
        for member in exc.exceptions:
            yield from _failures(member)


def failure_keys(exc: BaseException) -> list[str]:
    """Stable keys (``operation::check``) of every schemathesis failure in ``exc``, deduplicated."""
    keys = [failure_key(f.operation, _check_name(f)) for f in _failures(exc)]
    return list(dict.fromkeys(keys))
