"""OpenAI's own example responses (``x-oaiMeta``) of the Assistants API structure into our types
without loss, in both spec versions.

Each operation's examples are served (aioresponses) to the matching client method, so they go
through the real parsing path; each object schema's example is structured directly. "Without
loss" means ``to_dict()`` gives back every key of the example with an equal value (keys we do not
model are kept in ``model_extra``); the only keys it may add are fields the example left out,
as None or empty lists. Examples that are not JSON are listed and skipped: the streaming ones
are server-sent events, and two v1 ones contain ``...`` (SOURCE.md, known problem 5).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Final

import attrs
import pytest
from aioresponses import aioresponses as Aioresponses
from deprecations import ASSISTANTS_API_DEPRECATED

from aio_openai import AsyncCursorPage, AsyncOpenAI
from aio_openai._convert import converter
from aio_openai._models import BaseObject
from aio_openai.types import Assistant, Message, Run, RunStep, Thread

from ._spec import VERSIONS, load_examples

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-examples-0123456789"
ANY_URL: Final = re.compile(r"^https://api\.openai\.com/v1/.*$")
AREA: Final = ("/assistants", "/threads")

Call = Callable[[AsyncOpenAI], Awaitable[Any]]

#: operationId -> the client call that fetches that operation's response.
CALLS: Final[dict[str, Call]] = {
    "createAssistant": lambda c: c.beta.assistants.create(model="gpt-4"),
    "getAssistant": lambda c: c.beta.assistants.retrieve("asst_abc123"),
    "modifyAssistant": lambda c: c.beta.assistants.update("asst_abc123", name="x"),
    "listAssistants": lambda c: c.beta.assistants.list(),
    "deleteAssistant": lambda c: c.beta.assistants.delete("asst_abc123"),
    "createThread": lambda c: c.beta.threads.create(),
    "getThread": lambda c: c.beta.threads.retrieve("thread_abc123"),
    "modifyThread": lambda c: c.beta.threads.update("thread_abc123", metadata={}),
    "deleteThread": lambda c: c.beta.threads.delete("thread_abc123"),
    "createThreadAndRun": lambda c: c.beta.threads.create_and_run(assistant_id="asst_abc123"),
    "createMessage": lambda c: c.beta.threads.messages.create(
        "thread_abc123", content="hi", role="user"
    ),
    "getMessage": lambda c: c.beta.threads.messages.retrieve("msg_1", thread_id="thread_1"),
    "modifyMessage": lambda c: c.beta.threads.messages.update("msg_1", thread_id="thread_1"),
    "listMessages": lambda c: c.beta.threads.messages.list("thread_abc123"),
    "deleteMessage": lambda c: c.beta.threads.messages.delete("msg_1", thread_id="thread_1"),
    "createRun": lambda c: c.beta.threads.runs.create("thread_1", assistant_id="asst_1"),
    "getRun": lambda c: c.beta.threads.runs.retrieve("run_1", thread_id="thread_1"),
    "modifyRun": lambda c: c.beta.threads.runs.update("run_1", thread_id="thread_1"),
    "listRuns": lambda c: c.beta.threads.runs.list("thread_1"),
    "cancelRun": lambda c: c.beta.threads.runs.cancel("run_1", thread_id="thread_1"),
    "submitToolOuputsToRun": lambda c: c.beta.threads.runs.submit_tool_outputs(
        "run_1", thread_id="thread_1", tool_outputs=[]
    ),
    "getRunStep": lambda c: c.beta.threads.runs.steps.retrieve(
        "step_1", thread_id="thread_1", run_id="run_1"
    ),
    "listRunSteps": lambda c: c.beta.threads.runs.steps.list("run_1", thread_id="thread_1"),
}

METHODS: Final = {
    "create": "POST",
    "get": "GET",
    "list": "GET",
    "modify": "POST",
    "delete": "DELETE",
    "cancel": "POST",
    "submit": "POST",
}

SCHEMA_TYPES: Final[dict[str, type[BaseObject]]] = {
    "AssistantObject": Assistant,
    "ThreadObject": Thread,
    "MessageObject": Message,
    "RunObject": Run,
    "RunStepObject": RunStep,
}

#: Examples that are not JSON: (version, operationId, index) -> why.
NOT_JSON: Final = {
    ("v1", "cancelRun", 0): "contains ...",
    ("v1", "createThread", 1): "contains ...",
    **{
        (version, op, index): "server-sent events"
        for version in VERSIONS
        for op, indexes in (
            ("createRun", (1, 2)),
            ("createThreadAndRun", (1, 2)),
            ("submitToolOuputsToRun", (1,)),
        )
        for index in indexes
    },
}


def examples(version: str) -> list[tuple[str, int, str, str]]:
    """(operationId, index, method, raw response) of the assistants area."""
    out = []
    for op_id, op in sorted(load_examples(version)["operations"].items()):
        if op["path"].startswith(AREA):
            for index, example in enumerate(op["examples"]):
                out.append((op_id, index, op["method"].upper(), example["response"]))
    return out


def parseable(version: str) -> list[tuple[str, int, str, Any]]:
    out = []
    for op_id, index, method, text in examples(version):
        try:
            out.append((op_id, index, method, json.loads(text)))
        except ValueError:
            continue
    return out


def assert_lossless(example: Any, produced: Any, where: str = "$") -> None:
    """Every key and value of ``example`` is in ``produced``; additions are only empty."""
    if isinstance(example, dict):
        assert isinstance(produced, dict), f"{where}: {produced!r} is not an object"
        for key, value in example.items():
            assert key in produced, f"{where}.{key} was lost"
            assert_lossless(value, produced[key], f"{where}.{key}")
        for key in produced.keys() - example.keys():
            assert produced[key] in (None, []), f"{where}.{key} was added: {produced[key]!r}"
    elif isinstance(example, list):
        assert isinstance(produced, list), f"{where}: {produced!r} is not an array"
        assert len(produced) == len(example), f"{where}: length changed"
        for i, (a, b) in enumerate(zip(example, produced, strict=True)):
            assert_lossless(a, b, f"{where}[{i}]")
    else:
        assert produced == example and type(produced) in (type(example), float), (
            f"{where}: {example!r} became {produced!r}"
        )


def extras(obj: Any, where: str = "$") -> dict[str, list[str]]:
    """Keys kept in ``model_extra`` anywhere in ``obj``, by where they were."""
    found: dict[str, list[str]] = {}
    if isinstance(obj, BaseObject):
        if obj.model_extra:
            found[where] = sorted(obj.model_extra)
        for field in attrs.fields(type(obj)):
            if field.name not in ("model_extra", "_request_id"):
                found.update(extras(getattr(obj, field.name), f"{where}.{field.name}"))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            found.update(extras(item, f"{where}[{i}]"))
    return found


@pytest.fixture
async def api(clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(api_key=KEY, max_retries=0)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.mark.parametrize("version", VERSIONS)
def test_unparseable_examples_are_exactly_the_known_ones(version: str) -> None:
    bad = set()
    for op_id, index, _, text in examples(version):
        try:
            json.loads(text)
        except ValueError:
            bad.add((version, op_id, index))
    assert bad == {key for key in NOT_JSON if key[0] == version}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_operation_has_a_client_call(version: str) -> None:
    ops = {op_id for op_id, *_ in examples(version)}
    assert ops == set(CALLS) - ({"deleteMessage"} if version == "v1" else set())


@pytest.mark.parametrize(
    ("version", "op_id", "index", "method", "data"),
    [
        pytest.param(version, op_id, index, method, data, id=f"{version}-{op_id}-{index}")
        for version in VERSIONS
        for op_id, index, method, data in parseable(version)
    ],
)
async def test_operation_example_structures_without_loss(
    version: str,
    op_id: str,
    index: int,
    method: str,
    data: Any,
    api: AsyncOpenAI,
    mock_http: Aioresponses,
) -> None:
    assert method == METHODS[re.split(r"(?=[A-Z])", op_id)[0]]
    mock_http.add(ANY_URL, method=method, body=json.dumps(data), content_type="application/json")
    client = api.with_options(assistants_version=version)
    result = await CALLS[op_id](client)
    if isinstance(result, AsyncCursorPage):
        assert result.object == data["object"]
        assert result.first_id == data["first_id"]
        assert result.last_id == data["last_id"]
        assert result.has_more == data["has_more"]
        produced = [item.to_dict() for item in result.data]
        assert_lossless(data["data"], produced)
        found = {k: v for item in result.data for k, v in extras(item).items()}
    else:
        assert_lossless(data, result.to_dict())
        found = extras(result)
    # Everything OpenAI shows is modelled: nothing had to fall back to model_extra.
    assert found == {}


@pytest.mark.parametrize(
    ("version", "schema"),
    [(version, schema) for version in VERSIONS for schema in SCHEMA_TYPES],
)
def test_schema_example_structures_without_loss(version: str, schema: str) -> None:
    data = json.loads(load_examples(version)["schemas"][schema])
    obj = converter.structure(data, SCHEMA_TYPES[schema])
    assert_lossless(data, obj.to_dict())
    assert extras(obj) == {}


def test_unknown_keys_are_kept_and_round_trip() -> None:
    data = json.loads(load_examples("v2")["schemas"]["RunObject"])
    data["brand_new"] = {"nested": [1, 2]}
    data["tools"] = [*data.get("tools", []), {"type": "web_search", "depth": 3}]
    run = converter.structure(data, Run)
    assert run.model_extra == {"brand_new": {"nested": [1, 2]}}
    assert run.brand_new == {"nested": [1, 2]}
    assert extras(run) == {"$": ["brand_new"], f"$.tools[{len(data['tools']) - 1}]": ["depth"]}
    assert_lossless(data, run.to_dict())


def test_the_lossless_check_can_fail() -> None:
    with pytest.raises(AssertionError, match=r"\$\.a was lost"):
        assert_lossless({"a": 1}, {})
    with pytest.raises(AssertionError, match=r"\$\.b was added"):
        assert_lossless({}, {"b": 2})
    with pytest.raises(AssertionError, match=r"\$\[0\]: 1 became '1'"):
        assert_lossless([1], ["1"])
