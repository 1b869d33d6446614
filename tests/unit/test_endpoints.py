"""The endpoint table: what each resource method declares is what it sends, and every method
that sends a request declares it (so the batch command, which reads the table, never drifts).
Each parameter is written once: a method's keywords come from its params TypedDict, its
signature lists them, and one splitter checks them as Python checks an explicit signature."""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest

from aio_openai import NOT_GIVEN, AsyncOpenAI, Request, Response, resources
from aio_openai._endpoints import OPTION_KEYS, Endpoint
from aio_openai._http import Handler
from aio_openai._resource import APIResource
from aio_openai.resources import endpoints, lookup

pytestmark = pytest.mark.usefixtures("clean_env")

#: Public resource methods that send no request of their own: they wait on others, send
#: through declared ones (``parse`` and ``stream`` through ``create``'s, the stream helpers), or
#: check what was received (webhooks).
HELPERS: Final = frozenset(
    {
        "poll",
        "create_and_poll",
        "create_and_run_poll",
        "submit_tool_outputs_and_poll",
        "parse",
        "stream",
        "create_and_stream",
        "submit_tool_outputs_stream",
        "create_and_run_stream",
        "unwrap",
        "verify_signature",
        "retrieve_content",
        "wait_for_processing",
        "upload_file_chunked",
    }
)

#: A value for each required parameter that is not an id of the path.
SAMPLES: Final[dict[str, Any]] = {
    "model": "gpt-4",
    "messages": [{"role": "user", "content": "hi"}],
    "input": "hi",
    "content": "hi",
    "role": "user",
    "assistant_id": "asst-1",
    "tool_outputs": [],
    "items": [],
    "metadata": None,
    "prompt": "hi",
    "input_file_id": "file-1",
    "endpoint": "/v1/chat/completions",
    "completion_window": "24h",
    "name": "hooks",
    "url": "https://example.com/hook",
    "event_types": ["batch.completed"],
    "event_type": "batch.completed",
    "file": b"file",
    "data": b"data",
    "purpose": "batch",
    "filename": "f.jsonl",
    "mime_type": "text/jsonl",
    "bytes": 4,
    "part_ids": ["part_1"],
    "voice": "alloy",
    "image": b"png",
    "language": "en-US",
    "recording": b"wav",
}


class Sent(Exception):
    """Raised by the recording middleware instead of sending: the request as it was built."""

    def __init__(self, request: Request) -> None:
        super().__init__(request.method, str(request.url))
        self.request = request


async def record(request: Request, handler: Handler) -> Response:
    raise Sent(request)


@pytest.fixture
async def client() -> AsyncIterator[AsyncOpenAI]:
    c = AsyncOpenAI(api_key="sk-endpoints", base_url="http://127.0.0.1:9/v1", middlewares=[record])
    try:
        yield c
    finally:
        await c.aclose()


def resource_classes() -> list[type[APIResource]]:
    found = []
    for info in pkgutil.walk_packages(resources.__path__, resources.__name__ + "."):
        module = importlib.import_module(info.name)
        found += [
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and issubclass(cls, APIResource)
            and cls.__module__ == module.__name__
        ]
    return found


@pytest.mark.parametrize("entry", endpoints(), ids=lambda e: f"{e.method} {e.path}")
async def test_a_method_sends_what_it_declares(client: AsyncOpenAI, entry: Endpoint) -> None:
    method = getattr(entry.resource(client), entry.name)
    args: dict[str, Any] = {}
    for name, param in inspect.signature(method).parameters.items():
        if param.kind is param.VAR_KEYWORD or param.default is not param.empty:
            continue
        args[name] = f"{name}-1" if f"{{{name}}}" in entry.path else SAMPLES[name]
    with pytest.raises(Sent) as info:
        await method(**args)  # a coroutine, or the paginator of a list
    request = info.value.request
    expected = re.sub(r"\{(\w+)\}", r"\1-1", entry.path)
    assert (request.method, request.url.path) == (entry.method, "/v1" + expected)
    assert entry.headers(client) == (
        {"OpenAI-Beta": "assistants=v2"} if "OpenAI-Beta" in request.headers else None
    )


def test_every_method_that_sends_a_request_declares_its_endpoint() -> None:
    declared = {(e.resource, e.name) for e in endpoints()}
    undeclared = [
        f"{cls.__name__}.{name}"
        for cls in resource_classes()
        for name, attr in vars(cls).items()
        if inspect.isfunction(attr)
        and not name.startswith("_")
        and name not in HELPERS
        and (cls, name) not in declared
    ]
    assert undeclared == []
    assert len(endpoints()) == len(declared)


def test_lookup_prefers_the_most_literal_template() -> None:
    assert [e.method for e in lookup(["threads", "runs"])] == ["POST"]
    assert [e.name for e in lookup(["threads", "thread_1"])] == ["delete", "retrieve", "update"]
    assert lookup(["threads", "thread_1", "nothing"]) == ()
    assert [e.describe("ID") for e in lookup(["models", "gpt-4"])] == ["/v1/models/ID"] * 2


# -- the parameters -----------------------------------------------------------------------

#: The helpers that forward their keywords to an endpoint.
FORWARDING: Final = (
    ("beta.threads.runs", "poll"),
    ("beta.threads.runs", "create_and_poll"),
    ("beta.threads.runs", "submit_tool_outputs_and_poll"),
    ("beta.threads", "create_and_run_poll"),
    ("responses", "poll"),
    ("responses", "create_and_poll"),
)
#: Parameters of the official SDK's methods that these methods do not take yet.
NOT_YET: Final = {
    ("chat.completions", "create"): {"prompt_cache_options"},
    ("conversations", "create"): {"safety_identifier"},
    ("responses", "create"): {
        "access_programs",
        "background_options",
        "context_management",
        "image",
        "moderation",
        "prompt_cache_options",
        "prompt_cache_retention",
    },
}


