"""Memory stays flat over a long run: no growth per call.

tracemalloc measures the Python heap of the client (the fake server runs in a child process)
after each round of calls, with a garbage collection first; after warm-up rounds, what is
still allocated must not grow with the number of calls. The rounds mix successes, 404s and
retried faults (503s, invalid JSON), so error objects, tracebacks and retries are covered too.

A control test runs the same measurement with a middleware that keeps every request (a leak
of a few hundred bytes a call) and checks that the detector flags it: the test can fail.
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from itertools import pairwise
from typing import Final

import pytest
from deprecations import ASSISTANTS_API_DEPRECATED

from aio_openai import AsyncOpenAI, Middleware, Request, Response, RetryPolicy, fan_out
from aio_openai._http import Handler
from aio_openai.testing import SEED_MODELS, FakeOpenAI

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-memory-0123456789"
ROUNDS: Final = 8
PER_ROUND: Final = 400
#: Growth allowed per call once warm: far below any object kept per call (a Request alone is
#: some 400 bytes), above the noise (cancelled timers the loop has not purged yet, free lists:
#: +-20 KB a round, a few bytes a call).
MAX_BYTES_PER_CALL: Final = 20
#: And in absolute terms, over the measured rounds.
MAX_GROWTH: Final = 512 * 1024
IDS: Final = [m.id for m in SEED_MODELS]


def round_ids(n: int) -> list[str]:
    """n lookups: seed models, and one in twenty of a model that does not exist."""
    return [IDS[i % len(IDS)] if i % 20 else f"missing-{i}" for i in range(n)]


def growth_per_call(series: list[int], per_round: int) -> float:
    """Bytes kept per call: the median growth from one round to the next, per call.

    The median, because memory also grows in steps that do not come back (a set or a heap of
    the event loop resized to a new high-water mark, a free list): one or two such steps move
    a mean or a fitted slope, not the median. A leak grows every round.
    """
    deltas = sorted(b - a for a, b in pairwise(series[1:]))
    return statistics.median(deltas) / per_round


def leaks(series: list[int], per_round: int) -> bool:
    """The detector: memory kept grows with the calls (or by more than MAX_GROWTH at all)."""
    return (
        growth_per_call(series, per_round) > MAX_BYTES_PER_CALL
        or max(series[1:]) - series[1] > MAX_GROWTH
    )


#: The fake server runs in a process of its own, so that only the client is measured.
SERVER: Final = """
import asyncio, sys
from aio_openai.testing import FakeOpenAI

async def main():
    async with FakeOpenAI(record_requests=False) as fake:
        fake.faults.random(0.1, ["status_503", "invalid_json"], seed=7)
        print(fake.url, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    """The URL of a FakeOpenAI in a child process, with 10 % random faults (it stops at EOF).

    No connection-cutting faults here: each replaces a pooled connection (some KB), which only
    adds noise; the soak checks that those paths leave nothing behind.
    """
    with subprocess.Popen(
        [sys.executable, "-c", SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        try:
            yield url
        finally:
            proc.stdin.close()
            proc.wait(timeout=10)


async def measure(
    url: str, rounds: int, per_round: int, middlewares: list[Middleware]
) -> list[int]:
    """Traced memory after each of ``rounds`` rounds of ``per_round`` calls."""
    policy = RetryPolicy(initial_delay=0.001, max_delay=0.002)
    ids = round_ids(per_round)
    series: list[int] = []
    async with AsyncOpenAI(
        api_key=KEY, base_url=url, retry_policy=policy, middlewares=middlewares
    ) as client:
        for _ in range(2):  # warm up: caches, the pool's connections, the limiter's state
            await fan_out(client.models.retrieve, ids, concurrency=32)
        tracemalloc.start()
        try:
            for _ in range(rounds):
                results = await fan_out(client.models.retrieve, ids, concurrency=32)
                assert len(results) == per_round
                assert sum(r.ok for r in results) > per_round // 2
                del results
                gc.collect()
                series.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
    return series


async def test_memory_stays_flat_over_rounds_of_calls(fake_url: str) -> None:
    series = await measure(fake_url, ROUNDS, PER_ROUND, [])
    per_call = growth_per_call(series, PER_ROUND)
    print(
        f"\nmemory: {ROUNDS} rounds x {PER_ROUND} calls, kept after each round (bytes, from"
        f" the first): {[s - series[0] for s in series]}; growth {per_call:.1f} B/call"
    )
    assert not leaks(series, PER_ROUND), series


async def test_the_detector_flags_a_leak_of_one_request_per_call(fake_url: str) -> None:
    kept: list[Request] = []

    async def hoard(request: Request, call_next: Handler) -> Response:
        kept.append(request)
        return await call_next(request)

    per_round = 300
    series = await measure(fake_url, 4, per_round, [hoard])
    print(f"\nleaky control: {growth_per_call(series, per_round):.0f} B/call")
    assert leaks(series, per_round), series
    assert len(kept) == (2 + 4) * per_round  # warm-up and measured rounds


def _ours(obj: object) -> bool:
    """An object of the client's code (functions and instances; the fake's are not counted)."""
    module = getattr(obj, "__module__", None) if callable(obj) else type(obj).__module__
    if not isinstance(module, str) or isinstance(obj, type):
        return False
    return module.startswith("aio_openai") and not module.startswith("aio_openai.testing")


async def test_successful_calls_leave_no_reference_cycles(fake_openai: FakeOpenAI) -> None:
    """Happy-path calls are freed by reference counting alone: no garbage for the collector.

    Cycles made per call (closures that refer to each other, say) cost a collection every few
    hundred calls under load. The collector saves what it finds here, and none may be ours.
    """
    async with AsyncOpenAI(api_key=KEY, base_url=fake_openai.url) as client:
        calls = [
            lambda: client.models.retrieve("gpt-3.5-turbo-0125"),
            lambda: client.models.list(),
            lambda: client.beta.assistants.create(model="gpt-3.5-turbo-0125", name="cycles"),
            lambda: client.beta.assistants.list(limit=2),
            lambda: client.chat.completions.create(
                model="gpt-3.5-turbo-0125", messages=[{"role": "user", "content": "hi"}]
            ),
        ]
        for call in calls:  # warm up: lazy imports, caches, connections
            await call()
        gc.collect()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for _ in range(20):
                for call in calls:
                    page_or_object = await call()
                    del page_or_object
            gc.collect()
            ours = [repr(o)[:80] for o in gc.garbage if _ours(o)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
    assert ours == []
