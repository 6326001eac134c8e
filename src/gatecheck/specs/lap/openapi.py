"""LAP document -> OpenAPI 3.1.0 ``dict`` (JSON-serialisable, key order stable for snapshots).

Where a request field goes follows HTTP habit, since LAP does not say: ``{name}`` segments are path
parameters; for methods that carry a body (POST, PUT, PATCH) the other fields form an
``application/json`` body, for the rest they are query parameters.  LAP has no content types, so
every body is JSON.
"""

from __future__ import annotations

import copy
from typing import Any

from gatecheck.specs.lap.header import AUTH_SCHEMES
from gatecheck.specs.lap.model import LapAuth, LapDocument, LapEndpoint, LapField
from gatecheck.specs.lap.naming import operation_id, reason_phrase
from gatecheck.specs.lap.schema import ERROR_RESPONSE, field_schema, object_schema

__all__ = ["BODY_METHODS", "OPENAPI_VERSION", "to_openapi"]

OPENAPI_VERSION = "3.1.0"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}


def to_openapi(doc: LapDocument) -> dict[str, Any]:
    schemes = _security_schemes(doc.auth)
    spec: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": {"title": doc.api, "version": doc.version}}
    if doc.base:
        spec["servers"] = [{"url": doc.base}]
    if schemes:
        spec["security"] = [{name: []} for name in schemes]
    groups = dict.fromkeys(e.group for e in doc.endpoints if e.group is not None)
    if groups:
        spec["tags"] = [{"name": group} for group in groups]
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in doc.endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    spec["paths"] = paths
    # A fresh copy each time: overlays edit the compiled document in place.
    components: dict[str, Any] = {"schemas": {"ErrorResponse": copy.deepcopy(ERROR_RESPONSE)}}
    if schemes:
        components["securitySchemes"] = schemes
    spec["components"] = components
    return spec


def _security_schemes(auth: tuple[LapAuth, ...]) -> dict[str, Any]:
    schemes: dict[str, Any] = {}
    for alternative in auth:
        key, scheme = AUTH_SCHEMES[alternative.scheme.lower()]
        schemes[key] = {"type": "http", "scheme": scheme}
    return schemes


def _operation(endpoint: LapEndpoint) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id(endpoint.method, endpoint.path)}
    if endpoint.group is not None:
        operation["tags"] = [endpoint.group]
    path_names = set(endpoint.path_params)
    required = tuple(f for f in endpoint.required if f.name not in path_names)
    optional = tuple(f for f in endpoint.optional if f.name not in path_names)
    parameters = _path_parameters(endpoint)
    body = None
    if endpoint.method in BODY_METHODS:
        body = _request_body(required, optional)
    else:
        parameters += [_query_parameter(f, required=True) for f in required]
        parameters += [_query_parameter(f, required=False) for f in optional]
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = body
    operation["responses"] = _responses(endpoint)
    return operation


def _path_parameters(endpoint: LapEndpoint) -> list[dict[str, Any]]:
    declared = {f.name: f for f in (*endpoint.required, *endpoint.optional)}
    parameters = []
    for name in endpoint.path_params:
        field = declared.get(name)
        schema = field_schema(field, response=False) if field else {"type": "string"}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return parameters


def _query_parameter(field: LapField, *, required: bool) -> dict[str, Any]:
    return {
        "name": field.name,
        "in": "query",
        "required": required,
        "schema": field_schema(field, response=False),
    }


def _request_body(required: tuple[LapField, ...], optional: tuple[LapField, ...]) -> dict[str, Any] | None:
    if not required and not optional:
        return None
    names = tuple(f.name for f in required)
    schema = object_schema((*required, *optional), response=False, required=names)
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


def _responses(endpoint: LapEndpoint) -> dict[str, Any]:
    responses: dict[int, dict[str, Any]] = {}
    for returned in endpoint.returns:
        response: dict[str, Any] = {"description": reason_phrase(returned.status)}
        if returned.fields is not None:
            schema = object_schema(returned.fields, response=True)
            response["content"] = {"application/json": {"schema": schema}}
        responses[returned.status] = response
    for status in endpoint.errors:
        content = {"application/json": {"schema": dict(_ERROR_REF)}}
        responses[status] = {"description": reason_phrase(status), "content": content}
    if not responses:
        # OpenAPI wants at least one response; LAP said nothing, so say exactly that.
        return {"default": {"description": "No responses documented in the LAP source"}}
    return {str(status): responses[status] for status in sorted(responses)}
