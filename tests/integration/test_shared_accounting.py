"""The local and the Redis limiter keep one accounting (aio_openai.ratelimit._accounting).

- The same events (responses with headers and usage, calls in flight together, a 429, a call
  cancelled while sent) through a local ``RateLimiter`` and a ``RedisRateLimiter`` on a real
  redis-server leave the same levels and pace, step by step.
- One scenario, run once through each: chat completions of mixed sizes against a real
  FakeOpenAI with a token limit, over loopback. Time is virtual: the fake's buckets, the
  limiters' buckets and Redis's scripts all read one clock that moves only when a limiter
  sleeps, so the share of the allowance taken in the window does not depend on how fast (or
  how loaded) the machine is.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from redis_server import RedisServer
from support import FakeClock as VirtualClock
from support import answer as canned
from yarl import URL

from aio_openai import AsyncOpenAI, RateLimiter, RateLimitError, RedisRateLimiter, Request, Response
from aio_openai.testing import FakeOpenAI

TPM = 40_000
#: Virtual seconds of the window: allowed = TPM (the full bucket) + TPM / 60 x WINDOW.
WINDOW = 120.0
CONCURRENCY = 16
#: Both limiters reach this share of the allowance in the window...
MIN_SHARE = 0.90
#: ...and the Redis limiter's share is within this of the local one's.
TOLERANCE = 0.03
_TEXT = "the quick brown fox jumps over the lazy dog while rate limits refill at a steady pace "


def bodies(count: int) -> list[dict[str, Any]]:
    """Seeded chat bodies: prompts of 40 to 4,000 characters, max_tokens of 10 to 300."""
    rng = random.Random(2024)
    text = _TEXT * (4000 // len(_TEXT) + 1)
    return [
        {
            "model": "gpt-4",
            "messages": [{"role": "user", "content": text[: rng.randint(40, 4000)]}],
            "max_tokens": rng.randint(10, 300),
        }
        for _ in range(count)
    ]


@attrs.define
class Goodput:
    """What the server admitted in the window, against what it allows."""

    tokens: int = 0
    rejected: int = 0

    @property
    def share(self) -> float:
        return self.tokens / (TPM + TPM / 60.0 * WINDOW)


async def run_scenario(make_limiter: Callable[[VirtualClock], Any], key: str) -> Goodput:
    """CONCURRENCY workers call until the window ends; count the tokens admitted in it."""
    # at least a microsecond a sleep: a wait of 1e-13 s would not move a clock at 1,000 s
    clock = VirtualClock(min_step=1e-6)
    result = Goodput()
    async with FakeOpenAI(record_requests=False) as fake:
        limits = fake.limits
        limits.set(tpm=TPM, rpm=100_000)
        limits._clock = clock  # the fake's buckets refill on the virtual clock too
        start = clock.now
        admit = limits.admit

        def admit_and_count(key: str, model: str | None, cost: int) -> Any:
            headers, exceeded = admit(key, model, cost)
            if exceeded is None and clock.now - start < WINDOW:
                result.tokens += cost
            return headers, exceeded

        limits.admit = admit_and_count  # type: ignore[method-assign]
        limiter = make_limiter(clock)
        work = iter(bodies(5_000))

        async def worker(client: AsyncOpenAI) -> None:
            while clock.now - start < WINDOW:
                with contextlib.suppress(RateLimitError):
                    await client.chat.completions.create(**next(work))

        try:
            async with AsyncOpenAI(
                api_key=key, base_url=fake.url, rate_limiter=limiter, max_retries=0
            ) as client:
                await asyncio.gather(*(worker(client) for _ in range(CONCURRENCY)))
        finally:
            if isinstance(limiter, RedisRateLimiter):
                await limiter.aclose()
        result.rejected = limits.rejected.total()
    return result


async def test_redis_and_local_limiters_reach_the_same_share_of_a_token_limit(
    redis_server: RedisServer,
) -> None:
    local = await run_scenario(
        lambda clock: RateLimiter(clock=clock, sleep=clock.sleep), "sk-goodput-local"
    )
    shared = await run_scenario(
        lambda clock: RedisRateLimiter(redis_server.url, clock=clock, sleep=clock.sleep),
        "sk-goodput-redis",
    )
    report = f"local {local.share:.1%} ({local.rejected} 429s), redis {shared.share:.1%}"
    report += f" ({shared.rejected} 429s)"
    assert local.share >= MIN_SHARE, report
    assert shared.share >= MIN_SHARE, report
    assert shared.share == pytest.approx(local.share, abs=TOLERANCE), report


# -- the same events, the same levels --------------------------------------------------------

KEY = "key:accounting"
MODEL = "gpt-4"


def chat(cost: int) -> Request:
    """A chat request whose estimate is its completion budget (``cost`` tokens)."""
    import aiohttp

    return Request(
        method="POST",
        url=URL("http://127.0.0.1:1/v1/chat/completions"),
        headers={},
        timeout=aiohttp.ClientTimeout(total=5),
        model=MODEL,
        token_cost=cost,
        json_data={"model": MODEL, "max_tokens": cost, "messages": []},
    )


def answer(
    req: Request,
    *,
    remaining: tuple[int, int] | None = None,
    prompt: int | None = None,
    status: int = 200,
    extra: dict[str, str] | None = None,
    error_type: str = "tokens",
) -> Response:
    """An answer announcing 600 requests and 10,000 tokens a minute."""
    headers = {"x-ratelimit-limit-requests": "600", "x-ratelimit-limit-tokens": "10000"}
    if remaining is not None:
        headers["x-ratelimit-remaining-requests"] = str(remaining[0])
        headers["x-ratelimit-remaining-tokens"] = str(remaining[1])
    headers.update(extra or {})
    body: dict[str, Any] = {}
    if status == 429:
        body = {"error": {"type": error_type, "code": "rate_limit_exceeded", "message": "slow"}}
    elif prompt is not None:
        body = {"usage": {"prompt_tokens": prompt, "completion_tokens": 3}}
    return canned(req, status, body, headers)


async def never(seconds: float) -> None:
    raise AssertionError(f"the scenario never waits (asked to wait {seconds} s)")


async def replay(limiter: Any, clock: VirtualClock, state: Any) -> list[tuple[float, float, float]]:
    """The events of the scenario; the (requests, tokens, scale) after each of them."""
    middleware = limiter.middleware(KEY)
    seen: list[tuple[float, float, float]] = []

    async def call(cost: int, **how: Any) -> None:
        async def send(req: Request) -> Response:
            return answer(req, **how)

        await middleware(chat(cost), send)
        seen.append(await state())

    # the first answer sets the levels; usage says the call cost 150, not the 100 reserved
    await call(100, remaining=(599, 9900), prompt=150)
    clock.now += 6.0  # 6 s of refill at 95%: both buckets fill up to their limits
    await call(200, remaining=(598, 9700), prompt=120)
    # two calls in flight together; the server admitted the second one first (9,700 - 400),
    # and it answers first; the first one's answer saw both (- 300)
    gates = [asyncio.Event(), asyncio.Event()]
    said = [(596, 9000), (597, 9300)]

    async def held(i: int, req: Request) -> Response:
        await gates[i].wait()
        return answer(req, remaining=said[i], prompt=10)

    first = asyncio.create_task(middleware(chat(300), lambda r: held(0, r)))
    second = asyncio.create_task(middleware(chat(400), lambda r: held(1, r)))
    await asyncio.sleep(0)
    async with asyncio.timeout(10):  # a hang guard only
        while limiter.snapshot()[MODEL]["inflight"] != 2:
            await asyncio.sleep(0)
        gates[1].set()
        await second
        seen.append(await state())
        gates[0].set()
        await first
        seen.append(await state())
    clock.now += 1.5
    # a 429 naming the token bucket: not before 2 s, the pace cut once, the bucket emptied
    await call(50, status=429, extra={"retry-after-ms": "2000"})
    clock.now += 2.5
    await call(80, remaining=(590, 8000), prompt=100)  # a success: the pace recovers a step
    # a call cancelled while it was being sent gives its reservation back
    clock.now += 10.0
    entered = asyncio.Event()

    async def hang(req: Request) -> Response:
        entered.set()
        await asyncio.Event().wait()
        raise AssertionError("never answered")

    task = asyncio.create_task(middleware(chat(500), hang))
    async with asyncio.timeout(10):
        await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    if isinstance(limiter, RedisRateLimiter):
        await limiter.aclose()  # waits for the reservation to be given back
    seen.append(await state())
    return seen


async def test_the_same_events_leave_the_same_levels_in_both_limiters(
    redis_server: RedisServer,
) -> None:
    clock = VirtualClock()  # moved by hand here: neither limiter is to wait
    local = RateLimiter(clock=clock, sleep=never)

    async def local_state() -> tuple[float, float, float]:
        snap = local.snapshot()[MODEL]
        return snap["level_requests"], snap["level_tokens"], snap["scale"]

    expected = await replay(local, clock, local_state)

    clock = VirtualClock()
    shared = RedisRateLimiter(redis_server.url, clock=clock, sleep=never)

    async def shared_state() -> tuple[float, float, float]:
        state = await shared.shared_state(KEY, MODEL)
        return state["rv"], state["tv"], state["scale"]

    try:
        got = await replay(shared, clock, shared_state)
    finally:
        await shared.aclose()
    assert len(got) == len(expected) == 7
    for step, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
        assert mine == pytest.approx(theirs, abs=1e-3), f"step {step}: {mine} != {theirs}"
    # and the levels are the accounting's, not just equal: the first answer's 9,900 less the
    # 50 more the call cost than was reserved; the bucket holds the whole limit (10,000 - 200
    # reserved, lowered to the 9,700 the server said); the two calls in flight together are
    # not counted twice (9,000 - 400 if the one answered already were still in flight)
    assert expected[0] == (599.0, 9850.0, 0.95)
    assert expected[1] == (598.0, 9700.0, 0.95)
    assert expected[3] == (596.0, 9000.0, 0.95)


async def burst(limiter: Any, state: Any) -> list[tuple[float, float, float]]:
    """Three calls sent together at the cold start, admitted and answered out of order."""
    middleware = limiter.middleware(KEY)
    gates = [asyncio.Event() for _ in range(3)]
    # the server admitted the second (200 tokens), the third (300), then the first (100)
    said = [(597, 9400), (599, 9800), (598, 9500)]

    async def held(i: int, req: Request) -> Response:
        await gates[i].wait()
        return answer(req, remaining=said[i], prompt=1)

    calls = [
        asyncio.create_task(middleware(chat(cost), lambda r, i=i: held(i, r)))
        for i, cost in enumerate((100, 200, 300))
    ]
    seen = []
    async with asyncio.timeout(10):  # a hang guard only
        while limiter.snapshot().get(MODEL, {}).get("inflight") != 3:
            await asyncio.sleep(0)
        for i in (1, 2, 0):  # answered in the order admitted
            gates[i].set()
            await calls[i]
            seen.append(await state())
    return seen


async def test_a_burst_answered_out_of_order_is_counted_once_in_both_limiters(
    redis_server: RedisServer,
) -> None:
    clock = VirtualClock()
    local = RateLimiter(clock=clock, sleep=never)

    async def local_state() -> tuple[float, float, float]:
        snap = local.snapshot()[MODEL]
        return snap["level_requests"], snap["level_tokens"], snap["scale"]

    expected = await burst(local, local_state)
    shared = RedisRateLimiter(redis_server.url, clock=VirtualClock(), sleep=never)

    async def shared_state() -> tuple[float, float, float]:
        state = await shared.shared_state(KEY, MODEL)
        return state["rv"], state["tv"], state["scale"]

    try:
        got = await burst(shared, shared_state)
    finally:
        await shared.aclose()
    assert [pytest.approx(step) for step in got] == expected
    # the first answer (the second call, admitted first) saw 9,800 left; the other two are in
    # flight: 9,400, as the server will have it. Neither the call reserved before it (that
    # first answer saw 9,500 - 100) nor the ones answered since (the last answer's 9,400 less
    # the 500 reserved after it, answered already) may be counted other than once.
    assert expected == [(597.0, 9400.0, 0.95)] * 3
