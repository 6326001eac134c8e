"""The web_search tool (Requesty's chat reference, seed 002): accepted, and the answer cites sources.

Citations are read where OpenAI-compatible answers carry them: ``url_citation`` annotations on
the message (OpenAI's web search format), or a top-level ``citations`` list of URLs (the form
Perplexity-style upstreams pass through).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gatecheck.check_ids import WEB_SEARCH, WEB_SEARCH_CITATIONS
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.scenario import chat_request, dig, expect_status, json_object

pytestmark = pytest.mark.capability("web-search")

PROMPT = "Search the web: what is an LLM gateway? Cite your sources."
#: A cited answer needs room for its sources; the search fee dominates the cost either way.
SEARCH_TOKENS = 256


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _cited_urls(answer: dict[str, Any]) -> list[str]:
    """The URLs the answer cites, from annotations or a top-level citations list."""
    annotations = dig(answer, "choices.0.message.annotations", [])
    citations = answer.get("citations")
    urls = [
        dig(a, "url_citation.url")
        for a in (annotations if isinstance(annotations, list) else [])
        if isinstance(a, dict) and a.get("type") == "url_citation"
    ]
    urls += citations if isinstance(citations, list) else []
    return [u for u in urls if _is_url(u)]


def test_web_search_answer_cites_its_sources(
    client: httpx.Client, profile: Profile, chat_path: str, chat_op: str
) -> None:
    """A request with the web_search tool is answered with url citations"""
    body = chat_request(profile, prompt=PROMPT, max_tokens=SEARCH_TOKENS, tools=[{"type": "web_search"}])
    response = client.post(chat_path, json=body)
    expect_status(response, 200, chat_op, check=WEB_SEARCH, title="The web_search tool was refused")
    answer = json_object(response, chat_op)
    if not _cited_urls(answer):
        raise ContractViolation(
            "Web search answer cites no sources",
            expected="choices[0].message.annotations with url_citation entries (or a citations list of URLs)",
            received=dig(answer, "choices.0.message", answer),
            check=WEB_SEARCH_CITATIONS,
            operation=chat_op,
        )
