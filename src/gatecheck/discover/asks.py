"""The questions ``gatecheck probe`` asks a target, each a tiny request within a fixed budget.

Each question records what it saw in :class:`~gatecheck.discover.findings.Findings` and never
raises for what the target answered: a probe reports, it does not judge (that is ``gatecheck
run``'s job).  Models are tried in the order the target lists them, the profile's own names
first; a model that answers 5xx or 429 is remembered as a candidate for the ``failing`` or
``rate_limited`` role, for the user to confirm.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

from gatecheck.discover.findings import Findings, pick_profile
from gatecheck.errors import BudgetExhausted
from gatecheck.profiles import Profile, available, get_profile
from gatecheck.sse import SSEDecoder, SSEEvent

__all__ = ["MAX_CHAT_TRIES", "ask_all"]

#: Chat models tried before giving up on chat (a proxy may list broken deployments first).
MAX_CHAT_TRIES = 4
_NOT_CHAT = ("embed", "rerank", "whisper", "tts", "dall-e", "image", "moderation", "audio", "transcribe")
_SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "string"}},
    "required": ["answer"],
    "additionalProperties": False,
}
_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
_HELLO = [{"role": "user", "content": "Say OK."}]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _why(response: httpx.Response) -> str:
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else error
    text = str(message or response.text or "").strip().replace("\n", " ")
    return f"HTTP {response.status_code}" + (f": {text[:100]}" if text else "")


def _ordered(ids: Iterable[str], keep: Callable[[str], bool], *preferred: str | None) -> list[str]:
    """The listed models ``keep`` accepts, the profile's own names first (in ``preferred`` order)."""
    chosen = [i for i in ids if keep(i)]
    first = [p for p in preferred if p in chosen]
    return first + [i for i in chosen if i not in first]


def _is_chat(model: str) -> bool:
    return not any(word in model.lower() for word in _NOT_CHAT)


