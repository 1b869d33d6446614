"""fan_out with the real client against FakeOpenAI over loopback.

The server runs in a thread of its own (the ``fake_openai`` fixture), so every task of the
test's event loop is the client's: ``asyncio.all_tasks()`` after a stop must be the test alone.
Waits on the server thread poll a counter under a bounded timeout; nothing sleeps for a fixed
time and nothing is timed.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from typing import Final

import pytest

from aio_openai import (
    AsyncOpenAI,
    FanOutAborted,
    NotFoundError,
    PermissionDeniedError,
    RateLimiter,
    RateLimitError,
    RetryPolicy,
    fan_out,
)
from aio_openai.testing import SEED_MODELS, FakeOpenAI

SEED_IDS: Final = [seed.id for seed in SEED_MODELS]

#: The longest any wait on the server may take (a guard against hangs, not a timing).
TIMEOUT: Final = 20.0

#: Fast retries, so tests with retried calls stay short.
FAST_RETRIES: Final = RetryPolicy(initial_delay=0.001, max_delay=0.01)


@pytest.fixture
async def client(fake_openai: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client on the threaded fake (closed after the test)."""
    c = AsyncOpenAI(api_key="sk-fanout", base_url=fake_openai.url, retry_policy=FAST_RETRIES)
    try:
        yield c
    finally:
        await c.aclose()


async def wait_until(condition: Callable[[], bool]) -> None:
    """Return once ``condition()`` holds (it is about the server thread), else fail."""
    async with asyncio.timeout(TIMEOUT):
        while not condition():
            await asyncio.sleep(0.005)


def connections_in_use(client: AsyncOpenAI) -> int:
    """Connections of the client's pool that are acquired by a request right now."""
    total = 0
    for session, _ in client._pool._sessions.values():
        connector = session.connector
        if connector is not None and not connector.closed:
            total += len(connector._acquired)
    return total


def assert_nothing_left(client: AsyncOpenAI, *, answered: int) -> None:
    """No task but the test's, no connection in use, and none kept from the cancelled calls.

    aiohttp closes the connection of a cancelled request rather than returning it to the pool,
    so at most the connections of the ``answered`` calls may still be open (idle).
    """
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert connections_in_use(client) == 0
    assert client._pool.connections <= answered


# -- every input gets exactly one result ---------------------------------------------------------


