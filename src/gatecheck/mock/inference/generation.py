"""What a simulated model produces for one request, independent of the API that asked.

Chat completions, Responses and Messages each parse their own request shape into a
:class:`Spec` and render the :class:`Answer` in their own shape; the decisions in between
(call a tool or answer, honour ``stop`` and ``max_tokens``, emit JSON for a schema) are made
once, here, so the three APIs cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.content import Citation, digest, opening, prose, search_citations
from gatecheck.mock.inference.instances import instance

__all__ = ["Answer", "FunctionTool", "Spec", "ToolCall", "generate"]


@dataclass(frozen=True)
class FunctionTool:
    name: str
    parameters: Any  # a JSON Schema; {} when the tool takes no arguments


@dataclass(frozen=True)
class Spec:
    """A request reduced to what decides the answer."""

    key: str  # canonical text of the input: the same key and seed give the same answer
    question: str  # the last user text, quoted in the answer
    prompt_tokens: int
    tool_output: str | None = None  # set when the conversation ends with a tool result
    seed: int | None = None
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    tools: tuple[FunctionTool, ...] = ()
    tool_choice: str = "auto"  # "none", "auto", "required" or "function" (then ``forced`` names it)
    forced: str | None = None
    schema: Any = None  # json_schema output: the schema the answer must validate against
    json_mode: bool = False  # json_object output
    web_search: bool = False


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as every API carries it on the wire


@dataclass(frozen=True)
class Answer:
    text: str
    pieces: tuple[str, ...]  # text split into tokens: one stream delta each
    finish_reason: str  # "stop", "length" or "tool_calls" (each API maps these to its own words)
    completion_tokens: int
    stop_sequence: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    citations: tuple[Citation, ...] = ()


def _calls_tool(spec: Spec) -> bool:
    if not spec.tools or spec.tool_choice == "none":
        return False
    return spec.tool_choice in ("required", "function") or spec.tool_output is None


def _tool_answer(spec: Spec) -> Answer:
    tool = next((t for t in spec.tools if t.name == spec.forced), spec.tools[0])
    arguments = json.dumps(instance(tool.parameters), separators=(",", ":"))
    call = ToolCall(f"call_{digest(spec.key, spec.seed, tool.name)[:24]}", tool.name, arguments)
    used = tokens.count(tool.name) + tokens.count(arguments)
    return Answer("", (), "tool_calls", used, tool_calls=(call,))


def _text(spec: Spec) -> tuple[str, tuple[Citation, ...]]:
    if spec.schema is not None:
        return json.dumps(instance(spec.schema), separators=(", ", ": ")), ()
    seed = digest(spec.key, spec.seed)
    text = prose(seed, opening(spec.question, spec.tool_output))
    if spec.json_mode:
        return json.dumps({"answer": text.split(".")[0] + "."}), ()
    if spec.web_search:
        return search_citations(text, seed)
    return text, ()


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[str, ...]:
    """Tokens of an answer; cached like the prose they mostly come from."""
    return tuple(tokens.pieces(text))


def _cut(spec: Spec, text: str, citations: tuple[Citation, ...]) -> Answer:
    finish, matched = "stop", None
    hits = [(text.find(s), s) for s in spec.stop if s and s in text]
    if hits:
        at, matched = min(hits)
        text = text[:at]
    parts = _pieces(text)
    if spec.max_tokens is not None and len(parts) > spec.max_tokens:
        parts, finish, matched = parts[: spec.max_tokens], "length", None
        text = "".join(parts)
    kept = tuple(c for c in citations if c.end <= len(text))
    return Answer(text, parts, finish, len(parts), stop_sequence=matched, citations=kept)


def generate(spec: Spec) -> Answer:
    """The simulated model's answer: deterministic in (key, seed)."""
    if _calls_tool(spec):
        return _tool_answer(spec)
    text, citations = _text(spec)
    return _cut(spec, text, citations)
