"""Deterministic token counting without a tokenizer download.

A "token" is at most four word characters with the whitespace before them, or one punctuation
mark, roughly what BPE tokenizers produce for English.  The pieces partition the text exactly,
so the mock generates answers as lists of pieces: a stream sends one piece per chunk, and
``count(answer) == completion_tokens`` holds for every answer it produces.
"""

from __future__ import annotations

import re

__all__ = ["FILE_TOKENS", "IMAGE_TOKENS", "MESSAGE_OVERHEAD", "count", "pieces"]

_PIECE = re.compile(r"\s*\w{1,4}|\s*[^\w\s]|\s+")

MESSAGE_OVERHEAD = 4  # role and separators per message, as OpenAI counts them
IMAGE_TOKENS = 85  # a low-detail image
FILE_TOKENS = 258  # a PDF page the mock pretends to have read


def pieces(text: str) -> list[str]:
    """The text split into tokens; ``"".join(pieces(t)) == t``."""
    return _PIECE.findall(text)


def count(text: str) -> int:
    """How many tokens ``text`` is."""
    return len(_PIECE.findall(text)) if text else 0
