"""FakeOpenAI's generic mode against OpenAI's whole spec, one test per operation it serves.

The operations are read from the spec the package ships (``openapi.json.gz``, which
``tests/unit/test_generic_spec_data.py`` checks is what ``tools/gen_fake_spec.py`` derives from
the checked-in spec): a newer spec is covered by regenerating it. An operation is the generic
mode's when the fake's router sends it to the catch-all route, i.e. no hand-written route
serves it. For each, a request made from the spec (required parameters and body fields) must
conform to the spec, be answered with the operation's success status, and the answer must
conform to the spec (openapi-core, through ``_spec.py``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from typing import Any, Final, NamedTuple, get_args, get_origin, get_type_hints

import aiohttp
import openai
import pytest
from aiohttp.test_utils import make_mocked_request
from pydantic import TypeAdapter

from aio_openai.testing import FakeOpenAI, FakeState
from aio_openai.testing._app import build_app
from aio_openai.testing._generic.spec import Operation, Spec, load_spec
from aio_openai.testing._generic.synth import synthesize

from ._spec import (
    build_request,
    build_response,
    format_errors,
    openapi_of,
    request_errors_in,
    response_errors_in,
)

SPEC: Final = load_spec()
KEY: Final = "sk-generic-0123456789"
NOW: Final = 1_700_000_000


def path_of(spec: Spec, op: Operation) -> str:
    """The operation's path with each parameter made from its schema (the id a delete
    deletes marked, so that it is no other test's)."""
    names = [p.name for p in op.parameters if p.location == "path"]
    values = {
        p.name: str(synthesize(p.schema, SPEC.resolve, NOW, name=p.name))
        + ("_deleted" if op.method == "delete" and p.name == names[-1] else "")
        for p in op.parameters
        if p.location == "path"
    }
    return op.template.format(**values)


def query_of(spec: Spec, op: Operation) -> list[tuple[str, str]]:
    """The required query parameters, made from their schemas."""
    out: list[tuple[str, str]] = []
    for p in op.parameters:
        if p.location == "query" and p.required:
            value = synthesize(p.schema, spec.resolve, NOW, name=p.name)
            for item in value if isinstance(value, list) else [value]:
                out.append((p.name, json.dumps(item) if not isinstance(item, str) else item))
    return out


def body_of(spec: Spec, op: Operation) -> Any:
    """The request body made from its schema (required fields), or None."""
    if op.body_schema is None:
        return None
    return synthesize(op.body_schema, spec.resolve, NOW)


def _generic_operations() -> list[Operation]:
    """The spec's operations that the fake's router sends to the generic route."""
    app = build_app(FakeState())

    async def served() -> list[Operation]:
        out = []
        for item in SPEC.operations.values():
            for op in item.values():
                request = make_mocked_request(op.method.upper(), "/v1" + path_of(SPEC, op))
                match = await app.router.resolve(request)
                if match.route.resource is not None and "{tail}" in match.route.resource.canonical:
                    out.append(op)
        return out

    return asyncio.run(served())


OPERATIONS: Final = _generic_operations()
#: The served operations the spec lacks, added from the SDK's types (tools/gen_fake_spec.py).
SDK_DERIVED: Final = [
    op for op in OPERATIONS if "x-provenance" in SPEC.document["paths"][op.template][op.method]
]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    """One fake for the module, in a thread; any model name is accepted."""
    with FakeOpenAI(accept_any_model=True).running_in_thread() as server:
        yield server


@pytest.fixture(scope="module")
def openapi() -> Any:
    return openapi_of(SPEC.document)


def _object_in_query(op: Operation) -> bool:
    """Whether a query parameter is an object (``metadata``) or has a list of types
    (``["string", "null"]``): openapi-core cannot read those."""
    return any(
        p.location == "query"
        and (
            SPEC.resolve(p.schema).get("type") == "object"
            or isinstance(SPEC.resolve(p.schema).get("type"), list)
        )
        for p in op.parameters
    )