async def test_two_thousand_retrieves_each_get_one_result(
    client: AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    ids = [f"no-such-model-{i}" if i % 7 == 3 else SEED_IDS[i % len(SEED_IDS)] for i in range(2000)]
    seen: list[int] = []
    async for r in fan_out(client.models.retrieve, ids, concurrency=64):
        seen.append(r.index)
        assert r.input == ids[r.index]
        if r.input.startswith("no-such-model-"):
            assert not r.ok and r.value is None
            assert isinstance(r.error, NotFoundError)
            assert r.error.code == "model_not_found"
        else:
            assert r.ok, r.error
            assert r.value is not None and r.value.id == r.input
        assert r.attempts == 1
    assert sorted(seen) == list(range(2000))  # each exactly once
    assert len(fake_openai.requests) == 2000


async def test_await_returns_results_in_input_order(client: AsyncOpenAI) -> None:
    ids = [SEED_IDS[i % len(SEED_IDS)] for i in range(300)]
    results = await fan_out(client.models.retrieve, ids, concurrency=32)
    assert [r.index for r in results] == list(range(300))
    assert [r.value.id for r in results if r.value is not None] == ids


async def test_async_iterable_inputs_are_read_lazily(client: AsyncOpenAI) -> None:
    pulled = 0

    async def source() -> AsyncIterator[str]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield SEED_IDS[i % len(SEED_IDS)]

    got = 0
    results = fan_out(client.models.retrieve, source(), concurrency=8)
    async for r in results:
        assert r.ok
        got += 1
        if got == 100:
            break
    await results.aclose()
    # an endless source: read only as slots freed up (at most one slot's worth per result)
    assert pulled <= 100 + 8


# -- errors that doom the batch, and those that do not -------------------------------------------


async def test_wrong_key_stops_after_a_few_calls_naming_authentication(
    clean_env: None,
) -> None:
    with FakeOpenAI(api_keys={"sk-right"}).running_in_thread() as fake:
        async with AsyncOpenAI(api_key="sk-wrong", base_url=fake.url) as client:
            delivered = 0
            with pytest.raises(FanOutAborted) as info:
                async for _ in fan_out(client.models.retrieve, SEED_IDS * 200, concurrency=16):
                    delivered += 1
            assert asyncio.all_tasks() == {asyncio.current_task()}
        sent = len(fake.requests)
    err = info.value
    assert "authentication" in str(err)
    assert f"{err.completed} inputs completed" in str(err)
    assert err.completed == delivered
    assert err.cause.__class__.__name__ == "AuthenticationError"
    # far fewer than the 5,400 inputs: the calls already in flight, and no more
    assert sent == err.next_index
    assert sent <= 16 + 1
    assert all(r.headers["Authorization"] == "Bearer sk-wrong" for r in fake.requests)


async def test_insufficient_quota_stops_the_batch(
    client: AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.faults.push("*", kind="insufficient_quota", times=10_000)
    with pytest.raises(FanOutAborted) as info:
        await fan_out(client.models.retrieve, SEED_IDS * 100, concurrency=8)
    err = info.value
    assert "insufficient_quota" in str(err)
    assert isinstance(err.cause, RateLimitError)
    assert err.cause.code == "insufficient_quota"
    # never retried (a quota does not come back by waiting), and nothing sent after the stop
    assert len(fake_openai.requests) == err.next_index <= 8 + 1
    fake_openai.faults.clear()


async def test_a_403_on_one_model_stays_a_per_item_error(
    client: AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    for i in range(5):
        fake_openai.add_model(f"ft:gpt-4o-mini:acme::{i}", owned_by="user-acme")
    ids = [f"ft:gpt-4o-mini:acme::{i}" for i in range(5)] + ["gpt-4", "gpt-3.5-turbo"]
    results = await fan_out(client.models.delete, ids, concurrency=4)
    assert [r.ok for r in results] == [True] * 5 + [False, False]
    assert all(r.value is not None and r.value.deleted for r in results[:5])
    assert all(isinstance(r.error, PermissionDeniedError) for r in results[5:])
    assert "gpt-4" in fake_openai.models


# -- stopping early leaves nothing behind --------------------------------------------------------

SLOW: Final = "slow-model"


def stall_slow_lookups(fake: FakeOpenAI) -> None:
    """Make every lookup of SLOW hang on the server until its client goes away."""
    fake.faults.push(f"GET /v1/models/{SLOW}", kind="delay", delay=120.0, times=100_000)


def stalled(fake: FakeOpenAI) -> int:
    """Lookups of SLOW the server is holding."""
    return fake.faults.injected["delay"]


async def test_breaking_out_then_aclose_cancels_in_flight_calls(
    client: AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    stall_slow_lookups(fake_openai)
    # the first call goes alone; once it came back, 8 start: one more answered, 7 stalled
    results = fan_out(client.models.retrieve, ["gpt-4", "gpt-4", *[SLOW] * 1000], concurrency=8)
    async for r in results:
        assert r.input == "gpt-4"
        if r.index == 0:
            continue
        # the other 7 inputs are in flight; while the loop body runs nothing new starts
        await wait_until(lambda: stalled(fake_openai) == 7)
        assert connections_in_use(client) == 7
        break
    await results.aclose()
    assert_nothing_left(client, answered=2)
    assert stalled(fake_openai) == 7  # nothing more was started


async def test_async_with_cancels_in_flight_calls(
    client: AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    stall_slow_lookups(fake_openai)
    ids = ["gpt-4", "gpt-4", *[SLOW] * 1000]
    async with fan_out(client.models.retrieve, ids, concurrency=8) as rs:
        async for r in rs:
            assert r.input == "gpt-4"
            if r.index == 1:
                await wait_until(lambda: stalled(fake_openai) == 7)
                break
    assert_nothing_left(client, answered=2)


async def test_cancelling_the_consumer_cancels_in_flight_calls(
    client: AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    stall_slow_lookups(fake_openai)
    # one answer first: until the rate limiter has seen one, it lets only a few calls out
    await client.models.retrieve("gpt-4")
    delivered: list[str] = []

    async def consume() -> None:
        ids = ["gpt-4", *[SLOW] * 1000]  # the first goes alone, the others once it came back
        async for r in fan_out(client.models.retrieve, ids, concurrency=16):
            delivered.append(r.input)

    task = asyncio.create_task(consume())
    await wait_until(lambda: stalled(fake_openai) == 16)
    assert connections_in_use(client) == 16
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert delivered == ["gpt-4"]
    assert_nothing_left(client, answered=2)


# -- pacing and retries --------------------------------------------------------------------------


async def test_pacing_comes_from_the_rate_limiter(fake_openai: FakeOpenAI, clean_env: None) -> None:
    # 3,000 a minute (50 a second) with room for the cold start's 4 requests only: the rest of
    # the run is paced (about a second), while 64 calls could be in flight at once
    fake_openai.limits.set(rpm=3000, initial=4.5 / 3000)
    limiter = RateLimiter(cold_start=4)
    async with AsyncOpenAI(
        api_key="sk-paced", base_url=fake_openai.url, rate_limiter=limiter, max_retries=0
    ) as client:
        results = await fan_out(client.models.retrieve, ["gpt-4"] * 60, concurrency=64)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    assert fake_openai.limits.rejected.total() == 0
    assert fake_openai.limits.accepted == 60
    snap = limiter.snapshot()["*"]
    assert snap["mode"] == "known"
    assert snap["waited"] > 0  # the limiter, not the concurrency cap, held calls back


async def test_attempts_count_the_retries_of_each_call(
    client: AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.faults.push("GET /v1/models/gpt-4", status=503, times=2)
    fake_openai.faults.push("GET /v1/models/dall-e-3", status=500, times=1)
    ids = ["gpt-4", "dall-e-3", *SEED_IDS[1:6]]
    assert "gpt-4" not in ids[2:] and "dall-e-3" not in ids[2:]
    results = await fan_out(client.models.retrieve, ids, concurrency=4)
    assert all(r.ok for r in results)
    assert [r.attempts for r in results] == [3, 2] + [1] * 5
    assert len(fake_openai.requests) == len(ids) + 3


# -- a plain break, and a refused key ------------------------------------------------------------


@pytest.mark.parametrize("held", [False, True], ids=["temporary", "held-in-a-variable"])
async def test_a_plain_break_sends_nothing_more(
    client: AsyncOpenAI, fake_openai: FakeOpenAI, held: bool
) -> None:
    # Inputs 0 and 1 are looked up at once; the others wait for ``go`` (as calls wait for a
    # rate-limit slot) and are all started when the loop breaks on input 1.
    go = asyncio.Event()

    async def lookup(i: int) -> str:
        if i > 1:
            await go.wait()
        model = await client.models.retrieve("gpt-4")
        return model.id

    if held:
        results = fan_out(lookup, range(1000), concurrency=16)
        async for r in results:
            if r.index == 1:
                break  # no aclose(), no async with
    else:
        async for r in fan_out(lookup, range(1000), concurrency=16):
            if r.index == 1:
                break
    assert r.ok, r.error
    at_break = len(fake_openai.requests)
    assert at_break == 2
    go.set()  # what still runs now sends its request
    async with asyncio.timeout(TIMEOUT):  # a guard against a hang, not a timing
        while asyncio.all_tasks() != {asyncio.current_task()}:
            await asyncio.sleep(0)
    assert len(fake_openai.requests) - at_break == 0
    assert_nothing_left(client, answered=2)
    if held:
        await results.aclose()


async def test_a_refused_key_costs_one_request_not_a_wave(clean_env: None) -> None:
    with FakeOpenAI(api_keys={"sk-right"}).running_in_thread() as fake:
        async with AsyncOpenAI(api_key="sk-wrong", base_url=fake.url) as client:
            with pytest.raises(FanOutAborted) as info:
                await fan_out(client.models.retrieve, SEED_IDS * 40, concurrency=256)
        sent = len(fake.requests)
    assert sent == 1
    assert (info.value.completed, info.value.next_index) == (1, 1)
    assert [r.index for r in info.value.results] == [0]
    assert info.value.cause.__class__.__name__ == "AuthenticationError"
