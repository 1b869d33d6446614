"""Chat completions end to end: the real client against FakeOpenAI over loopback.

Whole answers and streams (content, tool calls, usage), the stream's life cycle (connections
released or reused, idle timeout, cut connections, error events), retries before the first
byte and none after it, and the rate limiter's token reconciliation with the reported usage.
"""

from __future__ import annotations

import asyncio
import gc
import json
import warnings
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest

from aio_openai import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncOpenAI,
    AsyncStream,
    BadRequestError,
    RateLimiter,
    RetryPolicy,
)
from aio_openai._cost import charged_tokens, estimate_tokens
from aio_openai.testing import FakeOpenAI
from aio_openai.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionMessageFunctionToolCall,
)

KEY: Final = "sk-chat-0123456789"
MODEL: Final = "gpt-4o-mini"
ROUTE: Final = "POST /v1/chat/completions"
FAST: Final = RetryPolicy(initial_delay=0.001, max_delay=0.01)
TEXT: Final = "Héllo wörld, 日本語 and 🎉 in one reply."
WEATHER: Final = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "days": {"type": "integer"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
}
TIME: Final = {"type": "function", "function": {"name": "get_time"}}


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client on ``fake`` with fast retries."""
    c = AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=FAST)
    try:
        yield c
    finally:
        await c.aclose()


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


async def collect(stream: AsyncStream[ChatCompletionChunk]) -> list[ChatCompletionChunk]:
    async with stream:
        return [chunk async for chunk in stream]


def content(chunks: list[ChatCompletionChunk], index: int = 0) -> str:
    return "".join(
        c.delta.content or "" for chunk in chunks for c in chunk.choices if c.index == index
    )


def in_use(client: AsyncOpenAI) -> int:
    """Connections of the client's pool handed out and not given back."""
    session = client._pool.session()
    connector = session.connector
    assert connector is not None
    return len(connector._acquired)


# -- whole answers ------------------------------------------------------------------------------


async def test_create_echoes_the_last_user_message_with_usage(client: AsyncOpenAI) -> None:
    completion = await client.chat.completions.create(model=MODEL, messages=user(TEXT))
    assert isinstance(completion, ChatCompletion)
    assert completion.object == "chat.completion" and completion.model == MODEL
    message = completion.choices[0].message
    assert (message.role, message.content, message.tool_calls) == ("assistant", TEXT, None)
    assert completion.choices[0].finish_reason == "stop"
    usage = completion.usage
    assert usage is not None
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens > 0
    assert completion._request_id is not None and completion._request_id.startswith("req_")


async def test_scripted_replies_n_and_max_tokens(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.state.chat.replies["Hi"] = "Hello! How can I help?"
    completion = await client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "system", "content": "Be brief."}, *user("Hi")],
        n=3,
    )
    assert [c.index for c in completion.choices] == [0, 1, 2]
    assert {c.message.content for c in completion.choices} == {"Hello! How can I help?"}
    cut = await client.chat.completions.create(model=MODEL, messages=user("Hi"), max_tokens=2)
    assert cut.choices[0].finish_reason == "length"
    assert cut.choices[0].message.content == "Hello! H"


async def test_tool_calls_are_derived_from_the_schema(client: AsyncOpenAI) -> None:
    completion = await client.chat.completions.create(
        model=MODEL, messages=user("Paris for 5 days"), tools=[WEATHER, TIME]
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    calls = choice.message.tool_calls
    assert calls is not None and len(calls) == 2
    assert all(isinstance(c, ChatCompletionMessageFunctionToolCall) for c in calls)
    first = calls[0]
    assert isinstance(first, ChatCompletionMessageFunctionToolCall)
    assert first.function.name == "get_weather" and first.id.startswith("call_")
    assert json.loads(first.function.arguments) == {"city": "Paris", "days": 5, "unit": "celsius"}
    again = await client.chat.completions.create(
        model=MODEL, messages=user("Paris for 5 days"), tools=[WEATHER, TIME]
    )
    assert again.choices[0].message.tool_calls == calls  # deterministic, ids included

    one = await client.chat.completions.create(
        model=MODEL,
        messages=user("Paris for 5 days"),
        tools=[WEATHER, TIME],
        tool_choice={"type": "function", "function": {"name": "get_time"}},
    )
    assert [c.function.name for c in one.choices[0].message.tool_calls or []] == ["get_time"]  # type: ignore[union-attr]
    none = await client.chat.completions.create(
        model=MODEL, messages=user("Paris for 5 days"), tools=[WEATHER], tool_choice="none"
    )
    assert none.choices[0].message.content == "Paris for 5 days"


async def test_a_tool_result_is_answered_in_text(client: AsyncOpenAI) -> None:
    messages: list[dict[str, Any]] = [
        *user("Paris for 5 days"),
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "Sunny, 21 C"},
    ]
    completion = await client.chat.completions.create(
        model=MODEL, messages=messages, tools=[WEATHER]
    )
    assert completion.choices[0].message.content == "Sunny, 21 C"


