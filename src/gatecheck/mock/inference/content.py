"""The words the simulated models say: deterministic prose derived from the request.

Answers are obviously synthetic (they quote the question and then ramble about gateways) but
stable: the same input and ``seed`` always give the same text, and a different seed gives a
different one.  Every answer is at least 60 tokens long, so ``max_tokens`` up to 60 always
truncates, and a streamed answer has predictable length for benchmarks.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache

from gatecheck.mock.inference import tokens

__all__ = ["Citation", "digest", "opening", "prose", "search_citations"]

_VOCABULARY = (
    "gateway route request provider model token usage cost stream chunk answer latency fallback policy "
    "region catalog price budget key limit cache retry upstream response contract schema client server "
    "event header status error window context prompt completion tool call result search source quota "
    "spend account audit trace metric signal"
)
_WORDS = tuple(_VOCABULARY.split())
_CONNECTIVES = "the a each every its their this that with for to from of by and or"
_GLUE = tuple(_CONNECTIVES.split())
_MIN_TOKENS, _MAX_TOKENS = 60, 120
_QUOTE_TOKENS = 12


@dataclass(frozen=True)
class Citation:
    """A ``url_citation`` annotation over ``text[start:end]``."""

    url: str
    title: str
    start: int
    end: int
    content: str


def digest(*parts: object) -> str:
    """A stable hex digest of the parts (for ids and seeds that must repeat across runs)."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()


_COST = {word: tokens.count(" " + word) for word in (*_WORDS, *_GLUE)}  # tokens per word, space included
_QUOTE_CHARS = 200  # enough text for the quoted tokens; a 1 MiB question is never tokenized whole


def _sentence(rng: random.Random) -> tuple[str, int]:
    """A sentence and its token count (pieces never straddle sentences, so counts add up)."""
    size = rng.randint(6, 13)
    content, glue = rng.choices(_WORDS, k=size), rng.choices(_GLUE, k=size)
    words = [glue[i] if i % 3 == 1 else content[i] for i in range(size)]
    return " " + " ".join(words).capitalize() + ".", sum(_COST[w] for w in words) + 1


def _quote(text: str) -> str:
    head = "".join(tokens.pieces(" ".join(text[:_QUOTE_CHARS].split()))[:_QUOTE_TOKENS]).strip()
    return head.replace('"', "'") or "(no text)"


def opening(question: str, tool_output: str | None) -> str:
    """The first sentence: it quotes the question (or the tool result being answered)."""
    if tool_output is not None:
        return f'The tool returned "{_quote(tool_output)}".'
    return f'Mock answer to "{_quote(question)}".'


@lru_cache(maxsize=4096)
def prose(seed: str, opener: str) -> str:
    """An answer of 60-120 tokens after ``opener``, fixed by ``seed``; cached, being pure."""
    rng = random.Random(seed)
    target = rng.randint(_MIN_TOKENS, _MAX_TOKENS)
    parts, used = [opener], tokens.count(opener)
    while used < target:
        sentence, cost = _sentence(rng)
        parts.append(sentence)
        used += cost
    return "".join(parts)


def search_citations(text: str, key: str) -> tuple[str, tuple[Citation, ...]]:
    """Append numbered source markers to ``text`` and one url_citation per marker."""
    rng = random.Random(key)
    citations = []
    text += " Sources:"
    for n in range(1, rng.randint(2, 3) + 1):
        marker = f" [{n}]"
        start = len(text) + 1
        text += marker
        url = f"https://example.com/search/{key[:12]}/{n}"
        citations.append(Citation(url, f"Mock search result {n}", start, len(text), f"Result {n} text."))
    return text + ".", tuple(citations)
