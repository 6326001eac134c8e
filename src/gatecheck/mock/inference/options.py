"""Request fields the three generation APIs (chat, responses, messages) share.

Routing fields (``model``, OpenRouter's ``models`` and ``provider``), stop sequences, sampling
parameters and function tool definitions are read and checked the same way everywhere.
"""

from __future__ import annotations

import re
from typing import Any

from gatecheck.mock.catalog import Kind
from gatecheck.mock.faults import DEFAULT_MODEL_IGNORED
from gatecheck.mock.inference.body import Fields, bad
from gatecheck.mock.inference.context import Context
from gatecheck.mock.inference.generation import FunctionTool
from gatecheck.mock.inference.instances import SchemaProblem, check_schema
from gatecheck.mock.inference.routing import RouteRequest

__all__ = [
    "WEB_SEARCH_TOOLS",
    "checked_schema",
    "function_tool",
    "route_request",
    "sampling",
    "stop_sequences",
]

WEB_SEARCH_TOOLS = frozenset({"web_search", "web_search_preview", "openrouter:web_search"})
_TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# the OpenAI ranges, which Requesty's contract states for temperature and top_p
_SAMPLING = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "frequency_penalty": (-2.0, 2.0),
    "presence_penalty": (-2.0, 2.0),
    "repetition_penalty": (0.0, 2.0),
    "top_k": (0.0, 1e9),
}


def route_request(
    ctx: Context, body: Fields, kind: Kind = "chat", *, use_default: bool = True
) -> RouteRequest:
    """``model`` (or the flavor's default), fallbacks and provider preferences."""
    fallbacks = tuple(body.strings("models") or ())
    model = body.string("model", nonempty=True)
    if model is None:
        model = fallbacks[0] if fallbacks else (_default_model(ctx) if use_default else None)
    if model is None:
        bad("model", "is required")
    prefs = body.optional("provider")
    only = prefs.strings("only")
    return RouteRequest(
        model=model,
        kind=kind,
        fallbacks=fallbacks,
        order=tuple(prefs.strings("order") or ()),
        only=tuple(only) if only is not None else None,
        ignore=tuple(prefs.strings("ignore") or ()),
        allow_fallbacks=prefs.boolean("allow_fallbacks") is not False,
    )


def _default_model(ctx: Context) -> str | None:
    """The model serving requests without one; the ``default-model-ignored`` fault applies here."""
    if not DEFAULT_MODEL_IGNORED.on(ctx.faults):
        return ctx.default_model
    return next(m.id for m in ctx.catalog.of_kind("chat") if m.id != ctx.default_model)


def stop_sequences(body: Fields, name: str = "stop") -> tuple[str, ...]:
    value = body.value(name)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(body.strings(name) or ())


def sampling(body: Fields) -> int | None:
    """Type-check the sampling knobs (which cannot change a mock's answer) and return ``seed``."""
    for name, (low, high) in _SAMPLING.items():
        body.number(name, low, high)
    return body.integer("seed")


def checked_schema(value: Any, path: str) -> Any:
    try:
        check_schema(value)
    except SchemaProblem as exc:
        bad(path, str(exc))
    return value


def function_tool(
    name: str | None,
    parameters: Any,
    fields: Fields,
    name_field: str = "name",
    schema_field: str = "parameters",
) -> FunctionTool:
    """A function tool definition; its ``parameters`` must be a valid JSON Schema."""
    if name is None or not _TOOL_NAME.match(name):
        bad(fields.at(name_field), "must be 1-64 letters, digits, underscores or dashes")
    if parameters is None:
        parameters = {"type": "object", "properties": {}}
    return FunctionTool(name, checked_schema(parameters, fields.at(schema_field)))
