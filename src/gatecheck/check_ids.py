"""Check ids: the stable name of every contract point gatecheck judges, each with its title.

A failure's identity is ``operation::check`` (:func:`failure_key`); results.json, baselines,
drift and root causes compare those keys, never message text.  So every ``check`` a
:class:`~gatecheck.failures.ContractViolation` carries is one of the constants below, never a
string literal: a misspelt id is an import error, not a silent new key that un-baselines a
failure.  The string values are public interface (they are stored in users' reports): never
change one.

Two kinds share the registry.  *Scenario* ids (kebab-case) name a point a hand-written
scenario or a check function judges.  *Contract* ids (snake_case, ``CONTRACT_*``) name the
checks the schemathesis contract suite selects; :mod:`gatecheck.checks.registry` says how each
is run.  The module sits below every layer, because failures, the readers' limits and the
mock's fault proofs all name ids.

A refusal scenario judges up to three points under one id: the status (``wrong-key``), the
error message (``wrong-key-message``) and the documented error code (``wrong-key-code``).  The
parts are registered with their base (``parts=``) and looked up with :meth:`CheckIds.part`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, NewType

from gatecheck.errors import UnknownNameError

__all__ = ["CHECK_IDS", "CheckId", "CheckIdInfo", "CheckIds", "failure_key"]

#: A registered check id; only :meth:`CheckIds.add` makes one, so a bare string does not type-check.
CheckId = NewType("CheckId", str)
Kind = Literal["scenario", "contract"]
Part = Literal["message", "code"]

_FORMS = {
    "scenario": re.compile(r"[a-z0-9]+(-[a-z0-9]+)*"),
    "contract": re.compile(r"[a-z0-9]+(_[a-z0-9]+)*"),
}
_PART_TITLES: dict[Part, str] = {
    "message": "the error message names what was refused",
    "code": "error.code is the one the vendor documents",
}


@dataclass(frozen=True)
class CheckIdInfo:
    """One registered id; ``title`` is its one-line report title."""

    id: CheckId
    title: str
    kind: Kind


class CheckIds:
    """Ids by name, in registration order; names are unique and keep their kind's form."""

    def __init__(self) -> None:
        self._ids: dict[str, CheckIdInfo] = {}

    def add(self, name: str, title: str, kind: Kind, *, parts: Iterable[Part] = ()) -> CheckId:
        if name in self._ids:
            raise ValueError(f"check id {name!r} registered twice")
        if not _FORMS[kind].fullmatch(name):
            raise ValueError(
                f"{kind} check id {name!r} must be {'kebab' if kind == 'scenario' else 'snake'}-case"
            )
        if not title or "\n" in title:
            raise ValueError(f"check id {name!r} needs a one-line title")
        self._ids[name] = CheckIdInfo(CheckId(name), title, kind)
        for part in parts:
            self.add(f"{name}-{part}", f"{title}; {_PART_TITLES[part]}", kind)
        return CheckId(name)

    def __contains__(self, name: object) -> bool:
        return name in self._ids

    def __iter__(self) -> Iterator[CheckIdInfo]:
        return iter(self._ids.values())

    def __len__(self) -> int:
        return len(self._ids)

    def info(self, name: str) -> CheckIdInfo:
        try:
            return self._ids[name]
        except KeyError:
            raise UnknownNameError("check", name, list(self._ids)) from None

    def get(self, name: str, kind: Kind | None = None) -> CheckId:
        """The registered id ``name`` (of ``kind``, if given), or UnknownNameError."""
        info = self.info(name)
        if kind is not None and info.kind != kind:
            raise UnknownNameError(f"{kind} check", name, [i.id for i in self if i.kind == kind])
        return info.id

    def title(self, name: str) -> str:
        return self.info(name).title

    def part(self, check: CheckId, part: Part) -> CheckId:
        """The id of ``part`` of a refusal ``check`` (``wrong-key`` -> ``wrong-key-message``).

        Callers look parts up before judging, so a base registered without them fails every run,
        clean ones included, as a harness error.
        """
        return self.get(f"{check}-{part}")


#: The process-wide registry; the constants below are its entries.
CHECK_IDS = CheckIds()


