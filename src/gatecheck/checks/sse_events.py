"""Per-event validation of a streamed answer against the chunk schema the spec declares.

Specs write a stream's schema in one of three conventions, detected per operation (never per
vendor):

- ``chunk``: the ``text/event-stream`` schema *is* the chunk schema, each event's ``data`` one
  chunk (the official OpenAI and OpenRouter documents);
- ``contentSchema``: the schema describes the event, ``{data, event, id, retry}``, and ``data``
  gives its JSON with ``contentMediaType``/``contentSchema`` (OAS 3.1; gatecheck's overlays),
  beside a ``const: "[DONE]"`` branch for the terminator;
- ``itemSchema``: OAS 3.2's sequential media types, ``itemSchema`` describing each event as above;
- ``data``: the event schema's ``data`` *is* the chunk's schema, an object rather than a string
  (Speakeasy-style documents, such as OpenRouter's), the terminator named by
  ``x-speakeasy-sse-sentinel``.

In each case every event's data is validated against the chunk schema.  schemathesis reads the
media type's ``schema`` as the event envelope, so a ``chunk`` schema is rewritten into the
``contentSchema`` form before schemathesis sees the operation (:func:`wrap_chunk_schemas`);
otherwise it would validate ``{data, event}`` against the chunk and fail every correct stream.
Failures name the event index and the *field*, as a JSON path into the chunk
(``$.choices[0].delta.role``).  Comment lines (``: OPENROUTER PROCESSING``) are not events.

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

from gatecheck.check_ids import STREAM_EVENT_SCHEMA
from gatecheck.checks.stream import DONE, StreamCapture, TimedItem, check_data_is_json
from gatecheck.failures import ContractViolation, excerpt
from gatecheck.sse import decode_all

__all__ = [
    "EventSchema",
    "capture_from_body",
    "check_event_schemas",
    "event_schema",
    "json_path",
    "wrap_chunk_schemas",
]

EVENT_STREAM = "text/event-stream"
_ENVELOPE_FIELDS = frozenset({"data", "event", "id", "retry"})
#: Marks the ``[DONE]`` branch :func:`wrap_chunk_schemas` adds: tolerated, not declared by the spec.
TOLERATED = "x-gatecheck-tolerated"


@dataclass(frozen=True)
class EventSchema:
    """What the spec says about each ``data:`` of one operation's stream."""

    validator: Any  # for the JSON of a data line, bound to the whole spec so $refs resolve; None: unsaid
    where: str  # where the chunk schema sits in the spec, for failure messages
    terminator: str | None = None  # the data of the closing event (``[DONE]``), when the spec has one
    convention: str = "contentSchema"  # how the spec wrote it: chunk, contentSchema or itemSchema


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
        if isinstance(node, Mapping) and isinstance(node.get("const"), str) and not node.get(TOLERATED):
            return str(node["const"])
    return None


def _is_envelope(document: Mapping[str, Any], schema: _Cursor) -> bool:
    """Whether ``schema`` describes the SSE event (``data`` and friends), not the chunk itself."""
    node, _ = _resolve(document, schema)
    properties = node.get("properties") if isinstance(node, Mapping) else None
    return isinstance(properties, Mapping) and "data" in properties and set(properties) <= _ENVELOPE_FIELDS


def _data_is_chunk(document: Mapping[str, Any], data: _Cursor) -> bool:
    """Whether an envelope's ``data`` schema describes the parsed chunk (not the string it arrives as)."""
    if _content_schema(document, data) is not None:
        return False
    node, _ = _resolve(document, data)
    if not isinstance(node, Mapping) or not node:
        return False
    return node.get("type") not in ("string", None) or any(
        k in node for k in ("properties", "allOf", "anyOf", "oneOf", "required")
    )


def _sentinel(media: Any) -> str | None:
    value = media.get("x-speakeasy-sse-sentinel") if isinstance(media, Mapping) else None
    return value if isinstance(value, str) else None


def _stream_media(document: Mapping[str, Any], path: str, method: str, status: str) -> _Cursor | None:
    responses = _child(document, (document, ""), "paths", path, method.lower(), "responses")
    if not isinstance(responses[0], Mapping):
        return None
    code = status if status in responses[0] else f"{status[0]}XX"
    content = _child(document, responses, code, "content")
    if not isinstance(content[0], Mapping):
        return None
    media_type = next((k for k in content[0] if k.split(";")[0].strip().lower() == EVENT_STREAM), None)
    return None if media_type is None else _child(document, content, media_type)


