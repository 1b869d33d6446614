"""The Responses API against FakeOpenAI: create, chaining, function calls, background, errors."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from support import FakeClock as Clock

from aio_openai import (
    APIResponse,
    APITimeoutError,
    AsyncOpenAI,
    BadRequestError,
    NotFoundError,
    PollTimeoutError,
    RetryPolicy,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types.responses import (
    EasyInputMessage,
    FunctionTool,
    Response,
    ResponseFunctionToolCall,
    ResponseInputMessageItem,
    ResponseOutputMessage,
)

KEY: Final = "sk-responses-0123456789"
WEATHER: Final = FunctionTool(
    name="get_weather",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["city", "days"],
        "additionalProperties": False,
    },
    strict=True,
)
TIME: Final = {"type": "function", "name": "get_time", "parameters": {}, "strict": True}


@pytest.fixture
def clock() -> Clock:
    """Starts at the real monotonic time: the client stamps its requests with that."""
    return Clock(time.monotonic())


@pytest.fixture
async def api(fake: FakeOpenAI, clock: Clock, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client on ``fake`` whose polls sleep on ``clock``."""
    fake.state.responses.configure(polls=1, poll_after_ms=250)
    client = AsyncOpenAI(
        api_key=KEY,
        base_url=fake.url,
        max_retries=0,
        retry_policy=RetryPolicy(sleep=clock.sleep, clock=clock),
    )
    try:
        yield client
    finally:
        await client.aclose()


def sent(fake: FakeOpenAI, index: int = -1) -> Any:
    return fake.requests[index].json


# -- create -------------------------------------------------------------------------------------


