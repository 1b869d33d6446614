"""Streamed Assistants runs end to end: ``runs.create(stream=True)`` and
``threads.create_and_run(stream=True)`` against FakeOpenAI, in both API versions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from deprecations import ASSISTANTS_API_DEPRECATED
from yarl import URL

from aio_openai import APIError, AsyncOpenAI, AsyncStream, BadRequestError, Request, Response
from aio_openai._transport import client_timeout
from aio_openai.testing import FakeOpenAI
from aio_openai.types.beta import (
    AssistantStreamEvent,
    FunctionToolCallDelta,
    MessageDeltaEvent,
    RunStepDeltaEvent,
    TextDeltaBlock,
    Thread,
    ThreadMessageCompleted,
    ThreadMessageDelta,
    ThreadRunCompleted,
    ThreadRunRequiresAction,
    ToolCallDeltaObject,
    UnknownStreamEvent,
    parse_assistant_stream_event,
)
from aio_openai.types.beta.threads import Message, Run, TextContentBlock
from aio_openai.types.beta.threads.runs import RunStep

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-assistants-stream-0123456789"
REPLY_EVENTS: Final = [
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.delta",
    "thread.message.completed",
    "thread.run.step.completed",
    "thread.run.completed",
]
TEXT: Final = "Stream me, plëase 🎉"


@pytest.fixture(params=["v1", "v2"])
async def client(
    request: pytest.FixtureRequest, fake: FakeOpenAI, clean_env: None
) -> AsyncIterator[AsyncOpenAI]:
    c = AsyncOpenAI(api_key=KEY, base_url=fake.url, assistants_version=request.param)
    try:
        yield c
    finally:
        await c.aclose()


async def events_of(stream: AsyncStream[AssistantStreamEvent]) -> list[AssistantStreamEvent]:
    async with stream:
        return [event async for event in stream]


def names(events: list[AssistantStreamEvent]) -> list[str]:
    """The event names, runs of deltas collapsed to one."""
    out: list[str] = []
    for event in events:
        if not (out and out[-1] == event.event and event.event.endswith(".delta")):
            out.append(event.event)
    return out


def delta_text(events: list[AssistantStreamEvent]) -> str:
    text = ""
    for event in events:
        if isinstance(event, ThreadMessageDelta):
            for block in event.data.delta.content or ():
                assert isinstance(block, TextDeltaBlock) and block.text is not None
                text += block.text.value or ""
    return text


async def new_thread(client: AsyncOpenAI, text: str = TEXT) -> tuple[str, str]:
    assistant = await client.beta.assistants.create(model="gpt-4o", instructions="Echo.")
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": text}])
    return assistant.id, thread.id


async def test_a_streamed_run_sends_the_events_openai_sends(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.state.assistants.chunk_size = 3
    assistant_id, thread_id = await new_thread(client)
    stream = await client.beta.threads.runs.create(
        thread_id, assistant_id=assistant_id, stream=True
    )
    assert stream.response.headers["content-type"].startswith("text/event-stream")
    events = await events_of(stream)
    assert names(events) == REPLY_EVENTS
    assert sum(isinstance(e, ThreadMessageDelta) for e in events) == len(range(0, len(TEXT), 3))
    assert delta_text(events) == TEXT
    runs = [e.data for e in events if e.event.startswith("thread.run.") and ".step." not in e.event]
    assert all(isinstance(r, Run) for r in runs)
    assert [r.status for r in runs] == ["queued", "queued", "in_progress", "completed"]  # type: ignore[union-attr]
    final = events[-1]
    assert isinstance(final, ThreadRunCompleted) and final.data.usage is not None
    steps = [e.data for e in events if ".step." in e.event]
    assert all(isinstance(s, RunStep) for s in steps)
    assert [s.status for s in steps] == ["in_progress", "in_progress", "completed"]  # type: ignore[union-attr]
    message_events = [e for e in events if e.event.startswith("thread.message.")]
    assert isinstance(message_events[0].data, Message) and message_events[0].data.content == []
    assert isinstance(message_events[1].data, Message)
    assert all(isinstance(e.data, MessageDeltaEvent) for e in message_events[2:-1])
    completed = message_events[-1]
    assert isinstance(completed, ThreadMessageCompleted)
    block = completed.data.content[0]
    assert isinstance(block, TextContentBlock) and block.text.value == TEXT
    # the run really happened: the server's state agrees with the stream
    run = await client.beta.threads.runs.retrieve(final.data.id, thread_id=thread_id)
    assert run.status == "completed"
    listed = await client.beta.threads.messages.list(thread_id, order="asc")
    assert [m.id for m in listed.data][-1] == completed.data.id
    assert fake.requests[-3].json["stream"] is True


async def test_create_and_run_streams_the_new_thread_first(client: AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4o")
    stream = await client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Hi there"}]},
        stream=True,
    )
    events = await events_of(stream)
    assert names(events) == ["thread.created", *REPLY_EVENTS]
    thread = events[0].data
    assert isinstance(thread, Thread)
    assert all(getattr(e.data, "thread_id", thread.id) == thread.id for e in events[1:])
    assert delta_text(events) == "Hi there"


async def test_a_run_with_functions_streams_up_to_requires_action(client: AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "function", "function": {"name": "get_weather"}}],
    )
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Paris"}])
    events = await events_of(
        await client.beta.threads.runs.create(thread.id, assistant_id=assistant.id, stream=True)
    )
    assert names(events) == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.requires_action",
    ]
    # the call as it starts (its name, no arguments yet), then its arguments piece by piece
    pieces = []
    for event in events:
        if isinstance(event.data, RunStepDeltaEvent):
            details = event.data.delta.step_details
            assert isinstance(details, ToolCallDeltaObject) and details.tool_calls is not None
            [piece] = details.tool_calls
            assert isinstance(piece, FunctionToolCallDelta) and piece.function is not None
            pieces.append((piece.index, piece.id, piece.function.name, piece.function.arguments))
    call_id = pieces[0][1]
    assert call_id is not None and pieces[0] == (0, call_id, "get_weather", "")
    assert {(index, i, name) for index, i, name, _ in pieces[1:]} == {(0, None, None)}
    assert "".join(arguments or "" for *_, arguments in pieces) == "{}"
    final = events[-1]
    assert isinstance(final, ThreadRunRequiresAction)
    assert final.data.required_action is not None
    assert final.data.required_action.submit_tool_outputs.tool_calls[0].id == call_id
    # the run waits for its outputs, as a polled one would
    done = await client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=final.data.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call_id, "output": "sunny"}],
        poll_interval_ms=0,
    )
    assert done.status == "completed"


async def test_tool_outputs_stream_the_rest_of_the_run(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.state.assistants.replies["Paris"] = "Sunny in Paris."
    assistant = await client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "function", "function": {"name": "get_weather"}}],
    )
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Paris"}])
    first = await events_of(
        await client.beta.threads.runs.create(thread.id, assistant_id=assistant.id, stream=True)
    )
    waiting = first[-1]
    assert isinstance(waiting, ThreadRunRequiresAction)
    assert waiting.data.required_action is not None
    call = waiting.data.required_action.submit_tool_outputs.tool_calls[0]
    stream = await client.beta.threads.runs.submit_tool_outputs(
        waiting.data.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}],
        stream=True,
    )
    events = await events_of(stream)
    assert fake.requests[-1].json == {
        "tool_outputs": [{"tool_call_id": call.id, "output": "sunny"}],
        "stream": True,
    }
    assert names(events) == ["thread.run.step.completed", *REPLY_EVENTS[1:]]
    tool_step = events[0].data
    assert isinstance(tool_step, RunStep) and tool_step.type == "tool_calls"
    assert tool_step.status == "completed"
    assert delta_text(events) == "Sunny in Paris."
    final = events[-1]
    assert isinstance(final, ThreadRunCompleted) and final.data.id == waiting.data.id
    run = await client.beta.threads.runs.retrieve(waiting.data.id, thread_id=thread.id)
    assert run.status == "completed"


async def test_tool_outputs_for_a_run_not_waiting_are_refused_streamed_too(
    client: AsyncOpenAI,
) -> None:
    assistant_id, thread_id = await new_thread(client)
    run = await client.beta.threads.runs.create_and_poll(
        thread_id=thread_id, assistant_id=assistant_id, poll_interval_ms=0
    )
    with pytest.raises(BadRequestError, match="do not accept tool outputs"):
        await client.beta.threads.runs.submit_tool_outputs(
            run.id, thread_id=thread_id, tool_outputs=[], stream=True
        )


async def test_an_error_event_raises_api_error(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    fake.faults.push("POST /v1/threads/{thread_id}/runs", kind="stream_error", after=0)
    stream = await client.beta.threads.runs.create(
        thread_id, assistant_id=assistant_id, stream=True
    )
    with pytest.raises(APIError) as info:
        await events_of(stream)
    assert info.value.type == "server_error"
    assert stream.closed


async def test_with_raw_response_gives_the_stream(client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    raw = await client.beta.threads.runs.with_raw_response.create(
        thread_id, assistant_id=assistant_id, stream=True
    )
    assert raw.status_code == 200
    assert names(await events_of(raw.parse())) == REPLY_EVENTS


async def test_unknown_events_pass_through_the_stream() -> None:
    body = (
        b'event: thread.run.created\ndata: {"id": "run_1", "status": "queued"}\n\n'
        b'event: thread.run.brand_new\ndata: {"x": [1, 2]}\n\n'
        b"event: done\ndata: [DONE]\n\n"
    )
    request = Request(
        method="POST",
        url=URL("http://t/v1/threads/runs"),
        headers={},
        timeout=client_timeout(1),
    )
    stream = AsyncStream(
        Response(status=200, content=body, request=request), parse_assistant_stream_event
    )
    events: list[Any] = [e async for e in stream]
    assert [e.event for e in events] == ["thread.run.created", "thread.run.brand_new"]
    assert events[1] == UnknownStreamEvent(event="thread.run.brand_new", data={"x": [1, 2]})