def failure_key(operation: str | None, check: str) -> str:
    """The stable identity of a failure: where it happened and which check saw it."""
    return f"{operation or '*'}::{check}"


def _scenario(name: str, title: str, *, parts: Iterable[Part] = ()) -> CheckId:
    return CHECK_IDS.add(name, title, "scenario", parts=parts)


def _contract(name: str, title: str) -> CheckId:
    return CHECK_IDS.add(name, title, "contract")


# ------------------------------------------------------------------ contract suite (schemathesis)
# schemathesis' built-in checks that fit a gateway, with report titles in gatecheck's voice.
CONTRACT_NOT_A_SERVER_ERROR = _contract(
    "not_a_server_error", "The gateway answers without a 5xx server error"
)
CONTRACT_STATUS_CODE_CONFORMANCE = _contract(
    "status_code_conformance", "The status code is one the spec documents for the operation"
)
CONTRACT_CONTENT_TYPE_CONFORMANCE = _contract(
    "content_type_conformance", "The Content-Type is one the spec documents for the status"
)
CONTRACT_RESPONSE_SCHEMA_CONFORMANCE = _contract(
    "response_schema_conformance", "The body matches the response schema the spec documents"
)
CONTRACT_RESPONSE_HEADERS_CONFORMANCE = _contract(
    "response_headers_conformance", "Headers the spec marks required are present and valid"
)
CONTRACT_NEGATIVE_DATA_REJECTION = _contract(
    "negative_data_rejection", "Requests that break the request schema are rejected with a 4xx"
)
CONTRACT_IGNORED_AUTH = _contract(
    "ignored_auth", "Operations that declare authentication reject missing or wrong credentials"
)
CONTRACT_POSITIVE_DATA_ACCEPTANCE = _contract(
    "positive_data_acceptance", "Requests that match the request schema are accepted"
)
CONTRACT_USE_AFTER_FREE = _contract(
    "use_after_free", "A deleted resource is gone: reading it after DELETE answers 404"
)
CONTRACT_ENSURE_RESOURCE_AVAILABILITY = _contract(
    "ensure_resource_availability", "A created resource can be read back right after creation"
)
# gatecheck's own contract checks (gatecheck.checks.schemathesis_checks, named after their functions).
CONTRACT_ERROR_ENVELOPE = _contract(
    "error_envelope", "Every 4xx and 5xx answer is a JSON error envelope with a message"
)
CONTRACT_USAGE_COST = _contract("usage_cost", "Billed answers report usage with a non-negative usage.cost")
CONTRACT_GENERATION_ID = _contract(
    "generation_id", "Chat answers carry an X-Generation-Id header to look their stats up by"
)
CONTRACT_SSE_EVENTS = _contract(
    "sse_events", "Every streamed event is JSON that matches the spec's chunk schema"
)
CONTRACT_SSE_DONE = _contract("sse_done", "A stream ends with data: [DONE] and sends nothing after it")
CONTRACT_SSE_USAGE_CHUNK = _contract(
    "sse_usage_chunk", "A stream asked for usage sends it once, in a final chunk with choices: []"
)
CONTRACT_USAGE_TOKENS = _contract(
    "usage_tokens", "Token counts are whole, add up, and stay within the output limit the request set"
)
CONTRACT_RETRY_AFTER = _contract(
    "retry_after", "A 429 answer carries a usable Retry-After (delay-seconds or an HTTP-date)"
)

# ------------------------------------------------------------------ answers in general
STATUS = _scenario("status", "The answer has the expected HTTP status")
JSON_BODY = _scenario("json-body", "The answer body is JSON (an object where one is expected)")
ERROR_ENVELOPE = _scenario("error-envelope", "An error answer is a JSON error envelope with a message")
MOCK_CONTROL = _scenario("mock-control", "The mock's admin API accepts the test's setup")
RATE_LIMIT_STATUS = _scenario("rate-limit-status", "A rate-limited request answers 429")
RETRY_AFTER = _scenario("retry-after", "A 429 answer carries a usable Retry-After header")