async def test_create_echoes_the_input_with_usage(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    response = await api.responses.create(model="gpt-4o", input="Hello there, model.")
    assert isinstance(response, Response)
    assert response.status == "completed" and response.model == "gpt-4o"
    assert response.output_text == "Hello there, model."
    (message,) = response.output
    assert isinstance(message, ResponseOutputMessage) and message.role == "assistant"
    assert response.usage is not None
    usage = response.usage
    assert (usage.input_tokens, usage.output_tokens) == (5, 5)
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert response._request_id == fake.requests[-1].request_id
    assert sent(fake) == {"model": "gpt-4o", "input": "Hello there, model."}


async def test_the_newest_keywords_are_sent_and_taken(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    settings: dict[str, Any] = {
        "access_programs": {"cyber": "standard"},
        "background_options": {"completion_window": "soonest"},
        "context_management": [{"type": "compaction", "compact_threshold": 1000}],
        "image": {"context_compression": "auto"},
        "moderation": {"model": "omni-moderation-latest", "policy": {"input": {"mode": "score"}}},
        "prompt_cache_options": {"mode": "implicit", "ttl": "30m"},
        "prompt_cache_retention": "24h",
        "prompt_cache_key": "key-1",
        "safety_identifier": "user-1",
    }
    made = await api.responses.create(model="gpt-4o", input="Hi", **settings)
    assert json.loads(fake.requests[-1].body or b"") == {
        "model": "gpt-4o",
        "input": "Hi",
        **settings,
    }
    assert (made.prompt_cache_retention, made.prompt_cache_key, made.safety_identifier) == (
        "24h",
        "key-1",
        "user-1",
    )
    conversation = await api.conversations.create(safety_identifier="user-1")
    assert json.loads(fake.requests[-1].body or b"") == {"safety_identifier": "user-1"}
    assert conversation.id.startswith("conv_")


async def test_replies_are_scripted_per_input(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.responses.replies["Tell me a joke."] = "Two bytes meet. One is 0x41."
    response = await api.responses.create(
        model="gpt-4o", input="Tell me a joke.", instructions="Be funny."
    )
    assert response.output_text == "Two bytes meet. One is 0x41."
    assert response.instructions == "Be funny."


async def test_input_may_be_a_list_of_dicts_and_attrs(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    def items() -> Any:  # a one-shot iterable is sent as a list
        yield {"role": "developer", "content": "Answer in one word."}
        yield EasyInputMessage(role="user", content=[{"type": "input_text", "text": "Colour?"}])

    response = await api.responses.create(model="gpt-4o", input=items(), store=False)
    assert response.output_text == "Colour?"
    assert sent(fake)["input"] == [
        {"role": "developer", "content": "Answer in one word."},
        {"role": "user", "content": [{"type": "input_text", "text": "Colour?"}]},
    ]


async def test_previous_response_id_chains_the_history(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    first = await api.responses.create(model="gpt-4o", input="My name is Ada.")
    second = await api.responses.create(
        model="gpt-4o", input="What is my name?", previous_response_id=first.id
    )
    assert second.previous_response_id == first.id
    assert second.output_text == "What is my name?"
    assert first.usage is not None and second.usage is not None
    # the context now holds the first turn too
    assert second.usage.input_tokens > first.usage.input_tokens + first.usage.output_tokens
    page = await api.responses.input_items.list(second.id, order="asc")
    texts = [(item.type, getattr(item, "role", None)) for item in page.data]
    assert texts == [("message", "user"), ("message", "assistant"), ("message", "user")]
    kinds = [type(item) for item in page.data]  # as the SDK names them
    assert kinds == [ResponseInputMessageItem, ResponseOutputMessage, ResponseInputMessageItem]
    assert page.first_id == page.data[0].id and not page.has_more


async def test_input_items_are_walked_lazily(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    previous = None
    for n in range(3):
        previous = await api.responses.create(
            model="gpt-4o",
            input=f"turn {n}",
            previous_response_id=previous.id if previous else None,
        )
    assert previous is not None
    fake.requests.clear()
    ids = [item.id async for item in api.responses.input_items.list(previous.id, limit=2)]
    assert len(ids) == 5 and len(set(ids)) == 5
    assert len(fake.requests) == 3
    assert [r.query.get("after") for r in fake.requests] == [None, ids[1], ids[3]]
    first = await api.responses.input_items.list(previous.id, limit=2)
    assert first.has_more and first.data[0].id == ids[0]


async def test_an_unstored_response_cannot_be_found_or_continued(api: AsyncOpenAI) -> None:
    response = await api.responses.create(model="gpt-4o", input="Forget me.", store=False)
    assert response.store is False
    with pytest.raises(NotFoundError, match=f"Response with id '{response.id}' not found"):
        await api.responses.retrieve(response.id)
    with pytest.raises(NotFoundError) as info:
        await api.responses.create(model="gpt-4o", input="x", previous_response_id=response.id)
    assert info.value.param == "previous_response_id"


async def test_max_output_tokens_makes_it_incomplete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.responses.replies["Long?"] = "word " * 50
    response = await api.responses.create(model="gpt-4o", input="Long?", max_output_tokens=16)
    assert response.status == "incomplete"
    assert response.incomplete_details is not None
    assert response.incomplete_details.reason == "max_output_tokens"
    assert len(response.output_text) == 64


# -- the function-call round trip ---------------------------------------------------------------


async def test_a_function_call_round_trip(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    asked = await api.responses.create(
        model="gpt-4o", input="Weather in Oslo for 16 days?", tools=[WEATHER, TIME]
    )
    assert asked.output_text == ""
    weather, clock = asked.function_calls
    assert (weather.name, clock.name) == ("get_weather", "get_time")
    assert json.loads(weather.arguments) == {"city": "Oslo", "days": 16}
    assert weather.call_id.startswith("call_") and weather.call_id != clock.call_id
    assert sent(fake)["tools"][0] == {
        "name": "get_weather",
        "parameters": WEATHER.parameters,
        "strict": True,
        "type": "function",
    }
    answered = await api.responses.create(
        model="gpt-4o",
        previous_response_id=asked.id,
        input=[
            {"type": "function_call_output", "call_id": weather.call_id, "output": "Snow, -3C."},
            {"type": "function_call_output", "call_id": clock.call_id, "output": "09:00"},
        ],
        tools=[WEATHER, TIME],
    )
    assert answered.status == "completed" and answered.function_calls == []
    assert answered.output_text == "Snow, -3C. 09:00"
    kinds = [item.type async for item in api.responses.input_items.list(answered.id)]
    assert kinds == [
        "function_call_output",
        "function_call_output",
        "function_call",
        "function_call",
        "message",
    ]


async def test_feeding_the_output_back_as_input_works(api: AsyncOpenAI) -> None:
    asked = await api.responses.create(model="gpt-4o", input="Weather?", tools=[WEATHER])
    (call,) = asked.function_calls
    answered = await api.responses.create(
        model="gpt-4o",
        input=[
            {"role": "user", "content": "Weather?"},
            *asked.output,
            {"type": "function_call_output", "call_id": call.call_id, "output": "Rain."},
        ],
        tools=[WEATHER],
    )
    assert answered.output_text == "Rain."


async def test_call_ids_are_deterministic_and_tool_choice_is_honoured(api: AsyncOpenAI) -> None:
    one = await api.responses.create(model="gpt-4o", input="Paris", tools=[WEATHER, TIME])
    two = await api.responses.create(model="gpt-4o", input="Paris", tools=[WEATHER, TIME])
    assert [c.call_id for c in one.function_calls] == [c.call_id for c in two.function_calls]
    assert [c.id for c in one.function_calls] != [c.id for c in two.function_calls]
    named = await api.responses.create(
        model="gpt-4o",
        input="Paris",
        tools=[WEATHER, TIME],
        tool_choice={"type": "function", "name": "get_time"},
    )
    assert [c.name for c in named.function_calls] == ["get_time"]
    single = await api.responses.create(
        model="gpt-4o", input="Paris", tools=[WEATHER, TIME], parallel_tool_calls=False
    )
    assert [c.name for c in single.function_calls] == ["get_weather"]
    none = await api.responses.create(
        model="gpt-4o", input="Paris", tools=[WEATHER], tool_choice="none"
    )
    assert none.function_calls == [] and none.output_text == "Paris"
    assert isinstance(one.output[0], ResponseFunctionToolCall)


# -- background ---------------------------------------------------------------------------------


async def test_background_goes_queued_in_progress_completed(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    response = await api.responses.create(model="gpt-4o", input="Later.", background=True)
    assert (response.status, response.background, response.output) == ("queued", True, [])
    statuses = [(await api.responses.retrieve(response.id)).status for _ in range(3)]
    assert statuses == ["in_progress", "completed", "completed"]
    done = await api.responses.retrieve(response.id)
    assert done.output_text == "Later." and done.usage is not None


async def test_poll_waits_for_a_terminal_status(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    fake.state.responses.configure(polls=2)
    response = await api.responses.create(model="gpt-4o", input="Later.", background=True)
    fake.requests.clear()
    done = await api.responses.poll(response.id)
    assert done.status == "completed" and done.output_text == "Later."
    # queued was seen once at creation: one more look, then two of in_progress, then done
    assert [r.method for r in fake.requests] == ["GET"] * 4
    assert clock.sleeps == [0.25, 0.25, 0.25]


async def test_create_and_poll_is_background_by_default(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    fake.state.responses.configure(poll_after_ms=None)
    done = await api.responses.create_and_poll(
        model="gpt-4o", input="Wait for me.", poll_interval_ms=10
    )
    assert done.status == "completed" and done.background is True
    assert sent(fake, 0)["background"] is True
    assert clock.sleeps == [0.01, 0.01]
    raw = await api.responses.with_raw_response.create_and_poll(
        model="gpt-4o", input="raw", background=False
    )
    assert isinstance(raw, APIResponse) and raw.parse().status == "completed"
    assert sent(fake)["background"] is False


async def test_poll_deadline_raises_with_the_last_response(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    fake.state.responses.configure(polls=100, poll_after_ms=1000)
    response = await api.responses.create(model="gpt-4o", input="Slow.", background=True)
    with pytest.raises(PollTimeoutError) as info:
        await api.responses.poll(response.id, deadline=2.5)
    error = info.value
    assert isinstance(error, APITimeoutError)
    assert isinstance(error.last, Response) and error.run is None
    assert (error.last.id, error.last.status) == (response.id, "queued")
    assert f"Response {response.id}" in str(error) and "2.5 s" in str(error)
    assert clock.sleeps == [1.0, 1.0]


async def test_cancel_only_background_responses(api: AsyncOpenAI) -> None:
    queued = await api.responses.create(model="gpt-4o", input="Stop me.", background=True)
    cancelled = await api.responses.cancel(queued.id)
    assert cancelled.status == "cancelled"
    assert (await api.responses.retrieve(queued.id)).status == "cancelled"
    assert (await api.responses.poll(queued.id)).status == "cancelled"
    assert (await api.responses.cancel(queued.id)).status == "cancelled"
    plain = await api.responses.create(model="gpt-4o", input="Done.")
    with pytest.raises(BadRequestError, match="background"):
        await api.responses.cancel(plain.id)
    finished = await api.responses.create_and_poll(model="gpt-4o", input="x", poll_interval_ms=0)
    with pytest.raises(BadRequestError, match="status 'completed'"):
        await api.responses.cancel(finished.id)


async def test_polls_zero_settles_at_once(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.responses.configure(polls=0)
    response = await api.responses.create(model="gpt-4o", input="Now.", background=True)
    assert response.status == "completed"


# -- errors and the rest ------------------------------------------------------------------------


async def test_unknown_ids_are_404s(api: AsyncOpenAI) -> None:
    for call in (
        api.responses.retrieve("resp_nope"),
        api.responses.delete("resp_nope"),
        api.responses.cancel("resp_nope"),
        api.responses.input_items.list("resp_nope"),
    ):
        with pytest.raises(NotFoundError, match=r"Response with id 'resp_nope' not found\."):
            await call


async def test_bad_requests_name_their_param(api: AsyncOpenAI) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"input": "hi"}, "model"),
        ({"model": "gpt-4o"}, "input"),
        ({"model": "gpt-4o", "input": 3}, "input"),
        ({"model": "gpt-4o", "input": [{"role": "robot", "content": "x"}]}, "input[0].role"),
        ({"model": "gpt-4o", "input": "x", "max_output_tokens": 8}, "max_output_tokens"),
        ({"model": "gpt-4o", "input": "x", "temperature": 3}, "temperature"),
        ({"model": "gpt-4o", "input": "x", "background": True, "store": False}, "background"),
        ({"model": "gpt-4o", "input": "x", "tools": [{"type": "function"}]}, "tools[0].name"),
        ({"model": "gpt-4o", "input": "x", "extra_body": {"bogus": 1}}, "bogus"),
        (
            {"model": "gpt-4o", "input": "x", "previous_response_id": "r", "conversation": "c"},
            "conversation",
        ),
    ]
    for params, param in cases:
        with pytest.raises(BadRequestError) as info:
            await api.responses.create(**params)
        assert info.value.param == param, params


async def test_delete_forgets_a_response(api: AsyncOpenAI) -> None:
    response = await api.responses.create(model="gpt-4o", input="Bye.")
    assert await api.responses.delete(response.id) is None
    with pytest.raises(NotFoundError):
        await api.responses.retrieve(response.id)


async def test_bad_ids_and_arguments_fail_before_sending(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    with pytest.raises(ValueError, match="response_id"):
        await api.responses.retrieve("")
    with pytest.raises(ValueError, match="response_id"):
        await api.responses.poll("..")
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        await api.responses.create(model="gpt-4o", input="x", bogus=1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="poll_interval_ms"):
        await api.responses.create_and_poll(model="gpt-4o", input="x", poll_interval_ms=-1)
    assert fake.requests == []


async def test_the_raw_response_carries_the_headers(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    created = await api.responses.with_raw_response.create(model="gpt-4o", input="raw")
    assert isinstance(created, APIResponse)
    response = created.parse()
    assert response.output_text == "raw"
    assert created.headers["x-request-id"] == fake.requests[-1].request_id
    got = await api.responses.with_raw_response.retrieve(response.id)
    assert got.headers["openai-poll-after-ms"] == "250"


def test_configure_checks_its_arguments(fake: FakeOpenAI) -> None:
    state = fake.state.responses
    with pytest.raises(ValueError, match="polls"):
        state.configure(polls=-1)
    with pytest.raises(ValueError, match="chunk_size"):
        state.configure(chunk_size=0)
    with pytest.raises(ValueError, match="poll_after_ms"):
        state.configure(poll_after_ms=-5)
    state.configure(polls=3, chunk_size=7, poll_after_ms=None)
    assert (state.polls, state.chunk_size, state.poll_after_ms) == (3, 7, None)