def _form(spec: Spec, op: Operation, body: Mapping[str, Any]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    properties = spec.resolve(op.body_schema or {}).get("properties", {})

    def add(name: str, value: Any, schema: Mapping[str, Any]) -> None:
        schema = spec.resolve(schema)
        if schema.get("format") == "binary":
            form.add_field(name, b"{}\n", filename="data.jsonl")
        elif isinstance(value, list):
            for item in value:
                add(name + "[]", item, schema.get("items", {}))
        elif isinstance(value, dict):
            for key, item in value.items():
                add(f"{name}[{key}]", item, schema.get("properties", {}).get(key, {}))
        else:
            form.add_field(name, json.dumps(value) if not isinstance(value, str) else value)

    for name, value in body.items():
        add(name, value, properties.get(name, {}))
    return form


def test_the_generic_mode_serves_the_admin_api() -> None:
    # The admin API's operations the stateful admin fake does not serve (projects, users,
    # invites, service accounts, keys, usage and costs are its) are the generic mode's, the
    # SDK's that the spec lacks among them.
    served = {op.key for op in OPERATIONS}
    assert "get /organization/groups" in served
    assert "get /organization/projects" not in served
    assert len([k for k in served if " /organization/" in k]) > 90
    assert {op.key for op in SDK_DERIVED} <= served
    assert "post /organization/health/alert_rules" in served


class Sent(NamedTuple):
    """A request made from the spec for an operation, and what the fake answered."""

    status: int
    content_type: str
    answer: bytes
    url: str
    headers: dict[str, str]
    body: bytes | None


async def send(fake: FakeOpenAI, op: Operation) -> Sent:
    """Send ``op`` with its required parameters and body, made from the spec."""
    path = "/v1" + path_of(SPEC, op)
    query = query_of(SPEC, op)
    body = body_of(SPEC, op)
    headers = {"Authorization": f"Bearer {KEY}"}
    kwargs: dict[str, Any] = {"params": query}
    raw_body: bytes | None = None
    if body is not None and op.body_type == "application/json":
        raw_body = json.dumps(body).encode()
        kwargs["data"] = raw_body
        headers["Content-Type"] = "application/json"
    elif body is not None and op.body_type == "multipart/form-data":
        kwargs["data"] = _form(SPEC, op, body)
    elif op.body_type is not None:
        raw_body = b"v=0\r\n"
        kwargs["data"] = raw_body
        headers["Content-Type"] = op.body_type
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.request(op.method.upper(), fake.url.removesuffix("/v1") + path, **kwargs) as got,
    ):
        return Sent(
            got.status,
            got.headers.get("Content-Type", ""),
            await got.read(),
            str(got.url),
            headers,
            raw_body,
        )


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.key)
async def test_operation_is_answered_as_the_spec_says(
    fake: FakeOpenAI, openapi: Any, op: Operation
) -> None:
    status, content_type, answer, url, headers, raw_body = await send(fake, op)
    if op.body_type in (None, "application/json") and not _object_in_query(op):
        sent = build_request(op.method, url, headers, raw_body)
        errors = request_errors_in(openapi, sent)
        assert not errors, format_errors(f"the request made for {op.key}", errors)
    assert status == op.status, answer[:500]
    if op.answer_type is None:
        assert answer == b""
        return
    assert content_type.split(";")[0] == op.answer_type
    if op.answer_schema is None:  # bytes: a download, a video, an SDP answer
        assert answer
        return
    response = build_response(status, {"Content-Type": content_type}, answer, op.answer_type)
    errors = response_errors_in(openapi, build_request(op.method, url), response)
    assert not errors, format_errors(f"the answer to {op.key}", errors)


# -- what the SDK has and the spec lacks ------------------------------------------------------


def _sdk_answer_type(op: Operation) -> Any:
    """The type the SDK's method of ``op`` returns (a page's class for a paginator), found
    from the method the operation's ``x-provenance`` names."""
    where = SPEC.document["paths"][op.template][op.method]["x-provenance"]["method"]
    target: Any = openai.AsyncOpenAI(api_key="sk-generic", admin_api_key="sk-generic")
    for name in where.removeprefix("client.").split("."):
        target = getattr(target, name)
    annotation = get_type_hints(target)["return"]
    origin = get_origin(annotation)
    if isinstance(origin, type) and origin.__name__ == "AsyncPaginator":
        return get_args(annotation)[1]
    return annotation


@pytest.fixture(scope="module")
def sdk_fake() -> Iterator[FakeOpenAI]:
    """A fake of its own (the ids the conformance test deleted are gone in the other)."""
    with FakeOpenAI().running_in_thread() as server:
        yield server


@pytest.mark.parametrize("op", SDK_DERIVED, ids=lambda op: op.key)
async def test_an_answer_made_from_the_sdks_types_is_the_sdks_model(
    sdk_fake: FakeOpenAI, op: Operation
) -> None:
    """The answers to what the spec lacks validate as the SDK's own pydantic models; a list
    of a collection holds what was created there."""
    fake = sdk_fake
    creates = op.method == "get" and "post" in SPEC.operations[op.template]
    creates = creates and SPEC.item_template(op.template) is not None
    if creates:
        made = await send(fake, SPEC.operations[op.template]["post"])
        assert made.status == 200, made.answer[:500]
    got = await send(fake, op)
    assert got.status == 200, got.answer[:500]
    answer_type = _sdk_answer_type(op)
    if answer_type is type(None):
        assert got.answer == b""
        return
    value = TypeAdapter(answer_type).validate_python(json.loads(got.answer))
    if creates:
        assert json.loads(made.answer)["id"] in [item.id for item in value.data]
