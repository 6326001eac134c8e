"""``POST /messages`` (OpenRouter only): the Anthropic Messages API over the simulated models.

Maps Anthropic's request (``system``, content blocks, ``tool_use``/``tool_result``,
``stop_sequences``, ``tool_choice`` ``auto|any|tool|none``) onto the shared generator, and the
answer back onto a ``message`` with ``stop_reason`` ``end_turn|max_tokens|stop_sequence|tool_use``.
The stream is Anthropic's: message_start, content_block_start, ping, content_block_delta…,
content_block_stop, message_delta, message_stop; an upstream cut mid-stream ends with an
``error`` event.  ``messages-bad-stop-reason`` applies in :func:`_stop_reason`,
``messages-events-out-of-order`` in :func:`_frames`, the other ``messages-*`` faults where
:func:`messages` assembles the answer; ``max-tokens-ignored`` in :func:`_spec` and the token-count
faults in :func:`_usage`, which plain answers and the stream's message_delta share.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gatecheck.mock.accounts import Principal, UsageRecord
from gatecheck.mock.faults import (
    MAX_TOKENS_IGNORED,
    MESSAGES_BAD_STOP_REASON,
    MESSAGES_CONTENT_NOT_BLOCKS,
    MESSAGES_EVENTS_OUT_OF_ORDER,
    MESSAGES_MISSING_USAGE,
)
from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.body import Fields, bad
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.contract import read_request
from gatecheck.mock.inference.generation import Answer, FunctionTool, Spec, generate
from gatecheck.mock.inference.guard import admit
from gatecheck.mock.inference.options import (
    WEB_SEARCH_TOOLS,
    function_tool,
    route_request,
    sampling,
    stop_sequences,
)
from gatecheck.mock.inference.render import Meta, json_response
from gatecheck.mock.inference.routing import route
from gatecheck.mock.inference.streaming import SSEEncoder, sse_response
from gatecheck.mock.inference.usage import (
    MESSAGES,
    account,
    account_now,
    cost_fields,
    reported_counts,
    usage_of,
)

__all__ = ["messages"]

_STOP = {"length": "max_tokens", "tool_calls": "tool_use"}
_CHOICE = {"auto": "auto", "any": "required", "none": "none", "tool": "function"}
_BLOCK_TOKENS = {"image": tokens.IMAGE_TOKENS, "document": tokens.FILE_TOKENS}


def _blocks(msg: Fields) -> tuple[str, str | None, int]:
    """(text, tool result text, tokens) of a message's content."""
    content = msg.value("content")
    if isinstance(content, str):
        return content, None, tokens.count(content)
    texts, result, used = [], None, 0
    for block in msg.each("content", msg.array("content", required=True, nonempty=True) or []):
        kind = block.string("type", required=True)
        if kind == "text":
            texts.append(block.string("text", required=True) or "")
            used += tokens.count(texts[-1])
        elif kind == "tool_result":
            block.string("tool_use_id", required=True)
            inner = block.value("content") or ""
            result = inner if isinstance(inner, str) else json.dumps(inner)
            used += tokens.count(result)
        elif kind == "tool_use":
            used += tokens.count(json.dumps(block.value("input") or {}))
        elif kind in _BLOCK_TOKENS:
            used += _BLOCK_TOKENS[kind]
        else:
            bad(block.at("type"), f"content block type {kind!r} is not supported")
    return " ".join(texts), result, used


def _conversation(body: Fields) -> tuple[str, str, str | None, int]:
    system = body.value("system")
    if system is not None and not isinstance(system, str | list):
        bad("system", "must be a string or an array of text blocks")
    used = 3 + tokens.count(json.dumps(system) if system else "")
    question, result = "", None
    items = body.array("messages", required=True, nonempty=True) or []
    for msg in body.each("messages", items):
        role = msg.string("role", required=True)
        if role not in ("user", "assistant"):
            bad(msg.at("role"), f"must be user or assistant, not {role!r}")
        text, result, n = _blocks(msg)
        question = text if role == "user" and text else question
        used += tokens.MESSAGE_OVERHEAD + n
    return json.dumps([system, items], sort_keys=True), question, result, used


def _tools(body: Fields) -> tuple[tuple[FunctionTool, ...], bool]:
    tools, web = [], False
    for tool in body.each("tools", body.array("tools") or []):
        kind = tool.string("type")
        if kind and (kind in WEB_SEARCH_TOOLS or kind.startswith("web_search_")):
            web = True
            continue
        schema = tool.value("input_schema")
        tools.append(
            function_tool(tool.string("name", required=True), schema, tool, schema_field="input_schema")
        )
    return tuple(tools), web


def _choice(body: Fields, tools: tuple[FunctionTool, ...]) -> tuple[str, str | None]:
    choice = body.mapping("tool_choice")
    if choice is None:
        return "auto", None
    kind = choice.string("type", required=True)
    if kind not in _CHOICE:
        bad(choice.at("type"), f"must be one of {', '.join(_CHOICE)}")
    name = choice.string("name", required=kind == "tool")
    if kind == "tool" and name not in {t.name for t in tools}:
        bad(choice.at("name"), f"names {name!r}, which is not among the request's tools")
    return _CHOICE[kind], name


def _spec(body: Fields, faults: Collection[str] = ()) -> Spec:
    key, question, result, used = _conversation(body)
    tools, web = _tools(body)
    choice, forced = _choice(body, tools)
    return Spec(
        key=key,
        question=question,
        prompt_tokens=used,
        tool_output=result,
        seed=sampling(body),
        max_tokens=None if MAX_TOKENS_IGNORED.on(faults) else body.integer("max_tokens", minimum=1),
        stop=stop_sequences(body, "stop_sequences"),
        tools=tools,
        tool_choice=choice,
        forced=forced,
        web_search=web,
    )


