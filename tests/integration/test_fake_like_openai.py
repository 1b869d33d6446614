"""FakeOpenAI behaves like OpenAI where a user's code would notice.

- Models it does not serve are refused as OpenAI refuses them, 404 ``model_not_found``: every
  endpoint whose request names a model (chat completions, embeddings, responses, assistants,
  runs) answers an unknown one with the service's body; a model added with ``add_model`` is
  known, a deleted one is not, and ``accept_any_model`` lets a test use any name.
- Function calls carry arguments made from the tool's schema and the prompt: "What's the
  weather in Lisbon?" asked through chat completions, the Responses API (the README's bot)
  and an Assistants run gives ``{"city": "Lisbon", ...}``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Final

import aiohttp
import pytest
from deprecations import ASSISTANTS_API_DEPRECATED

from aio_openai import AsyncOpenAI, NotFoundError
from aio_openai.testing import FakeOpenAI, FakeState

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-test-like-openai-0123456789"
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


# -- tool-call arguments -------------------------------------------------------------------

QUESTION: Final = "What's the weather in Lisbon for the next 3 days?"
PARAMETERS: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "city": {"type": "string"},
        "days": {"type": "integer", "minimum": 1, "maximum": 7},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["city", "days", "unit"],
    "additionalProperties": False,
}
EXPECTED: Final = {"city": "Lisbon", "days": 3, "unit": "celsius"}


async def test_chat_tool_calls(api: AsyncOpenAI) -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": PARAMETERS}}
    completion = await api.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": QUESTION}], tools=[tool]
    )
    (call,) = completion.choices[0].message.tool_calls or []
    assert json.loads(call.function.arguments) == EXPECTED  # type: ignore[union-attr]


async def test_streamed_chat_tool_calls(api: AsyncOpenAI) -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": PARAMETERS}}
    stream = await api.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": QUESTION}],
        tools=[tool],
        stream=True,
    )
    arguments = ""
    async with stream:
        async for chunk in stream:
            for delta in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
                arguments += (delta.function.arguments or "") if delta.function else ""
    assert json.loads(arguments) == EXPECTED


async def test_the_readme_bot_says_sunny_in_lisbon(api: AsyncOpenAI) -> None:
    """The README's bot, step for step: a conversation, a tool call, a streamed reply."""
    weather = {"type": "function", "name": "get_weather", "strict": True}
    weather["parameters"] = {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    }
    conv = await api.conversations.create()
    turn = await api.responses.create(
        model="gpt-4o-mini",
        conversation=conv.id,
        input="What's the weather in Lisbon?",
        tools=[weather],
    )
    answers = [
        {
            "type": "function_call_output",
            "call_id": call.call_id,
            "output": f"Sunny in {json.loads(call.arguments)['city']}",
        }
        for call in turn.function_calls
    ]
    stream = await api.responses.create(
        model="gpt-4o-mini", conversation=conv.id, input=answers, stream=True
    )
    text = "".join(
        [event.delta async for event in stream if event.type == "response.output_text.delta"]
    )
    assert text == "Sunny in Lisbon"


async def test_responses_function_calls(api: AsyncOpenAI) -> None:
    tool = {"type": "function", "name": "get_weather", "parameters": PARAMETERS, "strict": True}
    response = await api.responses.create(model="gpt-4o-mini", input=QUESTION, tools=[tool])
    (call,) = response.function_calls
    assert json.loads(call.arguments) == EXPECTED


@pytest.mark.parametrize("stream", [False, True], ids=["polled", "streamed"])
async def test_assistants_runs_require_action_with_schema_arguments(
    api: AsyncOpenAI, stream: bool
) -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": PARAMETERS}}
    assistant = await api.beta.assistants.create(model="gpt-4o-mini", tools=[tool])
    thread = await api.beta.threads.create(messages=[{"role": "user", "content": QUESTION}])
    if stream:
        events = await api.beta.threads.runs.create(
            thread.id, assistant_id=assistant.id, stream=True
        )
        runs = [e.data async for e in events if e.event == "thread.run.requires_action"]
        (run,) = runs
    else:
        run = await api.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id
        )
    assert run.status == "requires_action" and run.required_action is not None
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == EXPECTED
