"""Known-good requests for the inference operations, given to schemathesis as explicit examples.

Fuzzed chat bodies are almost never accepted: a generated ``messages`` array is empty or holds
content parts without a ``type``, and a generated model id names no model.  Without help the
contract run would exercise only the 4xx paths of inference, and the checks on answers, the
usage cost and the event stream would never see one.  So every inference operation gets a
small set of examples built from the profile (its models) in the shape of the OpenAI-style
request the endpoint takes: plain, and streamed with ``stream_options.include_usage``.
schemathesis' examples phase sends them first, deterministically, next to any examples the
spec has; fuzzing then explores the rest.  Output is capped at 16 tokens, so they are cheap on
a real gateway too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gatecheck.checks.safety import INFERENCE_ENDPOINTS, MAX_OUTPUT_TOKENS
from gatecheck.profiles import Profile

__all__ = ["add_inference_examples", "inference_examples"]

PROMPT = "Say hello in one short sentence."
_STREAM = {"stream": True, "stream_options": {"include_usage": True}}


def _model(profile: Profile, role: str = "chat") -> dict[str, str]:
    model = profile.model(role) or (profile.default_model if role == "chat" else None)
    return {"model": model} if model else {}


def _conversation() -> list[dict[str, str]]:
    return [{"role": "user", "content": PROMPT}]


def _chat(profile: Profile) -> dict[str, dict[str, Any]]:
    plain = {**_model(profile), "messages": _conversation(), "max_tokens": MAX_OUTPUT_TOKENS}
    return {"gatecheck-chat": plain, "gatecheck-chat-stream": {**plain, **_STREAM}}


def _messages(profile: Profile) -> dict[str, dict[str, Any]]:
    plain = {**_model(profile), "max_tokens": MAX_OUTPUT_TOKENS, "messages": _conversation()}
    return {"gatecheck-messages": plain, "gatecheck-messages-stream": {**plain, "stream": True}}


def _responses(profile: Profile) -> dict[str, dict[str, Any]]:
    plain = {**_model(profile), "input": PROMPT, "max_output_tokens": MAX_OUTPUT_TOKENS}
    return {"gatecheck-responses": plain, "gatecheck-responses-stream": {**plain, "stream": True}}


def _embeddings(profile: Profile) -> dict[str, dict[str, Any]]:
    return {"gatecheck-embeddings": {**_model(profile, "embedding"), "input": PROMPT}}


def _rerank(profile: Profile) -> dict[str, dict[str, Any]]:
    documents = ["Paris is the capital of France.", "Berlin is the capital of Germany."]
    body = {**_model(profile, "rerank"), "query": "capital of France", "documents": documents}
    return {"gatecheck-rerank": body}


_BUILDERS: dict[str, Callable[[Profile], dict[str, dict[str, Any]]]] = {
    "chat": _chat,
    "messages": _messages,
    "responses": _responses,
    "embeddings": _embeddings,
    "rerank": _rerank,
}


def inference_examples(path: str, profile: Profile) -> dict[str, dict[str, Any]]:
    """Named request bodies for the inference endpoint at ``path``; empty for other paths."""
    for name in INFERENCE_ENDPOINTS:
        if profile.paths.get(name) == path and name in _BUILDERS:
            return _BUILDERS[name](profile)
    return {}


def add_inference_examples(document: dict[str, Any], method: str, path: str, profile: Profile) -> None:
    """Add :func:`inference_examples` to ``method path``'s JSON body in ``document`` (in place).

    The spec's own examples stay; a ``$ref``'d request body is inlined first, so the shared
    component is left untouched.
    """
    bodies = inference_examples(path, profile) if method.upper() == "POST" else {}
    operation = document["paths"][path][method.lower()]
    request_body = _resolved(document, operation.get("requestBody"))
    media = ((request_body or {}).get("content") or {}).get("application/json")
    if not bodies or not isinstance(media, Mapping):
        return
    media = dict(media)
    examples = dict(media.pop("examples", None) or {})
    if "example" in media:
        examples["spec"] = {"value": media.pop("example")}
    examples.update({name: {"value": body} for name, body in bodies.items()})
    media["examples"] = examples
    content = {**request_body["content"], "application/json": media}
    operation["requestBody"] = {**request_body, "content": content}


def _resolved(document: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, Mapping) and str(node.get("$ref", "")).startswith("#/"):
        target: Any = document
        for part in node["$ref"][2:].split("/"):
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target
    return dict(node) if isinstance(node, Mapping) else node
