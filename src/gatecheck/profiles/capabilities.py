"""The capabilities a profile may claim; scenarios declare the one they need with a marker.

One registry: the pytest marker validation, the README matrix and the report matrix all read it.
"""

from __future__ import annotations

__all__ = ["CAPABILITIES"]

CAPABILITIES: dict[str, str] = {
    "chat": "POST chat/completions answers a conversation",
    "streaming": "stream: true answers as text/event-stream chunks",
    "stream-usage": "stream_options.include_usage adds one usage chunk before [DONE]",
    "usage-cost": "usage.cost reports the request's price in USD",
    "processing-comments": "SSE comment lines (': PROCESSING') keep slow streams alive",
    "tools": "function tools and tool_choice produce tool_calls",
    "structured-outputs": "response_format json_object / json_schema is honoured",
    "web-search": "the web_search tool answers with citations",
    "pdf-input": "input_file content parts carry PDFs (base64 or URL)",
    "image-input": "image_url content parts are accepted",
    "embeddings": "POST embeddings returns one vector per input",
    "rerank": "POST rerank scores documents against a query",
    "models": "GET models lists the routable catalog with prices",
    "model-filters": "models can be filtered (supported_parameters, output_modalities) and counted",
    "model-regions": "models carry deployment regions",
    "default-model": "a request without model is served by the documented default model",
    "responses": "POST responses implements the OpenAI Responses API",
    "messages": "POST messages implements the Anthropic Messages API",
    "fallbacks": "a failing primary model falls back to the next candidate",
    "generation-stats": "GET generation?id= returns a past request's tokens and cost",
    "key-management": "API keys can be created, read, limited and deleted over the API",
    "key-usage": "a key's usage and spend can be read over the API",
    "key-disable": "a key can be disabled without deleting it",
    "management-key-separation": "management keys cannot call inference",
    "org-usage": "organisation-wide usage can be read over the API",
    "credits": "GET credits reports purchased credits and usage",
    "guardrails": "guardrails restrict models, providers and spend for assigned keys",
    "pkce": "the PKCE flow exchanges an auth code for a key",
    "access-lists": "a key may carry an allow-list of models",
    "rate-limits": "429 answers carry Retry-After",
    "analytics-headers": "HTTP-Referer and X-Title are accepted",
    "eu-region": "an EU base URL serves the same API",
}