# ------------------------------------------------------------------ streams (chat completions)
STREAM_STATUS = _scenario("stream-status", "A stream is answered with the expected status")
STREAM_CONTENT_TYPE = _scenario("stream-content-type", "A stream is served as text/event-stream")
STREAM_COMMENT_AS_DATA = _scenario("stream-comment-as-data", "Keep-alives are SSE comments, not data events")
STREAM_DATA_JSON = _scenario("stream-data-json", "Every data payload but [DONE] is one JSON object")
STREAM_DONE = _scenario("stream-done", "A stream ends with a complete data: [DONE]")
STREAM_AFTER_DONE = _scenario("stream-after-done", "Nothing follows a stream's [DONE]")
STREAM_CHUNK_OBJECT = _scenario("stream-chunk-object", "Every chunk is a chat.completion.chunk")
STREAM_CHUNK_IDENTITY = _scenario("stream-chunk-identity", "Every chunk has the same id, model and created")
STREAM_ROLE = _scenario("stream-role", "The first chunk with a choice announces role: assistant")
STREAM_FINISH_REASON = _scenario(
    "stream-finish-reason", "Exactly one chunk carries a finish_reason, the last chunk with a choice"
)
STREAM_USAGE_COUNT = _scenario("stream-usage-count", "A stream asked for usage sends exactly one usage chunk")
STREAM_USAGE_SHAPE = _scenario(
    "stream-usage-shape", "The usage chunk has choices: [] and comes right before [DONE]"
)
STREAM_USAGE_TOTALS = _scenario("stream-usage-totals", "The usage chunk's token totals add up")
STREAM_BUFFERED = _scenario(
    "stream-buffered", "Tokens arrive as they are produced, not in one buffered write"
)
STREAM_TOOL_CALL = _scenario("stream-tool-call", "Streamed tool calls reassemble into complete calls")
STREAM_TOOL_CALL_INDEX = _scenario(
    "stream-tool-call-index", "Every streamed tool-call delta carries its index"
)
STREAM_TOOL_CALL_ID = _scenario(
    "stream-tool-call-id", "Each streamed tool call's first delta carries id and name"
)
STREAM_TOOL_CALL_ARGUMENTS = _scenario(
    "stream-tool-call-arguments", "A streamed tool call's argument deltas join into JSON"
)
STREAM_ERROR_EVENT = _scenario(
    "stream-error-event", "A stream failing after its first byte ends with an error event, cleanly"
)
STREAM_EARLY_FAILURE_STATUS = _scenario(
    "stream-early-failure-status",
    "A failure before the first token is an HTTP error status, not a 200 stream",
)
STREAM_EVENT_SCHEMA = _scenario("stream-event-schema", "Every streamed event matches the chunk schema")
STREAM_DELTAS_MATCH = _scenario(
    "stream-deltas-match", "Streamed deltas join into the same answer as the non-streamed request"
)
STREAM_FINISH_MATCHES = _scenario(
    "stream-finish-matches", "A stream finishes with the same finish_reason as the non-streamed request"
)
# a stream must end within the run's limits (gatecheck.limits)
STREAM_LIMIT_DURATION = _scenario("stream-limit-duration", "A stream ends within the run's stream duration")
STREAM_LIMIT_GAP = _scenario("stream-limit-gap", "A stream sends a complete event within the run's gap limit")
STREAM_LIMIT_EVENTS = _scenario("stream-limit-events", "A stream ends within the run's number of events")
STREAM_LIMIT_BYTES = _scenario("stream-limit-bytes", "A stream ends within the run's number of bytes")

