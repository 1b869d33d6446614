"""Waiting for runs: ``runs.poll`` and the ``*_poll`` helpers.

Sleeps and the clock are injected through the client's RetryPolicy, so no test waits for real
between looks. Two tests use a hanging server (an ``asyncio.Protocol`` that never answers GETs,
so it runs no task of its own) to show that a deadline also bounds a look in flight and that
cancelling a poll leaves no task and no connection behind.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from deprecations import ASSISTANTS_API_DEPRECATED
from multidict import CIMultiDict, CIMultiDictProxy
from support import FakeClock as Clock

from aio_openai import (
    APIResponse,
    APITimeoutError,
    AsyncOpenAI,
    NotFoundError,
    PollTimeoutError,
    Request,
    Response,
    RetryPolicy,
)
from aio_openai._polling import DEFAULT_POLL_INTERVAL_MS, poll_interval
from aio_openai.testing import FakeOpenAI
from aio_openai.types.beta import FunctionDefinition, FunctionTool
from aio_openai.types.beta.threads import Run

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-poll-0123456789"
#: Bound on waits that must end on their own (seconds); only reached when a test fails.
GUARD: Final = 10.0


@pytest.fixture
def clock() -> Clock:
    """Starts at the real monotonic time: the client stamps its requests with that."""
    return Clock(time.monotonic())


@pytest.fixture
async def api(fake: FakeOpenAI, clock: Clock, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client on ``fake`` whose polls sleep on ``clock``; runs move one status per look."""
    fake.state.assistants.configure(polls=1, poll_after_ms=250)
    client = AsyncOpenAI(
        api_key=KEY,
        base_url=fake.url,
        retry_policy=RetryPolicy(sleep=clock.sleep, clock=clock),
    )
    try:
        yield client
    finally:
        await client.aclose()


async def start_run(client: AsyncOpenAI, *, tools: list[Any] | None = None) -> Run:
    assistant = await client.beta.assistants.create(model="gpt-4", tools=tools or [])
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    return await client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)


def run_gets(fake: FakeOpenAI) -> int:
    return sum(1 for r in fake.requests if r.method == "GET" and "/runs/run_" in r.path)


async def strip_poll_header(request: Request, call_next: Any) -> Response:
    """A middleware removing ``openai-poll-after-ms`` from every answer."""
    response: Response = await call_next(request)
    headers = CIMultiDict(response.headers)
    headers.popall("openai-poll-after-ms", None)
    response.headers = CIMultiDictProxy(headers)
    return response


# -- what poll returns --------------------------------------------------------------------------


async def test_poll_waits_for_completed(api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock) -> None:
    run = await start_run(api)
    fake.requests.clear()
    done = await api.beta.threads.runs.poll(run.id, run.thread_id or "")
    assert isinstance(done, Run)
    assert done.status == "completed"
    assert run_gets(fake) == 2  # in_progress, completed
    assert clock.sleeps == [0.25]
    assert done._request_id == fake.requests[-1].request_id


async def test_poll_accepts_thread_id_by_keyword(api: AsyncOpenAI, clock: Clock) -> None:
    run = await start_run(api)
    done = await api.beta.threads.runs.poll(run.id, thread_id=run.thread_id or "")
    assert done.status == "completed"


@pytest.mark.parametrize("status", ["requires_action", "cancelled"])
async def test_poll_stops_at_any_terminal_status(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock, status: str
) -> None:
    tool = FunctionTool(function=FunctionDefinition(name="f"))
    run = await start_run(api, tools=[tool])
    runs = api.beta.threads.runs
    thread_id = run.thread_id or ""
    if status == "cancelled":
        await runs.cancel(run.id, thread_id=thread_id)
    result = await runs.poll(run.id, thread_id)
    assert result.status == status
    fake.requests.clear()
    again = await runs.poll(run.id, thread_id)
    assert again.status == status
    assert run_gets(fake) == 1


async def test_poll_of_an_unknown_run_raises(api: AsyncOpenAI) -> None:
    run = await start_run(api)
    with pytest.raises(NotFoundError, match="No run found with id 'run_nope'"):
        await api.beta.threads.runs.poll("run_nope", run.thread_id or "")


async def test_raw_poll_returns_the_last_answer(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    run = await start_run(api)
    raw = await api.beta.threads.runs.with_raw_response.poll(run.id, run.thread_id or "")
    assert isinstance(raw, APIResponse)
    assert raw.parse().status == "completed"
    assert raw.request_id == fake.requests[-1].request_id


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"poll_interval_ms": -1}, "poll_interval_ms"),
        ({"poll_interval_ms": 1.5}, "poll_interval_ms"),
        ({"deadline": 0}, "deadline"),
        ({"deadline": -3.0}, "deadline"),
    ],
)
async def test_bad_poll_arguments_fail_before_sending(
    api: AsyncOpenAI, fake: FakeOpenAI, arguments: dict[str, Any], message: str
) -> None:
    fake.requests.clear()
    runs = api.beta.threads.runs
    with pytest.raises(ValueError, match=message):
        await runs.poll("run_1", "thread_1", **arguments)
    with pytest.raises(ValueError, match=message):
        await runs.create_and_poll(thread_id="thread_1", assistant_id="asst_1", **arguments)
    assert fake.requests == []


