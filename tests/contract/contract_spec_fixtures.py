"""A small OpenAPI 3.1 document in the shape of the bundled contracts, and schemathesis objects
built from it, so the checks can be tested without a server."""

from __future__ import annotations

from typing import Any

import requests
import schemathesis
from schemathesis import Case, Response

CHUNK = {
    "type": "object",
    "required": ["id", "object", "choices"],
    "properties": {
        "id": {"type": "string"},
        "object": {"const": "chat.completion.chunk"},
        "choices": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "delta"],
                "properties": {"index": {"type": "integer", "minimum": 0}, "delta": {"type": "object"}},
            },
        },
        "usage": {"oneOf": [{"$ref": "#/components/schemas/Usage"}, {"type": "null"}]},
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "fixture", "version": "1"},
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Usage": {"type": "object", "properties": {"cost": {"type": "number"}}},
            "Chunk": CHUNK,
            "Error": {"type": "object", "required": ["error"]},
        },
    },
    "security": [{"bearerAuth": []}],
    "paths": {
        "/chat/completions": {
            "post": {
                "operationId": "chat",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"usage": {"$ref": "#/components/schemas/Usage"}},
                                }
                            },
                            "text/event-stream": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {
                                            "anyOf": [
                                                {"const": "[DONE]"},
                                                {
                                                    "type": "string",
                                                    "contentMediaType": "application/json",
                                                    "contentSchema": {"$ref": "#/components/schemas/Chunk"},
                                                },
                                            ]
                                        }
                                    },
                                }
                            },
                        },
                    },
                    "400": {
                        "description": "Bad",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            }
        },
        "/messages": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {
                    "200": {
                        "description": "A stream of typed events, no [DONE]",
                        "content": {
                            "text/event-stream": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {
                                            "type": "string",
                                            "contentMediaType": "application/json",
                                            "contentSchema": {"type": "object", "required": ["type"]},
                                        }
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/models": {"get": {"responses": {"200": {"description": "OK"}}}},
    },
}


def case(path: str = "/chat/completions", method: str = "POST", body: Any = None) -> Case:
    schema = schemathesis.openapi.from_dict(SPEC)
    operation = schema[path][method]
    return operation.Case(body=body) if body is not None else operation.Case()


def response(status: int, content: bytes | str, content_type: str, **headers: str) -> Response:
    raw = content.encode() if isinstance(content, str) else content
    request = requests.Request("POST", "http://gateway.test/v1/chat/completions").prepare()
    all_headers = {"content-type": [content_type], **{k.lower(): [v] for k, v in headers.items()}}
    return Response(status, all_headers, raw, request, 0.01, True)


def sse(*events: str, comments: tuple[str, ...] = ()) -> str:
    """A stream body: comment lines first, then one ``data:`` event per argument."""
    head = "".join(f": {c}\n\n" for c in comments)
    return head + "".join(f"data: {e}\n\n" for e in events)
