"""FakeOpenAI's function calls carry arguments made from the tool's schema and the prompt.

The same question, "What's the weather in Lisbon?", asked through chat completions, the
Responses API (the README's bot) and an Assistants run, gives ``{"city": "Lisbon"}``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI
from aio_openai.testing import FakeOpenAI

KEY: Final = "sk-test-tools-0123456789"
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


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
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
