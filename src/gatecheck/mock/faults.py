"""Fault modes: named switches that each make the mock break exactly one contract point.

They exist to prove that every check and scenario can fail: a test turns one on and asserts
that the scenario aimed at that point fails, naming the defect.  This dict is the only list;
``gatecheck mock --list-faults``, the admin API and the docs read it.  Names are public
interface (CLI flags, config files, baselines): never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gatecheck.errors import UnknownNameError

__all__ = ["FAULTS", "FaultMode", "validate_faults"]


@dataclass(frozen=True)
class FaultMode:
    """One way the mock can misbehave; ``description`` is a one-line report title."""

    name: str
    description: str
    plane: Literal["inference", "management"]


def _registry(*modes: FaultMode) -> dict[str, FaultMode]:
    table: dict[str, FaultMode] = {}
    for mode in modes:
        if mode.name in table:
            raise ValueError(f"fault mode {mode.name!r} registered twice")
        table[mode.name] = mode
    return table


def _i(name: str, description: str) -> FaultMode:
    return FaultMode(name, description, "inference")


def _m(name: str, description: str) -> FaultMode:
    return FaultMode(name, description, "management")


FAULTS: dict[str, FaultMode] = _registry(
    # inference plane (issue: mock inference)
    _i("omit-usage-cost", "usage.cost is missing from answers and from the stream's usage chunk"),
    _i("wrong-cost", "usage.cost is ten times the catalog price"),
    _i("no-done-sentinel", "streams end without the final 'data: [DONE]'"),
    _i("data-not-json", "one SSE data payload is not JSON"),
    _i("usage-chunk-has-choices", "the usage chunk repeats the last choice instead of 'choices: []'"),
    _i("duplicate-usage-chunk", "the stream's usage chunk is sent twice"),
    _i("buffered-stream", "the whole stream is buffered and sent in one write at the end"),
    _i("no-fallback", "a failing primary model is not replaced by the next candidate"),
    _i("wrong-model-reported", "the answer's model names the requested model, not the one that answered"),
    _i("error-as-200", "upstream failures are answered 200 with an error body"),
    _i("no-retry-after", "429 answers lack the Retry-After header"),
    _i("retry-after-negative", "429 answers carry Retry-After: -5"),
    _i("retry-after-not-a-number", "429 answers carry Retry-After: soon"),
    _i("usage-total-mismatch", "plain chat answers report total_tokens one more than prompt + completion"),
    _i("max-tokens-ignored", "chat ignores max_tokens and max_completion_tokens: answers run to their end"),
    _i("finish-reason-not-length", "plain chat answers cut by max_tokens report finish_reason stop"),
    _i("negative-token-count", "plain chat answers report prompt_tokens as a negative number"),
    _i("fractional-token-count", "plain chat answers report completion_tokens with a fraction (n + 0.5)"),
    _i("bad-error-envelope", "error bodies are plain text instead of {'error': {'message': ...}}"),
    _i("auth-not-enforced", "inference requests without a valid key are served"),
    _i("fallback-cost-at-primary-price", "a fallback answer's usage.cost is at the primary model's price"),
    _i("fallback-ignores-allow-fallbacks", "allow_fallbacks: false is ignored and a backup provider answers"),
    _i("wrong-content-type", "streams are labelled application/json instead of text/event-stream"),
    _i("comment-as-data", "the keep-alive comment is sent as 'data: : OPENROUTER PROCESSING'"),
    _i("content-after-done", "a chunk follows the stream's 'data: [DONE]'"),
    _i("role-missing", "the first stream chunk lacks delta.role: assistant"),
    _i("chunk-id-changes", "the stream's finish chunk carries a different id from the others"),
    _i("finish-reason-twice", "the last content chunk and the finish chunk both carry finish_reason"),
    _i("deltas-differ", "a streamed answer drops a token, so its deltas differ from the plain answer"),
    _i("stream-tool-call-no-index", "streamed tool-call argument fragments lack their index"),
    _i("stream-cut-no-error-event", "a stream cut mid-answer just stops, with no error event"),
    _i("wrong-status-on-bad-json", "a request body that is not JSON is answered 500 instead of 400"),
    _i("missing-messages-accepted", "a chat request without messages is answered 200"),
    _i("unknown-model-200", "a request for an unknown model is answered 200 by the default model"),
    _i("vague-error-messages", "error messages are the bare HTTP reason phrase, naming no field or value"),
    _i("no-usage-on-embeddings", "embeddings answers carry no usage block"),
    _i("duplicate-model-ids", "GET models lists the first model twice"),
    _i("negative-price", "GET models lists the first model with a negative input price"),
    _i("bad-context-window", "GET models lists the first model with a context window of 0"),
    _i("regions-missing", "GET models lists every model with an empty regions array"),
    _i("listed-model-unservable", "the catalog's last chat model is listed, but requests for it get 503"),
    _i("filter-ignored", "GET models ignores its supported_parameters and output_modalities filters"),
    _i("count-mismatch", "GET models/count reports one model more than the list holds"),
    _i("embeddings-out-of-order", "embedding vectors come in reverse input order, index values unchanged"),
    _i("wrong-embedding-dimension", "embedding vectors are one element shorter than the model's dimension"),
    _i("dimensions-ignored", "the embeddings 'dimensions' field is ignored: vectors keep their full length"),
    _i("nan-in-embedding", "the last embedding vector ends in NaN"),
    _i("empty-input-accepted", "an empty embeddings input ('' or []) is answered 200"),
    _i("string-input-refused", "a plain string embeddings input is refused: only arrays are accepted"),
    _i("rerank-unsorted", "rerank results come in document order instead of by relevance"),
    _i("rerank-index-off-by-one", "rerank result indices are 1-based"),
    _i("top-n-ignored", "rerank ignores top_n and returns every document"),
    _i("no-usage-on-rerank", "rerank answers carry no usage block"),
    _i("pdf-refused", "input_file and file (PDF) content parts are refused with 400"),
    _i("image-refused", "image_url content parts are refused with 400"),
    _i("unsupported-part-accepted", "content parts of unknown types are silently dropped, not refused"),
    _i("analytics-headers-refused", "requests carrying HTTP-Referer or X-Title are refused with 400"),
    _i("headers-echoed-in-errors", "error messages repeat the request's HTTP-Referer and X-Title values"),
    _i("default-model-ignored", "a request without model is served by another model than the default"),
    _i("eu-region-unserved", "the EU base URL answers 404 to every request"),
    _i("responses-missing-output", "non-streamed Responses answers carry an empty output array"),
    _i("responses-no-completed-event", "Responses streams end without response.completed"),
    _i("responses-events-out-of-order", "a Responses stream sends a text delta after its output_text.done"),
    _i("responses-delta-dropped", "a Responses stream drops a text delta, so deltas differ from the text"),
    _i("responses-bad-function-args", "Responses function_call arguments are cut short and not valid JSON"),
    _i("responses-schema-ignored", "text.format json_schema is ignored on /responses: the answer is prose"),
    _i("messages-content-not-blocks", "Messages answers carry content as a string, not content blocks"),
    _i("messages-bad-stop-reason", "Messages stop_reason says stop/length instead of end_turn/max_tokens"),
    _i("messages-missing-usage", "non-streamed Messages answers carry no usage block"),
    _i("messages-events-out-of-order", "Messages streams send message_stop before message_delta"),
    _i("tool-choice-ignored", "a tool_choice naming a function is ignored: the first tool is called"),
    _i("tool-args-invalid", "tool calls carry arguments '{}', missing the function's required parameters"),
    _i("wrong-finish-reason-for-tools", "answers that call tools report finish_reason stop, not tool_calls"),
    _i("tool-result-rejected", "a conversation ending with a tool result is refused with 400"),
    _i("web-search-no-citations", "web_search answers carry no url_citation annotations"),
    _i("json-mode-invalid", "response_format json_object is ignored: the answer is prose, not JSON"),
    _i("json-schema-violated", "json_schema answers leave out the schema's required properties"),
    # management plane (issue: mock management)
    _m("deleted-key-still-valid", "a deleted key still authenticates inference"),
    _m("expired-key-still-valid", "an expired key still authenticates inference"),
    _m("limit-not-enforced", "a key whose spend reached its limit is still served"),
    _m("key-value-in-get", "get and list return the key's plaintext value"),
    _m("usage-not-recorded", "inference is not accounted against the calling key"),
    _m("stale-limit-remaining", "limit_remaining ignores spend since the key was created"),
    _m("disabled-key-still-valid", "a disabled key still authenticates inference"),
    _m("delete-twice-200", "deleting a deleted or unknown key answers 200 instead of 404"),
    _m("management-key-can-infer", "a management key is served on inference endpoints"),
    _m("get-ignores-set-fields", "get and list return a key's defaults, not the limit, labels, expiry set"),
    _m("inference-key-manages", "an inference key is accepted by the key management API"),
    _m("guardrail-not-enforced", "a guardrail's allowed_models is ignored: keys it governs call any model"),
    _m("guardrail-limit-not-enforced", "a key whose spend reached its guardrail's limit_usd is still served"),
    _m("guardrail-unassign-ignored", "removing keys from a guardrail answers their count but keeps them"),
    _m("guardrail-update-ignored", "PATCH on a guardrail answers 200 but changes nothing"),
    _m("guardrail-assign-miscount", "assigned_count counts every key the guardrail holds, not those added"),
    _m("access-list-ignored", "a key's access list (allowed_models) is ignored: it calls any model"),
    _m("pkce-verifier-not-checked", "the PKCE exchange accepts any code_verifier"),
    _m("pkce-code-reusable", "a PKCE code can be exchanged again after it was used"),
    _m("pkce-key-unusable", "the PKCE exchange answers a key value that was never stored, so it gets 401"),
    _m("credits-usage-stale", "GET credits reports total_usage 0 whatever has been spent"),
    _m("credits-total-negative", "GET credits reports total_credits as a negative number (a debit)"),
)


def validate_faults(names: list[str] | set[str] | tuple[str, ...]) -> set[str]:
    """The given names as a set, or UnknownNameError naming the first unknown one."""
    for name in names:
        if name not in FAULTS:
            raise UnknownNameError("fault mode", name, list(FAULTS))
    return set(names)