def _content(answer: Answer) -> list[dict[str, Any]]:
    if answer.tool_calls:
        return [
            {"type": "tool_use", "id": f"toolu_{c.id[5:]}", "name": c.name, "input": json.loads(c.arguments)}
            for c in answer.tool_calls
        ]
    return [{"type": "text", "text": answer.text, "citations": None}]


def _stop_reason(answer: Answer, faults: Collection[str] = ()) -> str:
    if MESSAGES_BAD_STOP_REASON.on(faults):  # Chat Completions' words, left untranslated
        return answer.finish_reason
    return "stop_sequence" if answer.stop_sequence else _STOP.get(answer.finish_reason, "end_turn")


def _usage(ctx: Context, meta: Meta, spec: Spec, answer: Answer) -> dict[str, Any]:
    """The usage of the answer and of the stream's message_delta: the token-count faults reach both."""
    return {
        **reported_counts(ctx.faults, MESSAGES, spec.prompt_tokens, answer.completion_tokens),
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        # the rest of OpenRouter's official AnthropicUsage (all required): nothing cached or tooled
        "cache_creation": None,
        "output_tokens_details": None,
        "server_tool_use": None,
        "inference_geo": None,
        "service_tier": "standard",
        **cost_fields(ctx.faults, meta.routed, spec.prompt_tokens, answer.completion_tokens),
    }


def _message(
    meta: Meta, content: list[dict[str, Any]], stop: str | None, sequence: str | None
) -> dict[str, Any]:
    return {
        "id": meta.id,
        "type": "message",
        "role": "assistant",
        "content": content,
        "model": meta.routed.reported_model,
        "stop_reason": stop,
        "stop_sequence": sequence,
        "stop_details": None,  # required (nullable) by the official BaseMessagesResult, as is container
        "container": None,
    }


def _frames(
    ctx: Context, meta: Meta, spec: Spec, answer: Answer, enc: SSEEncoder, done: Callable[[int, str], None]
) -> Iterator[bytes]:
    start = {
        **_message(meta, [], None, None),
        "usage": {"input_tokens": spec.prompt_tokens, "output_tokens": 0},
    }
    yield enc.event("message_start", {"type": "message_start", "message": start})
    block = _content(answer)[0]
    opening = {**block, "input": {}} if block["type"] == "tool_use" else {"type": "text", "text": ""}
    yield enc.event(
        "content_block_start", {"type": "content_block_start", "index": 0, "content_block": opening}
    )
    yield enc.event("ping", {"type": "ping"})
    if block["type"] == "tool_use":
        args = answer.tool_calls[0].arguments
        deltas = [
            {"type": "input_json_delta", "partial_json": args[i : i + 8]} for i in range(0, len(args), 8)
        ]
    else:
        deltas = [{"type": "text_delta", "text": piece} for piece in answer.pieces]
    cut = min(max(1, len(deltas) // 2), len(deltas)) if meta.routed.cut_mid_stream else None
    for block_delta in deltas[:cut]:
        yield enc.event(
            "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": block_delta}
        )
    if cut is not None:
        done(cut, "error")
        error = {"type": "api_error", "message": "upstream provider disconnected mid-stream"}
        yield enc.event("error", {"type": "error", "error": error})
        return
    yield enc.event("content_block_stop", {"type": "content_block_stop", "index": 0})
    done(answer.completion_tokens, answer.finish_reason)
    delta = {"stop_reason": _stop_reason(answer, ctx.faults), "stop_sequence": answer.stop_sequence}
    usage = _usage(ctx, meta, spec, answer)
    closing = [
        enc.event("message_delta", {"type": "message_delta", "delta": delta, "usage": usage}),
        enc.event("message_stop", {"type": "message_stop"}),
    ]
    yield from reversed(closing) if MESSAGES_EVENTS_OUT_OF_ORDER.on(ctx.faults) else closing


async def messages(ctx: Context, request: Request) -> Response:
    started = time.perf_counter()
    request.state.error_style = "anthropic"  # errors as OpenRouter's AnthropicMessagesErrorResponse
    principal: Principal = admit(ctx, request)
    body = await read_request(ctx, request, "/messages")
    spec = _spec(body, ctx.faults)
    stream = bool(body.boolean("stream"))
    routed = await route(ctx, principal, route_request(ctx, body, use_default=False), streaming=stream)
    answer = generate(spec)
    meta = Meta.new(ctx, routed, prefix="msg_")

    def spent(completion: int, finish: str) -> UsageRecord:
        return usage_of(
            routed,
            generation_id=meta.id,
            prompt=spec.prompt_tokens,
            completion=completion,
            streamed=stream,
            started=started,
            finish_reason=finish,
            endpoint="messages",
        )

    if stream:
        enc = SSEEncoder(ctx.faults)

        def done(completion: int, finish: str) -> None:
            account_now(ctx, principal, spent(completion, finish))

        return sse_response(ctx, _frames(ctx, meta, spec, answer, enc, done), enc, meta.id)
    await account(ctx, principal, spent(answer.completion_tokens, answer.finish_reason))
    content: Any = answer.text if MESSAGES_CONTENT_NOT_BLOCKS.on(ctx.faults) else _content(answer)
    body_out = {
        **_message(meta, content, _stop_reason(answer, ctx.faults), answer.stop_sequence),
        "usage": _usage(ctx, meta, spec, answer),
    }
    if MESSAGES_MISSING_USAGE.on(ctx.faults):
        del body_out["usage"]
    return json_response(body_out, headers=ctx.shapes.headers(meta.id))
