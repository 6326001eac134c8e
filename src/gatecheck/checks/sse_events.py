"""Per-event validation of a streamed answer against the chunk schema the spec declares.

A spec describes a stream one Server-Sent Event at a time: the ``text/event-stream`` response's
schema has a ``data`` property whose JSON is given by ``contentMediaType``/``contentSchema``
(OpenAPI 3.1), beside a ``const: "[DONE]"`` branch for the terminator.  schemathesis validates
that too, but reports "Event #3" with a schema path; a gateway developer wants the event index
and the *field*, as a JSON path into the chunk (``$.choices[0].delta.role``).  Comment lines
(``: OPENROUTER PROCESSING``) are not events and are never validated.

Framing (the ``[DONE]`` terminator, data that is not JSON, the usage chunk) is judged by the
checks of :mod:`gatecheck.checks.stream`; this module turns a received body into the
:class:`~gatecheck.checks.stream.StreamCapture` those checks take, so both suites share them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jsonschema
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from gatecheck.checks.stream import DONE, StreamCapture, TimedItem, check_data_is_json
from gatecheck.failures import ContractViolation, excerpt
from gatecheck.sse import decode_all

__all__ = ["EventSchema", "capture_from_body", "check_event_schemas", "event_schema", "json_path"]

EVENT_STREAM = "text/event-stream"


@dataclass(frozen=True)
class EventSchema:
    """What the spec says about each ``data:`` of one operation's stream."""

    validator: Any  # for the JSON of a data line, bound to the whole spec so $refs resolve; None: unsaid
    where: str  # where the chunk schema sits in the spec, for failure messages
    terminator: str | None = None  # the data of the closing event (``[DONE]``), when the spec has one


SPEC_URI = "urn:gatecheck:spec"
_Cursor = tuple[Any, str]  # a node of the spec and its JSON pointer


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _resolve(document: Mapping[str, Any], cursor: _Cursor) -> _Cursor:
    """Follow local ``$ref``s until a real object, keeping track of where it is."""
    node, pointer = cursor
    for _ in range(16):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        node, pointer = target, ref[1:]
    return node, pointer


def _child(document: Mapping[str, Any], cursor: _Cursor, *keys: str) -> _Cursor:
    node, pointer = _resolve(document, cursor)
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
        pointer += "/" + _escape(key)
        node, pointer = _resolve(document, (node, pointer))
    return node, pointer


def _branches(document: Mapping[str, Any], data: _Cursor) -> list[_Cursor]:
    """``data`` itself and each of its anyOf/oneOf branches, resolved."""
    node, pointer = data
    found = [data]
    for keyword in ("anyOf", "oneOf"):
        options = node.get(keyword) if isinstance(node, Mapping) else None
        for index, item in enumerate(options or []):
            found.append(_resolve(document, (item, f"{pointer}/{keyword}/{index}")))
    return found


def _content_schema(document: Mapping[str, Any], data: _Cursor) -> _Cursor | None:
    """Where the ``contentSchema`` of ``data`` is: on it, or in one of its anyOf/oneOf branches."""
    for node, pointer in _branches(document, data):
        if isinstance(node, Mapping) and "contentSchema" in node:
            return node["contentSchema"], pointer + "/contentSchema"
    return None


def _terminator(document: Mapping[str, Any], data: _Cursor) -> str | None:
    """The ``const`` string a branch of ``data`` allows, such as ``[DONE]``: the closing event."""
    for node, _ in _branches(document, data):
        if isinstance(node, Mapping) and isinstance(node.get("const"), str):
            return str(node["const"])
    return None


def event_schema(
    document: Mapping[str, Any], path: str, method: str, status: str = "200"
) -> EventSchema | None:
    """What the spec says of ``method path``'s event stream; None when it documents no stream."""
    responses = _child(document, (document, ""), "paths", path, method.lower(), "responses")
    if not isinstance(responses[0], Mapping):
        return None
    code = status if status in responses[0] else f"{status[0]}XX"
    content = _child(document, responses, code, "content")
    if not isinstance(content[0], Mapping):
        return None
    media_type = next((k for k in content[0] if k.split(";")[0].strip().lower() == EVENT_STREAM), None)
    if media_type is None:
        return None
    media = _child(document, content, media_type)
    schema = _child(document, media, "itemSchema" if "itemSchema" in media[0] else "schema")
    data = _child(document, schema, "properties", "data")
    chunk = _content_schema(document, data)
    where = f"{method.upper()} {path} {status} {EVENT_STREAM} data.contentSchema"
    if chunk is None:
        return EventSchema(None, where, _terminator(document, data))
    # The chunk schema is referenced where it sits in the spec, so its own $refs resolve there.
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(dict(document)))
    validator = jsonschema.Draft202012Validator({"$ref": f"{SPEC_URI}#{chunk[1]}"}, registry=registry)
    return EventSchema(validator, where, _terminator(document, data))


def capture_from_body(
    body: bytes, *, operation: str, status: int, headers: Mapping[str, str] | httpx.Headers
) -> StreamCapture:
    """A StreamCapture of a body received whole (no timing), for the framing checks."""
    items, unterminated = decode_all(body)
    capture = StreamCapture(operation, status, httpx.Headers(headers), body=body)
    capture.items = [TimedItem(0.0, 0, item) for item in items]
    capture.unterminated = unterminated
    return capture


def json_path(path: Any) -> str:
    """``deque(['choices', 0, 'index'])`` as ``$.choices[0].index``."""
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def check_event_schemas(capture: StreamCapture, schema: EventSchema) -> None:
    """Every data event but ``[DONE]`` is JSON matching the chunk schema; says which event and field."""
    check_data_is_json(capture)
    if schema.validator is None:
        return
    for index, event in enumerate(capture.events):
        if event.data == (schema.terminator or DONE):
            continue
        chunk = json.loads(event.data)
        error: ValidationError | None = best_match(schema.validator.iter_errors(chunk))
        if error is None:
            continue
        where = json_path(error.absolute_path)
        raise ContractViolation(
            f"Event {index} does not match the chunk schema at {where}",
            expected=f"{where} valid against {schema.where} ({_schema_rule(error)})",
            received=f"event {index}, {where}: {error.message}; data: {excerpt(event.data, 300)}",
            check="stream-event-schema",
            operation=capture.operation,
            details={"event": index, "field": where},
        )


def _schema_rule(error: ValidationError) -> str:
    """The failed keyword and its value, e.g. ``minimum: 0``."""
    return f"{error.validator}: {excerpt(error.validator_value, 120)}"
