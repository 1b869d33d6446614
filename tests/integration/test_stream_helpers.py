"""``chat.completions.stream()`` and ``responses.stream()`` end to end, against FakeOpenAI.

The SDK's events in their order, the accumulated snapshots, the final completion or response
parsed, refusals, tool calls, log probabilities, the errors of a cut or unparsable output
(raised while the stream is read, with the connection closed), and leaving early: the
connection is closed and there is no final completion.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final

import attrs
import jiter
import pydantic
import pytest

from aio_openai import (
    APIConnectionError,
    AsyncOpenAI,
    ContentParseError,
    LengthFinishReasonError,
    function_tool,
)
from aio_openai.lib import type_to_text_format_param
from aio_openai.lib.streaming.chat import (
    AsyncChatCompletionStream,
    AsyncChatCompletionStreamManager,
    ChunkEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    RefusalDeltaEvent,
    RefusalDoneEvent,
)
from aio_openai.lib.streaming.responses import (
    AsyncResponseStream,
    AsyncResponseStreamManager,
    ResponseCompletedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types.chat import ParsedChatCompletion, ParsedFunctionToolCall
from aio_openai.types.responses import ParsedResponse, ParsedResponseFunctionToolCall

KEY: Final = "sk-stream-helpers-0123456789"
MODEL: Final = "gpt-4o-mini"
ROUTE: Final = "POST /v1/chat/completions"
PROMPT: Final = "Lisbon has 545000 people"
CONTENT: Final = '{"name":"Lisbon","population":545000}'


@attrs.frozen
class City:
    name: str
    population: int


class Weather(pydantic.BaseModel):
    city: str
    days: int


@attrs.frozen
class LocalTime:
    city: str


@pytest.fixture
async def api(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
    try:
        yield client
    finally:
        await client.aclose()


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def in_use(client: AsyncOpenAI) -> int:
    """Connections of the client's pool handed out and not given back."""
    connector = client._pool.session().connector
    assert connector is not None
    return len(connector._acquired)


def partial(text: str) -> Any:
    """What the official SDK's partial parser reads in ``text``."""
    return jiter.from_json(text.encode(), partial_mode=True) if text.strip() else None


# -- chat.completions.stream -------------------------------------------------------------------


