"""The Assistants API's methods warn that it is deprecated exactly where the official SDK's do:
the same methods, a DeprecationWarning with the SDK's message, when the call is made, naming
the caller's line; raw and streamed calls warn too, the other APIs never."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI, Request, Response
from aio_openai._http import Handler
from aio_openai._resource import APIResource

openai = pytest.importorskip("openai")

#: The resources below ``client`` that hold methods: ours and the SDK's have the same paths.
RESOURCES: Final = (
    "models",
    "chat.completions",
    "embeddings",
    "responses",
    "responses.input_items",
    "conversations",
    "conversations.items",
    "beta.assistants",
    "beta.threads",
    "beta.threads.messages",
    "beta.threads.runs",
    "beta.threads.runs.steps",
)

#: A value for each required argument.
ARGS: Final[dict[str, Any]] = {
    "model": "gpt-4",
    "messages": [{"role": "user", "content": "hi"}],
    "input": "hi",
    "content": "hi",
    "role": "user",
    "assistant_id": "asst_1",
    "tool_outputs": [],
    "items": [],
    "metadata": None,
}


class Sent(Exception):
    """Raised instead of sending: the warnings of a call come before this."""


async def refuse(request: Request, handler: Handler) -> Response:
    raise Sent


@pytest.fixture
async def client() -> AsyncIterator[AsyncOpenAI]:
    c = AsyncOpenAI(
        api_key="sk-deprecations", base_url="http://127.0.0.1:9/v1", middlewares=[refuse]
    )
    try:
        yield c
    finally:
        await c.aclose()


def attribute(root: Any, path: str) -> Any:
    for name in path.split("."):
        root = getattr(root, name)
    return root


def methods(resource: Any) -> Iterator[str]:
    """The public methods of a resource (of either package)."""
    for name in dir(resource):
        if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
            continue
        if isinstance(getattr(type(resource), name, None), property):
            continue  # a sub-resource
        yield name


def sdk_deprecations() -> dict[tuple[str, str], str]:
    """The message of each deprecated method of the SDK, by (resource path, name)."""
    client = openai.AsyncOpenAI(api_key="sk-deprecations")
    found = {}
    for path in RESOURCES:
        resource = attribute(client, path)
        for name in methods(resource):
            message = getattr(getattr(resource, name), "__deprecated__", None)
            if message is not None:
                found[(path, name)] = message
    return found


def our_methods() -> list[tuple[str, str]]:
    """Our methods that send HTTP requests (``connect`` opens a WebSocket, which passes no
    middleware; the SDK deprecates none of them)."""
    client = AsyncOpenAI(api_key="sk-deprecations")
    return [
        (path, name)
        for path in RESOURCES
        for name in methods(attribute(client, path))
        if name != "connect"
    ]


def arguments(method: Any) -> dict[str, Any]:
    """Values for the required arguments of ``method`` (ids, and ARGS), and ARGS' values of
    the others it takes (``responses.stream`` needs a model and an input for a new one)."""
    args = {}
    for name, parameter in inspect.signature(method).parameters.items():
        if parameter.default is parameter.empty and parameter.kind is not parameter.VAR_KEYWORD:
            args[name] = ARGS.get(name, f"{name}_1")
        elif name in ARGS and name != "metadata":
            args[name] = ARGS[name]
    return args


async def call(method: Any, **args: Any) -> list[warnings.WarningMessage]:
    """Call ``method`` (its request is refused), and return the warnings the call gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = method(**args)
    if hasattr(result, "__aenter__"):
        with pytest.raises(Sent):
            async with result:
                pass
    elif inspect.isawaitable(result):
        with pytest.raises(Sent):
            await result
    return caught


def test_the_sdk_deprecates_every_method_of_our_assistants_api_and_no_other() -> None:
    ours = our_methods()
    deprecated = {key for key in sdk_deprecations() if key in ours}
    assert deprecated == {(path, name) for path, name in ours if path.startswith("beta.")}


@pytest.mark.parametrize(("path", "name"), our_methods(), ids=lambda v: str(v))
async def test_a_call_warns_as_the_sdks_does(client: AsyncOpenAI, path: str, name: str) -> None:
    method = getattr(attribute(client, path), name)
    caught = await call(method, **arguments(method))
    deprecated = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    expected = sdk_deprecations().get((path, name))
    if expected is None:
        assert deprecated == []
        return
    assert [str(w.message) for w in deprecated] == [expected]
    assert deprecated[0].filename == __file__  # the caller's line, not the library's


@pytest.mark.parametrize("mode", ["with_raw_response", "with_streaming_response"])
async def test_raw_and_streamed_calls_warn_too(client: AsyncOpenAI, mode: str) -> None:
    runs = getattr(client.beta.threads.runs, mode)
    caught = await call(runs.retrieve, run_id="run_1", thread_id="thread_1")
    assert [str(w.message) for w in caught] == [
        "The Assistants API is deprecated in favor of the Responses API"
    ]
    assert caught[0].filename == __file__  # the caller's line, not the wrapper's
    caught = await call(getattr(client.beta.assistants, mode).list)
    assert [(w.category, str(w.message)) for w in caught] == [(DeprecationWarning, "deprecated")]


def test_reaching_a_resource_does_not_warn(client: AsyncOpenAI) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        runs = client.beta.threads.runs
        assert isinstance(runs.steps, APIResource)
        assert runs.with_raw_response.steps is not None
        assert client.beta.assistants.with_streaming_response.list is not None
    assert caught == []
