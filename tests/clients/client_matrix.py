"""What the client-matrix modules share: the models they ask for, and how a failure reads."""

from __future__ import annotations

from typing import Any

import pytest

CHAT_MODEL = "openai/gpt-4o-mini"
EMBEDDING_MODEL = "openai/text-embedding-3-small"
QUESTION = "What is an LLM gateway?"


def expect(condition: object, client: str, feature: str, got: Any) -> None:
    """Fail as ``client feature: got …`` unless ``condition``; ``got`` is cut to one screen."""
    if not condition:
        pytest.fail(f"{client} {feature}: got {str(got)[:800]}", pytrace=False)