async def test_chat_events_come_in_order_with_snapshots_and_the_final_completion_parsed(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    manager = api.chat.completions.stream(
        model=MODEL,
        messages=user(PROMPT),
        response_format=City,
        stream_options={"include_usage": True},
    )
    assert isinstance(manager, AsyncChatCompletionStreamManager)
    assert fake.requests == []  # sent when the block is entered
    async with manager as stream:
        assert isinstance(stream, AsyncChatCompletionStream)
        events = [event async for event in stream]
    pieces = [CONTENT[i : i + 4] for i in range(0, len(CONTENT), 4)]
    assert [e.type for e in events] == [
        *["chunk", "content.delta"] * (1 + len(pieces)),
        "chunk",
        "content.done",
        "chunk",  # the usage
    ]
    deltas = [e for e in events if isinstance(e, ContentDeltaEvent)]
    assert [d.delta for d in deltas] == ["", *pieces]
    so_far = ["".join(pieces[:k]) for k in range(len(pieces) + 1)]
    assert [d.snapshot for d in deltas] == so_far
    assert [d.parsed for d in deltas] == [partial(text) for text in so_far]
    assert deltas[-1].parsed == {"name": "Lisbon", "population": 545000}
    (done,) = [e for e in events if isinstance(e, ContentDoneEvent)]
    assert (done.content, done.parsed) == (CONTENT, City("Lisbon", 545000))
    chunks = [e for e in events if isinstance(e, ChunkEvent)]
    assert [c.snapshot.choices[0].message.content for c in chunks[1:-2]] == so_far[1:]
    assert chunks[-1].chunk.usage is not None and chunks[-1].snapshot.usage is not None
    final = await stream.get_final_completion()
    assert isinstance(final, ParsedChatCompletion)
    assert final.choices[0].message.parsed == City("Lisbon", 545000)
    assert final.choices[0].finish_reason == "stop"
    assert final.usage == chunks[-1].chunk.usage
    assert stream.current_completion_snapshot.choices[0].message.parsed == City("Lisbon", 545000)
    assert stream.response.request_id == fake.requests[-1].request_id
    body = fake.requests[-1].json
    assert body["stream"] is True and body["response_format"]["json_schema"]["name"] == "City"
    assert in_use(api) == 0


async def test_chat_refusal_events_and_a_refused_final_completion(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    fake.state.chat.refusals[PROMPT] = "I can't."
    async with api.chat.completions.stream(
        model=MODEL, messages=user(PROMPT), response_format=City
    ) as stream:
        events = [event async for event in stream]
    assert [e.type for e in events if e.type != "chunk"] == [
        "refusal.delta",
        "refusal.delta",
        "refusal.delta",
        "refusal.done",
    ]
    refusals = [e for e in events if isinstance(e, RefusalDeltaEvent)]
    assert [r.snapshot for r in refusals] == ["", "I ca", "I can't."]
    assert isinstance(events[-1], RefusalDoneEvent) and events[-1].refusal == "I can't."
    message = (await stream.get_final_completion()).choices[0].message
    assert (message.refusal, message.content, message.parsed) == ("I can't.", None, None)


async def test_chat_tool_call_events_and_parsed_arguments(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    async with api.chat.completions.stream(
        model=MODEL,
        messages=user("Paris for 5 days"),
        tools=[function_tool(Weather), function_tool(LocalTime)],
    ) as stream:
        events = [event async for event in stream if event.type != "chunk"]
    arguments = ['{"city":"Paris","days":5}', '{"city":"Paris"}']
    kinds = [(e.type, getattr(e, "index", None)) for e in events]
    first = [("tool_calls.function.arguments.delta", 0)] * (1 + -(-len(arguments[0]) // 4))
    second = [("tool_calls.function.arguments.delta", 1)] * (1 + -(-len(arguments[1]) // 4))
    assert (
        kinds
        == [
            *first,
            second[0],  # the second call starts: the first one is done
            ("tool_calls.function.arguments.done", 0),
            *second[1:],
            ("tool_calls.function.arguments.done", 1),
        ]
    )
    deltas = [e for e in events if isinstance(e, FunctionToolCallArgumentsDeltaEvent)]
    assert deltas[-1].arguments == arguments[1] and deltas[-1].name == "LocalTime"
    assert [d.parsed_arguments for d in deltas if d.index == 0][-1] == {"city": "Paris", "days": 5}
    dones = [e for e in events if isinstance(e, FunctionToolCallArgumentsDoneEvent)]
    assert [(d.name, d.arguments, d.parsed_arguments) for d in dones] == [
        ("Weather", arguments[0], Weather(city="Paris", days=5)),
        ("LocalTime", arguments[1], LocalTime("Paris")),
    ]
    calls = (await stream.get_final_completion()).choices[0].message.tool_calls
    assert calls is not None and all(isinstance(c, ParsedFunctionToolCall) for c in calls)
    assert [
        c.function.parsed_arguments for c in calls if isinstance(c, ParsedFunctionToolCall)
    ] == [
        Weather(city="Paris", days=5),
        LocalTime("Paris"),
    ]


async def test_chat_logprobs_events_and_several_choices(api: AsyncOpenAI) -> None:
    async with api.chat.completions.stream(
        model=MODEL, messages=user("Hello there"), logprobs=True, n=2
    ) as stream:
        events = [event async for event in stream if event.type != "chunk"]
    logprobs = [e for e in events if isinstance(e, LogprobsContentDeltaEvent)]
    assert [e.content[0].token for e in logprobs] == ["Hell", "o th", "ere"] * 2
    assert [len(e.snapshot) for e in logprobs] == [1, 2, 3] * 2
    dones = [e for e in events if isinstance(e, LogprobsContentDoneEvent)]
    assert [[t.token for t in d.content] for d in dones] == [["Hell", "o th", "ere"]] * 2
    contents = [e for e in events if isinstance(e, ContentDoneEvent)]
    assert [(c.content, c.parsed) for c in contents] == [("Hello there", None)] * 2
    final = await stream.get_final_completion()
    assert [c.message.content for c in final.choices] == ["Hello there"] * 2
    assert final.choices[1].logprobs is not None and final.choices[1].logprobs.content is not None
    assert len(final.choices[1].logprobs.content) == 3


async def test_a_cut_or_unparsable_output_raises_while_reading_and_closes(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    seen: list[str] = []
    with pytest.raises(LengthFinishReasonError) as cut:
        async with api.chat.completions.stream(
            model=MODEL, messages=user(PROMPT), response_format=City, max_tokens=2
        ) as stream:
            async for event in stream:
                seen.append(event.type)
    assert cut.value.completion.choices[0].finish_reason == "length"
    assert "content.done" not in seen and in_use(api) == 0
    fake.state.chat.replies[PROMPT] = '{"name": 1}'
    with pytest.raises(ContentParseError) as wrong:
        async with api.chat.completions.stream(
            model=MODEL, messages=user(PROMPT), response_format=City
        ) as stream:
            await stream.until_done()
    assert wrong.value.content == '{"name": 1}' and in_use(api) == 0
    fake.state.chat.replies.clear()


async def test_leaving_early_closes_the_connection_and_there_is_no_final_completion(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="stream_stall", times=1)  # the rest of the stream held back
    try:
        async with api.chat.completions.stream(
            model=MODEL, messages=user(PROMPT), response_format=City
        ) as stream:
            async for event in stream:
                assert event.type == "chunk"
                assert in_use(api) == 1
                break
        assert in_use(api) == 0 and api._pool.connections == 0  # closed, not reused half read
        with pytest.raises(RuntimeError, match="closed before the completion finished"):
            await stream.get_final_completion()
    finally:
        fake.faults.release()
    # the client goes on working
    async with api.chat.completions.stream(model=MODEL, messages=user("Hi")) as again:
        assert (await again.get_final_completion()).choices[0].message.content == "Hi"


async def test_a_stream_cut_short_is_an_error_never_a_silent_end(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="stream_cut", after=400)
    with pytest.raises(APIConnectionError):
        async with api.chat.completions.stream(
            model=MODEL, messages=user(PROMPT), response_format=City
        ) as stream:
            await stream.get_final_completion()
    assert in_use(api) == 0


async def test_a_dict_response_format_is_sent_as_it_is_and_nothing_parsed(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    async with api.chat.completions.stream(
        model=MODEL, messages=user("Hi"), response_format={"type": "json_object"}
    ) as stream:
        events = [e async for e in stream if e.type == "content.done"]
    assert fake.requests[-1].json["response_format"] == {"type": "json_object"}
    assert [(e.content, e.parsed) for e in events] == [('{"reply":"Hi"}', None)]


async def test_a_manager_opens_one_stream(api: AsyncOpenAI) -> None:
    manager = api.chat.completions.stream(model=MODEL, messages=user("Hi"))
    async with manager as stream:
        await stream.until_done()
    with pytest.raises(RuntimeError, match="entered already"):
        async with manager:
            pass


# -- responses.stream ------------------------------------------------------------------------------

RESPONSE_EVENTS: Final = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    *["response.output_text.delta"] * 10,
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]


async def test_responses_events_with_snapshots_and_the_final_response_parsed(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    manager = api.responses.stream(model=MODEL, input=PROMPT, text_format=City)
    assert isinstance(manager, AsyncResponseStreamManager)
    async with manager as stream:
        assert isinstance(stream, AsyncResponseStream)
        events = [event async for event in stream]
    assert [e.type for e in events] == RESPONSE_EVENTS
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = [e for e in events if isinstance(e, ResponseTextDeltaEvent)]
    assert "".join(d.delta for d in deltas) == CONTENT
    assert [d.snapshot for d in deltas] == [CONTENT[: 4 * (k + 1)] for k in range(len(deltas))]
    (done,) = [e for e in events if isinstance(e, ResponseTextDoneEvent)]
    assert (done.text, done.parsed) == (CONTENT, City("Lisbon", 545000))
    completed = events[-1]
    assert isinstance(completed, ResponseCompletedEvent)
    assert isinstance(completed.response, ParsedResponse)
    assert completed.response.output_parsed == City("Lisbon", 545000)
    final = await stream.get_final_response()
    assert final is completed.response and final.usage is not None
    assert fake.requests[-1].json["text"]["format"]["name"] == "City"
    assert in_use(api) == 0


async def test_responses_stream_function_calls_and_refusals(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    async with api.responses.stream(
        model=MODEL, input="Paris for 5 days", tools=[function_tool(Weather)]
    ) as stream:
        events = [event async for event in stream]
    deltas = [e for e in events if isinstance(e, ResponseFunctionCallArgumentsDeltaEvent)]
    assert deltas[-1].snapshot == '{"city":"Paris","days":5}'
    (call,) = (await stream.get_final_response()).output
    assert isinstance(call, ParsedResponseFunctionToolCall)
    assert call.parsed_arguments == Weather(city="Paris", days=5)
    fake.state.responses.refusals["no"] = "Sorry."
    try:
        async with api.responses.stream(model=MODEL, input="no", text_format=City) as stream:
            kinds = [event.type async for event in stream]
        assert "response.refusal.done" in kinds and "response.output_text.delta" not in kinds
        assert (await stream.get_final_response()).output_parsed is None
    finally:
        fake.state.responses.refusals.clear()


async def test_responses_stream_of_an_existing_response_starting_after(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    background = await api.responses.create(
        model=MODEL,
        input=PROMPT,
        background=True,
        text={"format": type_to_text_format_param(City)},
    )
    async with api.responses.stream(
        response_id=background.id, starting_after=13, text_format=City
    ) as stream:
        events = [event async for event in stream]
    assert events[0].sequence_number == 14
    assert (await stream.get_final_response()).output_parsed == City("Lisbon", 545000)
    assert fake.requests[-1].method == "GET"
    assert "starting_after" not in fake.requests[-1].query  # read whole, to build the response


async def test_responses_stream_without_a_final_response_and_bad_arguments(
    api: AsyncOpenAI,
) -> None:
    async with api.responses.stream(
        model=MODEL, input="a long prompt " * 20, max_output_tokens=16
    ) as stream:
        kinds = [event.type async for event in stream]
    assert kinds[-1] == "response.incomplete"
    with pytest.raises(RuntimeError, match=r"without a response\.completed"):
        await stream.get_final_response()
    with pytest.raises(ValueError, match="cannot go with the parameters of a new one"):
        api.responses.stream(response_id="resp_1", model=MODEL, input="x")
    with pytest.raises(ValueError, match="input must be given"):
        api.responses.stream(model=MODEL)
    with pytest.raises(ValueError, match="needs the response_id"):
        api.responses.stream(starting_after=3)


async def test_the_chunk_that_ends_the_content_carries_it_parsed(api: AsyncOpenAI) -> None:
    async with api.chat.completions.stream(
        model=MODEL, messages=user(PROMPT), response_format=City
    ) as stream:
        events = [event async for event in stream]
    done = next(i for i, e in enumerate(events) if e.type == "content.done")
    chunk = events[done - 1]
    assert isinstance(chunk, ChunkEvent) and chunk.chunk.choices[0].finish_reason == "stop"
    assert chunk.snapshot.choices[0].message.parsed == City("Lisbon", 545000)
    before = events[done - 3]
    assert isinstance(before, ChunkEvent)
    assert before.snapshot.choices[0].message.parsed == {"name": "Lisbon", "population": 545000}
