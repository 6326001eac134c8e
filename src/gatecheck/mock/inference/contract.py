"""Inference request bodies, read and held to the flavor's contract before any handler logic.

The checking itself is :mod:`gatecheck.mock.contract`'s, shared with the management plane: a
type, enum or range the spec states is a 400 naming the field, even for fields the simulation
otherwise ignores (``service_tier``, ``trace``...).  What is inference's own is reading the body
(size limit, malformed JSON) and the ``missing-messages-accepted`` fault, which applies here,
where ``messages`` is required.
"""

from __future__ import annotations

from starlette.requests import Request

from gatecheck.mock.contract import check_body
from gatecheck.mock.inference.body import Fields, read_json
from gatecheck.mock.inference.context import Context
from gatecheck.mock.requestlog import note_model

__all__ = ["read_request"]


async def read_request(ctx: Context, request: Request, path: str) -> Fields:
    """The JSON body of an operation at ``path``, valid against the contract, as Fields."""
    data = await read_json(request, ctx.settings.max_body_bytes)
    note_model(request, data)
    if (
        "missing-messages-accepted" in ctx.faults
        and path == "/chat/completions"
        and data.get("messages") is None
    ):
        data["messages"] = [{"role": "user", "content": "(no messages)"}]  # the fault: required, yet served
    check_body(request, data)
    return Fields(data)
