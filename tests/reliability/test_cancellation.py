"""Cancellation at random points: a web request whose user went away.

Calls are cancelled at seeded-random moments in each phase of their life: while the request is
at the server, while waiting for a rate-limit slot, while sleeping between retries, while
reading a body and mid-stream. After each: the task ends with CancelledError, the limiter's
reservations are back (an explicit limit and a frozen clock give exact numbers), no connection
is left checked out, no task is left behind, and the same client goes on working.

The servers run in threads of their own, so every task of the test's loop is the client's:
``asyncio.all_tasks()`` must be the test alone afterwards.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Final

import pytest
from aiohttp import web
from support import FakeClock as Clock

from aio_openai import AsyncOpenAI, RateLimiter, RetryPolicy
from aio_openai.testing import FakeOpenAI

KEY: Final = "sk-cancel-0123456789"
RPM: Final = 5
CHAT_MODEL: Final = "gpt-4o-mini"
MODEL: Final = "gpt-4"
SEEDS: Final = range(8)
#: The longest a test waits for a phase to be reached; never reached in a passing run.
GUARD: Final = 10.0


async def until(predicate: Callable[[], bool]) -> None:
    """Hop through the loop until ``predicate`` holds (bounded by GUARD)."""
    async with asyncio.timeout(GUARD):
        while not predicate():
            await asyncio.sleep(0)


async def hops(n: int) -> None:
    """Let the loop run ``n`` times: the random moment after a phase is reached."""
    for _ in range(n):
        await asyncio.sleep(0)


async def cancelled(task: asyncio.Task[Any]) -> None:
    """Cancel ``task`` and check that it ends with CancelledError."""
    task.cancel()
    async with asyncio.timeout(GUARD):
        with pytest.raises(asyncio.CancelledError):
            await task


@pytest.fixture
def clock() -> Clock:
    """Frozen for the limiter (no refill unless advanced); its sleeps wait for the gate."""
    return Clock(0.0, gated=True)


@pytest.fixture
async def client(fake_openai: FakeOpenAI, clock: Clock) -> AsyncIterator[AsyncOpenAI]:
    """A client on the threaded fake with an explicit limit of RPM requests and no refill."""
    limiter = RateLimiter(rpm=RPM, clock=clock, sleep=clock.sleep)
    c = AsyncOpenAI(
        api_key=KEY, base_url=fake_openai.url, rate_limiter=limiter, max_retries=0, timeout=30
    )
    try:
        yield c
    finally:
        await c.aclose()


def pair(client: AsyncOpenAI, model: str = "*") -> dict[str, Any]:
    assert isinstance(client.rate_limiter, RateLimiter)
    return client.rate_limiter.snapshot()[model]


def in_use(client: AsyncOpenAI) -> int:
    """Connections checked out of the pool (idle keep-alive ones not counted)."""
    connector = client._pool.session().connector
    assert connector is not None
    return len(connector._acquired)


def check_left_nothing(client: AsyncOpenAI, *, level: float, model: str = "*") -> None:
    state = pair(client, model)
    assert state["inflight"] == 0
    assert state["waiting"] == 0
    assert state["level_requests"] == level
    assert in_use(client) == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def check_still_works(client: AsyncOpenAI, level: float) -> None:
    """A following call succeeds on the same client and takes exactly one slot."""
    model = await client.models.retrieve(MODEL)
    assert model.id == MODEL
    assert pair(client)["level_requests"] == level - 1
    assert pair(client)["inflight"] == 0
    assert in_use(client) == 0


# -- (a) while the request is at the server -----------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
async def test_cancel_while_the_server_holds_the_request(
    fake_openai: FakeOpenAI, client: AsyncOpenAI, seed: int
) -> None:
    rng = random.Random(seed)
    fake_openai.faults.push("GET /v1/models/{model}", kind="delay", delay=60)
    task = asyncio.ensure_future(client.models.retrieve(MODEL))
    await until(lambda: len(fake_openai.requests) == 1)
    await hops(rng.randrange(20))
    await cancelled(task)
    # the server saw it, but the call was given up: the limiter gives the slot back
    check_left_nothing(client, level=RPM)
    await check_still_works(client, RPM)
    assert len(fake_openai.requests) == 2


@pytest.mark.parametrize("seed", range(16))
async def test_cancel_at_a_random_moment_from_the_start(
    fake_openai: FakeOpenAI, client: AsyncOpenAI, seed: int
) -> None:
    """Wherever the cancellation lands (limiter, connect, send, wait), nothing is left."""
    rng = random.Random(seed)
    fake_openai.faults.push("GET /v1/models/{model}", kind="delay", delay=60)
    task = asyncio.ensure_future(client.models.retrieve(MODEL))
    await hops(rng.randrange(1, 120))
    assert not task.done()
    await cancelled(task)
    fake_openai.faults.clear()  # the delay is still pending if the request never got there
    check_left_nothing(client, level=RPM)
    await check_still_works(client, RPM)


# -- (b) while waiting for a rate-limit slot ----------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
async def test_cancel_while_waiting_for_a_rate_limit_slot(
    fake_openai: FakeOpenAI, client: AsyncOpenAI, clock: Clock, seed: int
) -> None:
    rng = random.Random(seed)
    for _ in range(RPM):  # spend every slot (the clock is frozen: nothing refills)
        await client.models.retrieve(MODEL)
    assert pair(client)["level_requests"] == 0
    waiters = [asyncio.ensure_future(client.models.retrieve(MODEL)) for _ in range(4)]
    await until(lambda: pair(client)["waiting"] == 4 and clock.sleeping == 1)
    doomed = rng.sample(waiters, rng.randint(1, 4))
    for task in doomed:
        await hops(rng.randrange(10))
        task.cancel()
    for task in doomed:
        await cancelled(task)
    survivors = [t for t in waiters if t not in doomed]
    await until(lambda: pair(client)["waiting"] == len(survivors))
    assert pair(client)["level_requests"] == 0
    assert pair(client)["inflight"] == 0
    assert len(fake_openai.requests) == RPM  # no waiter reached the server
    # a minute later the bucket is full again and the survivors go, first come first served
    clock.now += 600
    clock.gate.set()
    async with asyncio.timeout(GUARD):
        assert [m.id for m in await asyncio.gather(*survivors)] == [MODEL] * len(survivors)
    # (the snapshot shows the level as of the last refill, which only a taker triggers)
    check_left_nothing(client, level=RPM - len(survivors) if survivors else 0)
    clock.now += 600
    await check_still_works(client, RPM)


# -- (c) while sleeping between retries ---------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
async def test_cancel_while_sleeping_between_retries(
    fake_openai: FakeOpenAI, client: AsyncOpenAI, seed: int
) -> None:
    rng = random.Random(seed)
    fake_openai.faults.push("GET /v1/models/{model}", status=503)
    slow = RetryPolicy(max_retries=3, initial_delay=60, max_delay=60, random=lambda: 1.0)
    retrying = client.with_options(retry_policy=slow)
    task = asyncio.ensure_future(retrying.models.retrieve(MODEL))
    await until(lambda: client.stats.retries == 1)  # the backoff sleep is next
    await hops(rng.randrange(20))
    await cancelled(task)
    assert len(fake_openai.requests) == 1
    assert client.stats.retries_by_cause == {"status_503": 1}
    # the 503 attempt reached the server and keeps its slot; nothing else is held
    check_left_nothing(client, level=RPM - 1)
    await check_still_works(client, RPM - 1)


# -- (d) while reading a body -------------------------------------------------------------------


class SlowBodyServer:
    """An aiohttp server in a thread: ``/v1/models/slow`` sends half its body, then waits."""

    BODY: Final = b'{"id": "slow", "object": "model", "created": 1, "owned_by": "x"}'

    def __init__(self) -> None:
        self.started = threading.Event()
        self.requests = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._gate: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), daemon=True)
        self.port = 0

    async def _model(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        assert self._gate is not None
        if request.match_info["model"] != "slow":
            body = self.BODY.replace(b"slow", b"gpt-4")
            return web.Response(body=body, content_type="application/json")
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(self.BODY)
        await response.prepare(request)
        await response.write(self.BODY[:20])
        self.started.set()
        await self._gate.wait()
        await response.write(self.BODY[20:])
        return response

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._gate = asyncio.Event()
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_get("/v1/models/{model}", self._model)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = runner.addresses[0][1]
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            self._gate.set()
            await runner.cleanup()

    def __enter__(self) -> SlowBodyServer:
        self._thread.start()
        self._ready.wait(GUARD)
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(GUARD)


@pytest.fixture
def slow_server() -> Iterator[SlowBodyServer]:
    with SlowBodyServer() as server:
        yield server


@pytest.mark.parametrize("seed", SEEDS)
async def test_cancel_while_reading_a_body(
    slow_server: SlowBodyServer, clock: Clock, seed: int
) -> None:
    rng = random.Random(seed)
    limiter = RateLimiter(rpm=RPM, clock=clock, sleep=clock.sleep)
    url = f"http://127.0.0.1:{slow_server.port}/v1"
    async with AsyncOpenAI(
        api_key=KEY, base_url=url, rate_limiter=limiter, max_retries=0, timeout=30
    ) as client:
        task = asyncio.ensure_future(client.models.retrieve("slow"))
        await until(slow_server.started.is_set)
        await hops(rng.randrange(20))
        await cancelled(task)
        check_left_nothing(client, level=RPM)
        # the half-read connection was closed, not put back: the next call gets a fresh one
        model = await client.models.retrieve("gpt-4")
        assert model.id == "gpt-4"
        assert pair(client)["level_requests"] == RPM - 1
        assert in_use(client) == 0
    assert slow_server.requests == 2


# -- (e) mid-stream -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
async def test_cancel_mid_stream(fake_openai: FakeOpenAI, client: AsyncOpenAI, seed: int) -> None:
    rng = random.Random(seed)
    fake_openai.faults.push("POST /v1/chat/completions", kind="stream_stall")
    messages = [{"role": "user", "content": "Say something long enough to stream."}]
    got: list[object] = []
    streams: list[Any] = []

    async def consume() -> None:
        stream = await client.chat.completions.create(
            model=CHAT_MODEL, messages=messages, stream=True
        )
        streams.append(stream)
        async for chunk in stream:
            got.append(chunk)

    try:
        task = asyncio.ensure_future(consume())
        await until(lambda: len(got) >= 1)
        await hops(rng.randrange(20))
        await cancelled(task)
        assert streams[0].closed
        # the stream got its answer: its slot stays spent, nothing else is held
        check_left_nothing(client, level=RPM - 1, model=CHAT_MODEL)
        # the pool keeps working: a whole stream, then a plain call
        stream = await client.chat.completions.create(
            model=CHAT_MODEL, messages=messages, stream=True
        )
        chunks = [chunk async for chunk in stream]
        assert chunks and stream.closed
        assert pair(client, CHAT_MODEL)["level_requests"] == RPM - 2
        await check_still_works(client, RPM)
    finally:
        fake_openai.faults.release()
