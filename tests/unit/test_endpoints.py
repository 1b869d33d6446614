"""The endpoint table: what each resource method declares is what it sends, and every method
that sends a request declares it (so the batch command, which reads the table, never drifts).
Each parameter is written once: a method's keywords come from its params TypedDict, its
signature lists them, and one splitter checks them as Python checks an explicit signature."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import AsyncIterator
from typing import Any, Final
from urllib.parse import parse_qsl

import pytest
from deprecations import ASSISTANTS_API_DEPRECATED
from support import resource_paths

from aio_openai import NOT_GIVEN, AsyncOpenAI, Request, Response, resources
from aio_openai._endpoints import OPTION_KEYS, Endpoint
from aio_openai._http import Handler
from aio_openai._resource import AdminResource, APIResource
from aio_openai.resources import endpoints, lookup

pytestmark = [pytest.mark.usefixtures("clean_env"), *ASSISTANTS_API_DEPRECATED]

#: Public resource methods that send no request of their own: they wait on others, send
#: through declared ones (``parse`` and ``stream`` through ``create``'s, the stream helpers),
#: check what was received (webhooks), or open a WebSocket (``connect``).
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
        "connect",
        "upload",
        "upload_and_poll",
        "for_result",
        "prepare",
        "prepare_directory",
        "iter_pages",  # the usage pages of a period, through the usage endpoints
        "iter_buckets",
        "summarize",
    }
)
#: Methods sending another method's request through its declaration, by (class, name): a
#: deprecated older form of it (one endpoint, another answer's shape).
SAME_REQUEST: Final = frozenset({("Permissions", "retrieve")})

#: A value for each required parameter that is not an id of the path.
SAMPLES: Final[dict[str, Any]] = {
    # the admin API's
    "attribute_matchers": {"sub": "repo:x"},
    "audience": "api://x",
    "certificate": "-----BEGIN CERTIFICATE-----",
    "certificate_ids": ["cert_1"],
    "condition": {"type": "error_rate"},
    "currency": "USD",
    "email": "a@example.com",
    "expected_version": 1,
    "group_id": "group_1",
    "interval": "month",
    "issuer": "https://issuer.example.com",
    "mode": "allow_list",
    "model_ids": ["gpt-4"],
    "notification_channel": {"type": "email"},
    "permissions": ["api.model.read"],
    "project_id": "proj_1",
    "provider": {"type": "aws"},
    "retention_type": "zero_data_retention",
    "role_id": "role_1",
    "role_name": "reader",
    "service_account_id": "svc_1",
    "start_time": 1_700_000_000,
    "threshold_amount": 100,
    "type": "aws",
    "user_id": "user_1",
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
    "file_id": "file-1",
    "attributes": None,
    "query": "hi",
    "voice": "alloy",
    "image": b"png",
    "language": "en-US",
    "recording": b"wav",
    "questions": [{"type": "predicate", "instructions": "hi"}],
    "video": b"mp4",
    "seconds": "4",
    "data_source_config": {"type": "custom", "item_schema": {}},
    "testing_criteria": [],
    "data_source": {"type": "jsonl", "source": {"type": "file_content", "content": []}},
    "default_version": "1",
    "events": [],
    "training_file": "file-1",
    "project_ids": ["proj_1"],
    "fine_tuned_model_checkpoint": "ft:gpt-4o-mini:org::1",
    "grader": {"type": "python", "name": "p", "source": "def grade(s, i): return 1"},
    "model_sample": "hi",
    # the Agents API's
    "target": {"type": "existing_session", "session_id": "sess_1", "instructions": "go"},
    "environment": {"type": "openai_hosted"},
    "path": "/workspace/a.txt",
    "auth": {"type": "static_bearer", "token": "t", "mcp_server_url": "https://mcp.test"},
    "user": "user-1",
    "workflow": {"id": "wf-1"},
    "sdp": "v=0",
    "target_uri": "tel:+15550100",
    "status_code": 486,
    "session": {"model": "gpt-live-1"},
    "transport": {"type": "webrtc", "sdp": "v=0"},
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
    c = AsyncOpenAI(
        api_key="sk-endpoints",
        admin_api_key="sk-admin-endpoints",
        base_url="http://127.0.0.1:9/v1",
        middlewares=[record],
    )
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
    template, _, fixed = entry.path.partition("?")  # a query every call sends
    expected = re.sub(r"\{(\w+)\}", r"\1-1", template)
    assert (request.method, request.url.path) == (entry.method, "/v1" + expected)
    beta = request.headers.get("OpenAI-Beta")  # the Assistants, Agents or ChatKit API's
    assert beta in (None, "assistants=v2", "agents=v1", "chatkit_beta=v1")
    assert dict(parse_qsl(fixed)).items() <= request.url.query.items()
    if issubclass(entry.resource, AdminResource):  # the admin API: the admin key instead
        assert entry.headers(client) == {"Authorization": "Bearer sk-admin-endpoints"}
        assert request.headers["Authorization"] == "Bearer sk-admin-endpoints"
        assert beta is None
        return
    assert request.headers["Authorization"] == "Bearer sk-endpoints"
    assert entry.headers(client) == (None if beta is None else {"OpenAI-Beta": beta})


def test_every_method_that_sends_a_request_declares_its_endpoint() -> None:
    declared = {(e.resource, e.name) for e in endpoints()}
    undeclared = [
        f"{cls.__name__}.{name}"
        for cls in resource_classes()
        for name, attr in vars(cls).items()
        if inspect.isfunction(attr)
        and not name.startswith("_")
        and name not in HELPERS
        and (cls.__name__, name) not in SAME_REQUEST
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


def attribute(root: Any, path: str) -> Any:
    for name in path.split("."):
        root = getattr(root, name)
    return root


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


# -- on the wire as the SDK sends it ------------------------------------------------------------


async def sent(call: Any) -> Request:
    """The request a call (a coroutine or a paginator) would send."""
    with pytest.raises(Sent) as info:
        await call
    return info.value.request


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.responses.retrieve("resp_1", include=["a", "b"]),
        lambda c: c.responses.input_items.list("resp_1", include=["a", "b"]),
        lambda c: c.conversations.items.list("conv_1", include=["a", "b"]),
        lambda c: c.conversations.items.retrieve("msg_1", conversation_id="c", include=["a", "b"]),
        lambda c: c.beta.threads.runs.steps.list("run_1", thread_id="t", include=["a", "b"]),
        lambda c: c.beta.threads.runs.steps.retrieve(
            "step_1", thread_id="t", run_id="r", include=["a", "b"]
        ),
        lambda c: c.beta.threads.runs.create("thread_1", assistant_id="a", include=["a", "b"]),
    ],
    ids=["responses", "input items", "items", "item", "steps", "step", "run"],
)
async def test_an_array_in_the_query_is_sent_with_brackets(client: AsyncOpenAI, call: Any) -> None:
    query = (await sent(call(client))).url.query
    assert query.getall("include[]") == ["a", "b"] and "include" not in query


async def test_extra_query_repeats_arrays_and_replaces_the_calls_parameter(
    client: AsyncOpenAI,
) -> None:
    request = await sent(
        client.responses.retrieve(
            "resp_1", include=["a"], extra_query={"include": ["x", "y"], "tag": ["t", "u"]}
        )
    )
    assert list(request.url.query.items()) == [
        ("include", "x"),
        ("include", "y"),
        ("tag", "t"),
        ("tag", "u"),
    ]
    nested = client.with_options(default_query={"filter": {"kind": "a", "on": True}})
    query = (await sent(nested.models.retrieve("gpt-4"))).url.query
    assert dict(query) == {"filter[kind]": "a", "filter[on]": "true"}


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.chat.completions.create(model="m", messages=[], stream=False),
        lambda c: c.responses.create(model="m", input="hi", stream=False),
        lambda c: c.beta.threads.runs.create("thread_1", assistant_id="a", stream=False),
        lambda c: c.beta.threads.create_and_run(assistant_id="a", stream=False),
        lambda c: c.beta.threads.runs.submit_tool_outputs(
            "run_1", thread_id="t", tool_outputs=[], stream=False
        ),
    ],
    ids=["chat", "responses", "runs", "create_and_run", "submit_tool_outputs"],
)
async def test_an_explicit_stream_false_is_sent(client: AsyncOpenAI, call: Any) -> None:
    request = await sent(call(client))
    assert json.loads(request.content or b"")["stream"] is False


async def test_an_explicit_stream_false_of_a_get_is_in_the_query(client: AsyncOpenAI) -> None:
    request = await sent(client.responses.retrieve("resp_1", stream=False))
    assert request.url.query["stream"] == "false"
    request = await sent(client.responses.retrieve("resp_1"))
    assert "stream" not in request.url.query  # not given, not sent


@pytest.mark.parametrize(
    ("model", "raw_path"),
    [
        ("ft:gpt-4o-mini:acme::abc123", "/v1/models/ft:gpt-4o-mini:acme::abc123"),
        ("user@example", "/v1/models/user@example"),
        ("ft:a/b?c#d%e f", "/v1/models/ft:a%2Fb%3Fc%23d%25e%20f"),
    ],
)
async def test_ids_keep_colons_and_at_signs(client: AsyncOpenAI, model: str, raw_path: str) -> None:
    request = await sent(client.models.retrieve(model))
    assert request.url.raw_path == raw_path
