"""FakeOpenAI refuses models it does not serve, as OpenAI does: 404 ``model_not_found``.

Every endpoint whose request names a model (chat completions, embeddings, responses,
assistants, runs) answers an unknown one with the service's body; a model added with
``add_model`` is known, a deleted one is not, and ``accept_any_model`` lets a test use any name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Final

import aiohttp
import pytest

from aio_openai import AsyncOpenAI, NotFoundError
from aio_openai.testing import FakeOpenAI, FakeState

KEY: Final = "sk-test-models-0123456789"
UNKNOWN: Final = "gpt-imaginary"


def unknown_model_body(model: str) -> dict[str, Any]:
    """OpenAI's answer to a request naming a model the key cannot use (written out here)."""
    return {
        "error": {
            "message": f"The model `{model}` does not exist or you do not have access to it.",
            "type": "invalid_request_error",
            "param": None,
            "code": "model_not_found",
        }
    }


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    """One server for the module, in a thread; each test leaves ``accept_any_model`` as it
    found it."""
    with FakeOpenAI().running_in_thread() as server:
        server.state.assistants.configure(polls=0)
        yield server


@pytest.fixture
async def api(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
    try:
        yield client
    finally:
        await client.aclose()


Call = Callable[[AsyncOpenAI, str], Awaitable[Any]]


async def chat(api: AsyncOpenAI, model: str) -> Any:
    return await api.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Hi"}]
    )


async def chat_stream(api: AsyncOpenAI, model: str) -> Any:
    stream = await api.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Hi"}], stream=True
    )
    async with stream:
        return [chunk async for chunk in stream]


async def embeddings(api: AsyncOpenAI, model: str) -> Any:
    return await api.embeddings.create(model=model, input="Hi")


async def responses(api: AsyncOpenAI, model: str) -> Any:
    return await api.responses.create(model=model, input="Hi")


async def assistant(api: AsyncOpenAI, model: str) -> Any:
    return await api.beta.assistants.create(model=model)


async def assistant_update(api: AsyncOpenAI, model: str) -> Any:
    created = await api.beta.assistants.create(model="gpt-4o")
    return await api.beta.assistants.update(created.id, model=model)


async def run(api: AsyncOpenAI, model: str) -> Any:
    created = await api.beta.assistants.create(model="gpt-4o")
    thread = await api.beta.threads.create()
    return await api.beta.threads.runs.create(thread.id, assistant_id=created.id, model=model)


async def thread_and_run(api: AsyncOpenAI, model: str) -> Any:
    created = await api.beta.assistants.create(model="gpt-4o")
    return await api.beta.threads.create_and_run(assistant_id=created.id, model=model)


CALLS: Final[list[Call]] = [
    chat,
    chat_stream,
    embeddings,
    responses,
    assistant,
    assistant_update,
    run,
    thread_and_run,
]
KNOWN: Final = {embeddings: "text-embedding-3-small"}


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.__name__)
async def test_an_unknown_model_is_404_model_not_found(api: AsyncOpenAI, call: Call) -> None:
    with pytest.raises(NotFoundError) as caught:
        await call(api, UNKNOWN)
    error = caught.value
    assert error.status_code == 404
    assert error.response.headers["content-type"].startswith("application/json")
    assert {"error": error.body} == unknown_model_body(UNKNOWN)
    assert (error.code, error.type, error.param) == (
        "model_not_found",
        "invalid_request_error",
        None,
    )


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.__name__)
async def test_a_seed_model_is_served(api: AsyncOpenAI, call: Call) -> None:
    assert await call(api, KNOWN.get(call, "gpt-4o-mini")) is not None


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.__name__)
async def test_the_switch_accepts_any_model(api: AsyncOpenAI, fake: FakeOpenAI, call: Call) -> None:
    fake.state.accept_any_model = True
    try:
        assert await call(api, UNKNOWN) is not None
    finally:
        fake.state.accept_any_model = False


async def test_added_models_are_served_and_deleted_ones_are_not(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    model = "ft:gpt-4o-mini:acme::models1"
    fake.add_model(model, owned_by="acme")
    completion = await chat(api, model)
    assert completion.model == model
    deleted = await api.models.delete(model)
    assert deleted.deleted is True
    with pytest.raises(NotFoundError) as caught:
        await chat(api, model)
    assert {"error": caught.value.body} == unknown_model_body(model)


async def test_the_request_is_checked_before_the_model_is_looked_up_only_for_json(
    fake: FakeOpenAI,
) -> None:
    """A body that is not JSON, or has no model, is left to the route (a 400 that says why)."""
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    url = f"{fake.url}/chat/completions"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=b'{"model": ', headers=headers) as resp:
            assert resp.status == 400
        async with session.post(url, json={"messages": []}, headers=headers) as resp:
            assert (resp.status, (await resp.json())["error"]["param"]) == (400, "model")
        async with session.post(url, json={"model": "", "messages": []}, headers=headers) as resp:
            assert (resp.status, (await resp.json())["error"]["param"]) == (400, "model")


async def test_the_switch_is_a_constructor_argument(clean_env: None) -> None:
    async with FakeOpenAI(accept_any_model=True) as fake:
        assert fake.state.accept_any_model is True
        async with AsyncOpenAI(api_key=KEY, base_url=fake.url) as api:
            completion = await chat(api, "my-local-model")
        assert completion.model == "my-local-model"
    assert FakeState().knows_model("gpt-4o") and not FakeState().knows_model(UNKNOWN)
    assert FakeState(accept_any_model=True).knows_model(UNKNOWN)