# ------------------------------------------------------------------ usage, cost and accounting
USAGE = _scenario("usage", "The answer reports its token usage")
USAGE_COUNTS = _scenario("usage-counts", "Every token count of the usage block is a non-negative integer")
USAGE_TOTALS = _scenario("usage-totals", "The usage total is the sum of its parts")
USAGE_MAX_TOKENS = _scenario("usage-max-tokens", "No more output tokens are billed than the request allowed")
USAGE_CUT_REPORTED = _scenario("usage-cut-reported", "An answer the output limit cut says so")
USAGE_COST = _scenario("usage-cost", "usage.cost is present, a finite non-negative number")
USAGE_COST_CONSISTENT = _scenario(
    "usage-cost-consistent", "usage.cost agrees with the tokens at the catalog price"
)
CATALOG_ENTRY = _scenario("catalog-entry", "A model that answered is in the catalog")
CATALOG_PRICE = _scenario("catalog-price", "Catalog prices are non-negative numbers in the documented unit")
GENERATION_STATUS = _scenario("generation-status", "The generation stats of an answer can be read")
GENERATION_TOKENS = _scenario(
    "generation-tokens", "Generation stats report the tokens the answer's usage reports"
)
GENERATION_COST = _scenario("generation-cost", "Generation stats report the cost the answer's usage reports")
GENERATION_ID = _scenario("generation-id", "Chat answers carry an X-Generation-Id header")
SPEND_REPORT_STATUS = _scenario("spend-report-status", "The spend report can be read")
SPEND_REPORT = _scenario("spend-report", "The spend report holds the spend as a number")
SPEND_GROWTH = _scenario("spend-growth", "Spend grows by the cost of a request just made")
CREDITS_STATUS = _scenario("credits-status", "GET credits answers 200")
CREDITS_BODY = _scenario("credits-body", "GET credits answers a JSON object")
CREDITS_NUMBERS = _scenario("credits-numbers", "Credits and usage are non-negative numbers")
CREDITS_BALANCE = _scenario("credits-balance", "Credits used do not exceed the credits bought")
CREDITS_USAGE_GROWTH = _scenario(
    "credits-usage-growth", "Credits usage grows by at least the cost of a paid request"
)
PAID_REQUEST = _scenario("paid-request", "A request made to be paid for is served with its cost")

# ------------------------------------------------------------------ models and the catalog
MODELS_STATUS = _scenario("models-status", "GET models answers 200")
MODELS_BODY = _scenario("models-body", "GET models answers a list of model objects")
MODEL_IDS_UNIQUE = _scenario("model-ids-unique", "Every model id is listed once")
MODEL_ID_FORM = _scenario("model-id-form", "Every model id has the provider/model form")
CONTEXT_WINDOW = _scenario("context-window", "Every model's context window is a positive integer")
MODEL_REGIONS = _scenario("model-regions", "Every model lists the regions it is deployed in")
MODEL_FILTER = _scenario("model-filter", "Filtering the catalog returns matching models and only those")
MODELS_COUNT_STATUS = _scenario("models-count-status", "The model count can be read")
MODELS_COUNT = _scenario("models-count", "The model count is a count")
MODELS_COUNT_AGREES = _scenario("models-count-agrees", "The model count equals the number of models listed")
LISTED_MODEL_CALLABLE = _scenario(
    "listed-model-callable", "Every listed model answers or refuses with a clear 4xx error"
)

# ------------------------------------------------------------------ errors and authentication
NO_KEY = _scenario("no-key", "A request without an API key is refused with 401")
WRONG_KEY = _scenario(
    "wrong-key", "A request with an unknown API key is refused as documented", parts=("message", "code")
)
INFERENCE_KEY_MANAGES = _scenario(
    "inference-key-manages", "The inference key is refused on the key management API"
)
MALFORMED_JSON = _scenario(
    "malformed-json", "A body that is not JSON is refused with 400", parts=("message",)
)
MISSING_MESSAGES = _scenario(
    "missing-messages", "A chat request without messages is refused as documented", parts=("message", "code")
)
UNKNOWN_MODEL = _scenario(
    "unknown-model", "A request for an unknown model is refused as documented", parts=("message", "code")
)

