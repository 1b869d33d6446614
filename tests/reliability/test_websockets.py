"""WebSocket connections under stress: cancellation of a waiting ``recv()``, the message cap,
and close codes that say the request is bad, against real loopback servers (FakeOpenAI in a
thread, so the test's loop holds only the client's tasks; a tiny aiohttp app for close
codes FakeOpenAI never sends)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import pytest
from aiohttp import web
from support import FakeClock

from aio_openai import (
    AsyncOpenAI,
    ResponseTooLargeError,
    RetryPolicy,
    WebSocketConnectionClosedError,
)
from aio_openai.testing import FakeOpenAI

from ._servers import app_server

KEY: Final = "sk-test-websockets-0123456789abcdef"
MODEL: Final = "gpt-realtime"


@pytest.fixture
def threaded() -> Iterator[FakeOpenAI]:
    with FakeOpenAI().running_in_thread() as fake:
        yield fake


def other_tasks() -> set[asyncio.Task[Any]]:
    return asyncio.all_tasks() - {asyncio.current_task()}


async def test_cancelling_a_waiting_recv_closes_nothing_and_leaves_no_task(
    threaded: FakeOpenAI, clean_env: None
) -> None:
    async with (
        AsyncOpenAI(api_key=KEY, base_url=threaded.url) as client,
        client.realtime.connect(model=MODEL) as connection,
    ):
        assert (await connection.recv()).type == "session.created"
        waiter = asyncio.create_task(connection.recv())
        await asyncio.sleep(0)  # let it start: it now waits for a message
        with pytest.raises(RuntimeError, match="another task is already reading"):
            await connection.recv()  # proof that the waiter is inside recv()
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert other_tasks() == set()
        # the connection is open and lost nothing: the next exchange works
        await connection.session.update(session={"type": "realtime", "instructions": "Hi"})
        assert (await connection.recv()).session.instructions == "Hi"
        (session,) = threaded.state.realtime.sessions
        assert session.open
    assert other_tasks() == set()


async def test_cancelling_recv_during_a_reconnection_resumes_it_on_the_next_recv(
    threaded: FakeOpenAI, clean_env: None
) -> None:
    clock = FakeClock(gated=True)
    attempts: list[int] = []
    reconnecting = asyncio.Event()

    def hook(event: Any) -> None:
        attempts.append(event.attempt)
        reconnecting.set()

    threaded.faults.push("GET /v1/realtime", kind="stream_cut")
    policy = RetryPolicy(sleep=clock.sleep)
    async with (
        AsyncOpenAI(api_key=KEY, base_url=threaded.url, retry_policy=policy) as client,
        client.realtime.connect(model=MODEL, on_reconnecting=hook) as connection,
    ):
        await connection.recv()
        await connection.response.create()
        reader = asyncio.create_task(_read_until_session(connection))
        await reconnecting.wait()  # the reader sleeps in the backoff, at the gate
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader
        assert other_tasks() == set()
        clock.gate.set()
        event = await _read_until_session(connection)  # reconnects, with the next attempt
        assert event.type == "session.created"
    assert attempts == [1, 2]
    assert len(threaded.state.realtime.sessions) == 2
    assert other_tasks() == set()


async def _read_until_session(connection: Any) -> Any:
    while True:
        event = await connection.recv()
        if event.type == "session.created":
            return event


async def test_a_message_over_the_cap_raises_and_closes_the_connection(
    threaded: FakeOpenAI, clean_env: None
) -> None:
    threaded.state.realtime.configure(chunk_size=10_000)
    long_text = "word " * 1000  # one text delta of ~5 KB
    async with (
        AsyncOpenAI(api_key=KEY, base_url=threaded.url, max_response_bytes=4096) as client,
        client.realtime.connect(model=MODEL, on_reconnecting=lambda e: None) as connection,
    ):
        await connection.recv()
        await connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        await connection.conversation.item.create(
            item={
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": long_text}],
            }
        )
        await connection.response.create()
        with pytest.raises(ResponseTooLargeError, match="A WebSocket message is larger") as caught:
            while True:
                await connection.recv()
        assert caught.value.limit == 4096
        with pytest.raises(WebSocketConnectionClosedError) as closed:
            await connection.recv()  # 1009 (message too big) is not reconnected
        assert closed.value.close_code == 1009 and closed.value.attempts == 0
    assert len(threaded.state.realtime.sessions) == 1


async def test_max_size_in_the_connection_options_sets_the_cap(
    threaded: FakeOpenAI, clean_env: None
) -> None:
    threaded.state.realtime.configure(chunk_size=10_000)
    threaded.state.realtime.replies["long"] = "word " * 1000
    async with (
        AsyncOpenAI(api_key=KEY, base_url=threaded.url, max_response_bytes=4096) as client,
        client.realtime.connect(
            model=MODEL, websocket_connection_options={"max_size": 1 << 20}
        ) as connection,
    ):
        await connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        await connection.conversation.item.create(
            item={
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "long"}],
            }
        )
        await connection.response.create()
        async for event in connection:
            if event.type == "response.done":
                assert event.response.output[0].content[0].text == "word " * 1000
                break


@pytest.mark.parametrize(
    "options, error",
    [
        ({"extensions": [object()]}, ValueError),
        ({"compression": "gzip"}, ValueError),
        ({"max_size": 0}, ValueError),
        ({"ping_interval": 5}, TypeError),
    ],
)
async def test_bad_connection_options_fail_before_anything_is_sent(
    options: dict[str, Any], error: type[Exception], clean_env: None
) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url="http://127.0.0.1:9/v1")
    with pytest.raises(error):
        client.realtime.connect(model=MODEL, websocket_connection_options=options)
    with pytest.raises(TypeError, match="unexpected keyword argument 'retries'"):
        client.realtime.connect(model=MODEL, retries=3)
    with pytest.raises(ValueError, match="max_retries"):
        client.realtime.connect(model=MODEL, max_retries=-1)


# -- close codes ----------------------------------------------------------------------------------


def closing_app(code: int, reason: str = "bye") -> tuple[web.Application, list[int]]:
    """An app whose /v1/realtime sends ``session.created`` then closes with ``code`` the first
    time, and stays open after; the list counts the handshakes."""
    handshakes: list[int] = []

    async def connect(request: web.Request) -> web.WebSocketResponse:
        handshakes.append(1)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = {"type": "realtime", "id": f"sess_{len(handshakes)}"}
        await ws.send_json({"type": "session.created", "event_id": "e", "session": session})
        if len(handshakes) == 1:
            await ws.close(code=code, message=reason.encode())
        else:
            async for _ in ws:
                pass
        return ws

    app = web.Application()
    app.router.add_get("/v1/realtime", connect)
    return app, handshakes


@pytest.fixture
async def fast_client(clean_env: None) -> AsyncIterator[Any]:
    clock = FakeClock()

    def make(url: str) -> AsyncOpenAI:
        return AsyncOpenAI(api_key=KEY, base_url=url, retry_policy=RetryPolicy(sleep=clock.sleep))

    yield make


@pytest.mark.parametrize("code", [1002, 1003, 1007, 1008, 1009, 1010, 3000, 3003, 4000, 4999])
async def test_a_close_code_that_says_the_request_is_bad_is_not_retried(
    code: int, fast_client: Any
) -> None:
    app, handshakes = closing_app(code, "no")
    attempts: list[Any] = []
    async with (
        app_server(app) as url,
        fast_client(url) as client,
        client.realtime.connect(model=MODEL, on_reconnecting=attempts.append) as connection,
    ):
        assert (await connection.recv()).type == "session.created"
        with pytest.raises(WebSocketConnectionClosedError, match="close code does not call") as c:
            await connection.recv()
    assert c.value.close_code == code and c.value.close_reason == "no"
    assert attempts == [] and handshakes == [1]


@pytest.mark.parametrize("code", [1001, 1011, 1012, 1013, 1014])
async def test_a_close_code_of_a_passing_failure_is_reconnected(
    code: int, fast_client: Any
) -> None:
    app, handshakes = closing_app(code)
    codes: list[int] = []
    async with (
        app_server(app) as url,
        fast_client(url) as client,
        client.realtime.connect(
            model=MODEL, on_reconnecting=lambda e: codes.append(e.close_code)
        ) as connection,
    ):
        assert (await connection.recv()).session.id == "sess_1"
        assert (await connection.recv()).session.id == "sess_2"
    assert codes == [code] and handshakes == [1, 1]


async def test_a_normal_close_ends_the_iteration_quietly(fast_client: Any) -> None:
    app, handshakes = closing_app(1000)
    async with (
        app_server(app) as url,
        fast_client(url) as client,
        client.realtime.connect(model=MODEL, on_reconnecting=lambda e: None) as connection,
    ):
        seen = [event.type async for event in connection]
        with pytest.raises(WebSocketConnectionClosedError) as caught:
            await connection.recv()
    assert seen == ["session.created"] and handshakes == [1]
    assert caught.value.close_code == 1000


async def test_a_closed_connection_refuses_sends_and_ends_its_iteration(
    threaded: FakeOpenAI, clean_env: None
) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=threaded.url) as client:
        manager = client.realtime.connect(model=MODEL)
        connection = await manager.enter()
        await connection.close()
        with pytest.raises(WebSocketConnectionClosedError):
            await connection.send({"type": "response.create"})
        assert [event async for event in connection] == []


async def test_closing_from_another_task_ends_a_waiting_reader(
    threaded: FakeOpenAI, clean_env: None
) -> None:
    async with (
        AsyncOpenAI(api_key=KEY, base_url=threaded.url) as client,
        client.realtime.connect(model=MODEL) as connection,
    ):
        await connection.recv()

        async def read_all() -> list[str]:
            return [event.type async for event in connection]

        reader = asyncio.create_task(read_all())
        await asyncio.sleep(0)  # let it start waiting
        await connection.close()
        assert await reader == []
    assert other_tasks() == set()
    session = threaded.state.realtime.sessions[0]
    assert await asyncio.to_thread(session.ended.wait, 30)  # the server's thread got there
    assert not session.open


async def test_a_handler_may_close_the_connection_to_end_dispatch(
    threaded: FakeOpenAI, clean_env: None
) -> None:
    threaded.state.realtime.replies["ping"] = "pong"
    texts: list[str] = []
    async with (
        AsyncOpenAI(api_key=KEY, base_url=threaded.url) as client,
        client.realtime.connect(model=MODEL) as connection,
    ):

        @connection.on("response.output_text.delta")
        def on_delta(event: Any) -> None:
            texts.append(event.delta)

        @connection.once("response.done")
        async def on_done(event: Any) -> None:
            await connection.close()

        await connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        await connection.conversation.item.create(
            item={
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "ping"}],
            }
        )
        await connection.response.create()
        await connection.dispatch_events()
    assert "".join(texts) == "pong"
