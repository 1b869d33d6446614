"""Long totals are kept by the per-loop deadline clock: the same errors as aiohttp's timer.

The clock serves totals from ``COARSE_FROM`` (5 s) up, in buckets of ``RESOLUTION`` (1 s);
here both are scaled down so a timeout takes a fraction of a second. The server is a real
FakeOpenAI whose ``delay`` fault holds a response back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Final

import pytest

from aio_openai import APITimeoutError, AsyncOpenAI, RetryPolicy, _deadlines
from aio_openai.testing import FakeOpenAI

KEY: Final = "sk-deadlines-0123456789"
MODEL: Final = "gpt-3.5-turbo-0125"
ROUTE: Final = "GET /v1/models/{model}"
COARSE: Final = 0.2  # totals from here up use the clock in these tests
LONG: Final = 0.3


@pytest.fixture(autouse=True)
def scaled_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_deadlines, "COARSE_FROM", COARSE)
    monkeypatch.setattr(_deadlines, "RESOLUTION", 0.05)


@pytest.fixture
async def client(fake: FakeOpenAI) -> AsyncIterator[AsyncOpenAI]:
    policy = RetryPolicy(max_retries=0, initial_delay=0.001, max_delay=0.002)
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=policy) as c:
        yield c


def clock() -> _deadlines.DeadlineClock:
    return _deadlines.clock(asyncio.get_running_loop())


async def test_a_long_total_times_out_as_api_timeout_error_never_early(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="delay", delay=30.0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        await client.models.retrieve(MODEL, timeout=LONG)
    assert time.monotonic() - started >= LONG
    task = asyncio.current_task()
    assert task is not None and task.cancelling() == 0  # the clock took its cancel back
    assert clock().pending == 0
    # the task goes on undisturbed: the next call in it succeeds
    assert (await client.models.retrieve(MODEL, timeout=LONG)).id == MODEL


async def test_short_totals_keep_aiohttps_own_timer(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(ROUTE, kind="delay", delay=30.0)
    with pytest.raises(APITimeoutError):
        await client.models.retrieve(MODEL, timeout=COARSE / 2)
    assert asyncio.get_running_loop() not in _deadlines._clocks


async def test_an_earlier_deadline_set_later_fires_first(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="delay", delay=30.0, times=2)
    slow = asyncio.create_task(client.models.retrieve(MODEL, timeout=60.0))
    while fake.faults.injected.get("delay", 0) < 1:  # the slow call is on the wire
        await asyncio.sleep(0)
    with pytest.raises(APITimeoutError):
        await client.models.retrieve(MODEL, timeout=LONG)
    assert not slow.done()
    assert clock().pending == 1
    # a cancellation from outside stays a cancellation, not a timeout
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    assert clock().pending == 0


async def test_a_deadline_and_an_outside_cancel_together_stay_a_cancel(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(ROUTE, kind="delay", delay=30.0)
    call = asyncio.create_task(client.models.retrieve(MODEL, timeout=60.0))
    while clock().pending < 1:
        await asyncio.sleep(0)
    call.cancel()  # the caller gives up ...
    watched = clock()
    watched._scheduled = max(watched._slots)
    watched._tick()  # ... and the deadline passes in the same turn of the loop
    with pytest.raises(asyncio.CancelledError):
        await call
    assert watched.pending == 0


async def test_a_coarse_timeout_is_retried(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(ROUTE, kind="delay", delay=30.0)
    retrying = client.with_options(max_retries=1)
    assert (await retrying.models.retrieve(MODEL, timeout=LONG)).id == MODEL
    assert retrying.stats.retries_by_cause == {"timeout": 1}
    assert clock().pending == 0


async def test_many_calls_share_one_timer_and_leave_nothing_behind(
    client: AsyncOpenAI,
) -> None:
    results = await asyncio.gather(*(client.models.retrieve(MODEL) for _ in range(50)))
    assert {m.id for m in results} == {MODEL}
    assert clock().pending == 0
    task = asyncio.current_task()
    assert task is not None and task.cancelling() == 0
