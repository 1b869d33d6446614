"""Streamed responses against FakeOpenAI: the event sequence, chunking, function calls,
background, conversations, and cut streams."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest

from aio_openai import (
    APIConnectionError,
    APIError,
    AsyncOpenAI,
    AsyncStream,
    BadRequestError,
    RateLimiter,
)
from aio_openai._cost import charged_tokens, estimate_tokens
from aio_openai.testing import FakeOpenAI
from aio_openai.types.responses import (
    FunctionTool,
    Response,
    ResponseCompletedEvent,
    ResponseCreatedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseFunctionToolCall,
    ResponseIncompleteEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputMessage,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)

KEY: Final = "sk-stream-0123456789"
TEXT: Final = "Stream this sentence back, héllo 🎉"
MESSAGE_EVENTS: Final = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]
WEATHER: Final = FunctionTool(
    name="get_weather",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    strict=True,
)


@pytest.fixture
async def api(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
    try:
        yield client
    finally:
        await client.aclose()


async def collect(stream: AsyncStream[ResponseStreamEvent]) -> list[ResponseStreamEvent]:
    async with stream:
        return [event async for event in stream]


def squeeze(kinds: list[str]) -> list[str]:
    """The kinds with runs of the same kind made one."""
    return [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]


@pytest.mark.parametrize("size", [1, 4, 100])
async def test_a_text_reply_streams_the_real_event_sequence(
    api: AsyncOpenAI, fake: FakeOpenAI, size: int
) -> None:
    fake.state.responses.configure(chunk_size=size)
    stream = await api.responses.create(model="gpt-4o", input=TEXT, stream=True)
    assert isinstance(stream, AsyncStream)
    events = await collect(stream)
    kinds = [e.type for e in events]
    assert squeeze(kinds) == MESSAGE_EVENTS
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = [e for e in events if isinstance(e, ResponseTextDeltaEvent)]
    assert len(deltas) == -(-len(TEXT) // size)
    assert all(len(d.delta) <= size for d in deltas)
    assert "".join(d.delta for d in deltas) == TEXT
    (done,) = [e for e in events if isinstance(e, ResponseTextDoneEvent)]
    assert done.text == TEXT
    first, last = events[0], events[-1]
    assert isinstance(first, ResponseCreatedEvent) and first.response.status == "in_progress"
    assert first.response.output == [] and first.response.usage is None
    assert isinstance(last, ResponseCompletedEvent)
    assert last.response.output_text == TEXT and last.response.usage is not None
    assert deltas[0].item_id == last.response.output[0].id
    assert fake.requests[-1].json == {"model": "gpt-4o", "input": TEXT, "stream": True}
    # the streamed response is stored like any other
    stored = await api.responses.retrieve(last.response.id)
    assert stored.output_text == TEXT


async def test_a_function_call_streams_its_arguments(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.responses.configure(chunk_size=5)
    stream = await api.responses.create(
        model="gpt-4o", input="Weather in Rome?", tools=[WEATHER], stream=True
    )
    events = await collect(stream)
    assert squeeze([e.type for e in events]) == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    pieces = [e.delta for e in events if isinstance(e, ResponseFunctionCallArgumentsDeltaEvent)]
    (done,) = [e for e in events if isinstance(e, ResponseFunctionCallArgumentsDoneEvent)]
    assert "".join(pieces) == done.arguments and len(pieces) > 1
    assert json.loads(done.arguments) == {"city": "Rome"}
    (item_done,) = [e for e in events if isinstance(e, ResponseOutputItemDoneEvent)]
    assert isinstance(item_done.item, ResponseFunctionToolCall)
    assert item_done.item.name == done.name == "get_weather"
    final = events[-1]
    assert isinstance(final, ResponseCompletedEvent)

    # the round trip, streamed as well
    follow = await api.responses.create(
        model="gpt-4o",
        previous_response_id=final.response.id,
        input=[
            {
                "type": "function_call_output",
                "call_id": item_done.item.call_id,
                "output": "Sunny, 24C.",
            }
        ],
        tools=[WEATHER],
        stream=True,
    )
    text = "".join(e.delta for e in await collect(follow) if isinstance(e, ResponseTextDeltaEvent))
    assert text == "Sunny, 24C."


async def test_background_streams_show_the_queue(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    stream = await api.responses.create(model="gpt-4o", input="bg", background=True, stream=True)
    events = await collect(stream)
    assert [e.type for e in events[:3]] == [
        "response.created",
        "response.queued",
        "response.in_progress",
    ]
    last = events[-1]
    assert isinstance(last, ResponseCompletedEvent) and last.response.background is True


async def test_an_incomplete_reply_ends_with_response_incomplete(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.responses.replies["Long?"] = "word " * 40
    stream = await api.responses.create(
        model="gpt-4o", input="Long?", max_output_tokens=16, stream=True
    )
    events = await collect(stream)
    last = events[-1]
    assert isinstance(last, ResponseIncompleteEvent)
    assert last.response.incomplete_details is not None
    assert last.response.incomplete_details.reason == "max_output_tokens"
    message = last.response.output[0]
    assert isinstance(message, ResponseOutputMessage) and message.status == "incomplete"


async def test_a_streamed_reply_is_added_to_its_conversation(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    conversation = await api.conversations.create()
    stream = await api.responses.create(
        model="gpt-4o", conversation=conversation.id, input="Remember this.", stream=True
    )
    await collect(stream)
    items = await api.conversations.items.list(conversation.id, order="asc")
    assert [(i.type, getattr(i, "role", None)) for i in items.data] == [
        ("message", "user"),
        ("message", "assistant"),
    ]


async def test_leaving_early_closes_the_stream(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.responses.configure(chunk_size=1)
    stream = await api.responses.create(model="gpt-4o", input=TEXT, stream=True)
    async with stream:
        async for event in stream:
            if isinstance(event, ResponseTextDeltaEvent):
                break
    assert stream.closed
    again = await api.responses.create(model="gpt-4o", input="still fine")
    assert again.output_text == "still fine"


async def test_a_cut_stream_raises_a_connection_error(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.responses.configure(chunk_size=1)
    fake.faults.push("POST /v1/responses", kind="stream_cut", after=3000)
    stream = await api.responses.create(model="gpt-4o", input=TEXT, stream=True)
    seen: list[Any] = []
    with pytest.raises(APIConnectionError):
        async for event in stream:
            seen.append(event)
    assert seen and not isinstance(seen[-1], ResponseCompletedEvent)
    assert stream.closed


async def test_a_stream_error_event_raises(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.faults.push("POST /v1/responses", kind="stream_error")
    stream = await api.responses.create(model="gpt-4o", input=TEXT, stream=True)
    with pytest.raises(APIError, match="The server had an error"):
        await collect(stream)


async def test_the_raw_stream_gives_the_headers(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    raw = await api.responses.with_raw_response.create(model="gpt-4o", input="hi", stream=True)
    assert raw.headers["Content-Type"].startswith("text/event-stream")
    stream = raw.parse()
    events = await collect(stream)
    final = events[-1]
    assert isinstance(final, ResponseCompletedEvent) and isinstance(final.response, Response)


async def test_a_stream_reconciles_the_limiter_with_the_usage_it_ends_with(
    fake: FakeOpenAI, clean_env: None
) -> None:
    """The usage of a streamed response comes inside response.completed's response."""
    limiter = RateLimiter(tpm=100_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)

    def level() -> float:
        return float(limiter.snapshot()["gpt-4o"]["level_tokens"])

    async with AsyncOpenAI(
        api_key=KEY, base_url=fake.url, rate_limiter=limiter, max_retries=0
    ) as client:
        first = await client.responses.create(model="gpt-4o", input=TEXT * 8)
        before = level()
        # chained: the server counts the earlier turn too, which the estimate cannot see
        body = {"model": "gpt-4o", "input": "And again?", "previous_response_id": first.id}
        stream = await client.responses.create(**body, stream=True)  # type: ignore[call-overload]
        assert level() == before - estimate_tokens(body)  # until the usage comes
        events = await collect(stream)
    last = events[-1]
    assert isinstance(last, ResponseCompletedEvent) and last.response.usage is not None
    charged = charged_tokens(body, last.response.usage.to_dict())
    assert charged is not None and charged > estimate_tokens(body)
    assert level() == before - charged