def attribute(root: Any, path: str) -> Any:
    for name in path.split("."):
        root = getattr(root, name)
    return root


def resource_paths() -> dict[type[APIResource], str]:
    """Where each resource class lives under the client (``"beta.threads.runs"``), found by
    walking the client's resources."""
    client = AsyncOpenAI(api_key="sk-params")
    found: dict[type[APIResource], str] = {}
    todo: list[tuple[Any, str]] = [(client, "")]
    while todo:
        parent, prefix = todo.pop()
        for name in dir(type(parent)):
            if name.startswith("_") or name == "with_raw_response":
                continue
            attr = inspect.getattr_static(type(parent), name)
            if not isinstance(attr, property | functools.cached_property):
                continue
            child = getattr(parent, name)
            if isinstance(child, APIResource) and type(child) not in found:
                found[type(child)] = prefix + name
                todo.append((child, prefix + name + "."))
    return found


def methods() -> list[tuple[str, str]]:
    paths = resource_paths()
    found = [(paths[e.resource], e.name) for e in endpoints()]
    return found + list(FORWARDING)


@pytest.mark.parametrize(("path", "name"), methods(), ids=lambda v: str(v))
def test_the_signature_lists_every_keyword(path: str, name: str) -> None:
    method = attribute(AsyncOpenAI(api_key="sk-params"), f"{path}.{name}")
    parameters = inspect.signature(method).parameters
    assert not [p for p in parameters.values() if p.kind is p.VAR_KEYWORD]
    assert parameters.keys() >= OPTION_KEYS
    assert all(parameters[key].default is NOT_GIVEN for key in OPTION_KEYS)


@pytest.mark.parametrize(("path", "name"), methods(), ids=lambda v: str(v))
def test_the_sdk_keywords_are_all_there(path: str, name: str) -> None:
    openai = pytest.importorskip("openai")
    ours = attribute(AsyncOpenAI(api_key="sk-params"), f"{path}.{name}")
    sdk = attribute(openai.AsyncOpenAI(api_key="sk-params"), path)
    if not hasattr(sdk, name):
        pytest.skip(f"the SDK has no {path}.{name}")
    theirs = inspect.signature(getattr(sdk, name)).parameters
    missing = set(theirs) - set(inspect.signature(ours).parameters)
    assert missing == NOT_YET.get((path, name), set())
    for key, parameter in inspect.signature(ours).parameters.items():  # required as there
        if key in theirs:
            required = parameter.default is parameter.empty
            assert required == (theirs[key].default is theirs[key].empty), key


async def test_an_unknown_keyword_is_a_type_error_and_sends_nothing(client: AsyncOpenAI) -> None:
    with pytest.raises(
        TypeError, match=r"^Assistants\.create\(\) got an unexpected keyword argument 'modle'"
    ):
        await client.beta.assistants.create(model="gpt-4", modle="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'limit'"):
        await client.models.retrieve("gpt-4", limit=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        client.beta.threads.runs.steps.list("run_1", thread_id="t", bogus=1)  # type: ignore[call-arg]


async def test_a_missing_keyword_is_a_type_error_as_python_words_it(client: AsyncOpenAI) -> None:
    with pytest.raises(
        TypeError,
        match=r"^Assistants\.create\(\) missing 1 required keyword-only argument: 'model'$",
    ):
        await client.beta.assistants.create(name="x")  # type: ignore[call-arg]
    with pytest.raises(
        TypeError, match=r"missing 2 required keyword-only arguments: 'content' and 'role'$"
    ):
        await client.beta.threads.messages.create("thread_1")  # type: ignore[call-arg]


async def test_not_given_is_left_out_and_none_is_sent_as_null(client: AsyncOpenAI) -> None:
    with pytest.raises(Sent) as info:
        await client.beta.assistants.update(
            "asst_1",
            name=None,
            description=NOT_GIVEN,
            timeout=NOT_GIVEN,  # type: ignore[arg-type]
        )
    request = info.value.request
    assert json.loads(request.content or b"") == {"name": None}
    assert request.timeout.total == 600  # the client's, NOT_GIVEN changed nothing


async def test_a_post_sends_its_query_parameters_in_the_query(client: AsyncOpenAI) -> None:
    with pytest.raises(Sent) as info:
        await client.beta.threads.runs.create(
            "thread_1", assistant_id="asst_1", include=["a", "b"], temperature=0.5
        )
    request = info.value.request
    assert request.url.query.getall("include[]") == ["a", "b"]
    assert json.loads(request.content or b"") == {"assistant_id": "asst_1", "temperature": 0.5}


#: Helpers with signatures of their own (not an endpoint's keywords), as the SDK has them.
OWN_SIGNATURES: Final = (
    ("files", "retrieve_content"),
    ("files", "wait_for_processing"),
    ("uploads", "upload_file_chunked"),
)


@pytest.mark.parametrize(("path", "name"), OWN_SIGNATURES, ids=lambda v: str(v))
def test_helpers_take_the_sdk_keywords(path: str, name: str) -> None:
    openai = pytest.importorskip("openai")
    ours = inspect.signature(attribute(AsyncOpenAI(api_key="sk-params"), f"{path}.{name}"))
    theirs = inspect.signature(attribute(openai.AsyncOpenAI(api_key="sk-params"), f"{path}.{name}"))
    assert set(theirs.parameters) - set(ours.parameters) == set()
    for key, parameter in theirs.parameters.items():
        if key in ours.parameters:
            ours_required = ours.parameters[key].default is parameter.empty
            assert ours_required == (parameter.default is parameter.empty), key
            assert ours.parameters[key].kind == parameter.kind, key