# -- how long it waits --------------------------------------------------------------------------


async def test_the_servers_poll_after_ms_wins(api: AsyncOpenAI, clock: Clock) -> None:
    run = await start_run(api)
    await api.beta.threads.runs.poll(run.id, run.thread_id or "", poll_interval_ms=5)
    assert clock.sleeps == [0.25]


async def test_without_the_header_poll_interval_ms_then_one_second(
    fake: FakeOpenAI, clock: Clock, clean_env: None
) -> None:
    fake.state.assistants.configure(polls=2)
    async with AsyncOpenAI(
        api_key=KEY,
        base_url=fake.url,
        middlewares=[strip_poll_header],
        retry_policy=RetryPolicy(sleep=clock.sleep, clock=clock),
    ) as client:
        run = await start_run(client)
        await client.beta.threads.runs.poll(run.id, run.thread_id or "", poll_interval_ms=40)
        assert clock.sleeps == [0.04, 0.04, 0.04]
        clock.sleeps.clear()
        run = await start_run(client)
        await client.beta.threads.runs.poll(run.id, run.thread_id or "")
    assert clock.sleeps == [DEFAULT_POLL_INTERVAL_MS / 1000] * 3


@pytest.mark.parametrize(
    ("header", "given", "expected"),
    [
        ("0", None, 0.0),
        ("1500", 10, 1.5),
        (None, 10, 0.01),
        ("soon", 10, 0.01),
        ("-5", None, 1.0),
        (None, None, 1.0),
    ],
)
def test_poll_interval(header: str | None, given: int | None, expected: float) -> None:
    headers = CIMultiDict() if header is None else CIMultiDict({"openai-poll-after-ms": header})

    class Raw:
        pass

    raw: Any = Raw()
    raw.headers = CIMultiDictProxy(headers)
    assert poll_interval(raw, given) == expected


# -- the deadline -------------------------------------------------------------------------------


async def test_deadline_raises_with_the_last_run_seen(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    fake.state.assistants.configure(polls=100, poll_after_ms=1000)
    run = await start_run(api)
    fake.requests.clear()
    with pytest.raises(PollTimeoutError) as info:
        await api.beta.threads.runs.poll(run.id, run.thread_id or "", deadline=2.5)
    error = info.value
    assert isinstance(error, APITimeoutError)
    assert error.run is not None
    assert (error.run.id, error.run.status) == (run.id, "queued")
    assert error.deadline == 2.5
    assert clock.sleeps == [1.0, 1.0]
    assert run_gets(fake) == 3
    assert run.id in str(error) and "queued" in str(error) and "2.5 s" in str(error)
    assert error.request is not None
    # Nothing was cancelled on the server.
    state = await api.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id or "")
    assert state.status == "queued"


async def test_a_deadline_long_enough_is_not_hit(api: AsyncOpenAI, clock: Clock) -> None:
    run = await start_run(api)
    done = await api.beta.threads.runs.poll(run.id, run.thread_id or "", deadline=0.26)
    assert done.status == "completed"
    assert clock.sleeps == [0.25]


async def test_timeout_keeps_its_per_request_meaning(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    run = await start_run(api)
    fake.requests.clear()
    done = await api.beta.threads.runs.poll(run.id, run.thread_id or "", timeout=30)
    assert done.status == "completed"
    assert run_gets(fake) == 2


# -- the helpers --------------------------------------------------------------------------------


async def test_create_and_poll(api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock) -> None:
    assistant = await api.beta.assistants.create(model="gpt-4")
    thread = await api.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    fake.requests.clear()
    run = await api.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, metadata={"k": "v"}
    )
    assert run.status == "completed" and run.metadata == {"k": "v"}
    assert [r.method for r in fake.requests] == ["POST", "GET", "GET"]
    assert fake.requests[0].json == {"assistant_id": assistant.id, "metadata": {"k": "v"}}
    assert clock.sleeps == [0.25, 0.25]


async def test_create_and_poll_with_a_deadline_shorter_than_the_first_wait(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    fake.state.assistants.configure(polls=100, poll_after_ms=1000)
    assistant = await api.beta.assistants.create(model="gpt-4")
    thread = await api.beta.threads.create()
    with pytest.raises(PollTimeoutError) as info:
        await api.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id, deadline=0.5
        )
    assert info.value.run is not None and info.value.run.status == "queued"
    assert clock.sleeps == []
    assert [r.method for r in fake.requests[-1:]] == ["POST"]