async def test_response_formats(client: AsyncOpenAI) -> None:
    as_json = await client.chat.completions.create(
        model=MODEL, messages=user("ok"), response_format={"type": "json_object"}
    )
    assert json.loads(as_json.choices[0].message.content or "") == {"reply": "ok"}
    schema = {
        "type": "json_schema",
        "json_schema": {
            "name": "answer",
            "schema": {"type": "object", "properties": {"n": {"type": "integer"}}},
        },
    }
    shaped = await client.chat.completions.create(
        model=MODEL, messages=user("Pick 4"), response_format=schema
    )
    assert json.loads(shaped.choices[0].message.content or "") == {"n": 4}


async def test_parameters_and_extra_body_pass_through(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    messages = (m for m in user("x"))  # a one-shot iterable is sent as a list
    await client.chat.completions.create(
        model=MODEL,
        messages=messages,
        temperature=0.2,
        max_completion_tokens=50,
        seed=None,
        extra_body={"new_param": {"a": 1}},
    )
    sent = fake.requests[-1].json
    assert sent == {
        "messages": [{"role": "user", "content": "x"}],
        "model": MODEL,
        "temperature": 0.2,
        "max_completion_tokens": 50,
        "seed": None,
        "new_param": {"a": 1},
    }


async def test_an_unknown_keyword_is_a_type_error(client: AsyncOpenAI) -> None:
    with pytest.raises(TypeError, match="tempreature"):
        await client.chat.completions.create(model=MODEL, messages=user("x"), tempreature=1)  # type: ignore[call-overload]


async def test_a_bad_request_raises_before_any_stream(client: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.chat.completions.create(model=MODEL, messages=[], stream=True)
    assert info.value.param == "messages"
    with pytest.raises(BadRequestError, match="stream_options"):
        await client.chat.completions.create(
            model=MODEL, messages=user("x"), stream_options={"include_usage": True}
        )


async def test_with_raw_response(client: AsyncOpenAI) -> None:
    raw = await client.chat.completions.with_raw_response.create(model=MODEL, messages=user("x"))
    assert raw.status_code == 200 and raw.parse().choices[0].message.content == "x"
    raw_stream = await client.chat.completions.with_raw_response.create(
        model=MODEL, messages=user("x"), stream=True
    )
    assert raw_stream.headers["content-type"].startswith("text/event-stream")
    stream = raw_stream.parse()
    assert isinstance(stream, AsyncStream)
    assert content(await collect(stream)) == "x"


# -- streams ------------------------------------------------------------------------------------


async def test_stream_gives_the_reply_in_chunks(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.state.chat.configure(chunk_size=3)
    stream = await client.chat.completions.create(model=MODEL, messages=user(TEXT), stream=True)
    assert stream.response.status_code == 200
    assert stream.response.request_id == fake.requests[-1].request_id
    chunks = await collect(stream)
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert content(chunks) == TEXT
    pieces = [c.choices[0].delta.content for c in chunks[1:-1]]
    assert pieces == [TEXT[i : i + 3] for i in range(0, len(TEXT), 3)]
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert fake.requests[-1].json["stream"] is True


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
async def test_streams_with_every_line_end(
    fake: FakeOpenAI, client: AsyncOpenAI, line_end: str
) -> None:
    fake.state.chat.configure(chunk_size=1, line_end=line_end)
    stream = await client.chat.completions.create(model=MODEL, messages=user(TEXT), stream=True)
    assert content(await collect(stream)) == TEXT


async def test_include_usage_adds_a_last_chunk_with_the_usage(client: AsyncOpenAI) -> None:
    whole = await client.chat.completions.create(model=MODEL, messages=user(TEXT))
    stream = await client.chat.completions.create(
        model=MODEL, messages=user(TEXT), stream=True, stream_options={"include_usage": True}
    )
    chunks = await collect(stream)
    assert chunks[-1].choices == [] and chunks[-1].usage == whole.usage
    assert all(c.usage is None for c in chunks[:-1])


async def test_n_choices_stream_side_by_side(client: AsyncOpenAI) -> None:
    stream = await client.chat.completions.create(
        model=MODEL, messages=user("abc def"), stream=True, n=2
    )
    chunks = await collect(stream)
    assert content(chunks, 0) == content(chunks, 1) == "abc def"


async def test_streamed_tool_calls_add_up_to_the_whole_answer(client: AsyncOpenAI) -> None:
    whole = await client.chat.completions.create(
        model=MODEL, messages=user("Rome"), tools=[WEATHER, TIME]
    )
    stream = await client.chat.completions.create(
        model=MODEL, messages=user("Rome"), tools=[WEATHER, TIME], stream=True
    )
    calls: dict[int, dict[str, str]] = {}
    finish = None
    for chunk in await collect(stream):
        for choice in chunk.choices:
            finish = choice.finish_reason or finish
            for piece in choice.delta.tool_calls or ():
                call = calls.setdefault(piece.index, {"id": "", "name": "", "arguments": ""})
                call["id"] += piece.id or ""
                if piece.function is not None:
                    call["name"] += piece.function.name or ""
                    call["arguments"] += piece.function.arguments or ""
    expected = whole.choices[0].message.tool_calls or []
    assert finish == "tool_calls"
    assert [calls[i] for i in sorted(calls)] == [
        {"id": c.id, "name": c.function.name, "arguments": c.function.arguments}  # type: ignore[union-attr]
        for c in expected
    ]


# -- the stream's life cycle --------------------------------------------------------------------


async def test_a_stream_read_to_its_end_gives_its_connection_back(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    for _ in range(3):
        stream = await client.chat.completions.create(model=MODEL, messages=user(TEXT), stream=True)
        async for _chunk in stream:
            pass
        assert stream.closed
        assert in_use(client) == 0
    assert client._pool.connections == 1  # one connection, reused by every stream
    assert len(fake.requests) == 3


async def test_leaving_the_loop_early_and_closing_releases_the_connection(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    # the server holds the rest of each stream back, so the body is surely not all in
    fake.faults.push(ROUTE, kind="stream_stall", times=2)
    try:
        stream = await client.chat.completions.create(model=MODEL, messages=user(TEXT), stream=True)
        async for _chunk in stream:
            break
        assert in_use(client) == 1
        await stream.close()
        assert in_use(client) == 0
        assert client._pool.connections == 0  # closed, not reused half read
        async with await client.chat.completions.create(
            model=MODEL, messages=user(TEXT), stream=True
        ) as stream2:
            await anext(stream2)
            assert in_use(client) == 1
        assert in_use(client) == 0 and client._pool.connections == 0
    finally:
        fake.faults.release()
    # the client goes on working
    assert (await client.chat.completions.create(model=MODEL, messages=user("x"))).choices


async def test_an_abandoned_stream_leaves_no_resource_warning(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    asyncio.get_running_loop().set_debug(True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            async with await client.chat.completions.create(
                model=MODEL, messages=user(TEXT), stream=True
            ) as stream:
                async for _chunk in stream:
                    break
            del stream
            gc.collect()
    finally:
        asyncio.get_running_loop().set_debug(False)
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


async def test_an_error_status_is_retried_before_the_stream_starts(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, status=503, times=2)
    stream = await client.chat.completions.create(model=MODEL, messages=user("ok"), stream=True)
    assert content(await collect(stream)) == "ok"
    assert fake.faults.seen == 3
    assert stream.response.retries_taken == 2


async def test_a_connection_reset_before_the_first_byte_is_retried(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="reset", status=500)
    stream = await client.chat.completions.create(model=MODEL, messages=user("ok"), stream=True)
    assert content(await collect(stream)) == "ok"
    assert fake.faults.seen == 2


async def test_a_cut_mid_stream_raises_api_connection_error_and_is_not_retried(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.state.chat.configure(chunk_size=2)
    fake.faults.push(ROUTE, kind="stream_cut", after=300)
    stream = await client.chat.completions.create(model=MODEL, messages=user(TEXT), stream=True)
    received: list[ChatCompletionChunk] = []
    with pytest.raises(APIConnectionError) as info:
        async for chunk in stream:
            received.append(chunk)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request is not None
    assert info.value.request.url.path == "/v1/chat/completions"
    assert received and content(received) != TEXT
    assert stream.closed and in_use(client) == 0
    assert fake.faults.seen == 1 and fake.faults.injected["stream_cut"] == 1


async def test_an_error_event_mid_stream_raises_api_error(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="stream_error")
    stream = await client.chat.completions.create(model=MODEL, messages=user(TEXT), stream=True)
    assert (await anext(stream)).choices[0].delta.role == "assistant"
    with pytest.raises(APIError) as info:
        await anext(stream)
    assert info.value.type == "server_error"
    assert "error while processing" in info.value.message
    assert stream.closed and in_use(client) == 0


async def test_a_stalled_stream_times_out_after_the_idle_timeout(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="stream_stall")
    stream = await client.chat.completions.create(
        model=MODEL, messages=user(TEXT), stream=True, stream_idle_timeout=0.05
    )
    try:
        assert (await anext(stream)).choices[0].delta.role == "assistant"
        with pytest.raises(APITimeoutError) as info:
            await anext(stream)
        assert "0.05 s" in info.value.message
        assert info.value.request is not None
        assert stream.closed and in_use(client) == 0
    finally:
        fake.faults.release()


async def test_a_stalled_stream_goes_on_once_released(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="stream_stall", after=0)
    stream = await client.chat.completions.create(model=MODEL, messages=user(TEXT), stream=True)
    reader = asyncio.ensure_future(collect(stream))
    fake.faults.release()
    assert content(await reader) == TEXT


async def test_the_client_idle_timeout_applies_to_its_streams(fake: FakeOpenAI) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, stream_idle_timeout=0.05) as client:
        assert client.with_options(max_retries=0).stream_idle_timeout == 0.05
        fake.faults.push(ROUTE, kind="stream_stall")
        try:
            stream = await client.chat.completions.create(
                model=MODEL, messages=user(TEXT), stream=True
            )
            with pytest.raises(APITimeoutError):
                await collect(stream)
        finally:
            fake.faults.release()


def test_a_bad_idle_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="stream_idle_timeout"):
        AsyncOpenAI(api_key=KEY, stream_idle_timeout=0)


# -- the rate limiter ---------------------------------------------------------------------------
#
# The limiter reserves its estimate when a call starts and corrects it to what the server
# charged (aio_openai._cost.charged_tokens) once the usage is known. FakeOpenAI counts chat
# prompts as OpenAI does (3 tokens a message more than characters / 4), so the two differ.


def limited_client(fake: FakeOpenAI) -> tuple[AsyncOpenAI, RateLimiter]:
    """A client whose limiter knows its token limit and never refills (a frozen clock)."""
    limiter = RateLimiter(tpm=10_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)
    return AsyncOpenAI(api_key=KEY, base_url=fake.url, rate_limiter=limiter), limiter


def level(limiter: RateLimiter) -> float:
    return float(limiter.snapshot()[MODEL]["level_tokens"])


BODY: Final = {"model": MODEL, "messages": user(TEXT * 4)}


async def test_the_limiter_reconciles_its_estimate_with_the_reported_usage(
    fake: FakeOpenAI,
) -> None:
    client, limiter = limited_client(fake)
    async with client:
        completion = await client.chat.completions.create(**BODY)  # type: ignore[call-overload]
    assert completion.usage is not None
    charged = charged_tokens(BODY, completion.usage.to_dict())
    assert charged is not None and charged != estimate_tokens(BODY)
    assert level(limiter) == 10_000 - charged


async def test_a_stream_reconciles_with_its_usage_chunk(fake: FakeOpenAI) -> None:
    client, limiter = limited_client(fake)
    async with client:
        stream = await client.chat.completions.create(
            **BODY, stream=True, stream_options={"include_usage": True}
        )  # type: ignore[call-overload]
        assert limiter.snapshot()[MODEL]["inflight"] == 0  # released on the headers
        assert level(limiter) == 10_000 - estimate_tokens(BODY)  # until the usage comes
        chunks = await collect(stream)
    usage = chunks[-1].usage
    assert usage is not None
    charged = charged_tokens(BODY, usage.to_dict())
    assert charged is not None and charged != estimate_tokens(BODY)
    assert level(limiter) == 10_000 - charged


async def test_a_stream_without_usage_keeps_the_estimate(fake: FakeOpenAI) -> None:
    client, limiter = limited_client(fake)
    async with client:
        stream = await client.chat.completions.create(**BODY, stream=True)  # type: ignore[call-overload]
        await collect(stream)
    assert level(limiter) == 10_000 - estimate_tokens(BODY)


# -- the fake's stream faults -------------------------------------------------------------------


async def test_a_stream_fault_leaves_a_whole_answer_alone(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="stream_cut")
    completion = await client.chat.completions.create(model=MODEL, messages=user("fine"))
    assert completion.choices[0].message.content == "fine"
    assert fake.faults.injected["stream_cut"] == 1


def test_after_is_for_stream_faults_only(fake: FakeOpenAI) -> None:
    with pytest.raises(ValueError, match="after"):
        fake.faults.push(ROUTE, status=500, after=10)
    with pytest.raises(ValueError, match="after"):
        fake.faults.push(ROUTE, kind="stream_cut", after=-1)
    assert fake.faults.pending == 0
