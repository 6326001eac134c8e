"""Fault modes: named switches that each make the mock break exactly one contract point.

They exist to prove that every check and scenario can fail.  This module is the one source of
truth about them: each :class:`FaultMode` says what it breaks (``breaks``: the mock facts it
changes, observed by ``tests/mock/test_inference_faults.py``) and what must catch it (``proofs``:
the suite, the scenarios or contract checks that must fail, and the text their failure must
carry).  ``gatecheck mock --list-faults``, the admin API, the generic proof test
(``tests/proofs/``) and the docs read it.

The mock refers to a fault by its constant (``if NO_DONE_SENTINEL.on(ctx.faults)``), never by a
string, so a misspelt fault is an import error.  Names are public interface (CLI flags, config
files, baselines): never rename one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from gatecheck.check_ids import (
    CONTRACT_ERROR_ENVELOPE,
    CONTRACT_IGNORED_AUTH,
    CONTRACT_NEGATIVE_DATA_REJECTION,
    CONTRACT_RESPONSE_SCHEMA_CONFORMANCE,
    CONTRACT_SSE_DONE,
    CONTRACT_SSE_EVENTS,
    CONTRACT_SSE_USAGE_CHUNK,
    CONTRACT_USAGE_COST,
    CONTRACT_USAGE_TOKENS,
    CONTRACT_USE_AFTER_FREE,
    CheckId,
    failure_key,
)
from gatecheck.errors import UnknownNameError

__all__ = ["FAULTS", "FaultMode", "Proof", "validate_faults"]

Plane = Literal["inference", "management"]


@dataclass(frozen=True)
class Proof:
    """Where a fault must be caught: a run of ``suite`` against a ``profile`` mock with the fault on.

    ``catches`` are the scenarios (test function names) that must fail, each failure containing
    every text of ``says``; for the ``contract`` suite they are failure keys (``operation::check``,
    made by :func:`~gatecheck.check_ids.failure_key` from a registered contract id).
    ``also`` are scenarios that rely on the same contract point and fail with it; nothing else of
    the suite may fail.  ``args`` narrow the run (a ``-k`` expression), never widen it; a contract
    proof may also fix what is generated (``--examples``, one example per operation otherwise,
    and ``--gatecheck-seed``).
    """

    suite: str
    catches: tuple[str, ...]
    says: tuple[str, ...]
    profile: str = "requesty"
    also: tuple[str, ...] = ()
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class FaultMode:
    """One way the mock can misbehave; ``description`` is a one-line report title."""

    name: str
    description: str
    plane: Plane
    breaks: frozenset[str] = frozenset()
    proofs: tuple[Proof, ...] = ()
    breaks_by_flavor: tuple[tuple[str, frozenset[str]], ...] = field(default=())

    def on(self, active: Collection[str]) -> bool:
        """This fault is among the ``active`` fault names."""
        return self.name in active

    def breaks_on(self, flavor: str) -> frozenset[str]:
        """The facts this fault changes on a ``flavor`` mock (some points exist on one flavor only)."""
        return dict(self.breaks_by_flavor).get(flavor, self.breaks)


def _mode(
    plane: Plane,
    name: str,
    description: str,
    *,
    breaks: Iterable[str] = (),
    breaks_on: Mapping[str, Iterable[str]] | None = None,
    proofs: tuple[Proof, ...] = (),
) -> FaultMode:
    by_flavor = tuple((flavor, frozenset(facts)) for flavor, facts in (breaks_on or {}).items())
    return FaultMode(name, description, plane, frozenset(breaks), proofs, by_flavor)


def _contract(
    check: CheckId, *operations: str, profile: str = "requesty", args: tuple[str, ...] = ()
) -> Proof:
    """A proof in the contract suite: ``check`` must fail on each of ``operations``."""
    return Proof(
        "contract", tuple(failure_key(op, check) for op in operations), (), profile=profile, args=args
    )


_i = partial(_mode, "inference")
_m = partial(_mode, "management")


# inference plane

OMIT_USAGE_COST = _i(
    "omit-usage-cost",
    "usage.cost is missing from answers and from the stream's usage chunk",
    breaks=("chat.cost", "embeddings.cost", "fallback.cost", "responses.cost", "stream.usage_cost"),
    proofs=(
        Proof(
            "cost",
            ("test_answer_reports_usage_cost", "test_stream_usage_chunk_reports_cost"),
            ("usage.cost is missing",),
            also=(
                "test_cost_matches_the_catalog_price",
                "test_embeddings_report_usage",
                "test_key_usage_grows_by_the_request_cost",
                "test_org_usage_grows_by_the_request_cost",
            ),
        ),
        Proof("streaming", ("test_usage_chunk_comes_once_before_done",), ("usage.cost is missing",)),
        _contract(
            CONTRACT_USAGE_COST,
            "POST /chat/completions",
            "POST /embeddings",
            args=("-k", "chat or embeddings"),
        ),
    ),
)
WRONG_COST = _i(
    "wrong-cost",
    "usage.cost is ten times the catalog price",
    breaks=("chat.cost", "embeddings.cost", "fallback.cost", "responses.cost", "stream.usage_cost"),
    proofs=(
        Proof(
            "cost",
            ("test_cost_matches_the_catalog_price",),
            ("disagrees with", "catalog price"),
            also=("test_key_usage_grows_by_the_request_cost", "test_org_usage_grows_by_the_request_cost"),
        ),
        Proof(
            "cost",
            ("test_cost_matches_the_catalog_price", "test_generation_stats_agree_with_usage"),
            ("usage.cost disagrees with",),
            profile="openrouter",
        ),
    ),
)
NO_DONE_SENTINEL = _i(
    "no-done-sentinel",
    "streams end without the final 'data: [DONE]'",
    breaks=("stream.done",),
    proofs=(
        Proof(
            "streaming",
            ("test_done_sentinel_ends_the_stream",),
            ("no [DONE] sentinel",),
            also=("test_usage_chunk_comes_once_before_done",),
        ),
        _contract(CONTRACT_SSE_DONE, "POST /chat/completions", args=("-k", "chat")),
    ),
)
DATA_NOT_JSON = _i(
    "data-not-json",
    "one SSE data payload is not JSON",
    breaks=("stream.json", "stream.text"),
    proofs=(
        Proof(
            "streaming",
            ("test_every_data_payload_is_json",),
            ("is not a JSON object",),
            also=(
                "test_chunk_identity_is_constant",
                "test_first_chunk_announces_the_assistant_role",
                "test_one_finish_reason_on_the_last_chunk",
                "test_stream_is_not_buffered",
                "test_streamed_deltas_match_the_plain_answer",
                "test_streamed_tool_calls_reassemble",
                "test_usage_chunk_comes_once_before_done",
            ),
        ),
        _contract(CONTRACT_SSE_EVENTS, "POST /chat/completions", args=("-k", "chat")),
    ),
)
USAGE_CHUNK_HAS_CHOICES = _i(
    "usage-chunk-has-choices",
    "the usage chunk repeats the last choice instead of 'choices: []'",
    breaks=("stream.usage_chunk_choices",),
    proofs=(
        Proof("streaming", ("test_usage_chunk_comes_once_before_done",), ("choices: []",)),
        _contract(CONTRACT_SSE_USAGE_CHUNK, "POST /chat/completions", args=("-k", "chat")),
    ),
)
DUPLICATE_USAGE_CHUNK = _i(
    "duplicate-usage-chunk",
    "the stream's usage chunk is sent twice",
    breaks=("stream.usage_chunks",),
    proofs=(
        Proof("streaming", ("test_usage_chunk_comes_once_before_done",), ("2 usage chunks",)),
        _contract(CONTRACT_SSE_USAGE_CHUNK, "POST /chat/completions", args=("-k", "chat")),
    ),
)
BUFFERED_STREAM = _i(
    "buffered-stream",
    "the whole stream is buffered and sent in one write at the end",
    breaks=("stream.writes",),
    proofs=(Proof("streaming", ("test_stream_is_not_buffered",), ("buffered", "1 reads")),),
)
NO_FALLBACK = _i(
    "no-fallback",
    "a failing primary model is not replaced by the next candidate",
    breaks=("fallback.cost", "fallback.model", "fallback.status"),
    breaks_on={"requesty": ("fallback.cost", "fallback.model", "fallback.status", "strict.answered")},
    proofs=(
        Proof(
            "fallbacks",
            ("test_failing_primary_falls_back",),
            ("failed", "and no fallback answered", "Expected: HTTP 200 from the next candidate"),
            args=("-k", "not timeout"),
            also=("test_fallback_is_billed_at_the_answering_models_price",),
        ),
    ),
)
WRONG_MODEL_REPORTED = _i(
    "wrong-model-reported",
    "the answer's model names the requested model, not the one that answered",
    breaks=("fallback.model",),
    proofs=(
        Proof(
            "fallbacks",
            ("test_failing_primary_falls_back",),
            ("Fallback answer names openai/gpt-4o-mini instead of the fallback model",),
            profile="openrouter",
            args=("-k", "not timeout"),
            also=("test_fallback_is_billed_at_the_answering_models_price",),
        ),
    ),
)
ERROR_AS_200 = _i(
    "error-as-200",
    "upstream failures are answered 200 with an error body",
    breaks=("upstream.status",),
    proofs=(
        Proof(
            "fallbacks",
            ("test_all_candidates_failing_is_an_error",),
            ("Every candidate failed, yet the answer is HTTP 200",),
            profile="openrouter",
            also=("test_fallbacks_switched_off_return_the_error",),
        ),
        Proof("streaming", ("test_failure_before_first_byte_is_an_http_error",), ("answered HTTP 200",)),
    ),
)
NO_RETRY_AFTER = _i(
    "no-retry-after",
    "429 answers lack the Retry-After header",
    breaks=("ratelimit.retry_after",),
    proofs=(
        Proof(
            "errors",
            (
                "test_every_rate_limited_answer_of_the_run_carries_retry_after",
                "test_rate_limited_answer_carries_retry_after",
            ),
            ("429 answer lacks Retry-After", "with no Retry-After"),
        ),
    ),
)
RETRY_AFTER_NEGATIVE = _i(
    "retry-after-negative",
    "429 answers carry Retry-After: -5",
    breaks=("ratelimit.retry_after",),
    proofs=(
        Proof(
            "errors",
            (
                "test_every_rate_limited_answer_of_the_run_carries_retry_after",
                "test_rate_limited_answer_carries_retry_after",
            ),
            ("Retry-After is negative", "'-5'"),
        ),
    ),
)
RETRY_AFTER_NOT_A_NUMBER = _i(
    "retry-after-not-a-number",
    "429 answers carry Retry-After: soon",
    breaks=("ratelimit.retry_after",),
    proofs=(
        Proof(
            "errors",
            (
                "test_every_rate_limited_answer_of_the_run_carries_retry_after",
                "test_rate_limited_answer_carries_retry_after",
            ),
            ("neither delay-seconds nor an HTTP-date", "'soon'"),
        ),
    ),
)
#: The token-count faults reach every API's usage block: the Responses scenarios of the cost
#: suite, the Messages ones of the messages suite, and the contract check ``usage_tokens``.
_RESPONSES_USAGE = (
    "test_responses_usage_adds_up_and_obeys_max_output_tokens",
    "test_streamed_responses_usage_adds_up_and_reports_the_cut",
)
_MESSAGES_USAGE = (
    "test_usage_reports_input_and_output_tokens",
    "test_streamed_usage_obeys_max_tokens_and_reports_the_cut",
)
#: On the OpenRouter flavor, whose spec has /responses and /messages (Requesty's has neither).
_USAGE_TOKENS_OPERATIONS = ("POST /chat/completions", "POST /responses", "POST /embeddings")
#: The facts of tests/mock that observe the Responses counts, plain and streamed.
_RESPONSES_COUNTS = ("responses.usage", "responses.stream_usage")
USAGE_TOTAL_MISMATCH = _i(
    "usage-total-mismatch",
    "answers report total_tokens one more than their counts add up to "
    "(plain chat; Responses, plain and streamed; embeddings)",
    breaks=("chat.body", *_RESPONSES_COUNTS, "embeddings.usage_counts"),
    proofs=(
        Proof(
            "cost",
            (
                "test_chat_usage_adds_up",
                "test_chat_max_tokens_bounds_the_billed_tokens",
                *_RESPONSES_USAGE,
                "test_embeddings_usage_adds_up",
            ),
            ("usage.total_tokens", "does not add up"),
        ),
        _contract(
            CONTRACT_USAGE_TOKENS,
            *_USAGE_TOKENS_OPERATIONS,
            profile="openrouter",
            args=("-k", "chat or responses or embeddings"),
        ),
    ),
)
MAX_TOKENS_IGNORED = _i(
    "max-tokens-ignored",
    "chat, Responses and Messages ignore the output limit (max_tokens, max_completion_tokens, "
    "max_output_tokens): answers run to their end",
    # an answer not cut runs on: the stream (max_tokens 12) is longer and costs more
    breaks=("chat.cut_finish", "chat.cut_tokens", "stream.text", "stream.usage_cost", *_RESPONSES_COUNTS),
    breaks_on={
        "openrouter": (
            "chat.cut_finish",
            "chat.cut_tokens",
            "stream.text",
            "stream.usage_cost",
            *_RESPONSES_COUNTS,
            "messages.stop_reason",
            "messages.usage_counts",
        )
    },
    proofs=(
        Proof(
            "cost",
            (
                "test_chat_max_tokens_bounds_the_billed_tokens",
                "test_streamed_chat_obeys_max_tokens",
                *_RESPONSES_USAGE,
            ),
            ("tokens ignored", "output tokens billed"),
        ),
        Proof(
            "messages",
            _MESSAGES_USAGE,
            ("max_tokens ignored", "5 allowed"),
            profile="openrouter",
            also=("test_stop_reason_is_max_tokens_when_cut_short",),
        ),
    ),
)
FINISH_REASON_NOT_LENGTH = _i(
    "finish-reason-not-length",
    "answers cut by the output limit claim to be complete: plain chat finish_reason stop, "
    "Responses (plain and streamed) status completed",
    breaks=("chat.cut_finish", *_RESPONSES_COUNTS),
    proofs=(
        Proof(
            "cost",
            ("test_chat_answer_cut_by_max_tokens_says_length", *_RESPONSES_USAGE),
            ("Answer cut by the token limit reports", "when the output limit cut the answer"),
        ),
    ),
)
NEGATIVE_TOKEN_COUNT = _i(
    "negative-token-count",
    "answers report their input tokens as a negative number "
    "(plain chat prompt_tokens; Responses, Messages and embeddings, plain and streamed)",
    breaks=("chat.body", *_RESPONSES_COUNTS, "embeddings.usage_counts"),
    breaks_on={
        "openrouter": ("chat.body", *_RESPONSES_COUNTS, "embeddings.usage_counts", "messages.usage_counts")
    },
    proofs=(
        Proof(
            "cost",
            (
                "test_chat_usage_adds_up",
                "test_chat_max_tokens_bounds_the_billed_tokens",
                "test_chat_answer_cut_by_max_tokens_says_length",
                *_RESPONSES_USAGE,
                "test_embeddings_usage_adds_up",
            ),
            ("_tokens in", "is not a non-negative integer: -"),
            # the cost, right for the true counts, disagrees with the reported ones
            also=("test_cost_matches_the_catalog_price[plain]", "test_embeddings_report_usage"),
        ),
        _contract(
            CONTRACT_USAGE_TOKENS,
            *_USAGE_TOKENS_OPERATIONS,
            "POST /messages",
            profile="openrouter",
            args=("-k", "chat or responses or messages or embeddings"),
        ),
        Proof(
            "messages",
            _MESSAGES_USAGE,
            ("usage.input_tokens", "is not a non-negative integer: -"),
            profile="openrouter",
        ),
    ),
)
FRACTIONAL_TOKEN_COUNT = _i(
    "fractional-token-count",
    "answers report their output tokens with a fraction, n + 0.5 "
    "(plain chat completion_tokens; Responses and Messages output_tokens, plain and streamed)",
    breaks=("chat.body", "chat.cut_tokens", *_RESPONSES_COUNTS),  # both report completion_tokens
    breaks_on={"openrouter": ("chat.body", "chat.cut_tokens", *_RESPONSES_COUNTS, "messages.usage_counts")},
    proofs=(
        Proof(
            "cost",
            (
                "test_chat_usage_adds_up",
                "test_chat_max_tokens_bounds_the_billed_tokens",
                "test_chat_answer_cut_by_max_tokens_says_length",
                *_RESPONSES_USAGE,
            ),
            ("_tokens in", "is not a non-negative integer", ".5"),
            also=("test_cost_matches_the_catalog_price[plain]",),
        ),
        Proof(
            "messages",
            _MESSAGES_USAGE,
            ("usage.output_tokens", "is not a non-negative integer", ".5"),
            profile="openrouter",
        ),
    ),
)
BAD_ERROR_ENVELOPE = _i(
    "bad-error-envelope",
    "error bodies are plain text instead of {'error': {'message': ...}}",
    breaks=("error.envelope", "ratelimit.envelope", "upstream.envelope"),
    proofs=(
        Proof(
            "errors",
            (
                "test_malformed_json_is_refused",
                "test_missing_key_is_refused",
                "test_missing_messages_is_refused",
                "test_rate_limited_answer_carries_retry_after",
                "test_unknown_model_is_refused",
                "test_wrong_key_is_refused",
            ),
            ("Error body is not JSON", "text/plain"),
        ),
        Proof("fallbacks", ("test_all_candidates_failing_is_an_error",), ("Error body is not JSON",)),
        _contract(
            CONTRACT_ERROR_ENVELOPE, "GET /models", "POST /chat/completions", args=("-k", "chat or models")
        ),
    ),
)
AUTH_NOT_ENFORCED = _i(
    "auth-not-enforced",
    "inference requests without a valid key are served",
    breaks=("auth.status",),
    proofs=(
        Proof(
            "errors",
            ("test_missing_key_is_refused", "test_wrong_key_is_refused"),
            ("Expected HTTP 401, got HTTP 200",),
        ),
        _contract(
            CONTRACT_IGNORED_AUTH, "GET /models", "POST /chat/completions", args=("-k", "chat or models")
        ),
    ),
)
FALLBACK_COST_AT_PRIMARY_PRICE = _i(
    "fallback-cost-at-primary-price",
    "a fallback answer's usage.cost is at the primary model's price",
    breaks=("fallback.cost",),
    proofs=(
        Proof(
            "fallbacks",
            ("test_fallback_is_billed_at_the_answering_models_price",),
            ("Fallback answer is billed at the primary model's price",),
        ),
    ),
)
FALLBACK_IGNORES_ALLOW_FALLBACKS = _i(
    "fallback-ignores-allow-fallbacks",
    "allow_fallbacks: false is ignored and a backup provider answers",
    breaks=("strict.answered",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "fallbacks",
            ("test_fallbacks_switched_off_return_the_error",),
            ("Fallbacks off and the provider failed, yet the answer is HTTP 200",),
            profile="openrouter",
        ),
    ),
)
WRONG_CONTENT_TYPE = _i(
    "wrong-content-type",
    "streams are labelled application/json instead of text/event-stream",
    breaks=("stream.content_type",),
    proofs=(
        Proof(
            "streaming", ("test_stream_is_served_as_event_stream",), ("text/event-stream", "application/json")
        ),
        _contract(CONTRACT_SSE_EVENTS, "POST /chat/completions", args=("-k", "chat")),
    ),
)
COMMENT_AS_DATA = _i(
    "comment-as-data",
    "the keep-alive comment is sent as 'data: : OPENROUTER PROCESSING'",
    breaks=("stream.comments_as_data", "stream.json"),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "streaming",
            ("test_comments_stay_comments",),
            ("Comment sent as data", "OPENROUTER PROCESSING"),
            profile="openrouter",
            also=(
                "test_chunk_identity_is_constant",
                "test_every_data_payload_is_json",
                "test_first_chunk_announces_the_assistant_role",
                "test_one_finish_reason_on_the_last_chunk",
                "test_stream_is_not_buffered",
                "test_streamed_deltas_match_the_plain_answer",
                "test_streamed_tool_calls_reassemble",
                "test_usage_chunk_comes_once_before_done",
            ),
        ),
        _contract(CONTRACT_SSE_EVENTS, "POST /chat/completions", profile="openrouter", args=("-k", "chat")),
    ),
)
CONTENT_AFTER_DONE = _i(
    "content-after-done",
    "a chunk follows the stream's 'data: [DONE]'",
    breaks=("stream.after_done", "stream.done", "stream.text"),
    proofs=(
        Proof(
            "streaming",
            ("test_done_sentinel_ends_the_stream",),
            ("continues after [DONE]",),
            also=("test_usage_chunk_comes_once_before_done",),
        ),
        _contract(CONTRACT_SSE_DONE, "POST /chat/completions", args=("-k", "chat")),
    ),
)
ROLE_MISSING = _i(
    "role-missing",
    "the first stream chunk lacks delta.role: assistant",
    breaks=("stream.role",),
    proofs=(
        Proof("streaming", ("test_first_chunk_announces_the_assistant_role",), ("lacks role: assistant",)),
    ),
)
CHUNK_ID_CHANGES = _i(
    "chunk-id-changes",
    "the stream's finish chunk carries a different id from the others",
    breaks=("stream.ids",),
    proofs=(Proof("streaming", ("test_chunk_identity_is_constant",), ("Chunk id changes",)),),
)
FINISH_REASON_TWICE = _i(
    "finish-reason-twice",
    "the last content chunk and the finish chunk both carry finish_reason",
    breaks=("stream.finish_reasons",),
    proofs=(
        Proof("streaming", ("test_one_finish_reason_on_the_last_chunk",), ("exactly one finish_reason",)),
    ),
)
DELTAS_DIFFER = _i(
    "deltas-differ",
    "a streamed answer drops a token, so its deltas differ from the plain answer",
    breaks=("stream.text",),
    proofs=(
        Proof(
            "streaming", ("test_streamed_deltas_match_the_plain_answer",), ("differs from the non-streamed",)
        ),
    ),
)
STREAM_TOOL_CALL_NO_INDEX = _i(
    "stream-tool-call-no-index",
    "streamed tool-call argument fragments lack their index",
    breaks=("tool.indexed",),
    proofs=(Proof("streaming", ("test_streamed_tool_calls_reassemble",), ("has no index",)),),
)
STREAM_CUT_NO_ERROR_EVENT = _i(
    "stream-cut-no-error-event",
    "a stream cut mid-answer just stops, with no error event",
    breaks=("cut.error_event",),
    proofs=(
        Proof(
            "streaming",
            ("test_failure_mid_stream_ends_with_an_error_event",),
            ("does not end with an error event",),
        ),
    ),
)
WRONG_STATUS_ON_BAD_JSON = _i(
    "wrong-status-on-bad-json",
    "a request body that is not JSON is answered 500 instead of 400",
    breaks=("error.bad_json_status",),
    proofs=(Proof("errors", ("test_malformed_json_is_refused",), ("got HTTP 500",)),),
)
MISSING_MESSAGES_ACCEPTED = _i(
    "missing-messages-accepted",
    "a chat request without messages is answered 200",
    breaks=("error.no_messages_status",),
    proofs=(
        Proof("errors", ("test_missing_messages_is_refused",), ("got HTTP 200",)),
        _contract(CONTRACT_NEGATIVE_DATA_REJECTION, "POST /chat/completions", args=("-k", "chat")),
    ),
)
UNKNOWN_MODEL_200 = _i(
    "unknown-model-200",
    "a request for an unknown model is answered 200 by the default model",
    breaks=("error.envelope", "error.names_model", "error.status"),
    proofs=(Proof("errors", ("test_unknown_model_is_refused",), ("got HTTP 200",)),),
)
VAGUE_ERROR_MESSAGES = _i(
    "vague-error-messages",
    "error messages are the bare HTTP reason phrase, naming no field or value",
    breaks=("error.names_model",),
    proofs=(
        Proof(
            "errors",
            (
                "test_malformed_json_is_refused",
                "test_missing_messages_is_refused",
                "test_unknown_model_is_refused",
            ),
            ("does not name the problem",),
        ),
    ),
)
NO_USAGE_ON_EMBEDDINGS = _i(
    "no-usage-on-embeddings",
    "embeddings answers carry no usage block",
    breaks=("embeddings.cost", "embeddings.usage", "embeddings.usage_counts"),
    proofs=(
        Proof(
            "cost",
            ("test_embeddings_report_usage",),
            ("lacks token usage",),
            also=("test_embeddings_usage_adds_up",),
        ),
        Proof("embeddings", ("test_embedding_usage_is_reported",), ("lacks token usage", "usage: None")),
        _contract(CONTRACT_USAGE_COST, "POST /embeddings", args=("-k", "embeddings")),
    ),
)
DUPLICATE_MODEL_IDS = _i(
    "duplicate-model-ids",
    "GET models lists the first model twice",
    breaks=("catalog.ids_unique",),
    proofs=(
        Proof(
            "models",
            ("test_model_ids_are_unique_and_name_their_provider",),
            ("Model ids repeat", "'openai/gpt-4o-mini' listed 2 times"),
        ),
        Proof(
            "models",
            ("test_model_ids_are_unique_and_name_their_provider",),
            ("Model ids repeat",),
            profile="openrouter",
        ),
    ),
)
NEGATIVE_PRICE = _i(
    "negative-price",
    "GET models lists the first model with a negative input price",
    breaks=("catalog.first_price",),
    proofs=(
        Proof(
            "models",
            ("test_prices_are_non_negative_in_the_profiles_unit",),
            ("Catalog prices are not prices", "input_price -0.15 is negative"),
        ),
        Proof(
            "models",
            ("test_prices_are_non_negative_in_the_profiles_unit",),
            ("pricing.prompt '-0.00000015' is negative",),
            profile="openrouter",
        ),
    ),
)
BAD_CONTEXT_WINDOW = _i(
    "bad-context-window",
    "GET models lists the first model with a context window of 0",
    breaks=("catalog.first_context",),
    proofs=(
        Proof(
            "models",
            ("test_context_windows_are_positive_integers",),
            ("not positive integers", "context_window = 0"),
        ),
        Proof(
            "models",
            ("test_context_windows_are_positive_integers",),
            ("context_length = 0",),
            profile="openrouter",
        ),
    ),
)
REGIONS_MISSING = _i(
    "regions-missing",
    "GET models lists every model with an empty regions array",
    breaks=("catalog.regions",),
    breaks_on={"openrouter": ()},
    proofs=(
        Proof(
            "models", ("test_models_carry_their_regions",), ("listed without their regions", "regions = []")
        ),
    ),
)
LISTED_MODEL_UNSERVABLE = _i(
    "listed-model-unservable",
    "the catalog's last chat model is listed, but requests for it get 503",
    breaks=("catalog.last_chat",),
    proofs=(
        Proof(
            "models",
            ("test_listed_models_answer_or_refuse_clearly",),
            ("Listed models cannot be called", "HTTP 503"),
        ),
        Proof(
            "models",
            ("test_listed_models_answer_or_refuse_clearly",),
            ("cohere/command-r-plus-08-2024: HTTP 503",),
            profile="openrouter",
        ),
    ),
)
FILTER_IGNORED = _i(
    "filter-ignored",
    "GET models ignores its supported_parameters and output_modalities filters",
    breaks=("catalog.filtered",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "models",
            ("test_filter_returns_only_matching_models",),
            ("returned models without it",),
            profile="openrouter",
        ),
    ),
)
COUNT_MISMATCH = _i(
    "count-mismatch",
    "GET models/count reports one model more than the list holds",
    breaks=("catalog.count_agrees",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "models",
            ("test_model_count_agrees_with_the_list",),
            ("Model count disagrees with the list", "data.count: "),
            profile="openrouter",
        ),
    ),
)
EMBEDDINGS_OUT_OF_ORDER = _i(
    "embeddings-out-of-order",
    "embedding vectors come in reverse input order, index values unchanged",
    breaks=("embeddings.second",),
    proofs=(Proof("embeddings", ("test_one_vector_per_input_in_input_order",), ("not the first input's",)),),
)
WRONG_EMBEDDING_DIMENSION = _i(
    "wrong-embedding-dimension",
    "embedding vectors are one element shorter than the model's dimension",
    breaks=("embeddings.lengths",),
    proofs=(
        Proof("embeddings", ("test_vectors_have_the_models_dimension",), ("not 1536-dimensional", "1535")),
    ),
)
DIMENSIONS_IGNORED = _i(
    "dimensions-ignored",
    "the embeddings 'dimensions' field is ignored: vectors keep their full length",
    breaks=("embeddings.shortened",),
    proofs=(
        Proof(
            "embeddings",
            ("test_dimensions_parameter_is_honoured",),
            ("dimensions: 256 is ignored", "[1536, 1536]"),
        ),
    ),
)
NAN_IN_EMBEDDING = _i(
    "nan-in-embedding",
    "the last embedding vector ends in NaN",
    breaks=("embeddings.finite",),
    proofs=(Proof("embeddings", ("test_vectors_are_finite_numbers",), ("not finite numbers", "= nan")),),
)
EMPTY_INPUT_ACCEPTED = _i(
    "empty-input-accepted",
    "an empty embeddings input ('' or []) is answered 200",
    breaks=("embeddings.empty_status",),
    proofs=(Proof("embeddings", ("test_empty_input_is_refused",), ("is not refused with 400", "HTTP 200")),),
)
STRING_INPUT_REFUSED = _i(
    "string-input-refused",
    "a plain string embeddings input is refused: only arrays are accepted",
    breaks=("embeddings.cost", "embeddings.string_status", "embeddings.usage"),
    proofs=(
        Proof(
            "embeddings",
            ("test_string_and_array_inputs_are_both_accepted",),
            ("A string input is not served",),
        ),
    ),
)
RERANK_UNSORTED = _i(
    "rerank-unsorted",
    "rerank results come in document order instead of by relevance",
    breaks=("rerank.sorted",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "rerank",
            ("test_results_are_sorted_by_relevance",),
            ("not sorted by relevance",),
            profile="openrouter",
        ),
    ),
)
RERANK_INDEX_OFF_BY_ONE = _i(
    "rerank-index-off-by-one",
    "rerank result indices are 1-based",
    breaks=("rerank.indices",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "rerank",
            ("test_result_indices_point_into_the_documents",),
            ("do not point into the documents", "index = 4: no such document"),
            profile="openrouter",
        ),
    ),
)
TOP_N_IGNORED = _i(
    "top-n-ignored",
    "rerank ignores top_n and returns every document",
    breaks=("rerank.top_count",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "rerank",
            ("test_top_n_is_honoured",),
            ("top_n: 2 is not honoured", "4 results"),
            profile="openrouter",
        ),
    ),
)
NO_USAGE_ON_RERANK = _i(
    "no-usage-on-rerank",
    "rerank answers carry no usage block",
    breaks=("rerank.usage",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "rerank", ("test_rerank_usage_is_reported",), ("Rerank answer lacks usage",), profile="openrouter"
        ),
        _contract(CONTRACT_USAGE_COST, "POST /rerank", profile="openrouter", args=("-k", "rerank")),
    ),
)
PDF_REFUSED = _i(
    "pdf-refused",
    "input_file and file (PDF) content parts are refused with 400",
    breaks=("parts.pdf",),
    proofs=(
        Proof(
            "inputs",
            ("test_pdf_as_base64_is_accepted", "test_pdf_by_url_is_accepted"),
            ("input_file part", "is not accepted", "'input_file' is not supported"),
        ),
    ),
)
IMAGE_REFUSED = _i(
    "image-refused",
    "image_url content parts are refused with 400",
    breaks=("parts.image",),
    proofs=(
        Proof("inputs", ("test_image_part_is_accepted",), ("An image_url part is not accepted", "HTTP 400")),
    ),
)
UNSUPPORTED_PART_ACCEPTED = _i(
    "unsupported-part-accepted",
    "content parts of unknown types are silently dropped, not refused",
    breaks=("parts.unknown",),
    proofs=(
        Proof(
            "inputs",
            ("test_unsupported_part_type_is_refused_by_name",),
            ("'gatecheck_hologram' content part is not refused", "HTTP 200"),
        ),
    ),
)
ANALYTICS_HEADERS_REFUSED = _i(
    "analytics-headers-refused",
    "requests carrying HTTP-Referer or X-Title are refused with 400",
    breaks=("headers.status",),
    proofs=(
        Proof(
            "headers",
            ("test_analytics_headers_are_accepted",),
            ("analytics headers is not served", "HTTP 400"),
        ),
    ),
)
HEADERS_ECHOED_IN_ERRORS = _i(
    "headers-echoed-in-errors",
    "error messages repeat the request's HTTP-Referer and X-Title values",
    breaks=("headers.echoed",),
    proofs=(
        Proof(
            "headers",
            ("test_analytics_headers_are_not_echoed_into_errors",),
            ("Error answer echoes the analytics headers",),
        ),
    ),
)
DEFAULT_MODEL_IGNORED = _i(
    "default-model-ignored",
    "a request without model is served by another model than the default",
    breaks=("default.model",),
    proofs=(
        Proof(
            "headers",
            ("test_omitted_model_is_served_by_the_default_model",),
            ("not served by the default model", "model: 'openai/gpt-4o-mini'", "model: 'openai/gpt-4o'"),
        ),
    ),
)
EU_REGION_UNSERVED = _i(
    "eu-region-unserved",
    "the EU base URL answers 404 to every request",
    breaks=("region.eu",),
    breaks_on={"openrouter": ()},
    proofs=(
        Proof(
            "headers",
            ("test_eu_base_url_serves_the_same_api",),
            ("The EU base URL does not serve the API", "HTTP 404", "/eu/v1/models"),
        ),
    ),
)
RESPONSES_MISSING_OUTPUT = _i(
    "responses-missing-output",
    "non-streamed Responses answers carry an empty output array",
    breaks=("responses.function_args", "responses.output_types", "responses.schema_required"),
    proofs=(
        Proof(
            "responses",
            ("test_response_object_has_the_documented_shape",),
            ("has no message in output",),
            also=("test_json_schema_format_shapes_the_output_text",),
        ),
    ),
)
RESPONSES_NO_COMPLETED_EVENT = _i(
    "responses-no-completed-event",
    "Responses streams end without response.completed",
    breaks=("responses.stream_end", "responses.stream_usage"),  # the final usage goes with it
    proofs=(
        Proof(
            "responses",
            ("test_stream_opens_with_created_and_closes_with_completed",),
            ("does not close with one response.completed",),
        ),
    ),
)
RESPONSES_EVENTS_OUT_OF_ORDER = _i(
    "responses-events-out-of-order",
    "a Responses stream sends a text delta after its output_text.done",
    breaks=("responses.deltas_before_done",),
    proofs=(
        Proof(
            "responses",
            ("test_stream_events_are_numbered_and_in_order",),
            ("(response.output_text.delta) is out of order", "before response.output_text.done"),
        ),
    ),
)
RESPONSES_DELTA_DROPPED = _i(
    "responses-delta-dropped",
    "a Responses stream drops a text delta, so deltas differ from the text",
    breaks=("responses.deltas_are_text",),
    proofs=(
        Proof(
            "responses", ("test_text_deltas_join_into_the_final_output_text",), ("Text deltas do not join",)
        ),
    ),
)
RESPONSES_BAD_FUNCTION_ARGS = _i(
    "responses-bad-function-args",
    "Responses function_call arguments are cut short and not valid JSON",
    breaks=("responses.function_args",),
    proofs=(
        Proof(
            "responses",
            ("test_streamed_function_call_events_arrive_in_order",),
            ("arguments are not valid JSON",),
        ),
    ),
)
RESPONSES_SCHEMA_IGNORED = _i(
    "responses-schema-ignored",
    "text.format json_schema is ignored on /responses: the answer is prose",
    breaks=("responses.schema_required",),
    proofs=(
        Proof(
            "responses",
            ("test_json_schema_format_shapes_the_output_text",),
            ("Output text is not JSON", "text.format"),
            profile="openrouter",
        ),
    ),
)
MESSAGES_CONTENT_NOT_BLOCKS = _i(
    "messages-content-not-blocks",
    "Messages answers carry content as a string, not content blocks",
    breaks=("messages.content",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "messages",
            ("test_message_has_the_documented_shape",),
            ("content is not a list of content blocks",),
            profile="openrouter",
        ),
        _contract(
            CONTRACT_RESPONSE_SCHEMA_CONFORMANCE,
            "POST /messages",
            profile="openrouter",
            args=("-k", "messages"),
        ),
    ),
)
MESSAGES_BAD_STOP_REASON = _i(
    "messages-bad-stop-reason",
    "Messages stop_reason says stop/length instead of end_turn/max_tokens",
    breaks=("messages.stop_reason",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "messages",
            ("test_stop_reason_is_end_turn_when_complete", "test_stop_reason_is_max_tokens_when_cut_short"),
            ("stop_reason is '",),
            profile="openrouter",
            also=("test_streamed_usage_obeys_max_tokens_and_reports_the_cut",),  # says 'length' when cut
        ),
    ),
)
MESSAGES_MISSING_USAGE = _i(
    "messages-missing-usage",
    "non-streamed Messages answers carry no usage block",
    breaks=("messages.usage", "messages.usage_counts"),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "messages",
            ("test_usage_reports_input_and_output_tokens",),
            ("usage: None",),
            profile="openrouter",
        ),
        _contract(CONTRACT_USAGE_COST, "POST /messages", profile="openrouter", args=("-k", "messages")),
    ),
)
MESSAGES_EVENTS_OUT_OF_ORDER = _i(
    "messages-events-out-of-order",
    "Messages streams send message_stop before message_delta",
    breaks=("messages.stream_end",),
    breaks_on={"requesty": ()},
    proofs=(
        Proof(
            "messages",
            ("test_stream_events_follow_the_documented_order",),
            ("(message_stop) is out of order", "message_delta"),
            profile="openrouter",
        ),
    ),
)
TOOL_CHOICE_IGNORED = _i(
    "tool-choice-ignored",
    "a tool_choice naming a function is ignored: the first tool is called",
    breaks=("tools.forced_name",),
    proofs=(
        Proof(
            "tools",
            ("test_forced_tool_choice_calls_the_named_function",),
            ("tool_choice named get_weather but the answer calls get_time",),
        ),
    ),
)
TOOL_ARGS_INVALID = _i(
    "tool-args-invalid",
    "tool calls carry arguments '{}', missing the function's required parameters",
    breaks=("tools.args_complete",),
    proofs=(
        Proof(
            "tools",
            ("test_tool_call_arguments_match_the_function_parameters",),
            ("do not match the function's parameters", "is a required property"),
        ),
    ),
)
WRONG_FINISH_REASON_FOR_TOOLS = _i(
    "wrong-finish-reason-for-tools",
    "answers that call tools report finish_reason stop, not tool_calls",
    breaks=("tools.finish_reason",),
    proofs=(
        Proof(
            "tools",
            ("test_tool_call_finishes_with_tool_calls",),
            ("An answer with tool_calls finishes with 'stop'",),
        ),
    ),
)
TOOL_RESULT_REJECTED = _i(
    "tool-result-rejected",
    "a conversation ending with a tool result is refused with 400",
    breaks=("tools.result_status",),
    proofs=(
        Proof(
            "tools",
            ("test_tool_result_continues_the_conversation",),
            ("A conversation with a tool result was refused", "HTTP 400"),
        ),
    ),
)
WEB_SEARCH_NO_CITATIONS = _i(
    "web-search-no-citations",
    "web_search answers carry no url_citation annotations",
    breaks=("web.citations",),
    proofs=(Proof("tools", ("test_web_search_answer_cites_its_sources",), ("cites no sources",)),),
)
JSON_MODE_INVALID = _i(
    "json-mode-invalid",
    "response_format json_object is ignored: the answer is prose, not JSON",
    breaks=("json.object_parses",),
    proofs=(
        Proof(
            "structured",
            ("test_json_object_mode_yields_json",),
            ("Answer is not JSON although response_format asked for json_object",),
            profile="openrouter",
        ),
    ),
)
JSON_SCHEMA_VIOLATED = _i(
    "json-schema-violated",
    "json_schema answers leave out the schema's required properties",
    breaks=("json.schema_required",),
    proofs=(
        Proof(
            "structured",
            ("test_strict_json_schema_output_validates",),
            ("does not match the schema", "'city' is a required property"),
            profile="openrouter",
        ),
    ),
)

# management plane

DELETED_KEY_STILL_VALID = _m(
    "deleted-key-still-valid",
    "a deleted key still authenticates inference",
    proofs=(
        Proof(
            "keys", ("test_deleted_key_is_refused",), ("Key was deleted, yet inference answered HTTP 200",)
        ),
    ),
)
DELETED_KEY_STILL_READABLE = _m(
    "deleted-key-still-readable",
    "a deleted key still reads back: GET of its id answers 200, not 404",
    proofs=(
        Proof("keys", ("test_deleted_key_is_refused",), ("Deleted key still reads as HTTP 200", "HTTP 404")),
        # The stateful phase follows the spec's link from DELETE to a GET of the deleted key; a
        # part's first scenario is the simplest and may stop short of it, so the mock's default
        # number of scenarios (all four parts fail at this seed).
        _contract(
            CONTRACT_USE_AFTER_FREE,
            "DELETE /api-keys/{key_id}",  # schemathesis names the DELETE whose resource stayed
            args=("-k", "stateful", "--examples", "20", "--gatecheck-seed", "7"),
        ),
    ),
)
EXPIRED_KEY_STILL_VALID = _m(
    "expired-key-still-valid",
    "an expired key still authenticates inference",
    proofs=(
        Proof(
            "keys",
            ("test_expired_key_is_refused",),
            ("Key expired at", "answered HTTP 200", "Expected: HTTP 401"),
        ),
    ),
)
LIMIT_NOT_ENFORCED = _m(
    "limit-not-enforced",
    "a key whose spend reached its limit is still served",
    proofs=(
        Proof(
            "keys",
            ("test_limit_below_spend_refuses_inference",),
            ("limit is below its spend", "answered HTTP 200", "Expected: HTTP 402"),
            profile="openrouter",
        ),
    ),
)
KEY_VALUE_IN_GET = _m(
    "key-value-in-get",
    "get and list return the key's plaintext value",
    proofs=(
        Proof("keys", ("test_key_value_is_returned_only_on_creation",), ("Key value returned again by get",)),
    ),
)
USAGE_NOT_RECORDED = _m(
    "usage-not-recorded",
    "inference is not accounted against the calling key",
    proofs=(
        Proof(
            "cost",
            ("test_key_usage_grows_by_the_request_cost", "test_org_usage_grows_by_the_request_cost"),
            ("grow", "within 1 s"),
        ),
        Proof(
            "keys",
            ("test_new_key_can_infer_and_is_billed",),
            ("spend does not show the request it made",),
            also=("test_limit_below_spend_refuses_inference",),
        ),
    ),
)
STALE_LIMIT_REMAINING = _m(
    "stale-limit-remaining",
    "limit_remaining ignores spend since the key was created",
    proofs=(
        Proof(
            "keys",
            ("test_limit_remaining_is_limit_minus_spend",),
            ("limit_remaining ignores what the key has spent",),
            profile="openrouter",
        ),
    ),
)
DISABLED_KEY_STILL_VALID = _m(
    "disabled-key-still-valid",
    "a disabled key still authenticates inference",
    proofs=(
        Proof(
            "keys",
            ("test_disabled_key_is_refused",),
            ("Key is disabled, yet inference answered HTTP 200",),
            profile="openrouter",
        ),
    ),
)
DELETE_TWICE_200 = _m(
    "delete-twice-200",
    "deleting a deleted or unknown key answers 200 instead of 404",
    proofs=(
        Proof(
            "keys",
            ("test_deleting_again_or_an_unknown_id_is_404",),
            ("A second delete of the same key answered HTTP 200",),
        ),
    ),
)
MANAGEMENT_KEY_CAN_INFER = _m(
    "management-key-can-infer",
    "a management key is served on inference endpoints",
    proofs=(
        Proof(
            "keys",
            ("test_management_key_cannot_infer",),
            ("A management key called inference, yet inference answered HTTP 200",),
            profile="openrouter",
        ),
    ),
)
GET_IGNORES_SET_FIELDS = _m(
    "get-ignores-set-fields",
    "get and list return a key's defaults, not the limit, labels, expiry set",
    proofs=(
        Proof(
            "keys",
            ("test_get_returns_what_was_set",),
            ("Get does not return the fields the key was created with", "limit"),
            profile="openrouter",
        ),
    ),
)
INFERENCE_KEY_MANAGES = _m(
    "inference-key-manages",
    "an inference key is accepted by the key management API",
    proofs=(
        Proof(
            "errors",
            ("test_inference_key_cannot_manage_keys",),
            ("Expected HTTP 401 or HTTP 403, got HTTP 200",),
        ),
        Proof(
            "errors",
            ("test_inference_key_cannot_manage_keys",),
            ("Expected HTTP 401 or HTTP 403, got HTTP 200",),
            profile="openrouter",
        ),
    ),
)
GUARDRAIL_NOT_ENFORCED = _m(
    "guardrail-not-enforced",
    "a guardrail's allowed_models is ignored: keys it governs call any model",
    proofs=(
        Proof(
            "governance",
            ("test_guardrail_allowed_models_limit_the_key",),
            ("guardrail allows only", "answered HTTP 200", "Expected: HTTP 403"),
            profile="openrouter",
            also=("test_unassigning_the_guardrail_restores_access",),
        ),
    ),
)
GUARDRAIL_LIMIT_NOT_ENFORCED = _m(
    "guardrail-limit-not-enforced",
    "a key whose spend reached its guardrail's limit_usd is still served",
    proofs=(
        Proof(
            "governance",
            ("test_guardrail_budget_refuses_with_402",),
            ("guardrail has limit_usd", "answered HTTP 200", "Expected: HTTP 402"),
            profile="openrouter",
        ),
    ),
)
GUARDRAIL_UNASSIGN_IGNORED = _m(
    "guardrail-unassign-ignored",
    "removing keys from a guardrail answers their count but keeps them",
    proofs=(
        Proof(
            "governance",
            ("test_unassigning_the_guardrail_restores_access",),
            ("removed from the guardrail", "answered HTTP 403", "Expected: HTTP 200"),
            profile="openrouter",
            also=("test_assignment_counts_match_the_keys",),
        ),
    ),
)
GUARDRAIL_UPDATE_IGNORED = _m(
    "guardrail-update-ignored",
    "PATCH on a guardrail answers 200 but changes nothing",
    proofs=(
        Proof(
            "governance",
            ("test_guardrail_crud_round_trip",),
            ("Get does not return the guardrail's patched fields", "limit_usd: sent 7.5, got 5.0"),
            profile="openrouter",
        ),
    ),
)
GUARDRAIL_ASSIGN_MISCOUNT = _m(
    "guardrail-assign-miscount",
    "assigned_count counts every key the guardrail holds, not those added",
    proofs=(
        Proof(
            "governance",
            ("test_assignment_counts_match_the_keys",),
            ("assigned_count says 2 keys were assigned; the request assigned 1",),
            profile="openrouter",
        ),
    ),
)
ACCESS_LIST_IGNORED = _m(
    "access-list-ignored",
    "a key's access list (allowed_models) is ignored: it calls any model",
    proofs=(
        Proof(
            "governance",
            ("test_access_list_limits_the_key_to_its_models",),
            ("access list (allowed_models) holds only", "answered HTTP 200", "Expected: HTTP 403"),
        ),
    ),
)
PKCE_VERIFIER_NOT_CHECKED = _m(
    "pkce-verifier-not-checked",
    "the PKCE exchange accepts any code_verifier",
    proofs=(
        Proof(
            "governance",
            ("test_wrong_verifier_is_refused",),
            ("Exchange with a wrong code_verifier answered HTTP 200", "(a new key, masked)"),
            profile="openrouter",
        ),
    ),
)
PKCE_CODE_REUSABLE = _m(
    "pkce-code-reusable",
    "a PKCE code can be exchanged again after it was used",
    proofs=(
        Proof(
            "governance",
            ("test_code_cannot_be_exchanged_twice",),
            ("A second exchange of a used code answered HTTP 200",),
            profile="openrouter",
        ),
    ),
)
PKCE_KEY_UNUSABLE = _m(
    "pkce-key-unusable",
    "the PKCE exchange answers a key value that was never stored, so it gets 401",
    proofs=(
        Proof(
            "governance",
            ("test_pkce_exchange_gives_a_working_key",),
            ("The key came from the PKCE exchange, yet a request", "answered HTTP 401"),
            profile="openrouter",
        ),
    ),
)
CREDITS_USAGE_STALE = _m(
    "credits-usage-stale",
    "GET credits reports total_usage 0 whatever has been spent",
    proofs=(
        Proof(
            "governance",
            ("test_credits_usage_grows_after_a_paid_request",),
            ("Credits usage did not grow after a paid request", "0 before, 0 after"),
            profile="openrouter",
        ),
    ),
)
CREDITS_TOTAL_NEGATIVE = _m(
    "credits-total-negative",
    "GET credits reports total_credits as a negative number (a debit)",
    proofs=(
        Proof(
            "governance",
            ("test_credits_report_a_consistent_balance",),
            ("/data/total_credits is not a non-negative number", "-100"),
            profile="openrouter",
            also=("test_credits_usage_grows_after_a_paid_request",),
        ),
    ),
)


def _registry() -> dict[str, FaultMode]:
    """Every ``FaultMode`` constant of this module, by name, in the order they are defined."""
    table: dict[str, FaultMode] = {}
    for value in list(globals().values()):
        if isinstance(value, FaultMode):
            if value.name in table:
                raise ValueError(f"fault mode {value.name!r} registered twice")
            table[value.name] = value
    return table


FAULTS: dict[str, FaultMode] = _registry()


def validate_faults(names: Iterable[str]) -> set[str]:
    """The given names as a set, or UnknownNameError naming the first unknown one."""
    names = list(names)
    for name in names:
        if name not in FAULTS:
            raise UnknownNameError("fault mode", name, list(FAULTS))
    return set(names)
