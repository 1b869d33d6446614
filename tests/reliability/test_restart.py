"""The server going away and coming back: one client, FakeOpenAI stopped and restarted.

While the server is down every call fails with APIConnectionError (after the retries the
policy allows, which all fail the same way); once it listens again on the same port the same
client object succeeds, with nothing left in flight in the limiter and no connection held.
"""

from __future__ import annotations

import asyncio
from typing import Final

import pytest

from aio_openai import APIConnectionError, APITimeoutError, AsyncOpenAI, RetryPolicy, fan_out
from aio_openai.testing import SEED_MODELS, FakeOpenAI

KEY: Final = "sk-restart-0123456789"
MODEL: Final = "gpt-4"
IDS: Final = [m.id for m in SEED_MODELS] + ["gpt-4", "whisper-1"] * 5
TINY: Final = RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.002)


def inflight(client: AsyncOpenAI) -> int:
    return sum(p["inflight"] + p["waiting"] for p in client.rate_limiter.snapshot().values())  # type: ignore[union-attr]


def in_use(client: AsyncOpenAI) -> int:
    connector = client._pool.session().connector
    assert connector is not None
    return len(connector._acquired)


@pytest.mark.parametrize("retries", [0, 2])
async def test_calls_fail_while_down_and_succeed_after_without_a_new_client(
    retries: int,
) -> None:
    fake = FakeOpenAI()
    await fake.start()
    port = fake.port
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=TINY, max_retries=retries)
    try:
        for cycle in range(3):
            assert (await client.models.retrieve(MODEL)).id == MODEL
            results = await fan_out(client.models.retrieve, IDS, concurrency=8)
            assert all(r.ok and r.value is not None and r.value.id == r.input for r in results)

            await fake.stop()
            before = client.stats.attempts
            with pytest.raises(APIConnectionError) as info:
                await client.models.retrieve(MODEL)
            assert not isinstance(info.value, APITimeoutError)
            assert info.value.request is not None
            assert info.value.request.url.port == port
            single = client.stats.attempts - before
            assert 1 <= single <= retries + 1
            results = await fan_out(client.models.retrieve, IDS, concurrency=8)
            assert [type(r.error) for r in results] == [APIConnectionError] * len(IDS)
            assert all(1 <= r.attempts <= retries + 1 for r in results), cycle
            # every attempt was refused and retried as the policy says: within max_retries,
            # and in a total outage the retry budget holds retries to capacity + 0.4 a call
            calls = len(IDS) + 1
            made = client.stats.attempts - before
            assert made == single + sum(r.attempts for r in results)
            budget = client.retry_budget
            assert budget is not None
            assert calls <= made <= calls + min(retries * calls, budget.capacity + 0.4 * calls)
            assert inflight(client) == 0
            assert in_use(client) == 0

            await fake.start()
            assert fake.port == port
            assert (await client.models.retrieve(MODEL)).id == MODEL
            results = await fan_out(client.models.retrieve, IDS, concurrency=8)
            assert all(r.ok and r.attempts == 1 for r in results), cycle
            assert inflight(client) == 0
            assert in_use(client) == 0
        assert not client.is_closed()
    finally:
        await client.aclose()
        await fake.stop()
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_calls_in_flight_when_the_server_stops_fail_and_the_client_recovers() -> None:
    fake = FakeOpenAI()
    await fake.start()
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
    try:
        assert (await client.models.retrieve(MODEL)).id == MODEL
        fake.faults.push("GET /v1/models/{model}", kind="delay", delay=60, times=4)
        tasks = [asyncio.ensure_future(client.models.retrieve(MODEL)) for _ in range(4)]
        async with asyncio.timeout(10):
            while fake.faults.pending:  # until the four requests are at the server
                await asyncio.sleep(0)
            await fake.stop()  # cancels the held requests after its grace period
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        assert [type(o) for o in outcomes] == [APIConnectionError] * 4
        assert inflight(client) == 0
        assert in_use(client) == 0
        await fake.start()
        assert (await client.models.retrieve(MODEL)).id == MODEL
    finally:
        await client.aclose()
        await fake.stop()