async def test_submit_tool_outputs_and_poll(api: AsyncOpenAI, clock: Clock) -> None:
    tool = FunctionTool(function=FunctionDefinition(name="get_weather"))
    run = await start_run(api, tools=[tool])
    runs = api.beta.threads.runs
    waiting = await runs.poll(run.id, run.thread_id or "")
    assert waiting.required_action is not None
    calls = waiting.required_action.submit_tool_outputs.tool_calls
    done = await runs.submit_tool_outputs_and_poll(
        tool_outputs=[{"tool_call_id": c.id, "output": "sunny"} for c in calls],
        run_id=run.id,
        thread_id=run.thread_id or "",
    )
    assert done.status == "completed"
    assert done.id == run.id


async def test_create_and_run_poll(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    assistant = await api.beta.assistants.create(model="gpt-4")
    fake.requests.clear()
    run = await api.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "hello"}]},
    )
    assert run.status == "completed"
    paths = [r.path for r in fake.requests]
    assert paths[0] == "/v1/threads/runs"
    assert paths[1:] == [f"/v1/threads/{run.thread_id}/runs/{run.id}"] * 2


async def test_helpers_with_instant_runs_make_no_extra_look(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    fake.state.assistants.configure(polls=0)
    assistant = await api.beta.assistants.create(model="gpt-4")
    fake.requests.clear()
    run = await api.beta.threads.create_and_run_poll(assistant_id=assistant.id)
    assert run.status == "completed"
    assert len(fake.requests) == 1 and clock.sleeps == []


# -- cancelling ---------------------------------------------------------------------------------


async def test_cancelling_a_sleeping_poll_leaves_nothing_behind(
    fake_openai: FakeOpenAI, clean_env: None
) -> None:
    # The server runs in a thread of its own: every task of this loop is the client's.
    fake_openai.state.assistants.configure(polls=100, poll_after_ms=60_000)
    sleeping = asyncio.Event()

    async def sleep(seconds: float) -> None:
        sleeping.set()
        await asyncio.Event().wait()

    before = asyncio.all_tasks()
    async with AsyncOpenAI(
        api_key=KEY, base_url=fake_openai.url, retry_policy=RetryPolicy(sleep=sleep)
    ) as client:
        run = await start_run(client)
        task = asyncio.create_task(client.beta.threads.runs.poll(run.id, run.thread_id or ""))
        async with asyncio.timeout(GUARD):
            await sleeping.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert asyncio.all_tasks() == before
        connector = client._pool.session().connector
        assert connector is not None and not connector._acquired
        state = await client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id or "")
        assert state.status == "queued"


class Hanging(asyncio.Protocol):
    """An HTTP server that answers a POST with a queued run and never answers anything else."""

    RUN: Final = {
        "id": "run_hang",
        "object": "thread.run",
        "thread_id": "thread_hang",
        "assistant_id": "asst_hang",
        "status": "queued",
    }

    def __init__(self, seen: list[str], hung: asyncio.Event) -> None:
        self.seen = seen
        self.hung = hung
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, _, rest = self.buffer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            fields = dict(line.lower().split(": ", 1) for line in lines[1:])
            length = int(fields.get("content-length", "0"))
            if len(rest) < length:
                return
            self.buffer = rest[length:]
            method = lines[0].split(" ", 1)[0]
            self.seen.append(method)
            if method != "POST":
                self.hung.set()
                return
            body = json.dumps(self.RUN).encode()
            self.transport.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"openai-poll-after-ms: 0\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )


@pytest.fixture
async def hanging(clean_env: None) -> AsyncIterator[tuple[AsyncOpenAI, list[str], asyncio.Event]]:
    seen: list[str] = []
    hung = asyncio.Event()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Hanging(seen, hung), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = AsyncOpenAI(api_key=KEY, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    try:
        yield client, seen, hung
    finally:
        await client.aclose()
        server.close()
        await server.wait_closed()


async def test_cancelling_a_poll_in_flight_leaves_nothing_behind(
    hanging: tuple[AsyncOpenAI, list[str], asyncio.Event],
) -> None:
    client, seen, hung = hanging
    before = asyncio.all_tasks()
    task = asyncio.create_task(client.beta.threads.runs.poll("run_hang", "thread_hang"))
    async with asyncio.timeout(GUARD):
        await hung.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert asyncio.all_tasks() == before
    connector = client._pool.session().connector
    assert connector is not None and not connector._acquired
    assert seen == ["GET"]


async def test_the_deadline_bounds_a_look_in_flight(
    hanging: tuple[AsyncOpenAI, list[str], asyncio.Event],
) -> None:
    client, seen, _ = hanging
    before = asyncio.all_tasks()
    with pytest.raises(PollTimeoutError) as info:
        async with asyncio.timeout(GUARD):  # a hang fails the test instead of stalling it
            await client.beta.threads.runs.create_and_poll(
                thread_id="thread_hang", assistant_id="asst_hang", deadline=0.2
            )
    assert info.value.run is not None and info.value.run.id == "run_hang"
    assert info.value.run.status == "queued"
    assert seen == ["POST", "GET"]
    assert asyncio.all_tasks() == before
    connector = client._pool.session().connector
    assert connector is not None and not connector._acquired
