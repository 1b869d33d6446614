"""The rate limiter with an injected clock and sleep, and a scripted next handler."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from support import FakeClock as Clock
from support import StubHandler as Server
from support import request

from aio_openai import APIConnectionError, RateLimiter, Request, Response, TokenLimitExceededError
from aio_openai.ratelimit._common import key_id


def limit_headers(
    rpm: int = 60,
    remaining: int | None = None,
    tpm: int | None = None,
    tokens_left: int | None = None,
) -> dict[str, str]:
    h = {"x-ratelimit-limit-requests": str(rpm), "x-ratelimit-reset-requests": "1s"}
    if remaining is not None:
        h["x-ratelimit-remaining-requests"] = str(remaining)
    if tpm is not None:
        h["x-ratelimit-limit-tokens"] = str(tpm)
    if tokens_left is not None:
        h["x-ratelimit-remaining-tokens"] = str(tokens_left)
    return h


def make(clock: Clock, **kw: Any) -> tuple[RateLimiter, Any]:
    limiter = RateLimiter(sleep=clock.sleep, clock=clock, **kw)
    return limiter, limiter.middleware("key:test")


async def test_no_headers_never_slows_down() -> None:
    clock = Clock()
    limiter, mw = make(clock)
    server = Server()
    for _ in range(500):
        await mw(request(), server)
    results = await asyncio.gather(*(mw(request(), server) for _ in range(300)))
    assert len(results) == 300
    assert clock.sleeps == []
    assert limiter.snapshot()["*"]["mode"] == "unannounced"


async def test_cold_start_lets_only_a_few_out_until_the_first_response() -> None:
    clock = Clock()
    limiter, mw = make(clock, cold_start=3)
    server = Server()
    server.gate = asyncio.Event()
    tasks = [asyncio.create_task(mw(request(), server)) for _ in range(20)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert server.calls == 3
    assert limiter.snapshot()["*"]["waiting"] == 17
    server.gate.set()
    await asyncio.gather(*tasks)
    assert server.calls == 20


async def test_learns_limits_and_paces_at_the_refill_rate() -> None:
    clock = Clock()
    limiter, mw = make(clock, utilisation=1.0)
    # 60 per minute = 1 per second; the server says 2 remain
    server = Server(headers=limit_headers(rpm=60, remaining=2))
    await mw(request(), server)
    snap = limiter.snapshot()["*"]
    assert snap["mode"] == "known" and snap["limit_requests"] == 60
    assert snap["level_requests"] == 2
    await mw(request(), server)
    await mw(request(), server)
    assert clock.sleeps == []
    # the bucket is empty: a higher "remaining" never raises our own level
    assert limiter.snapshot()["*"]["level_requests"] == 0
    await mw(request(), server)
    await mw(request(), server)
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]


async def test_utilisation_scales_rate() -> None:
    clock = Clock()
    _limiter, mw = make(clock, utilisation=0.5)
    server = Server(headers=limit_headers(rpm=120, remaining=0))
    await mw(request(), server)
    await mw(request(), server)
    # 120 rpm at 50% = 1 per second
    assert clock.sleeps == [pytest.approx(1.0)]


async def test_remaining_discounts_requests_sent_after() -> None:
    clock = Clock()
    limiter, mw = make(clock, utilisation=1.0, cold_start=10)
    server = Server(headers=limit_headers(rpm=6000, remaining=10))
    server.gate = asyncio.Event()
    tasks = [asyncio.create_task(mw(request(), server)) for _ in range(4)]
    for _ in range(3):
        await asyncio.sleep(0)
    assert server.calls == 4
    server.gate.set()
    await asyncio.gather(*tasks)
    # the first response said 10 remain, but 3 more were sent after it: at most 7 left
    assert limiter.snapshot()["*"]["level_requests"] <= 7


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-limit-requests": "-1"},
        {"x-ratelimit-limit-requests": "0"},
        {"x-ratelimit-limit-requests": "lots"},
        {"x-ratelimit-limit-requests": "inf"},  # raised OverflowError out of the limiter
        {"x-ratelimit-limit-requests": "nan"},
    ],
)
async def test_garbage_limits_are_ignored(headers: dict[str, str]) -> None:
    clock = Clock()
    limiter, mw = make(clock)
    server = Server(headers=headers)
    for _ in range(50):
        await mw(request(), server)
    assert clock.sleeps == []
    assert limiter.snapshot()["*"]["limit_requests"] is None


async def test_reset_header_stands_in_for_missing_remaining() -> None:
    clock = Clock()
    limiter, mw = make(clock, utilisation=1.0)
    # 60 rpm, full again in 59 s: 1 request's worth is available
    server = Server(
        headers={"x-ratelimit-limit-requests": "60", "x-ratelimit-reset-requests": "59s"}
    )
    await mw(request(), server)
    assert limiter.snapshot()["*"]["level_requests"] == pytest.approx(1.0)


async def test_token_bucket_and_oversize_error() -> None:
    clock = Clock()
    limiter, mw = make(clock, utilisation=1.0)
    server = Server(headers=limit_headers(rpm=6000, remaining=6000, tpm=600, tokens_left=300))
    await mw(request("gpt-4", cost=100), server)
    assert limiter.snapshot()["gpt-4"]["level_tokens"] == 300
    # 300 remained after that one: 200 more fit now; then the server says none are left
    server.headers = limit_headers(rpm=6000, remaining=6000, tpm=600, tokens_left=0)
    await mw(request("gpt-4", cost=200), server)
    assert clock.sleeps == []
    # 50 tokens at 600 per minute (10 a second) take 5 s to refill
    await mw(request("gpt-4", cost=50), server)
    assert clock.sleeps == [pytest.approx(5.0)]
    with pytest.raises(TokenLimitExceededError, match="601 tokens"):
        await mw(request("gpt-4", cost=601), server)
    # another model has its own buckets
    assert "gpt-3.5-turbo" not in limiter.snapshot()
    await mw(request("gpt-3.5-turbo", cost=10_000), server)


async def test_explicit_limits_apply_from_the_start() -> None:
    clock = Clock()
    _limiter, mw = make(clock, rpm=60, utilisation=1.0)
    server = Server()
    for _ in range(60):
        await mw(request(), server)
    assert clock.sleeps == []
    await mw(request(), server)
    assert clock.sleeps == [pytest.approx(1.0)]
    with pytest.raises(ValueError):
        RateLimiter(rpm=0)


async def test_fifo_large_request_not_starved() -> None:
    clock = Clock()
    _limiter, mw = make(clock, tpm=600, utilisation=1.0)
    server = Server()
    await mw(request("m", cost=600), server)  # empty the token bucket
    order: list[int] = []

    async def call(i: int, cost: int) -> None:
        await mw(request("m", cost=cost), server)
        order.append(i)

    big = asyncio.create_task(call(0, 500))
    await asyncio.sleep(0)
    small = [asyncio.create_task(call(i, 10)) for i in range(1, 6)]
    await asyncio.gather(big, *small)
    assert order == [0, 1, 2, 3, 4, 5]


async def test_cancelled_waiter_leaves_queue_and_next_proceeds() -> None:
    clock = Clock()
    limiter, mw = make(clock, rpm=60, utilisation=1.0)
    server = Server()
    for _ in range(60):
        await mw(request(), server)
    level_before = limiter.snapshot()["*"]["level_requests"]
    sleeper = asyncio.Event()

    async def blocking_sleep(seconds: float) -> None:
        await sleeper.wait()

    limiter._sleep = blocking_sleep
    head = asyncio.create_task(mw(request(), server))
    second = asyncio.create_task(mw(request(), server))
    for _ in range(3):
        await asyncio.sleep(0)
    assert limiter.snapshot()["*"]["waiting"] == 2
    head.cancel()
    with pytest.raises(asyncio.CancelledError):
        await head
    assert limiter.snapshot()["*"]["waiting"] == 1
    # nothing was taken by the cancelled waiter
    assert limiter.snapshot()["*"]["level_requests"] == level_before
    limiter._sleep = clock.sleep
    sleeper.set()
    await second
    assert limiter.snapshot()["*"]["waiting"] == 0
    assert server.calls == 61


async def test_cancel_during_send_gives_reservation_back() -> None:
    clock = Clock()
    limiter, mw = make(clock, rpm=60, utilisation=1.0)
    server = Server()
    server.gate = asyncio.Event()
    task = asyncio.create_task(mw(request(), server))
    for _ in range(3):
        await asyncio.sleep(0)
    assert limiter.snapshot()["*"]["level_requests"] == 59
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    snap = limiter.snapshot()["*"]
    assert snap["level_requests"] == 60 and snap["inflight"] == 0


async def test_connection_error_releases_inflight() -> None:
    clock = Clock()
    limiter, mw = make(clock)

    async def refuse(req: Request) -> Response:
        raise APIConnectionError(request=req)

    with pytest.raises(APIConnectionError):
        await mw(request(), refuse)
    assert limiter.snapshot()["*"]["inflight"] == 0


async def test_429_sets_not_before_and_halves_utilisation_then_recovers() -> None:
    clock = Clock()
    limiter, mw = make(clock, utilisation=1.0, recovery=0.25)
    body = {
        "error": {
            "message": "Please try again in 2s.",
            "type": "requests",
            "code": "rate_limit_exceeded",
        }
    }
    server = Server(headers=limit_headers(rpm=6000, remaining=5000), status=429, body=body)
    await mw(request(), server)
    snap = limiter.snapshot()["*"]
    assert snap["scale"] == 0.5 and snap["rate_limited"] == 1
    server.status = 200
    await mw(request(), server)
    assert clock.sleeps[0] == pytest.approx(2.0)
    snap = limiter.snapshot()["*"]
    assert snap["scale"] == 0.75
    await mw(request(), server)
    await mw(request(), server)
    assert limiter.snapshot()["*"]["scale"] == 1.0


async def test_hint_over_cap_holds_others_back_at_most_the_cap() -> None:
    clock = Clock()
    _limiter, mw = make(clock, max_wait=120.0)
    server = Server(headers={"retry-after": "3600"}, status=429)
    await mw(request(), server)
    server.status = 200
    await mw(request(), server)
    assert clock.sleeps == [pytest.approx(120.0)]


async def test_insufficient_quota_is_not_a_rate_signal() -> None:
    clock = Clock()
    limiter, mw = make(clock)
    body = {
        "error": {"message": "quota", "type": "insufficient_quota", "code": "insufficient_quota"}
    }
    server = Server(status=429, body=body)
    await mw(request(), server)
    await mw(request(), server)
    assert clock.sleeps == []
    assert limiter.snapshot()["*"]["rate_limited"] == 0


async def test_aimd_window_without_headers() -> None:
    clock = Clock()
    limiter, mw = make(clock, cold_start=8)
    server = Server()
    await mw(request(), server)  # learns: nothing announced
    server.gate = asyncio.Event()
    server.status = 429
    tasks = [asyncio.create_task(mw(request(), server)) for _ in range(8)]
    for _ in range(3):
        await asyncio.sleep(0)
    server.gate.set()
    await asyncio.gather(*tasks)
    window = limiter.snapshot()["*"]["window"]
    assert window is not None and 1 <= window <= 4
    server.status = 200
    server.gate = None
    for _ in range(50):
        await mw(request(), server)
    assert limiter.snapshot()["*"]["window"] > window  # additive increase


def test_key_id_never_contains_the_key() -> None:
    key = "sk-SECRET-0123456789abcdef"
    assert key not in key_id(key, None)
    assert key_id(key, "org-1") == "org:org-1"
    assert key_id(key, None) == key_id(key, None) != key_id("sk-other", None)


async def test_one_cut_per_congestion_event() -> None:
    clock = Clock()
    limiter, mw = make(clock, utilisation=1.0, cold_start=4)
    server = Server(headers=limit_headers(rpm=6000, remaining=5000), status=429)
    server.gate = asyncio.Event()
    tasks = [asyncio.create_task(mw(request(), server)) for _ in range(4)]
    for _ in range(3):
        await asyncio.sleep(0)
    server.gate.set()
    await asyncio.gather(*tasks)
    snap = limiter.snapshot()["*"]
    assert snap["rate_limited"] == 4
    assert snap["scale"] == 0.5  # the four 429s of one burst cut the pace once
    server.gate = None
    await mw(request(), server)  # sent after the cut: a new event
    assert limiter.snapshot()["*"]["scale"] == 0.25


async def test_utilisation_scales_the_pace_not_the_burst() -> None:
    clock = Clock()
    _limiter, mw = make(clock, utilisation=0.5)
    server = Server(headers=limit_headers(rpm=60, remaining=10))
    for _ in range(11):  # the first response says 10 remain: all of them go at once
        await mw(request(), server)
    assert clock.sleeps == []
    server.headers = limit_headers(rpm=60, remaining=0)
    await mw(request(), server)
    await mw(request(), server)
    # 60 a minute at 50% = one every 2 s
    assert clock.sleeps == [pytest.approx(2.0), pytest.approx(2.0)]


async def test_usage_corrects_the_token_reservation() -> None:
    clock = Clock()
    limiter, mw = make(clock, utilisation=1.0)
    body = {"usage": {"prompt_tokens": 300, "completion_tokens": 5, "total_tokens": 305}}
    server = Server(
        headers=limit_headers(rpm=6000, remaining=6000, tpm=10_000, tokens_left=9_000), body=body
    )
    req = request("gpt-4", cost=100)
    req.json_data = {"model": "gpt-4", "max_tokens": 100, "messages": []}
    await mw(req, server)
    # the server said 9,000 remained after this request; it really charged
    # max(max_tokens=100, prompt_tokens=300) = 300, not the 100 reserved: 200 more are gone
    assert limiter.snapshot()["gpt-4"]["level_tokens"] == pytest.approx(8_800)
    # a completion budget larger than the prompt stands as reserved
    req = request("gpt-4", cost=500)
    req.json_data = {"model": "gpt-4", "max_tokens": 500, "messages": []}
    before = limiter.snapshot()["gpt-4"]["level_tokens"]
    server.headers = {}
    await mw(req, server)
    assert limiter.snapshot()["gpt-4"]["level_tokens"] == pytest.approx(before - 500)