# ------------------------------------------------------------------ content, tools, structured output
CONTENT_PART_ACCEPTED = _scenario(
    "content-part-accepted", "A supported content part is accepted and answered"
)
UNSUPPORTED_PART = _scenario("unsupported-part", "A content part of an unknown type is refused with 400")
UNSUPPORTED_PART_MESSAGE = _scenario(
    "unsupported-part-message", "The refusal names the unsupported part type"
)
TOOLS_STATUS = _scenario("tools-status", "A request with tools answers 200")
TOOLS_BODY = _scenario("tools-body", "A request with tools answers a message")
TOOL_CALLS = _scenario("tool-calls", "A request that asks for a tool call gets tool_calls")
TOOL_CALL_ID = _scenario("tool-call-id", "Every tool call has an id")
TOOL_CHOICE = _scenario("tool-choice", "A tool_choice naming a function calls exactly that function")
TOOL_CALL_ARGUMENTS = _scenario(
    "tool-call-arguments", "Tool call arguments are JSON valid against the function's parameters"
)
TOOL_CALLS_FINISH_REASON = _scenario(
    "tool-calls-finish-reason", "An answer calling a tool finishes with tool_calls"
)
TOOL_RESULT = _scenario("tool-result", "A tool result sent back gets an ordinary text answer")
WEB_SEARCH = _scenario("web-search", "A request with the web_search tool is answered")
WEB_SEARCH_CITATIONS = _scenario("web-search-citations", "A web search answer cites its sources")
STRUCTURED_STATUS = _scenario("structured-status", "A request with response_format answers 200 with content")
STRUCTURED_JSON_OBJECT = _scenario(
    "structured-json-object", "response_format json_object yields a JSON object"
)
STRUCTURED_JSON_SCHEMA = _scenario(
    "structured-json-schema", "response_format json_schema yields JSON valid against it"
)

# ------------------------------------------------------------------ embeddings and rerank
EMBEDDINGS_SHAPE = _scenario("embeddings-shape", "An embeddings answer holds a list of vectors")
EMBEDDINGS_ORDER = _scenario("embeddings-order", "Embeddings come back one per input, in input order")
EMBEDDING_DIMENSION = _scenario("embedding-dimension", "Every vector has the embedding model's dimension")
EMBEDDING_DIMENSIONS_PARAM = _scenario(
    "embedding-dimensions-param", "A request for fewer dimensions gets exactly that many"
)
EMBEDDING_FINITE = _scenario("embedding-finite", "Every vector holds only finite numbers")
EMBEDDINGS_USAGE = _scenario("embeddings-usage", "An embeddings answer reports its token usage")
EMBEDDINGS_INPUT_FORMS = _scenario(
    "embeddings-input-forms", "A string and an array of strings are both accepted as input"
)
EMBEDDINGS_EMPTY_INPUT = _scenario("embeddings-empty-input", "Empty input is refused with 400")
RERANK_SHAPE = _scenario("rerank-shape", "A rerank answer holds a list of results")
RERANK_SORTED = _scenario("rerank-sorted", "Rerank results come most relevant first")
RERANK_INDICES = _scenario("rerank-indices", "Each rerank result's index names a distinct document")
RERANK_TOP_N = _scenario("rerank-top-n", "top_n returns exactly that many results")
RERANK_USAGE = _scenario("rerank-usage", "A rerank answer reports what it consumed")

# ------------------------------------------------------------------ Messages API
MESSAGES_STATUS = _scenario("messages-status", "A Messages request answers 200")
MESSAGES_BODY = _scenario("messages-body", "A Messages request answers a message object")
MESSAGES_SHAPE = _scenario("messages-shape", "A message has the documented shape")
MESSAGES_STOP_REASON = _scenario("messages-stop-reason", "A message's stop_reason says why it ended")
MESSAGES_USAGE = _scenario("messages-usage", "A message reports input and output tokens")
MESSAGES_STREAM_EVENT = _scenario(
    "messages-stream-event", "Every Messages stream event is a JSON object with a type"
)
MESSAGES_STREAM_ORDER = _scenario(
    "messages-stream-order", "Messages stream events follow the documented order"
)

