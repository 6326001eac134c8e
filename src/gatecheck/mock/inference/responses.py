"""``POST /responses``: the OpenAI Responses API over the same simulated models.

Served by both flavors (Requesty's changelog, 001; OpenRouter's stateless beta, 004).  Input
items are validated and counted like chat messages, then the shared generator answers; this
module maps the answer onto a Response object (``output`` items: ``message`` with
``output_text`` parts, or ``function_call``), and responses_stream onto the event stream.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gatecheck.mock.faults import (
    FINISH_REASON_NOT_LENGTH,
    MAX_TOKENS_IGNORED,
    RESPONSES_BAD_FUNCTION_ARGS,
    RESPONSES_MISSING_OUTPUT,
    RESPONSES_SCHEMA_IGNORED,
)
from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.body import Fields, bad
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.contract import read_request
from gatecheck.mock.inference.generation import Answer, FunctionTool, Spec, generate
from gatecheck.mock.inference.guard import admit
from gatecheck.mock.inference.options import (
    WEB_SEARCH_TOOLS,
    checked_schema,
    function_tool,
    route_request,
    sampling,
)
from gatecheck.mock.inference.render import Meta, json_response
from gatecheck.mock.inference.routing import RouteRequest, route
from gatecheck.mock.inference.usage import RESPONSES, account, cost_fields, reported_counts, usage_of

__all__ = ["ResponsesRequest", "response_object", "responses"]

_TEXT_PARTS = ("input_text", "output_text", "text")
_OTHER_PARTS = {"input_image": tokens.IMAGE_TOKENS, "input_file": tokens.FILE_TOKENS, "input_audio": 100}


@dataclass(frozen=True)
class ResponsesRequest:
    spec: Spec
    route: RouteRequest
    stream: bool
    echo: dict[str, Any]  # request fields the Response object repeats


def _content(item: Fields) -> tuple[str, int]:
    content = item.value("content")
    if isinstance(content, str):
        return content, tokens.count(content)
    texts, used = [], 0
    for part in item.each("content", item.array("content", required=True, nonempty=True) or []):
        kind = part.string("type", required=True)
        if kind in _TEXT_PARTS:
            text = part.string("text", required=True) or ""
            texts.append(text)
            used += tokens.count(text)
        elif kind in _OTHER_PARTS:
            used += _OTHER_PARTS[kind]
        else:
            bad(part.at("type"), f"content part type {kind!r} is not supported")
    return " ".join(texts), used


def _input(body: Fields) -> tuple[str, str, str | None, int]:
    """(key, question, tool output, tokens) of ``input`` and ``instructions``."""
    raw = body.value("input")
    instructions = body.string("instructions") or ""
    used = 3 + tokens.count(instructions)
    if isinstance(raw, str):
        return json.dumps([instructions, raw]), raw, None, used + tokens.MESSAGE_OVERHEAD + tokens.count(raw)
    items = body.array("input", required=True, nonempty=True) or []
    question, output = "", None
    for item in body.each("input", items):
        kind = item.string("type") or "message"
        output = None
        if kind == "message":
            role = item.string("role", required=True)
            text, n = _content(item)
            question = text if role == "user" else question
        elif kind == "function_call_output":
            item.string("call_id", required=True)
            output = item.string("output", required=True) or ""
            n = tokens.count(output)
        elif kind == "function_call":
            n = tokens.count(item.string("name", required=True) or "") + tokens.count(
                item.string("arguments") or ""
            )
        else:
            bad(item.at("type"), f"input item type {kind!r} is not supported")
        used += tokens.MESSAGE_OVERHEAD + n
    return json.dumps([instructions, items], sort_keys=True), question, output, used


def _tools(body: Fields) -> tuple[tuple[FunctionTool, ...], bool]:
    tools, web = [], False
    for tool in body.each("tools", body.array("tools") or []):
        kind = tool.string("type", required=True)
        if kind == "function":
            tools.append(function_tool(tool.string("name", required=True), tool.value("parameters"), tool))
        elif kind in WEB_SEARCH_TOOLS:
            web = True
        else:
            bad(tool.at("type"), f"tool type {kind!r} is not supported; use function or web_search")
    return tuple(tools), web


def _tool_choice(body: Fields, tools: tuple[FunctionTool, ...]) -> tuple[str, str | None]:
    value = body.value("tool_choice")
    if value is None or value in ("none", "auto", "required"):
        choice = value or "auto"
        if choice == "required" and not tools:
            bad("tool_choice", "requires 'tools' with at least one function")
        return choice, None
    if not isinstance(value, dict):
        bad("tool_choice", "must be none, auto, required or {type: function, name: <one of the tools>}")
    name = Fields(value, "tool_choice").string("name", required=True)  # a 400 for a non-string name
    if name not in {t.name for t in tools}:
        bad("tool_choice.name", f"names {name!r}, which is not among the request's tools")
    return "function", name


def _format(body: Fields) -> tuple[Any, bool, dict[str, Any]]:
    fmt = body.optional("text").mapping("format")
    if fmt is None:
        return None, False, {"type": "text"}
    kind = fmt.string("type", required=True)
    if kind == "json_schema":
        fmt.string("name")
        schema = fmt.value("schema")
        return checked_schema({} if schema is None else schema, fmt.at("schema")), False, fmt.data
    if kind not in ("text", "json_object"):
        bad(fmt.at("type"), f"must be text, json_object or json_schema, not {kind!r}")
    return None, kind == "json_object", fmt.data


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def parse_responses(ctx: Context, body: Fields) -> ResponsesRequest:
    key, question, output, used = _input(body)
    tools, web = _tools(body)
    choice, forced = _tool_choice(body, tools)
    schema, json_mode, fmt = _format(body)
    if RESPONSES_SCHEMA_IGNORED.on(ctx.faults):
        schema = None
    if body.string("previous_response_id") is not None:
        bad("previous_response_id", "is not supported: this Responses API is stateless (store: false)")
    limit = body.integer("max_output_tokens", minimum=1)
    spec = Spec(
        key=key,
        question=question,
        prompt_tokens=used,
        tool_output=output,
        seed=sampling(body),
        max_tokens=None if MAX_TOKENS_IGNORED.on(ctx.faults) else limit,
        tools=tools,
        tool_choice=choice,
        forced=forced,
        schema=schema,
        json_mode=json_mode,
        web_search=web,
    )
    echo = {
        "instructions": body.string("instructions"),
        "max_output_tokens": limit,
        "temperature": _or(body.number("temperature"), 1.0),
        "top_p": _or(body.number("top_p"), 1.0),
        "text": {"format": fmt},
        "tool_choice": body.value("tool_choice") or "auto",
        "tools": body.value("tools") or [],
        "metadata": body.value("metadata") or {},
    }
    return ResponsesRequest(spec, route_request(ctx, body), bool(body.boolean("stream")), echo)


def output_items(
    meta: Meta, answer: Answer, status: str = "completed", faults: Collection[str] = ()
) -> list[dict[str, Any]]:
    """The output items; ``responses-bad-function-args`` cuts each call's arguments short here."""
    cut = RESPONSES_BAD_FUNCTION_ARGS.on(faults)
    if answer.tool_calls:
        return [
            {
                "type": "function_call",
                "id": f"fc_{c.id[5:]}",
                "call_id": c.id,
                "name": c.name,
                "arguments": c.arguments[:-1] if cut else c.arguments,
                "status": status,
            }
            for c in answer.tool_calls
        ]
    annotations = [
        {"type": "url_citation", "start_index": c.start, "end_index": c.end, "url": c.url, "title": c.title}
        for c in answer.citations
    ]
    part = {"type": "output_text", "text": answer.text, "annotations": annotations}
    return [
        {
            "type": "message",
            "id": f"msg_{meta.id.removeprefix('resp_')}",
            "status": status,
            "role": "assistant",
            "content": [part],
        }
    ]


