"""``POST /chat/completions``: parse, route, generate, answer (JSON here, SSE in chat_stream).

Model selection and fallbacks are routing's job, the words generation's, the cost usage's;
this module only maps the OpenAI Chat Completions shape onto them and back.  The faults of
reading a request (``tool-choice-ignored``, ``json-mode-invalid``, ``json-schema-violated``,
``tool-result-rejected``) apply in :func:`_misread`, those of the answer's message
(``tool-args-invalid``, ``web-search-no-citations``) in :func:`message_of`, and
``wrong-finish-reason-for-tools`` in :func:`chat_completions`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gatecheck.mock.inference.body import Fields, bad
from gatecheck.mock.inference.chat_stream import stream_chat
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
    stop_sequences,
)
from gatecheck.mock.inference.prompt import DROP_UNKNOWN, chat_prompt
from gatecheck.mock.inference.render import Meta, citation, json_response
from gatecheck.mock.inference.routing import RouteRequest, route
from gatecheck.mock.inference.usage import account, chat_usage, usage_of

__all__ = ["ChatRequest", "chat_completions", "message_of", "parse_chat"]

_CHOICES = ("none", "auto", "required")


@dataclass(frozen=True)
class ChatRequest:
    spec: Spec
    route: RouteRequest
    stream: bool
    include_usage: bool


def _tools(body: Fields) -> tuple[tuple[FunctionTool, ...], bool]:
    tools, web = [], False
    for tool in body.each("tools", body.array("tools") or []):
        kind = tool.string("type", required=True)
        if kind == "function":
            fn = tool.child("function")
            tools.append(function_tool(fn.string("name", required=True), fn.value("parameters"), fn))
        elif kind in WEB_SEARCH_TOOLS:
            web = True
        else:
            bad(tool.at("type"), f"tool type {kind!r} is not supported; use function or web_search")
    return tuple(tools), web


def _tool_choice(body: Fields, tools: tuple[FunctionTool, ...]) -> tuple[str, str | None]:
    value = body.value("tool_choice")
    if value is None or value in ("none", "auto"):
        return value or "auto", None
    if value == "required":
        choice, forced = "required", None
    elif isinstance(value, dict):
        fn = body.child("tool_choice").child("function")
        choice, forced = "function", fn.string("name", required=True)
        if forced not in {t.name for t in tools}:
            bad("tool_choice.function.name", f"names {forced!r}, which is not among the request's tools")
    else:
        bad("tool_choice", f"must be one of {', '.join(_CHOICES)} or a function choice object")
    if not tools:
        bad("tool_choice", "requires 'tools' with at least one function")
    return choice, forced


def _response_format(body: Fields) -> tuple[Any, bool]:
    fmt = body.mapping("response_format")
    if fmt is None:
        return None, False
    kind = fmt.string("type", required=True)
    if kind == "json_schema":
        spec = fmt.child("json_schema")
        spec.string("name")
        schema = spec.value("schema")
        return checked_schema({} if schema is None else schema, spec.at("schema")), False
    if kind not in ("text", "json_object"):
        bad(fmt.at("type"), f"must be text, json_object or json_schema, not {kind!r}")
    return None, kind == "json_object"


def _web_plugin(body: Fields) -> bool:
    """OpenRouter's ``plugins: [{"id": "web"}]`` asks for web search too."""
    plugins = body.each("plugins", body.array("plugins") or [])
    return any(p.value("id") == "web" for p in plugins)


def _part_types(ctx: Context) -> frozenset[str]:
    """The content part types served; the one place the content-part faults apply."""
    if not ctx.faults:
        return ctx.shapes.part_types
    types = set(ctx.shapes.part_types)
    if "pdf-refused" in ctx.faults:
        types -= {"input_file", "file"}
    if "image-refused" in ctx.faults:
        types.discard("image_url")
    if "unsupported-part-accepted" in ctx.faults:
        types.add(DROP_UNKNOWN)
    return frozenset(types)


