"""The Responses API event stream: ``event: NAME`` / ``data: {...}`` with ``sequence_number``.

Order, as OpenAI documents it: response.created, response.in_progress, then per output item
``output_item.added``, its content (``content_part.added``, ``output_text.delta``…,
``output_text.done``, ``content_part.done``; or ``function_call_arguments.delta``…/``.done``),
``output_item.done``, and finally ``response.completed`` (``response.incomplete`` when
``max_output_tokens`` cut it short).  An upstream cut mid-stream ends with ``response.failed``.
The text faults (``responses-delta-dropped``, ``responses-events-out-of-order``) apply in
:func:`_message`, ``responses-no-completed-event`` in :func:`_frames`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from starlette.responses import StreamingResponse

from gatecheck.mock.accounts import Principal
from gatecheck.mock.faults import (
    RESPONSES_DELTA_DROPPED,
    RESPONSES_EVENTS_OUT_OF_ORDER,
    RESPONSES_NO_COMPLETED_EVENT,
)
from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.generation import Answer
from gatecheck.mock.inference.render import Meta
from gatecheck.mock.inference.streaming import SSEEncoder, sse_response
from gatecheck.mock.inference.usage import account_now, usage_of

if TYPE_CHECKING:
    from gatecheck.mock.inference.responses import ResponsesRequest

__all__ = ["stream_responses"]

_ARGUMENT_FRAGMENT = 8


class _Events:
    """Numbers events and counts the deltas sent, so a mid-stream cut knows where it is."""

    def __init__(self, enc: SSEEncoder, cut_after: int | None, faults: Collection[str] = ()) -> None:
        self.enc, self.seq, self.deltas, self.cut_after = enc, 0, 0, cut_after
        self.faults = faults

    def emit(self, name: str, **fields: Any) -> bytes:
        payload = {"type": name, "sequence_number": self.seq, **fields}
        self.seq += 1
        return self.enc.event(name, payload)

    def delta_allowed(self) -> bool:
        if self.cut_after is not None and self.deltas >= self.cut_after:
            return False
        self.deltas += 1
        return True


def _message(ev: _Events, item: dict[str, Any], index: int) -> Iterator[bytes]:
    part = item["content"][0]
    ids = {"item_id": item["id"], "output_index": index, "content_index": 0}
    yield ev.emit("response.content_part.added", **ids, part={**part, "text": "", "annotations": []})
    pieces = list(tokens.pieces(part["text"]))
    if RESPONSES_DELTA_DROPPED.on(ev.faults) and len(pieces) > 2:
        del pieces[1]
    late = pieces.pop() if RESPONSES_EVENTS_OUT_OF_ORDER.on(ev.faults) and len(pieces) > 1 else None
    for piece in pieces:
        if not ev.delta_allowed():
            return
        yield ev.emit("response.output_text.delta", **ids, delta=piece, logprobs=[])
    yield ev.emit("response.output_text.done", **ids, text=part["text"], logprobs=[])
    if late is not None:
        yield ev.emit("response.output_text.delta", **ids, delta=late, logprobs=[])
    yield ev.emit("response.content_part.done", **ids, part=part)


def _function_call(ev: _Events, item: dict[str, Any], index: int) -> Iterator[bytes]:
    args = item["arguments"]
    for at in range(0, len(args), _ARGUMENT_FRAGMENT):
        if not ev.delta_allowed():
            return
        delta = args[at : at + _ARGUMENT_FRAGMENT]
        yield ev.emit(
            "response.function_call_arguments.delta", item_id=item["id"], output_index=index, delta=delta
        )
    yield ev.emit(
        "response.function_call_arguments.done", item_id=item["id"], output_index=index, arguments=args
    )


def _frames(
    ctx: Context, meta: Meta, req: ResponsesRequest, answer: Answer, ev: _Events, done: Any
) -> Iterator[bytes]:
    from gatecheck.mock.inference.responses import response_object

    final = response_object(ctx, meta, req, answer)
    shell = response_object(ctx, meta, req, None)
    yield ev.emit("response.created", response=shell)
    yield ev.emit("response.in_progress", response=shell)
    for index, item in enumerate(final["output"]):
        empty: dict[str, Any] = {**item, "status": "in_progress"}
        if item["type"] == "function_call":
            empty["arguments"] = ""
        else:
            empty["content"] = []
        yield ev.emit("response.output_item.added", output_index=index, item=empty)
        yield from (_function_call if item["type"] == "function_call" else _message)(ev, item, index)
        if ev.cut_after is not None and ev.deltas >= ev.cut_after:
            done(ev.deltas, "error")
            error = {"code": "server_error", "message": "upstream provider disconnected mid-stream"}
            yield ev.emit("response.failed", response={**shell, "status": "failed", "error": error})
            return
        yield ev.emit("response.output_item.done", output_index=index, item=item)
    done(answer.completion_tokens, answer.finish_reason)
    name = "response.incomplete" if final["status"] == "incomplete" else "response.completed"
    if not RESPONSES_NO_COMPLETED_EVENT.on(ev.faults):
        yield ev.emit(name, response=final)
    if ctx.shapes.responses_done:
        yield ev.enc.done()


def stream_responses(
    ctx: Context, principal: Principal, meta: Meta, req: ResponsesRequest, answer: Answer, started: float
) -> StreamingResponse:
    enc = SSEEncoder(ctx.faults)
    total = len(answer.pieces) or sum(-(-len(c.arguments) // _ARGUMENT_FRAGMENT) for c in answer.tool_calls)
    ev = _Events(enc, min(max(1, total // 2), total) if meta.routed.cut_mid_stream else None, ctx.faults)

    def done(completion: int, finish: str) -> None:
        spent = usage_of(
            meta.routed,
            generation_id=meta.id,
            prompt=req.spec.prompt_tokens,
            completion=completion,
            streamed=True,
            started=started,
            finish_reason=finish,
            endpoint="responses",
        )
        account_now(ctx, principal, spent)

    return sse_response(ctx, _frames(ctx, meta, req, answer, ev, done), enc, meta.id)
