"""The endpoint table: what each resource method declares is what it sends, and every method
that sends a request declares it (so the batch command, which reads the table, never drifts)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI, Request, Response, resources
from aio_openai._endpoints import Endpoint
from aio_openai._http import Handler
from aio_openai._resource import APIResource
from aio_openai.resources import endpoints, lookup

pytestmark = pytest.mark.usefixtures("clean_env")

#: Public resource methods that send no request of their own: they wait on others.
HELPERS: Final = frozenset(
    {"poll", "create_and_poll", "create_and_run_poll", "submit_tool_outputs_and_poll"}
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
