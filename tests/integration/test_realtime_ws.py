"""The WebSocket APIs against FakeOpenAI over real loopback WebSockets: a Realtime session with a
tool call, audio, the protocol's errors, reconnection by the retry policy's rules (dropped
sockets, refused upgrades, the budget), and the other connect paths the fake serves."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from typing import Any, Final

import pydantic
import pytest
from openai.types.beta.realtime import RealtimeServerEvent as SDKBetaRealtimeServerEvent
from openai.types.realtime import RealtimeServerEvent as SDKRealtimeServerEvent
from support import FakeClock

from aio_openai import (
    AsyncOpenAI,
    AuthenticationError,
    InternalServerError,
    RetryBudget,
    RetryPolicy,
    WebSocketConnectionClosedError,
    WebSocketQueueFullError,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._audio.wav import pcm
from aio_openai.types import UnknownVariant
from aio_openai.types.realtime import (
    ConversationItemCreatedEvent,
    RealtimeErrorEvent,
    ResponseDoneEvent,
    SessionCreatedEvent,
)
from aio_openai.types.websocket_reconnection import ReconnectingEvent

KEY: Final = "sk-test-realtime-0123456789abcdef"
MODEL: Final = "gpt-realtime"
CONNECT: Final = "GET /v1/realtime"
WEATHER: Final = {
    "type": "function",
    "name": "get_weather",
    "description": "The weather in a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None, clock: FakeClock) -> AsyncIterator[AsyncOpenAI]:
    """A client whose retries sleep on the fake clock, with full jitter at its midpoint."""
    policy = RetryPolicy(sleep=clock.sleep, random=lambda: 0.5)
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=policy) as c:
        yield c


def handshakes(fake: FakeOpenAI, path: str = "/v1/realtime") -> int:
    return sum(1 for r in fake.requests if r.method == "GET" and r.path == path)


async def until(connection: Any, kind: str) -> list[Any]:
    """The events read up to and including the first of type ``kind``."""
    seen = []
    async for event in connection:
        seen.append(event)
        if event.type == kind:
            return seen
    raise AssertionError(f"the connection ended before {kind}: {[e.type for e in seen]}")


def user_text(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


# -- a session ----------------------------------------------------------------------------------


async def test_a_bot_calls_a_tool_and_answers_with_its_output(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    async with client.realtime.connect(model=MODEL) as connection:
        created = await connection.recv()
        assert isinstance(created, SessionCreatedEvent)
        await connection.session.update(
            session={"type": "realtime", "output_modalities": ["text"], "tools": [WEATHER]}
        )
        updated = await connection.recv()
        assert updated.type == "session.updated"
        assert updated.session.tools[0].name == "get_weather"
        await connection.conversation.item.create(item=user_text("What's the weather in Lisbon?"))
        item = await connection.recv()
        assert isinstance(item, ConversationItemCreatedEvent)
        assert item.item.id.startswith("item_") and item.item.status == "completed"

        await connection.response.create()
        events = await until(connection, "response.done")
        call = events[-1].response.output[0]
        assert call.type == "function_call" and call.name == "get_weather"
        assert json.loads(call.arguments) == {"city": "Lisbon"}
        deltas = "".join(
            e.delta for e in events if e.type == "response.function_call_arguments.delta"
        )
        assert deltas == call.arguments

        await connection.conversation.item.create(
            item={"type": "function_call_output", "call_id": call.call_id, "output": "Sunny, 24C"}
        )
        await until(connection, "conversation.item.created")
        await connection.response.create()
        events = await until(connection, "response.done")
        text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
        assert text == "Sunny, 24C"
        done = events[-1]
        assert isinstance(done, ResponseDoneEvent) and done.response.status == "completed"
        assert done.response.output[0].content[0].text == text
        assert done.response.usage.output_tokens > 0
    (session,) = fake.state.realtime.sessions
    assert await asyncio.to_thread(session.ended.wait, 30)  # the server saw the end
    assert not session.open  # the manager closed it
    assert [e["type"] for e in session.received] == [
        "session.update",
        "conversation.item.create",
        "response.create",
        "conversation.item.create",
        "response.create",
    ]


async def test_the_key_goes_in_a_header_never_in_the_url(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    async with client.realtime.connect(
        model=MODEL, extra_query={"trace": "1"}, extra_headers={"X-Trace": "yes"}
    ) as connection:
        await connection.recv()
        assert connection.request_id is not None and connection.request_id.startswith("req_")
    (handshake,) = [r for r in fake.requests if r.path == "/v1/realtime"]
    assert KEY not in handshake.raw_path
    assert handshake.query["model"] == MODEL and handshake.query["trace"] == "1"
    assert handshake.headers["Authorization"] == f"Bearer {KEY}"
    assert handshake.headers["X-Trace"] == "yes"


async def test_audio_deltas_are_the_pcm_of_the_fakes_wav(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.realtime.replies["Say hi"] = "Hi there"
    async with client.realtime.connect(model=MODEL) as connection:
        await connection.conversation.item.create(item=user_text("Say hi"))
        await connection.response.create()
        events = await until(connection, "response.done")
    audio = b"".join(
        base64.b64decode(e.delta) for e in events if e.type == "response.output_audio.delta"
    )
    assert audio == pcm("Hi there")
    transcript = "".join(
        e.delta for e in events if e.type == "response.output_audio_transcript.delta"
    )
    assert transcript == "Hi there"
    assert events[-1].response.output[0].content[0].transcript == "Hi there"


async def test_bad_events_get_error_events_and_the_session_goes_on(client: AsyncOpenAI) -> None:
    async with client.realtime.connect(model=MODEL) as connection:
        await connection.recv()
        await connection.send({"type": "nonsense.event", "event_id": "evt_1"})
        await connection.send_raw("{not json")
        await connection.send({"event_id": "evt_2"})
        await connection.conversation.item.create(item={"type": "message"})
        await connection.session.update(session={"output_modalities": ["text"]})
        errors = [await connection.recv() for _ in range(5)]
        assert all(isinstance(e, RealtimeErrorEvent) for e in errors)
        assert errors[0].error.code == "invalid_value" and errors[0].error.event_id == "evt_1"
        assert errors[1].error.code == "invalid_json"
        assert errors[2].error.message == "The 'type' field is missing."
        assert errors[3].error.param == "item.role"
        assert errors[4].error.param == "session.type"
        await connection.session.update(session={"type": "realtime", "instructions": "Be brief"})
        assert (await connection.recv()).session.instructions == "Be brief"


async def test_dispatch_events_calls_the_handlers_and_raises_an_unhandled_error(
    client: AsyncOpenAI,
) -> None:
    manager = client.realtime.connect(model=MODEL)
    seen: list[str] = []
    manager.on("session.created", lambda event: seen.append(event.type))
    manager.send({"type": "bogus"})  # queued, sent as the connection opens
    async with manager as connection:
        with pytest.raises(Exception, match="WebSocket error event: Invalid value: 'bogus'"):
            await connection.dispatch_events()
    assert seen == ["session.created"]


async def test_helpers_check_their_keywords(client: AsyncOpenAI) -> None:
    async with client.realtime.connect(model=MODEL) as connection:
        with pytest.raises(TypeError, match=r"missing required keyword-only argument.*'item'"):
            await connection.conversation.item.create()
        with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
            await connection.session.update(session={}, colour="red")


async def test_every_event_the_fake_sends_is_typed_and_valid_for_the_sdk(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    sdk = pydantic.TypeAdapter(SDKRealtimeServerEvent)
    async with client.realtime.connect(model=MODEL) as connection:
        await connection.session.update(session={"type": "realtime", "tools": [WEATHER]})
        await connection.conversation.item.create(item=user_text("Weather in Paris?"))
        await connection.response.create()
        await connection.response.create(
            response={"output_modalities": ["audio"], "tool_choice": "none"}
        )
        await connection.input_audio_buffer.append(audio=base64.b64encode(b"\0" * 9600).decode())
        await connection.input_audio_buffer.commit()
        await connection.conversation.item.truncate(
            item_id="item_missing", content_index=0, audio_end_ms=0
        )
        raw = []
        while (
            len([r for r in raw if json.loads(r)["type"] == "response.done"]) < 2 or len(raw) < 40
        ):
            raw.append(await connection.recv_bytes())
            if json.loads(raw[-1])["type"] == "error":
                break
    kinds = {json.loads(r)["type"] for r in raw}
    assert {
        "session.created",
        "response.output_audio.delta",
        "input_audio_buffer.committed",
        "response.function_call_arguments.done",
        "error",
    } <= kinds
    for data in raw:
        ours = connection.parse_event(data)
        assert not isinstance(ours, UnknownVariant), data[:80]
        sdk.validate_json(data)


async def test_the_beta_protocol_has_its_own_event_names(client: AsyncOpenAI) -> None:
    sdk = pydantic.TypeAdapter(SDKBetaRealtimeServerEvent)
    async with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as connection:
        created = await connection.recv_bytes()
        await connection.response.create(response={"modalities": ["text", "audio"]})
        raw = [created]
        while json.loads(raw[-1])["type"] != "response.done":
            raw.append(await connection.recv_bytes())
    kinds = [json.loads(r)["type"] for r in raw]
    assert "response.audio.delta" in kinds and "response.audio_transcript.delta" in kinds
    for data in raw:
        assert not isinstance(connection.parse_event(data), UnknownVariant)
        sdk.validate_json(data)


async def test_responses_over_a_websocket(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    async with client.responses.connect() as connection:
        await connection.response.create(model="gpt-4o", input="Hello there")
        events = await until(connection, "response.completed")
        text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
        assert text == "Hello there"
        await connection.response.create(model="gpt-unknown", input="Hello")
        error = await connection.recv()
        assert error.type == "error" and error.code == "model_not_found"
    response_id = events[-1].response.id
    assert (await client.responses.retrieve(response_id)).id == response_id


# -- reconnection -------------------------------------------------------------------------------


async def test_a_dropped_socket_is_reopened_within_the_retry_policy(
    client: AsyncOpenAI, fake: FakeOpenAI, clock: FakeClock
) -> None:
    fake.faults.push(CONNECT, kind="stream_cut")  # cut the first response after its first event
    attempts: list[ReconnectingEvent] = []
    async with client.realtime.connect(
        model=MODEL, on_reconnecting=attempts.append, initial_delay=0.2, max_delay=1.0
    ) as connection:
        first = await connection.recv()
        await connection.response.create()
        events = await until(connection, "session.created")  # the new session's first event
        second = events[-1]
        assert second.session.id != first.session.id
        assert all(e.type.startswith("response.") for e in events[:-1])
        await connection.conversation.item.create(item=user_text("still there?"))
        assert (await connection.recv()).type == "conversation.item.created"
    assert [(a.attempt, a.max_attempts, a.close_code, a.delay) for a in attempts] == [
        (1, 5, 1006, 0.1)  # full jitter: 0.5 of initial_delay
    ]
    assert clock.sleeps == [0.1]
    assert handshakes(fake) == 2 and len(fake.state.realtime.sessions) == 2
    assert client.stats.retries == 1 and client.stats.retries_by_cause == {"close_1006": 1}


async def test_a_refused_upgrade_with_401_fails_at_once(
    client: AsyncOpenAI, fake: FakeOpenAI, clock: FakeClock
) -> None:
    fake.faults.push(CONNECT, status=401)
    with pytest.raises(AuthenticationError) as caught:
        async with client.realtime.connect(model=MODEL, on_reconnecting=lambda e: None):
            pytest.fail("connected")
    assert caught.value.status_code == 401 and caught.value.code == "invalid_api_key"
    assert caught.value.request_id is not None
    assert handshakes(fake) == 1 and clock.sleeps == [] and client.stats.retries == 0


async def test_a_503_upgrade_is_retried_then_fails_with_its_typed_error(
    client: AsyncOpenAI, fake: FakeOpenAI, clock: FakeClock
) -> None:
    fake.faults.push(CONNECT, status=503, times=2)
    async with client.realtime.connect(model=MODEL, max_retries=2) as connection:
        assert (await connection.recv()).type == "session.created"
    assert handshakes(fake) == 3 and clock.sleeps == [0.25, 0.5]

    fake.requests.clear()
    fake.faults.push(CONNECT, status=503, times=4)
    with pytest.raises(InternalServerError) as caught:
        await client.realtime.connect(model=MODEL, max_retries=3).enter()
    assert caught.value.status_code == 503
    assert handshakes(fake) == 4
    assert clock.sleeps[2:] == [0.25, 0.5, 1.0]
    assert client.stats.gave_up["max_retries"] == 1


async def test_reconnection_gives_up_with_a_typed_error_when_its_attempts_run_out(
    client: AsyncOpenAI, fake: FakeOpenAI, clock: FakeClock
) -> None:
    fake.faults.push(CONNECT, kind="stream_cut")
    attempts: list[ReconnectingEvent] = []
    async with client.realtime.connect(
        model=MODEL, on_reconnecting=attempts.append, max_retries=2
    ) as connection:
        await connection.recv()
        fake.faults.push(CONNECT, status=503, times=2)
        await connection.response.create()
        with pytest.raises(WebSocketConnectionClosedError) as caught:
            await until(connection, "session.created")
    error = caught.value
    assert error.close_code == 1006 and error.attempts == 2
    assert isinstance(error.__cause__, InternalServerError)
    assert [a.attempt for a in attempts] == [1, 2]
    assert handshakes(fake) == 3 and len(clock.sleeps) == 2
    assert client.stats.gave_up["max_retries"] == 1


async def test_a_401_while_reconnecting_stops_at_once(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.faults.push(CONNECT, kind="stream_cut")
    attempts: list[ReconnectingEvent] = []
    async with client.realtime.connect(model=MODEL, on_reconnecting=attempts.append) as connection:
        await connection.recv()
        fake.faults.push(CONNECT, status=401)
        await connection.response.create()
        with pytest.raises(WebSocketConnectionClosedError) as caught:
            await until(connection, "session.created")
    assert isinstance(caught.value.__cause__, AuthenticationError)
    assert caught.value.attempts == 1 and len(attempts) == 1 and handshakes(fake) == 2


async def test_without_on_reconnecting_a_drop_ends_the_connection(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.faults.push(CONNECT, kind="stream_cut")
    async with client.realtime.connect(model=MODEL) as connection:
        await connection.recv()
        await connection.response.create()
        with pytest.raises(WebSocketConnectionClosedError, match="reconnection is off") as caught:
            await until(connection, "session.created")
        assert caught.value.close_code == 1006 and caught.value.attempts == 0
        with pytest.raises(WebSocketConnectionClosedError):
            await connection.send({"type": "response.create"})
    assert handshakes(fake) == 1


async def test_reconnection_is_paid_from_the_retry_budget(
    fake: FakeOpenAI, clean_env: None
) -> None:
    clock = FakeClock()
    policy = RetryPolicy(sleep=clock.sleep)
    budget = RetryBudget(initial=0, ratio=0)
    async with AsyncOpenAI(
        api_key=KEY, base_url=fake.url, retry_policy=policy, retry_budget=budget
    ) as client:
        fake.faults.push(CONNECT, kind="stream_cut")
        async with client.realtime.connect(model=MODEL, on_reconnecting=lambda e: None) as conn:
            await conn.recv()
            await conn.response.create()
            with pytest.raises(WebSocketConnectionClosedError, match="retry budget") as caught:
                await until(conn, "session.created")
            budget.tokens = 10  # money again, but the connection ended for good
            with pytest.raises(WebSocketConnectionClosedError, match="already closed for good"):
                await conn.recv()
            with pytest.raises(WebSocketConnectionClosedError):
                await conn.send({"type": "response.create"})
    assert caught.value.attempts == 0 and clock.sleeps == []
    assert budget.refused == 1 and client.stats.gave_up["budget"] == 1
    assert handshakes(fake) == 1


async def test_on_reconnecting_may_change_the_headers_or_abort(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.faults.push(CONNECT, kind="stream_cut")
    fake.faults.push(CONNECT, kind="stream_cut")

    seen: list[ReconnectingEvent] = []

    def hook(event: ReconnectingEvent) -> dict[str, Any]:
        seen.append(event)
        if len(seen) == 1:
            return {"extra_headers": {"X-Attempt": "1"}}
        return {"abort": True}

    async with client.realtime.connect(model=MODEL, on_reconnecting=hook) as connection:
        await connection.recv()
        await connection.response.create()
        await until(connection, "session.created")
        await connection.response.create()
        with pytest.raises(WebSocketConnectionClosedError, match="aborted"):
            await until(connection, "session.created")
    second = [r for r in fake.requests if r.path == "/v1/realtime"][1]
    assert second.headers["X-Attempt"] == "1"
    # the server's events after the first reconnection reset the attempts: each outage counts
    # its own, from 1
    assert [e.attempt for e in seen] == [1, 1]
    assert seen[1].extra_headers == {"X-Attempt": "1"}


async def test_a_server_error_event_and_1011_close_are_recovered(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.faults.push(CONNECT, kind="stream_error")
    codes: list[int] = []
    async with client.realtime.connect(
        model=MODEL, on_reconnecting=lambda e: codes.append(e.close_code)
    ) as connection:
        await connection.recv()
        await connection.response.create()
        events = await until(connection, "session.created")
    assert events[-2].type == "error" and events[-2].error.type == "server_error"
    assert codes == [1011]


async def test_sends_while_reconnecting_are_queued_and_sent_once_open(
    fake: FakeOpenAI, clean_env: None
) -> None:
    clock = FakeClock(gated=True)  # the reconnection waits at the gate until the test opens it
    policy = RetryPolicy(sleep=clock.sleep)
    reconnecting = asyncio.Event()
    fake.faults.push(CONNECT, kind="stream_cut")
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=policy)
    manager = client.realtime.connect(
        model=MODEL, on_reconnecting=lambda e: reconnecting.set(), max_queue_size=400
    )
    async with client, manager as connection:
        await connection.recv()
        await connection.response.create()
        reader = asyncio.create_task(until(connection, "session.created"))
        await reconnecting.wait()  # the reader is in the backoff's sleep, at the gate
        await connection.conversation.item.create(item=user_text("queued"))
        with pytest.raises(WebSocketQueueFullError):
            await connection.conversation.item.create(item=user_text("x" * 400))
        clock.gate.set()
        await reader
        created = await connection.recv()
        assert created.type == "conversation.item.created"
        assert created.item.content[0].text == "queued"
    second = fake.state.realtime.sessions[1]
    assert [e["type"] for e in second.received] == ["conversation.item.create"]


async def test_messages_queued_when_reconnection_fails_come_back_on_the_error(
    fake: FakeOpenAI, clean_env: None
) -> None:
    clock = FakeClock(gated=True)
    reconnecting = asyncio.Event()
    fake.faults.push(CONNECT, kind="stream_cut")
    client = AsyncOpenAI(
        api_key=KEY, base_url=fake.url, retry_policy=RetryPolicy(sleep=clock.sleep)
    )
    manager = client.realtime.connect(model=MODEL, on_reconnecting=lambda e: reconnecting.set())
    async with client, manager as connection:
        await connection.recv()
        await connection.response.create()
        reader = asyncio.create_task(until(connection, "session.created"))
        await reconnecting.wait()
        await connection.send({"type": "response.create", "event_id": "evt_late"})
        fake.faults.push(CONNECT, status=403)
        clock.gate.set()
        with pytest.raises(WebSocketConnectionClosedError) as caught:
            await reader
    error = caught.value
    assert [json.loads(m)["event_id"] for m in error.unsent_messages] == ["evt_late"]
    assert error.unsent_frames == error.unsent_messages
    assert type(error.__cause__).__name__ == "PermissionDeniedError"