# ------------------------------------------------------------------ Responses API
RESPONSES_STATUS = _scenario("responses-status", "A Responses request answers 200")
RESPONSES_BODY = _scenario("responses-body", "A Responses request answers a Response object")
RESPONSES_SHAPE = _scenario("responses-shape", "A Response object has the documented shape")
RESPONSES_USAGE = _scenario("responses-usage", "A Response reports usage that adds up")
RESPONSES_JSON_SCHEMA = _scenario(
    "responses-json-schema", "text.format json_schema yields output text valid against it"
)
RESPONSES_STREAM_EVENT = _scenario(
    "responses-stream-event", "Every Responses stream event is a typed JSON object"
)
RESPONSES_STREAM_CREATED = _scenario(
    "responses-stream-created", "A Responses stream opens with response.created"
)
RESPONSES_STREAM_COMPLETED = _scenario(
    "responses-stream-completed", "A Responses stream closes with one response.completed"
)
RESPONSES_STREAM_SEQUENCE = _scenario(
    "responses-stream-sequence", "Responses stream events carry increasing sequence_number"
)
RESPONSES_STREAM_ORDER = _scenario(
    "responses-stream-order", "Each item's deltas come between its added and done events"
)
RESPONSES_STREAM_DELTAS = _scenario(
    "responses-stream-deltas", "Output text deltas join into the final output text"
)
RESPONSES_FUNCTION_CALL_ITEM = _scenario(
    "responses-function-call-item", "A streamed forced call is announced as a function_call item"
)
RESPONSES_FUNCTION_CALL_ORDER = _scenario(
    "responses-function-call-order", "A function call's argument deltas come after its item, then done"
)
RESPONSES_FUNCTION_CALL_DELTAS = _scenario(
    "responses-function-call-deltas", "A function call's done event repeats the arguments its deltas sent"
)
RESPONSES_FUNCTION_CALL_ARGUMENTS = _scenario(
    "responses-function-call-arguments",
    "A streamed function call's arguments are JSON valid for the function",
)

# ------------------------------------------------------------------ headers, routing, fallbacks
ANALYTICS_HEADERS = _scenario("analytics-headers", "A request carrying HTTP-Referer and X-Title is served")
ANALYTICS_HEADERS_ERROR = _scenario(
    "analytics-headers-error", "A request with analytics headers for an unknown model is refused"
)
ANALYTICS_HEADERS_ECHO = _scenario(
    "analytics-headers-echo", "Error answers do not repeat the analytics headers"
)
DEFAULT_MODEL = _scenario(
    "default-model", "A request without model is answered by the documented default model"
)
EU_REGION = _scenario("eu-region", "The EU base URL serves the same API with the same key")
REGION_SERVED = _scenario("region-served", "The mock serves the region's base URL")
FALLBACK_SERVED = _scenario("fallback-served", "A failing primary is replaced by the next candidate")
FALLBACK_MODEL_REPORTED = _scenario(
    "fallback-model-reported", "A fallback answer names the model that answered"
)
FALLBACK_COST = _scenario("fallback-cost", "A fallback answer is billed at the answering model's price")
FALLBACK_SWITCHED_OFF = _scenario(
    "fallback-switched-off", "With fallbacks off, the failing provider's error is returned"
)
FALLBACK_EXHAUSTED_STATUS = _scenario(
    "fallback-exhausted-status", "When every candidate fails, the answer is an error status with an envelope"
)

# ------------------------------------------------------------------ keys
KEY_CREATE_STATUS = _scenario("key-create-status", "Creating a key answers 200 or 201")
KEY_CREATE_BODY = _scenario("key-create-body", "A created key's answer carries its id and value")
KEY_GET_STATUS = _scenario("key-get-status", "Getting a key answers 200")
KEY_GET_BODY = _scenario("key-get-body", "Getting a key answers its record")
KEY_GET_FIELDS = _scenario("key-get-fields", "Get returns the fields a key was created with")
KEY_LIST_STATUS = _scenario("key-list-status", "Listing keys answers 200")
KEY_VALUE_LEAKED = _scenario("key-value-leaked", "A key's value is returned only on creation")
KEY_SET_LIMIT_STATUS = _scenario("key-set-limit-status", "Changing a key's limit answers 200 or 204")
KEY_DISABLE_STATUS = _scenario("key-disable-status", "Disabling a key answers 200 or 204")
KEY_DELETE_STATUS = _scenario("key-delete-status", "Deleting a key answers as documented")
KEY_DELETE_MISSING = _scenario(
    "key-delete-missing", "Deleting a key twice, or one that never existed, answers 404"
)
KEY_DELETED = _scenario("key-deleted", "A deleted key is refused with 401")
KEY_DELETED_GET = _scenario("key-deleted-get", "A deleted key reads as 404")
KEY_DISABLED = _scenario("key-disabled", "A disabled key is refused with 401")
KEY_EXPIRED = _scenario("key-expired", "A key past its expiry is refused with 401")
KEY_LIMIT = _scenario("key-limit", "A key whose limit is below its spend is refused with 402")
KEY_LIMIT_REMAINING = _scenario("key-limit-remaining", "A key reports the limit it has left")
KEY_USAGE_STATUS = _scenario("key-usage-status", "A key's spend can be read")
KEY_USAGE_BODY = _scenario("key-usage-body", "A key's spend is a number")
KEY_USAGE_ATTRIBUTED = _scenario("key-usage-attributed", "A key's spend shows the requests it made")
NEW_KEY_INFERENCE = _scenario("new-key-inference", "A newly created key is served")
MANAGEMENT_KEY_INFERENCE = _scenario("management-key-inference", "A management key is refused on inference")

