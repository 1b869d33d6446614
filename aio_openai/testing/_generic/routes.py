"""The generic mode's one route: every ``/v1`` request no hand-written route serves.

Registered after every other route (:func:`add_generic_routes`), it matches the request's
path to the spec's templates (literal segments first) and its method to the template's
operations (404 ``Invalid URL`` otherwise, as for any unknown route), checks the path and
query parameters and the JSON or multipart body against the operation's schemas (400 naming
the ``param``), and answers what :class:`.state.GenericState` makes, with the operation's
success status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from aio_openai.testing._checks import APIError, missing
from aio_openai.testing._forms import read_form
from aio_openai.testing._generic.schema import check, type_names
from aio_openai.testing._generic.spec import Operation, Parameter, Spec
from aio_openai.testing._generic.state import GenericState
from aio_openai.testing._http import JSON, api_route, dumps, read_json_object

__all__ = ["add_generic_routes"]

_PREFIX = "/v1"


def add_generic_routes(router: web.UrlDispatcher, state: GenericState) -> None:
    """Register the catch-all route (call it after every other route)."""

    async def serve(request: web.Request) -> web.StreamResponse:
        spec = state.spec
        path = request.path.removeprefix(_PREFIX)
        matched = spec.match(path)
        op = None
        if matched is not None:
            op = spec.operations[matched[0]].get(request.method.lower())
        if matched is None or op is None:
            raise APIError(404, f"Invalid URL ({request.method} {request.rel_url.raw_path})")
        ids = matched[1]
        for parameter in op.parameters:
            if parameter.location == "path":
                check(parameter.schema, ids[parameter.name], parameter.name, spec.resolve)
        query = _query(spec, op, request.query)
        body = await _body(spec, op, request)
        answer = state.answer(op, path, ids, query, body)
        if answer is None:
            return web.Response(status=op.status)
        if isinstance(answer, bytes):
            return web.Response(status=op.status, body=answer, content_type=op.answer_type)
        return web.Response(status=op.status, body=dumps(answer), content_type=JSON)

    router.add_route("*", _PREFIX + "/{tail:.*}", api_route(serve))


def _query(spec: Spec, op: Operation, query: MultiMapping[str]) -> dict[str, Any]:
    """The operation's query parameters, typed as their schemas say and checked."""
    out: dict[str, Any] = {}
    for parameter in op.parameters:
        if parameter.location != "query":
            continue
        raw = [*query.getall(parameter.name, ()), *query.getall(parameter.name + "[]", ())]
        if not raw:
            if parameter.required:
                raise missing(parameter.name)
            continue
        value = _typed(spec, parameter, raw)
        check(parameter.schema, value, parameter.name, spec.resolve)
        out[parameter.name] = value
    return out


def _typed(spec: Spec, parameter: Parameter, raw: list[str]) -> Any:
    schema = spec.resolve(parameter.schema)
    kinds = type_names(schema, spec.resolve)
    if "array" in kinds:
        items = schema.get("items", {})
        return [_scalar(type_names(items, spec.resolve), v) for v in raw]
    return _scalar(kinds, raw[-1])


def _scalar(kinds: list[str], text: str) -> Any:
    """A query or form string as the type the schema wants (left a string if it is not one)."""
    if "string" in kinds:
        return text
    if "integer" in kinds:
        try:
            return int(text)
        except ValueError:
            pass
    if "number" in kinds:
        try:
            return float(text)
        except ValueError:
            pass
    if "boolean" in kinds and text in ("true", "false"):
        return text == "true"
    if "null" in kinds and text in ("", "null"):
        return None
    return text


async def _body(spec: Spec, op: Operation, request: web.Request) -> Any:
    """The request's body, checked against the operation's schema (None: it takes none)."""
    if op.body_type is None or op.body_schema is None:
        return None
    if op.body_type == "multipart/form-data":
        body = await _form(spec, op.body_schema, request)
    elif op.body_type == "application/json":
        body = await read_json_object(request)
    else:
        text = await request.text()
        if op.body_required and not text:
            raise missing("body")
        return text
    check(op.body_schema, body, "", spec.resolve)
    return body


async def _form(spec: Spec, schema: Mapping[str, Any], request: web.Request) -> dict[str, Any]:
    """A multipart body as the object its schema describes: fields typed, files as ``""``."""
    properties: Mapping[str, Any] = spec.resolve(schema).get("properties", {})
    files = {name for name, prop in properties.items() if _is_file(spec, prop)}
    form = await read_form(request, files)
    body: dict[str, Any] = {}
    for name, value in form.fields.items():
        prop = spec.resolve(properties.get(name, {}))
        kinds = type_names(prop, spec.resolve)
        if isinstance(value, list):
            item_kinds = type_names(prop.get("items", {}), spec.resolve)
            body[name] = [_scalar(item_kinds, v) if isinstance(v, str) else v for v in value]
        else:
            body[name] = _scalar(kinds, value) if isinstance(value, str) else value
    for name, uploads in form.files.items():
        many = "array" in type_names(properties[name], spec.resolve)
        body[name] = ["" for _ in uploads] if many else ""
    return body


def _is_file(spec: Spec, schema: Mapping[str, Any]) -> bool:
    schema = spec.resolve(schema)
    if schema.get("format") == "binary":
        return True
    items = schema.get("items")
    if isinstance(items, Mapping) and _is_file(spec, items):
        return True
    return any(_is_file(spec, b) for k in ("anyOf", "oneOf") for b in schema.get(k, ()))