def _misread(ctx: Context, spec: Spec) -> Spec:
    """The request as a gateway that drops or refuses fields would pass it on (faults only)."""
    faults = ctx.faults
    if "tool-choice-ignored" in faults and spec.tool_choice == "function":
        spec = replace(spec, tool_choice="auto", forced=None)
    if "json-mode-invalid" in faults:
        spec = replace(spec, json_mode=False)
    if "max-tokens-ignored" in faults:
        spec = replace(spec, max_tokens=None)
    if "json-schema-violated" in faults and isinstance(spec.schema, dict):
        spec = replace(spec, schema={k: v for k, v in spec.schema.items() if k != "required"})
    if "tool-result-rejected" in faults and spec.tool_output is not None:
        bad("messages", "must not end with a tool message: tool results are not supported")
    return spec


def parse_chat(ctx: Context, body: Fields) -> ChatRequest:
    prompt = chat_prompt(body, _part_types(ctx))
    tools, web = _tools(body)
    choice, forced = _tool_choice(body, tools)
    schema, json_mode = _response_format(body)
    limit = body.integer("max_completion_tokens", minimum=1) or body.integer("max_tokens", minimum=1)
    options = body.optional("stream_options")
    spec = Spec(
        key=prompt.key,
        question=prompt.question,
        prompt_tokens=prompt.tokens,
        tool_output=prompt.tool_output,
        seed=sampling(body),
        max_tokens=limit,
        stop=stop_sequences(body),
        tools=tools,
        tool_choice=choice,
        forced=forced,
        schema=schema,
        json_mode=json_mode,
        web_search=web or _web_plugin(body),
    )
    if ctx.faults:
        spec = _misread(ctx, spec)
    stream = bool(body.boolean("stream"))
    include_usage = bool(options.boolean("include_usage")) or ctx.shapes.stream_usage_always
    return ChatRequest(spec, route_request(ctx, body), stream, include_usage)


def message_of(ctx: Context, answer: Answer) -> dict[str, Any]:
    """The assistant message (or, streamed, the pieces of it) in Chat Completions form."""
    message: dict[str, Any] = {"role": "assistant", "content": answer.text}
    if answer.tool_calls:
        empty = "tool-args-invalid" in ctx.faults
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": "{}" if empty else c.arguments},
            }
            for c in answer.tool_calls
        ]
    if answer.citations and "web-search-no-citations" not in ctx.faults:
        message["annotations"] = [citation(c) for c in answer.citations]
    return message


async def chat_completions(ctx: Context, request: Request) -> Response:
    started = time.perf_counter()
    principal = admit(ctx, request)
    parsed = parse_chat(ctx, await read_request(ctx, request, "/chat/completions"))
    routed = await route(ctx, principal, parsed.route, streaming=parsed.stream)
    answer = generate(parsed.spec)
    meta = Meta.new(ctx, routed)
    if parsed.stream:
        return stream_chat(ctx, principal, meta, parsed, answer, started)
    prompt = parsed.spec.prompt_tokens
    spent = usage_of(
        routed,
        generation_id=meta.id,
        prompt=prompt,
        completion=answer.completion_tokens,
        started=started,
        finish_reason=answer.finish_reason,
    )
    await account(ctx, principal, spent)
    finish = answer.finish_reason
    if finish == "tool_calls" and "wrong-finish-reason-for-tools" in ctx.faults:
        finish = "stop"
    if finish == "length" and "finish-reason-not-length" in ctx.faults:
        finish = "stop"
    body = {
        **meta.head("chat.completion"),
        "choices": [{"index": 0, "message": message_of(ctx, answer), "finish_reason": finish}],
        "usage": chat_usage(ctx.faults, routed, prompt, answer.completion_tokens, plain=True),
    }
    return json_response(body, headers=ctx.shapes.headers(meta.id))