# ------------------------------------------------------------ governance: guardrails, access lists, PKCE
GUARDRAIL_CREATE_STATUS = _scenario("guardrail-create-status", "Creating a guardrail answers 200 or 201")
GUARDRAIL_CREATE_BODY = _scenario("guardrail-create-body", "A created guardrail's answer carries its record")
GUARDRAIL_GET_STATUS = _scenario("guardrail-get-status", "Getting a guardrail answers 200")
GUARDRAIL_GET_BODY = _scenario("guardrail-get-body", "Getting a guardrail answers its record")
GUARDRAIL_GET_FIELDS = _scenario("guardrail-get-fields", "A guardrail reads back as created")
GUARDRAIL_UPDATE_STATUS = _scenario("guardrail-update-status", "Updating a guardrail answers 200")
GUARDRAIL_PATCHED_FIELDS = _scenario("guardrail-patched-fields", "A guardrail reads back as patched")
GUARDRAIL_LIST_STATUS = _scenario("guardrail-list-status", "Listing guardrails answers 200")
GUARDRAIL_LIST = _scenario("guardrail-list", "Listing guardrails answers a list")
GUARDRAIL_LISTED = _scenario(
    "guardrail-listed", "A guardrail just made is listed, and its allowed model served"
)
GUARDRAIL_DELETED_GET = _scenario("guardrail-deleted-get", "A deleted guardrail reads as 404")
GUARDRAIL_ASSIGN = _scenario("guardrail-assign", "Assigning keys to a guardrail answers 200")
GUARDRAIL_UNASSIGN = _scenario("guardrail-unassign", "Removing keys from a guardrail answers 200")
GUARDRAIL_ASSIGNMENT_COUNT = _scenario(
    "guardrail-assignment-count", "An assignment answer counts the keys it assigned or removed"
)
GUARDRAIL_ASSIGNMENTS_STATUS = _scenario(
    "guardrail-assignments-status", "A guardrail's key assignments can be read"
)
GUARDRAIL_ASSIGNMENTS = _scenario(
    "guardrail-assignments", "A guardrail's key assignments list the keys assigned"
)
GUARDRAIL_MODELS = _scenario(
    "guardrail-models", "A guardrail's allowed_models refuses other models", parts=("message",)
)
GUARDRAIL_BUDGET = _scenario(
    "guardrail-budget",
    "A key whose spend reaches its guardrail's limit is refused with 402",
    parts=("message",),
)
GUARDRAIL_UNASSIGNED = _scenario(
    "guardrail-unassigned", "Removing a key from its guardrail lifts the restriction"
)
ACCESS_LISTED = _scenario("access-listed", "A key with an access list calls the listed model")
ACCESS_LIST = _scenario(
    "access-list", "A key with an access list is refused other models", parts=("message",)
)
PKCE_CODE_STATUS = _scenario("pkce-code-status", "A PKCE auth code can be minted")
PKCE_CODE_BODY = _scenario("pkce-code-body", "The auth code answer carries the code")
PKCE_EXCHANGE = _scenario("pkce-exchange", "A PKCE code exchanged with its verifier is accepted")
PKCE_EXCHANGE_BODY = _scenario("pkce-exchange-body", "The exchange answer carries the new key")
PKCE_KEY = _scenario("pkce-key", "The key from a PKCE exchange can call inference")
PKCE_VERIFIER = _scenario("pkce-verifier", "A PKCE code exchanged with the wrong verifier is refused")
PKCE_CODE_REUSE = _scenario("pkce-code-reuse", "A PKCE code exchanged once is refused the second time")
