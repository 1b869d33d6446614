"""What the conformance tests share: a client middleware recording every exchange, the spec
operations of an area that captured requests map to, and :func:`check_all`, which validates
every exchange of a test against the spec."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import attrs

from aio_openai import AsyncOpenAI, Request, Response
from aio_openai.testing import FakeOpenAI

from ._spec import load_fixture, validate_request, validate_response, validate_schema

__all__ = [
    "Exchange",
    "Recorder",
    "check_all",
    "operation_of",
    "operations",
    "recording",
    "validate_form",
]


@attrs.define
class Exchange:
    """One call as the client saw it."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes
    streamed: bool
    #: The request's body as the client sent it (a multipart body read again from its
    #: sources: the conformance tests upload small bytes).
    sent: bytes | None = None


@attrs.define
class Recorder:
    """A client middleware keeping every exchange."""

    exchanges: list[Exchange] = attrs.field(factory=list)

    async def __call__(self, request: Request, call_next: Any) -> Response:
        upload = request.upload
        sent = request.content if upload is None else await upload.read()
        response: Response = await call_next(request)
        self.exchanges.append(
            Exchange(
                method=request.method,
                path=request.url.raw_path_qs,
                status=response.status,
                headers=dict(response.headers),
                body=response.content,
                streamed=request.stream,
                sent=sent,
            )
        )
        return response


@asynccontextmanager
async def recording(fake: FakeOpenAI, key: str) -> AsyncIterator[tuple[AsyncOpenAI, Recorder]]:
    """A client on ``fake`` that never retries, and the Recorder of its exchanges."""
    recorder = Recorder()
    async with AsyncOpenAI(
        api_key=key, base_url=fake.url, middlewares=[recorder], max_retries=0
    ) as client:
        yield client, recorder


def operations(version: str, area: tuple[str, ...]) -> dict[tuple[str, str], re.Pattern[str]]:
    """The spec's operations whose path starts with one of ``area``: (method, template) ->
    the regex of its paths. The beta Responses' keys (``/responses?beta=true``) are left out:
    their answers are checked against their schemas by their own test."""
    ops = {}
    for template, item in load_fixture(version)["paths"].items():
        if not template.startswith(area) or "?" in template:  # a query in a key routes nothing
            continue
        regex = re.compile("^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method in item:
            if method not in ("parameters", "servers"):
                ops[(method.upper(), template)] = regex
    return ops


def operation_of(
    ops: dict[tuple[str, str], re.Pattern[str]], method: str, path: str
) -> tuple[str, str]:
    """The operation of ``ops`` a captured request is (literal paths win over templates)."""
    path = path.split("?", 1)[0]
    matches = [key for key, regex in ops.items() if key[0] == method and regex.match(path)]
    assert matches, f"{method} {path} is not an operation of the spec"
    return min(matches, key=lambda key: key[1].count("{"))


def _schema_at(spec: Any, schema: Any) -> Any:
    """``schema`` with its ``$ref`` followed, and an ``anyOf``/``oneOf`` by its first typed
    member (what a form field's text is read as)."""
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif "type" not in schema and ("anyOf" in schema or "oneOf" in schema):
            members = schema.get("anyOf") or schema["oneOf"]
            schema = next((m for m in members if m.get("type") != "null"), members[0])
        else:
            return schema


def _typed(spec: Any, schema: Any, text: str) -> Any:
    """A form field's text as the JSON value its schema describes."""
    kind = _schema_at(spec, schema).get("type")
    if isinstance(kind, list):  # ["integer", "null"]
        kind = next((k for k in kind if k != "null"), None)
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def validate_form(version: str, method: str, template: str, content_type: str, body: bytes) -> None:
    """Validate a ``multipart/form-data`` request body against its operation's schema, each
    field read as a server reads it: text made a number, boolean or list (``name[]``) as the
    field's schema says, a part of type ``application/json`` parsed, a file part standing as
    its filename (the spec's binary string).

    The spec's validator cannot read forms so (it leaves every field bytes and fails on an
    ``anyOf``); this does what a server does, then validates the object."""
    spec = load_fixture(version)
    op = spec["paths"][template][method.lower()]
    ref = op["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    name = ref.rsplit("/", 1)[1]
    properties = _schema_at(spec, {"$ref": ref}).get("properties", {})
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        key = part.get_param("name", header="content-disposition")
        assert isinstance(key, str), part
        filename = part.get_filename()
        raw = part.get_payload(decode=True)
        assert isinstance(raw, bytes)
        listed = key.endswith("[]")
        path = re.findall(r"[^\[\]]+", key)  # "a[b]" is the key b of the object a
        target, schema = fields, {"properties": properties}
        for step in path[:-1]:
            target = target.setdefault(step, {})
            schema = _schema_at(spec, schema.get("properties", {}).get(step, {}))
        schema = schema.get("properties", {}).get(path[-1], {})
        if listed:
            schema = _schema_at(spec, schema).get("items", {})
        if filename is not None:
            value: Any = filename
        elif part.get_content_type() == "application/json":  # a JSON part (a call's session)
            value = json.loads(raw)
        else:
            value = _typed(spec, schema, raw.decode())
        if listed:
            target.setdefault(path[-1], []).append(value)
        else:
            target[path[-1]] = value
    validate_schema(version, name, fields)


def check_all(
    version: str,
    fake: FakeOpenAI,
    recorder: Recorder,
    area: tuple[str, ...],
    *,
    binary: tuple[str, ...] = (),
    binary_types: tuple[str, ...] = ("application/octet-stream",),
    only: Collection[tuple[str, str]] | None = None,
) -> None:
    """Every request (but the refused ones) and every answer conforms; every operation of
    ``area`` (of those ``only`` lists, if given: (method, path template)) was exercised.
    Requests are checked as the client sent them (the fake does not keep multipart bodies);
    a 2xx answer to a path ending in one of ``binary`` is bytes,
    checked for its content type only (one of ``binary_types``). A streamed answer's events
    are left to the test, which checks each against its event schema."""
    assert len(fake.requests) == len(recorder.exchanges)
    ops = operations(version, area)
    if only is not None:
        ops = {key: regex for key, regex in ops.items() if key in only}
    problems: list[str] = []
    used = set()
    for sent, got in zip(fake.requests, recorder.exchanges, strict=True):
        used.add(operation_of(ops, sent.method, sent.raw_path))
        if got.status < 400:
            content_type = sent.headers.get("Content-Type", "")
            try:
                if content_type.startswith("multipart/form-data"):
                    assert got.sent is not None
                    _, template = operation_of(ops, sent.method, sent.raw_path)
                    validate_form(version, sent.method, template, content_type, got.sent)
                else:
                    validate_request(version, sent.method, sent.raw_path, sent.headers, got.sent)
            except AssertionError as exc:
                problems.append(f"request: {exc}\n  body: {got.sent[:500]!r}")
        if got.status < 300 and binary and sent.path.endswith(binary):
            assert got.headers["Content-Type"].split(";")[0] in binary_types
            continue
        if got.streamed:
            continue
        try:
            validate_response(version, got.method, got.path, got.status, got.headers, got.body)
        except AssertionError as exc:
            problems.append(f"response: {exc}\n  body: {got.body[:2000]!r}")
    assert not problems, "\n\n".join(problems)
    assert used == set(ops), f"not exercised: {sorted(set(ops) - used)}"
