"""OpenAPI 3.1 ``dict`` -> LAP v0.3 text, for round-trip tests and for hand-editing a compiled spec.

The aim is ``compile_lap(emit_lap(spec)) == spec`` for any ``spec`` that ``compile_lap`` produced, and
the closest LAP for others.  Lossy by design: summaries, descriptions, operationIds (LAP derives
them), response descriptions (derived from the status), extra tags (LAP has one group per
endpoint, the first tag wins), and any error response that is not the shared ``ErrorResponse``
becomes a ``@returns``.  See ``emit_types.py`` for which schemas raise :class:`LapEmitError`.
"""

from __future__ import annotations

from typing import Any

from gatecheck.specs.lap.emit_types import LapEmitError, render_field, render_fields, render_type
from gatecheck.specs.lap.endpoint import METHODS
from gatecheck.specs.lap.header import AUTH_SCHEMES, LAP_VERSION

__all__ = ["emit_lap"]

_ERROR_REF = "#/components/schemas/ErrorResponse"


def emit_lap(openapi: dict[str, Any]) -> str:
    groups: dict[str | None, list[list[str]]] = {None: []}
    for path, item in openapi.get("paths", {}).items():
        for method, operation in item.items():
            if method.upper() in METHODS:
                tags = operation.get("tags") or [None]
                block = _endpoint(method.upper(), path, operation, item.get("parameters", []))
                groups.setdefault(tags[0], []).append(block)
    lines = [*_header(openapi, groups), ""]
    for block in groups[None]:
        lines += [*block, ""]
    for group, blocks in groups.items():
        if group is not None:
            lines += [
                f"@group {group}",
                *(line for block in blocks for line in (*block, "")),
                "@endgroup",
                "",
            ]
    return "\n".join([*lines, "@end", ""])


def _header(openapi: dict[str, Any], groups: dict[str | None, list[list[str]]]) -> list[str]:
    info = openapi.get("info", {})
    lines = [f"@lap {LAP_VERSION}", f"@api {info.get('title', 'API')}"]
    if servers := openapi.get("servers"):
        lines.append(f"@base {servers[0]['url']}")
    lines.append(f"@version {info.get('version', '0')}")
    if auth := _auth(openapi):
        lines.append(f"@auth {auth}")
    lines.append(f"@endpoints {sum(len(blocks) for blocks in groups.values())}")
    if toc := [f"{group}({len(blocks)})" for group, blocks in groups.items() if group is not None]:
        lines.append(f"@toc {', '.join(toc)}")
    return lines


def _auth(openapi: dict[str, Any]) -> str:
    schemes = openapi.get("components", {}).get("securitySchemes", {})
    alternatives = []
    for requirement in openapi.get("security", []):
        for name in requirement:
            scheme = schemes.get(name, {})
            if scheme.get("type") != "http" or scheme.get("scheme", "").lower() not in AUTH_SCHEMES:
                raise LapEmitError(
                    "LAP v0.3 @auth has http bearer and basic only", f"#/components/securitySchemes/{name}"
                )
            word = scheme["scheme"].lower()
            alternatives.append(f"{word.title()} {word}")
    return " | ".join(dict.fromkeys(alternatives))


def _endpoint(method: str, path: str, operation: dict[str, Any], shared: list[dict[str, Any]]) -> list[str]:
    where = f"#/paths/{path.replace('~', '~0').replace('/', '~1')}/{method.lower()}"
    required: list[str] = []
    optional: list[str] = []
    for index, parameter in enumerate([*shared, *operation.get("parameters", [])]):
        _parameter(parameter, required, optional, f"{where}/parameters/{index}")
    body = _body_schema(operation.get("requestBody"), f"{where}/requestBody")
    if body is not None:
        for name, schema in body["properties"].items():
            is_required = name in body.get("required", [])
            text = render_field(name, schema, required=is_required, response=False, marks=False, where=where)
            (required if is_required else optional).append(text)
    lines = [f"@endpoint {method} {path}"]
    lines += [f"@required {{{', '.join(required)}}}"] if required else []
    lines += [f"@optional {{{', '.join(optional)}}}"] if optional else []
    return lines + _responses(operation.get("responses", {}), f"{where}/responses")


def _parameter(parameter: dict[str, Any], required: list[str], optional: list[str], where: str) -> None:
    if "$ref" in parameter or parameter.get("in") not in ("path", "query"):
        raise LapEmitError("LAP has inline path and query parameters only", where)
    text = f"{parameter['name']}: " + render_type(parameter.get("schema", {}), response=False, where=where)
    (required if parameter["in"] == "path" or parameter.get("required") else optional).append(text)


def _body_schema(body: dict[str, Any] | None, where: str) -> dict[str, Any] | None:
    if body is None:
        return None
    content = body.get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if set(content) != {"application/json"} or not schema or "properties" not in schema:
        raise LapEmitError("LAP request bodies are JSON objects with properties", where)
    return schema


def _responses(responses: dict[str, Any], where: str) -> list[str]:
    lines, errors = [], []
    for status in sorted(code for code in responses if code != "default"):
        response = responses[status]
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema == {"$ref": _ERROR_REF}:
            errors.append(status)
        elif schema is None:
            lines.append(f"@returns({status})")
        elif "properties" not in schema:
            raise LapEmitError("LAP response bodies are JSON objects with properties", f"{where}/{status}")
        else:
            at = f"{where}/{status}/content/application~1json/schema"
            fields = render_fields(schema["properties"], schema.get("required", []), response=True, where=at)
            lines.append(f"@returns({status}) {fields}")
    return lines + ([f"@errors {{{', '.join(errors)}}}"] if errors else [])