class _Asker:
    def __init__(
        self, client: httpx.Client, profile: Profile, findings: Findings, named: Mapping[str, str]
    ) -> None:
        self.client, self.profile, self.found, self.named = client, profile, findings, named

    def _preferred(self, *roles: str) -> list[str]:
        """The user's names for ``roles`` (tried even when unlisted), then the profile's."""
        return [n for r in roles for n in (self.named.get(r), self.profile.model(r)) if n]

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response | None:
        try:
            return self.client.post(path.lstrip("/"), json=body)
        except httpx.HTTPError as exc:
            self.found.step(f"POST {path}", None, f"no answer: {type(exc).__name__}")
            return None

    def models(self) -> None:
        try:
            response = self.client.get("models")
        except httpx.HTTPError as exc:
            self.found.step("GET /models", None, f"no answer: {type(exc).__name__}")
            return
        data = (_json(response) or {}).get("data") if isinstance(_json(response), dict) else None
        if response.status_code != 200 or not isinstance(data, list):
            self.found.step("GET /models", response.status_code, _why(response))
            self.found.lacks("models", _why(response))
            return
        self.found.catalog = [e for e in data if isinstance(e, dict)]
        self.found.model_ids = [str(e["id"]) for e in self.found.catalog if e.get("id")]
        self.found.saw("models")
        self.found.step("GET /models", 200, f"{len(self.found.model_ids)} models")

    def chat(self) -> None:
        tried = 0
        named = [self.named[r] for r in ("chat", "chat_alt") if r in self.named]
        listed = _ordered(self.found.model_ids, _is_chat, *self._preferred("chat", "chat_alt"))
        for model in [n for n in named if n not in listed] + listed:
            if tried == MAX_CHAT_TRIES:
                break
            tried += 1
            body = {"model": model, "messages": _HELLO, "max_tokens": 8}
            response = self.post("/chat/completions", body)
            if response is None:
                continue
            answer = _json(response)
            if response.status_code == 200 and isinstance(answer, dict) and answer.get("choices"):
                self.found.step(f"POST /chat/completions {model}", 200, "answered")
                self._chat_answer(model, answer)
                if "chat" in self.found.models:
                    self.found.models.setdefault("chat_alt", model)
                else:
                    self.found.models["chat"] = model
                if "chat_alt" in self.found.models:
                    return
                continue
            self.found.step(f"POST /chat/completions {model}", response.status_code, _why(response))
            if response.status_code == 429:
                self.found.candidates.setdefault("rate_limited", model)
            elif response.status_code >= 500:
                self.found.candidates.setdefault("failing", model)
        if tried == 0:  # nothing to ask with is not a "no"
            self.found.step(
                "POST /chat/completions", None, "no chat model to try: name one with --model chat=NAME"
            )
        elif "chat" not in self.found.models:
            self.found.lacks("chat", f"none of the {tried} models tried answered a tiny chat request")

    def _chat_answer(self, model: str, answer: dict[str, Any]) -> None:
        self.found.saw("chat")
        usage = answer.get("usage")
        if isinstance(usage, dict) and isinstance(usage.get("cost"), int | float):
            self.found.saw("usage-cost")
        else:
            self.found.lacks("usage-cost", "usage.cost is not in the chat answer")

    def stream(self, model: str) -> None:
        body = {"model": model, "messages": _HELLO, "max_tokens": 8, "stream": True}
        body["stream_options"] = {"include_usage": True}
        decoder, events = SSEDecoder(), []
        try:
            with self.client.stream("POST", "chat/completions", json=body) as response:
                kind = response.headers.get("content-type", "")
                if response.status_code != 200 or "text/event-stream" not in kind:
                    response.read()
                    self.found.step("POST /chat/completions stream", response.status_code, _why(response))
                    what = kind or "no content type"
                    self.found.lacks("streaming", f"answered {what}, not an event stream")
                    return
                for chunk in response.iter_bytes():
                    events += [e for e in decoder.feed(chunk) if isinstance(e, SSEEvent)]
        except httpx.HTTPError as exc:
            self.found.step("POST /chat/completions stream", None, f"no answer: {type(exc).__name__}")
            return
        datas = [e.data for e in events]
        if "[DONE]" not in datas:
            self.found.lacks("streaming", "the event stream did not end with [DONE]")
            self.found.step("POST /chat/completions stream", 200, f"{len(events)} events, no [DONE]")
            return
        self.found.saw("streaming")
        chunks = [json.loads(d) for d in datas if d != "[DONE]" and d.startswith("{")]
        if any(isinstance(c.get("usage"), dict) and c["usage"] for c in chunks):
            self.found.saw("stream-usage")
        else:
            self.found.lacks("stream-usage", "no chunk carried usage with stream_options.include_usage")
        self.found.step("POST /chat/completions stream", 200, f"{len(events)} events")

    def tools(self, model: str) -> None:
        body = {
            "model": model,
            "messages": [{"role": "user", "content": "What is the weather in Paris? Use the tool."}],
            "max_tokens": 64,
            "tools": [_TOOL],
            "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        }
        response = self.post("/chat/completions", body)
        if response is None:
            return
        message = ((_json(response) or {}).get("choices") or [{}])[0].get("message") or {}
        calls = message.get("tool_calls") if isinstance(message, dict) else None
        if response.status_code == 200 and calls:
            self.found.saw("tools")
            self.found.step("POST /chat/completions tools", 200, "tool_calls")
        else:
            self.found.lacks("tools", "a forced tool_choice got no tool_calls")
            self.found.step("POST /chat/completions tools", response.status_code, "no tool_calls")

    def structured(self, model: str) -> None:
        body = {
            "model": model,
            "messages": [{"role": "user", "content": "Answer OK as JSON."}],
            "max_tokens": 32,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "answer", "strict": True, "schema": _SCHEMA},
            },
        }
        response = self.post("/chat/completions", body)
        if response is None:
            return
        message = ((_json(response) or {}).get("choices") or [{}])[0].get("message") or {}
        try:
            parsed = json.loads(message.get("content") or "")
        except (TypeError, ValueError):
            parsed = None
        if response.status_code == 200 and isinstance(parsed, dict) and "answer" in parsed:
            self.found.saw("structured-outputs")
            self.found.step("POST /chat/completions json_schema", 200, "JSON as asked")
        else:
            self.found.lacks("structured-outputs", "json_schema was not honoured")
            self.found.step("POST /chat/completions json_schema", response.status_code, "not JSON as asked")

    def embeddings(self) -> None:
        candidates = self._candidates("embedding", "embed")[:2]
        for model in candidates:
            response = self.post("/embeddings", {"model": model, "input": "gatecheck"})
            data = (_json(response) or {}).get("data") if response is not None else None
            vector = data[0].get("embedding") if isinstance(data, list) and data else None
            if response is not None and response.status_code == 200 and isinstance(vector, list):
                self.found.saw("embeddings")
                self.found.models["embedding"] = model
                self.found.embedding_dimensions = len(vector)
                self.found.step(f"POST /embeddings {model}", 200, f"{len(vector)} dimensions")
                return
            if response is not None:
                self.found.step(f"POST /embeddings {model}", response.status_code, _why(response))
        if candidates:  # nothing to ask with is not a "no"
            self.found.lacks("embeddings", "no embedding model answered")

    def _candidates(self, role: str, word: str) -> list[str]:
        """Listed models named like the role; else the profile's own (some catalogs list chat only)."""
        listed = _ordered(self.found.model_ids, lambda m: word in m.lower(), *self._preferred(role))
        named = self.named.get(role)
        if named and named not in listed:
            return [named, *listed]
        own = self.profile.model(role)
        return listed or ([own] if own else [])

    def rerank(self) -> None:
        for model in self._candidates("rerank", "rerank")[:1]:
            body = {"model": model, "query": "capital of France", "documents": ["Paris", "Berlin"]}
            response = self.post("/rerank", body)
            results = (_json(response) or {}).get("results") if response is not None else None
            if response is not None and response.status_code == 200 and isinstance(results, list):
                self.found.saw("rerank")
                self.found.models["rerank"] = model
                self.found.step(f"POST /rerank {model}", 200, f"{len(results)} results")
                return
            if response is not None:
                self.found.step(f"POST /rerank {model}", response.status_code, _why(response))
                self.found.lacks("rerank", _why(response))

    def typed_api(self, capability: str, path: str, body: dict[str, Any], field: str) -> None:
        response = self.post(path, body)
        if response is None:
            return
        answer = _json(response)
        if response.status_code == 200 and isinstance(answer, dict) and answer.get(field):
            self.found.saw(capability)
            self.found.step(f"POST {path}", 200, "answered")
        else:
            self.found.lacks(capability, _why(response))
            self.found.step(f"POST {path}", response.status_code, _why(response))

    def key_api(self, management: httpx.Client) -> None:
        paths = {
            get_profile(n).paths[get_profile(n).keys["create"]["path"]]  # type: ignore[index]
            for n in available()
            if get_profile(n).keys
        }
        for path in sorted(paths):
            try:
                response = management.get(path.lstrip("/"))
            except httpx.HTTPError:
                continue
            self.found.step(f"GET {path} (management key)", response.status_code, "")
            if response.status_code == 200:
                self.found.key_paths.append(path)
                self.found.saw("key-management")


def ask_all(
    client: httpx.Client,
    profile: Profile | None,
    findings: Findings,
    management: httpx.Client | None = None,
    named: Mapping[str, str] | None = None,
) -> Profile:
    """Ask every question the budget allows; returns the profile that fits (``profile`` if given).

    A spent budget ends the probe, not the report.
    """
    asker = _Asker(client, profile or get_profile("openai"), findings, named or {})
    try:
        asker.models()
        asker.profile = profile or pick_profile(findings)
        asker.chat()
        chat = findings.models.get("chat")
        if chat:
            asker.stream(chat)
            asker.tools(chat)
            asker.structured(chat)
            responses = {"model": chat, "input": "Say OK.", "max_output_tokens": 16}
            asker.typed_api("responses", "/responses", responses, "output")
            asker.typed_api(
                "messages", "/messages", {"model": chat, "max_tokens": 8, "messages": _HELLO}, "content"
            )
        asker.embeddings()
        asker.rerank()
        if management is not None:
            asker.key_api(management)
    except BudgetExhausted as exc:
        findings.step("(budget)", None, str(exc))
    return profile or pick_profile(findings)
