"""Chat messages: validated part by part, counted, and reduced to what the answer depends on.

Content parts follow the vendors' documents: ``text``, ``image_url``, PDFs as Requesty's
``input_file`` (002: ``file_data`` is a base64 data URL or an http(s) URL) or OpenAI/OpenRouter's
``file`` part, audio as ``input_audio``; which types a flavor accepts is flavor data.  Anything
else is a 400 that names the part and its type.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from gatecheck.mock.inference import tokens
from gatecheck.mock.inference.body import Fields, bad

__all__ = ["DROP_UNKNOWN", "ChatPrompt", "chat_prompt"]

#: Among the allowed types: parts of a type no flavor knows are dropped, not refused (a fault's doing).
DROP_UNKNOWN = "*"
_KNOWN = frozenset({"text", "image_url", "input_audio", "input_file", "file"})  # what _part can read

ROLES = ("system", "developer", "user", "assistant", "tool")
_AUDIO_TOKENS = 100


@dataclass(frozen=True)
class ChatPrompt:
    key: str  # what identifies the conversation (same messages, same key)
    question: str
    tool_output: str | None
    tokens: int


def _check_url(value: Any, path: str, schemes: tuple[str, ...]) -> None:
    if not isinstance(value, str) or not value.startswith(schemes):
        bad(path, f"must be a URL starting with {' or '.join(schemes)}")


def _file_part(part: Fields, path: str) -> int:
    holder = part.mapping("file") or part  # OpenAI "file": {...}; Requesty's input_file is flat
    data = holder.string("file_data") or holder.string("file_url")
    holder.string("filename")
    if data is None and holder.string("file_id") is None:
        bad(holder.at("file_data"), "is required (a base64 data URL or an http(s) URL)")
    if data is not None and data.startswith("data:"):
        header, _, payload = data.partition(",")
        if ";base64" not in header:
            bad(holder.at("file_data"), "must be a base64 data URL (data:application/pdf;base64,...)")
        try:
            base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            bad(holder.at("file_data"), "is not valid base64")
    elif data is not None:
        _check_url(data, holder.at("file_data"), ("http://", "https://"))
    return tokens.FILE_TOKENS


def _part(part: Fields, allowed: frozenset[str]) -> tuple[str, int]:
    kind = part.string("type", required=True)
    if kind not in _KNOWN and DROP_UNKNOWN in allowed:
        return "", 0
    if kind not in allowed:
        served = ", ".join(sorted(allowed - {DROP_UNKNOWN}))
        bad(part.at("type"), f"content part type {kind!r} is not supported; use one of {served}")
    if kind == "text":
        text = part.string("text", required=True) or ""
        return text, tokens.count(text)
    if kind == "image_url":
        image = part.value("image_url")
        url = image.get("url") if isinstance(image, dict) else image
        _check_url(url, part.at("image_url.url"), ("http://", "https://", "data:image/"))
        return "", tokens.IMAGE_TOKENS
    if kind == "input_audio":
        part.child("input_audio").string("data", required=True)
        return "", _AUDIO_TOKENS
    return "", _file_part(part, part.path)


def _content(msg: Fields, role: str, allowed: frozenset[str]) -> tuple[str, int]:
    """The message's text and token count."""
    content = msg.data.get("content")  # null is allowed here: an assistant turn that only called tools
    if isinstance(content, str):
        return content, tokens.count(content)
    if content is None:
        if role == "assistant" and msg.value("tool_calls"):
            return "", 0
        bad(msg.at("content"), "is required")
    parts = msg.array("content", nonempty=True) or []
    texts, used = [], 0
    for part in msg.each("content", parts):
        text, n = _part(part, allowed)
        texts.append(text)
        used += n
    return " ".join(t for t in texts if t), used


def _tool_calls(msg: Fields) -> int:
    used = 0
    for call in msg.each("tool_calls", msg.array("tool_calls") or []):
        function = call.child("function")
        used += tokens.count(function.string("name", required=True) or "")
        used += tokens.count(function.string("arguments") or "")
    return used


def chat_prompt(body: Fields, allowed: frozenset[str]) -> ChatPrompt:
    """Validate ``messages`` and reduce them; 400 naming the first bad field."""
    messages = body.array("messages", required=True, nonempty=True) or []
    question, tool_output, used = "", None, 3  # every reply is primed with 3 tokens
    for msg in body.each("messages", messages):
        role = msg.string("role", required=True)
        if role not in ROLES:
            bad(msg.at("role"), f"must be one of {', '.join(ROLES)}, not {role!r}")
        text, n = _content(msg, role, allowed)
        used += tokens.MESSAGE_OVERHEAD + n + tokens.count(msg.string("name") or "") + _tool_calls(msg)
        if role == "tool":
            msg.string("tool_call_id")
        tool_output = text if role == "tool" else None
        if role == "user":
            question = text
    key = repr(messages)  # the parsed JSON's repr: stable for the same request, and cheap
    return ChatPrompt(key, question, tool_output, used)
