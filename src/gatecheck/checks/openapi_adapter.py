"""httpx requests and responses in the shape openapi-core 0.23 validates.

openapi-core ships adapters for requests, werkzeug, starlette and others, but not for httpx,
which is what every gatecheck client speaks; these two classes implement its ``Request`` and
``Response`` protocols (``openapi_core.protocols``) over an ``httpx.Request``/``httpx.Response``.
The spec's ``servers`` decide which paths match, so validating a local target means giving the
document that target's URL as its server (:func:`with_server`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import httpx
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

__all__ = ["HttpxOpenAPIRequest", "HttpxOpenAPIResponse", "with_server"]


class HttpxOpenAPIRequest:
    """An ``httpx.Request`` as openapi-core's ``Request`` protocol."""

    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(request.url.params.multi_items()),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return f"{self.request.url.scheme}://{self.request.url.netloc.decode('ascii')}"

    @property
    def path(self) -> str:
        return self.request.url.path

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.content or None

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "").lower()


class HttpxOpenAPIResponse:
    """An ``httpx.Response`` (already read) as openapi-core's ``Response`` protocol."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return self.response.headers.get("content-type", "").lower()

    @property
    def headers(self) -> Headers:
        return Headers(list(self.response.headers.items()))

    @property
    def data(self) -> bytes:
        return self.response.content


def with_server(document: Mapping[str, Any], url: str) -> dict[str, Any]:
    """A copy of ``document`` served at ``url`` only (a mock, or a gateway's own base URL)."""
    copied = copy.deepcopy(dict(document))
    copied["servers"] = [{"url": url.rstrip("/")}]
    return copied