def response_object(ctx: Context, meta: Meta, req: ResponsesRequest, answer: Answer | None) -> dict[str, Any]:
    """The Response; ``answer=None`` gives the in-progress shell streams start with.

    Plain and streamed answers share it, so the token-count faults and ``finish-reason-not-length``
    (a cut answer that claims to be complete) reach both.
    """
    cut = answer is not None and answer.finish_reason == "length"
    incomplete = cut and not FINISH_REASON_NOT_LENGTH.on(ctx.faults)
    status = "in_progress" if answer is None else "incomplete" if incomplete else "completed"
    usage = None
    if answer is not None:
        prompt, completion = req.spec.prompt_tokens, answer.completion_tokens
        usage = {
            **reported_counts(ctx.faults, RESPONSES, prompt, completion),
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
            **cost_fields(ctx.faults, meta.routed, prompt, completion),
        }
    return {
        "id": meta.id,
        "object": "response",
        "created_at": meta.created,
        # completed_at and the penalties are required (nullable) by OpenRouter's official
        # OpenResponsesResult and present in OpenAI's Response object
        "completed_at": meta.created if status == "completed" else None,
        "presence_penalty": None,
        "frequency_penalty": None,
        "status": status,
        "error": None,
        "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None,
        "model": meta.routed.reported_model,
        "output": [] if answer is None else output_items(meta, answer, status, ctx.faults),
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": None, "summary": None},
        "store": False,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        **req.echo,
    }


async def responses(ctx: Context, request: Request) -> Response:
    from gatecheck.mock.inference.responses_stream import stream_responses

    started = time.perf_counter()
    principal = admit(ctx, request)
    parsed = parse_responses(ctx, await read_request(ctx, request, "/responses"))
    routed = await route(ctx, principal, parsed.route, streaming=parsed.stream)
    answer = generate(parsed.spec)
    meta = Meta.new(ctx, routed, prefix="resp_")
    if parsed.stream:
        return stream_responses(ctx, principal, meta, parsed, answer, started)
    spent = usage_of(
        routed,
        generation_id=meta.id,
        prompt=parsed.spec.prompt_tokens,
        completion=answer.completion_tokens,
        started=started,
        finish_reason=answer.finish_reason,
        endpoint="responses",
    )
    await account(ctx, principal, spent)
    payload = response_object(ctx, meta, parsed, answer)
    if RESPONSES_MISSING_OUTPUT.on(ctx.faults):
        payload["output"] = []
    return json_response(payload, headers=ctx.shapes.headers(meta.id))