# -- streaming a background response again -------------------------------------------------------


async def test_a_background_response_streams_when_retrieved(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    queued = await api.responses.create(model="gpt-4o", input=TEXT, background=True)
    assert queued.status == "queued"
    events = await collect(await api.responses.retrieve(queued.id, stream=True))
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert squeeze([e.type for e in events])[:3] == [
        "response.created",
        "response.queued",
        "response.in_progress",
    ]
    last = events[-1]
    assert isinstance(last, ResponseCompletedEvent) and last.response.output_text == TEXT
    assert (await api.responses.retrieve(queued.id)).status == "completed"


async def test_starting_after_resumes_where_a_lost_stream_stopped(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.responses.configure(chunk_size=4)
    queued = await api.responses.create(model="gpt-4o", input=TEXT, background=True)
    whole = await collect(await api.responses.retrieve(queued.id, stream=True))
    seen = 5  # a client read events 0..5, then lost its connection
    rest = await collect(await api.responses.retrieve(queued.id, stream=True, starting_after=seen))
    assert [e.sequence_number for e in rest] == list(range(seen + 1, len(whole)))
    assert [e.to_dict() for e in rest] == [e.to_dict() for e in whole[seen + 1 :]]
    sent = fake.requests[-1]
    assert dict(sent.query) == {"starting_after": "5", "stream": "true"}


async def test_only_background_responses_stream_when_retrieved(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    done = await api.responses.create(model="gpt-4o", input=TEXT)
    with pytest.raises(BadRequestError) as caught:
        await api.responses.retrieve(done.id, stream=True)
    assert caught.value.param == "stream"


async def test_a_cancelled_background_response_does_not_stream(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    queued = await api.responses.create(model="gpt-4o", input=TEXT, background=True)
    assert (await api.responses.cancel(queued.id)).status == "cancelled"
    with pytest.raises(BadRequestError, match="cancelled"):
        await api.responses.retrieve(queued.id, stream=True)