def event_schema(
    document: Mapping[str, Any], path: str, method: str, status: str = "200"
) -> EventSchema | None:
    """What the spec says of ``method path``'s event stream; None when it documents no stream."""
    media = _stream_media(document, path, method, status)
    if media is None or not isinstance(media[0], Mapping):
        return None
    label = f"{method.upper()} {path} {status} {EVENT_STREAM}"
    convention = "itemSchema" if "itemSchema" in media[0] else "contentSchema"
    schema = _child(document, media, convention if convention == "itemSchema" else "schema")
    if schema[0] is None:
        return EventSchema(None, label, None, convention)
    if convention == "contentSchema" and not _is_envelope(document, schema):
        # The chunk schema itself; the [DONE] terminator is then prose, not schema.
        return EventSchema(_validator(document, schema[1]), f"{label} schema", None, "chunk")
    data = _child(document, schema, "properties", "data")
    if _data_is_chunk(document, data):
        return EventSchema(_validator(document, data[1]), f"{label} schema data", _sentinel(media[0]), "data")
    chunk = _content_schema(document, data)
    where = f"{label} {'itemSchema' if convention == 'itemSchema' else 'schema'} data.contentSchema"
    validator = None if chunk is None else _validator(document, chunk[1])
    return EventSchema(validator, where, _terminator(document, data), convention)


def _validator(document: Mapping[str, Any], pointer: str) -> Any:
    """A validator for the schema at ``pointer``, referenced in place so its own $refs resolve."""
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(dict(document)))
    return jsonschema.Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=registry)


def wrap_chunk_schemas(document: dict[str, Any], path: str, method: str) -> None:
    """Rewrite ``method path``'s ``chunk``-convention stream schemas into the event form schemathesis reads.

    ``data`` becomes the chunk's JSON (``contentSchema``), or ``[DONE]``, tolerated but not
    declared (so the ``sse_done`` check does not demand it where the spec never promised it).
    Only the operation's own responses are replaced (shallow copies): shared components stay as
    they are.
    """
    responses = document["paths"][path][method.lower()].get("responses")
    for status, response in list(responses.items() if isinstance(responses, dict) else ()):
        resolved, _ = _resolve(document, (response, ""))
        content = resolved.get("content") if isinstance(resolved, Mapping) else None
        if not isinstance(content, Mapping):
            continue
        for media_type, media in content.items():
            media, _ = _resolve(document, (media, ""))
            if media_type.split(";")[0].strip().lower() != EVENT_STREAM or not isinstance(media, Mapping):
                continue
            schema = media.get("schema")
            if "itemSchema" in media or schema is None:
                continue
            if _is_envelope(document, (schema, "")):
                data = _child(document, (schema, ""), "properties", "data")
                if not _data_is_chunk(document, data):
                    continue
                schema, declared = data[0], _sentinel(media) == DONE
            else:
                declared = False
            content = {**content, media_type: {**media, "schema": _event_form(schema, declared=declared)}}
            responses[status] = resolved = {**resolved, "content": content}


def _event_form(chunk: Any, *, declared: bool = False) -> dict[str, Any]:
    data = {"type": "string", "contentMediaType": "application/json", "contentSchema": chunk}
    done = {"const": DONE} if declared else {"const": DONE, TOLERATED: True}
    return {"type": "object", "required": ["data"], "properties": {"data": {"anyOf": [done, data]}}}


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
        error = _deepest(error)
        where = json_path(error.absolute_path)
        raise ContractViolation(
            f"Event {index} does not match the chunk schema at {where}",
            expected=f"{where} valid against {schema.where} ({_schema_rule(error)})",
            received=f"event {index}, {where}: {error.message}; data: {excerpt(event.data, 300)}",
            check=STREAM_EVENT_SCHEMA,
            operation=capture.operation,
            details={"event": index, "field": where},
        )


def _deepest(error: ValidationError) -> ValidationError:
    """Inside ``anyOf``/``oneOf`` (a union of event types), the error deepest in the data.

    The branch meant for the event (its ``type`` matches) fails deeper than the others, which
    fail at ``type`` itself; so the deepest error names the field that is actually wrong.
    """
    for _ in range(16):
        if not error.context:
            break
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def _schema_rule(error: ValidationError) -> str:
    """The failed keyword and its value, e.g. ``minimum: 0``."""
    return f"{error.validator}: {excerpt(error.validator_value, 120)}"
