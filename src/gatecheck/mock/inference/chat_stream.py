"""Chat Completions as SSE: role chunk, one delta per token, one finish chunk, usage, [DONE].

The usage chunk (``choices: []``) is built in :func:`_usage_frames`, the one place the
``usage-chunk-has-choices`` and ``duplicate-usage-chunk`` faults apply.  An upstream cut after
the first token (``cut-mid-stream``) ends the stream with the flavor's in-band error chunk and
no ``[DONE]``: OpenRouter documents that a mid-stream error arrives as a chunk with ``error``
and ``finish_reason: "error"`` and that the stream then ends.  The chunk faults
(``role-missing``, ``chunk-id-changes``, ``finish-reason-twice``, ``stream-cut-no-error-event``,
``content-after-done``) apply in :func:`_frames`, the delta faults (``deltas-differ``,
``stream-tool-call-no-index``) in :func:`_broken`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.responses import StreamingResponse

from gatecheck.mock.accounts import Principal
from gatecheck.mock.errors import envelope
from gatecheck.mock.faults import (
    CHUNK_ID_CHANGES,
    CONTENT_AFTER_DONE,
    DELTAS_DIFFER,
    DUPLICATE_USAGE_CHUNK,
    FINISH_REASON_TWICE,
    ROLE_MISSING,
    STREAM_CUT_NO_ERROR_EVENT,
    STREAM_TOOL_CALL_NO_INDEX,
    USAGE_CHUNK_HAS_CHOICES,
)
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.generation import Answer
from gatecheck.mock.inference.render import Meta, citation
from gatecheck.mock.inference.streaming import SSEEncoder, sse_response
from gatecheck.mock.inference.usage import account_now, chat_usage, usage_of

if TYPE_CHECKING:
    from gatecheck.mock.inference.chat import ChatRequest

__all__ = ["stream_chat"]

_ARGUMENT_FRAGMENT = 8  # characters of tool-call arguments per delta


@dataclass(frozen=True)
class _Stream:
    ctx: Context
    principal: Principal
    meta: Meta
    enc: SSEEncoder
    started: float

    def chunk(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return {**self.meta.head("chat.completion.chunk"), "choices": [choice]}

    def account(self, prompt: int, completion: int, finish: str) -> None:
        spent = usage_of(
            self.meta.routed,
            generation_id=self.meta.id,
            prompt=prompt,
            completion=completion,
            streamed=True,
            started=self.started,
            finish_reason=finish,
        )
        account_now(self.ctx, self.principal, spent)


def _deltas(answer: Answer) -> list[dict[str, Any]]:
    """The answer as deltas: one token, or one fragment of tool-call arguments, each."""
    deltas: list[dict[str, Any]] = [{"content": piece} for piece in answer.pieces]
    if answer.citations and deltas:
        deltas[-1]["annotations"] = [citation(c) for c in answer.citations]
    for index, call in enumerate(answer.tool_calls):
        head = {
            "index": index,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        deltas.append({"tool_calls": [head]})
        args = call.arguments
        for at in range(0, len(args), _ARGUMENT_FRAGMENT):
            fragment = {"index": index, "function": {"arguments": args[at : at + _ARGUMENT_FRAGMENT]}}
            deltas.append({"tool_calls": [fragment]})
    return deltas


def _broken(deltas: list[dict[str, Any]], faults: Collection[str]) -> list[dict[str, Any]]:
    """The delta faults: ``deltas-differ`` loses the second token, ``stream-tool-call-no-index``
    strips the index from every tool-call fragment after a call's first."""
    if DELTAS_DIFFER.on(faults) and sum("content" in d for d in deltas) > 2:
        deltas = deltas[:1] + deltas[2:]
    if STREAM_TOOL_CALL_NO_INDEX.on(faults):
        for delta in deltas:
            for call in delta.get("tool_calls", []):
                if "id" not in call:
                    call.pop("index", None)
    return deltas


def _error_chunk(chunk: dict[str, Any], error: dict[str, Any]) -> dict[str, Any]:
    """OpenRouter's documented mid-stream error: the chunk, an ``error``, ``finish_reason: "error"``.

    Requesty documents none; this shape also validates against its chunk schema, where a bare
    ``{"error": ...}`` payload would not.
    """
    choice = {"index": 0, "delta": {"content": ""}, "finish_reason": "error"}
    return {**chunk, "error": error, "choices": [choice]}


def _usage_frames(s: _Stream, prompt: int, completion: int, last: dict[str, Any]) -> Iterator[bytes]:
    usage = chat_usage(s.ctx.faults, s.meta.routed, prompt, completion)
    chunk = {**s.meta.head("chat.completion.chunk"), "choices": [], "usage": usage}
    if USAGE_CHUNK_HAS_CHOICES.on(s.ctx.faults):
        chunk["choices"] = last["choices"]
    yield s.enc.data(chunk)
    if DUPLICATE_USAGE_CHUNK.on(s.ctx.faults):
        yield s.enc.data(chunk)


def _frames(s: _Stream, req: ChatRequest, answer: Answer) -> Iterator[bytes]:
    prompt, faults = req.spec.prompt_tokens, s.ctx.faults
    opening = {"content": ""} if ROLE_MISSING.on(faults) else {"role": "assistant", "content": ""}
    yield s.enc.data(s.chunk(opening))
    deltas = _broken(_deltas(answer), faults)
    cut = min(max(1, len(deltas) // 2), len(deltas)) if s.meta.routed.cut_mid_stream else None
    early_finish = answer.finish_reason if FINISH_REASON_TWICE.on(faults) and cut is None else None
    for sent, delta in enumerate(deltas[:cut], 1):
        yield s.enc.data(s.chunk(delta, early_finish if sent == len(deltas) else None))
    if cut is not None:  # the upstream dropped after the first token(s): say so in-band and stop
        s.account(prompt, cut, "error")
        error = envelope(502, "upstream provider disconnected mid-stream")["error"]
        if not STREAM_CUT_NO_ERROR_EVENT.on(faults):
            yield s.enc.data(_error_chunk(s.chunk({}), error))
        return
    last = s.chunk({}, answer.finish_reason)
    if CHUNK_ID_CHANGES.on(faults):
        last["id"] = f"{last['id']}-1"
    yield s.enc.data(last)
    s.account(
        prompt, answer.completion_tokens, answer.finish_reason
    )  # before [DONE]: readable once the client is
    if req.include_usage:
        yield from _usage_frames(s, prompt, answer.completion_tokens, last)
    yield s.enc.done()
    if CONTENT_AFTER_DONE.on(faults):
        yield s.enc.data(s.chunk({"content": " (late)"}))


def stream_chat(
    ctx: Context, principal: Principal, meta: Meta, req: ChatRequest, answer: Answer, started: float
) -> StreamingResponse:
    s = _Stream(ctx, principal, meta, SSEEncoder(ctx.faults), started)
    return sse_response(ctx, _frames(s, req, answer), s.enc, meta.id)
