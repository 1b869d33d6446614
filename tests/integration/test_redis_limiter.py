"""RedisRateLimiter against a real redis-server: shared accounting checked exactly, not by timing.

Several limiter instances, each with its own Redis connections, stand for several processes
(and one test runs real processes). Most tests freeze the scripts' clock (``clock=``), so no
bucket refills while they run and every level in Redis is an exact number.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from redis_server import REQUIRE_ENV, RedisServer, require_redis
from support import FakeClock as Clock
from support import StubHandler as Server
from support import answer, request

from aio_openai import (
    AsyncOpenAI,
    RateLimiter,
    RedisRateLimiter,
    Request,
    Response,
    TokenLimitExceededError,
)
from aio_openai.testing import FakeOpenAI

KEY = "key:test"
WORKER = Path(__file__).with_name("redis_worker.py")
#: Seconds before a test that waits for something a broken limiter never does gives up.
HANG_GUARD = 30.0


class WouldWait(Exception):
    """The limiter asked the call to wait (raised by the injected sleep)."""


async def would_wait(seconds: float) -> None:
    raise WouldWait(seconds)


async def reached(event: asyncio.Event) -> None:
    """Wait for ``event``; the timeout is a hang guard only, for a limiter that broke."""
    async with asyncio.timeout(HANG_GUARD):
        await event.wait()


@pytest.fixture
async def limiters(
    redis_server: RedisServer,
) -> AsyncIterator[Callable[..., RedisRateLimiter]]:
    """Makes RedisRateLimiters on the test's server (frozen clock unless told), closes them."""
    made: list[RedisRateLimiter] = []

    def make(**kwargs: Any) -> RedisRateLimiter:
        kwargs.setdefault("clock", Clock())
        limiter = RedisRateLimiter(redis_server.url, **kwargs)
        made.append(limiter)
        return limiter

    try:
        yield make
    finally:
        for limiter in made:
            await limiter.aclose()


async def run_calls(
    limiter: RedisRateLimiter, count: int, send: Callable[[Request], Awaitable[Response]]
) -> list[Response | BaseException]:
    middleware = limiter.middleware(KEY)
    return await asyncio.gather(
        *(middleware(request(), send) for _ in range(count)), return_exceptions=True
    )


# -- shared accounting ---------------------------------------------------------------------------


async def test_instances_never_get_more_than_the_bucket_holds(
    limiters: Callable[..., RedisRateLimiter],
) -> None:
    server = Server()
    instances = [limiters(rpm=10, utilisation=1.0, sleep=would_wait) for _ in range(3)]
    results = await asyncio.gather(*(run_calls(lim, 8, server) for lim in instances))
    flat = [r for rs in results for r in rs]
    assert server.calls == 10  # 24 calls against a bucket of 10 that does not refill
    assert sum(isinstance(r, Response) for r in flat) == 10
    assert sum(isinstance(r, WouldWait) for r in flat) == 14
    assert all(lim.snapshot()["*"]["fallback_calls"] == 0 for lim in instances)
    state = await instances[0].shared_state(KEY)
    assert state["rv"] == 0.0 and state["ri"] == 10.0 and state["rl"] == 10.0


async def test_separate_processes_share_one_bucket(redis_server: RedisServer) -> None:
    prefix = "aio_openai:test-processes"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), redis_server.url, prefix, "25", "15"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(3)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready", worker.stderr
        async with RedisRateLimiter(redis_server.url, prefix=prefix) as limiter:
            await limiter.redis.rpush(f"{prefix}:go", *["go"] * len(workers))
            outputs = [worker.communicate(timeout=120) for worker in workers]
            state = await limiter.shared_state("key:shared-by-processes")
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    reports = []
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        reports.append(json.loads(out.splitlines()[-1]))
    assert sum(r["granted"] for r in reports) == 25  # 45 calls, a bucket of 25
    assert sum(r["waited"] for r in reports) == 20
    assert [r["fallback_calls"] for r in reports] == [0, 0, 0]
    assert state["rv"] == 0.0 and state["ri"] == 25.0


async def test_refill_follows_redis_time(limiters: Callable[..., RedisRateLimiter]) -> None:
    limiter = limiters(rpm=60, utilisation=1.0, clock=None, sleep=would_wait)
    server = Server()
    results = await run_calls(limiter, 70, server)
    assert server.calls >= 60 and sum(isinstance(r, WouldWait) for r in results) >= 1
    # pretend the levels were last brought up to date 30 s ago, by Redis's own clock
    seconds, micros = await limiter.redis.time()
    key = limiter.redis_key(KEY, None)
    await limiter.redis.hset(key, mapping={"rv": 0, "at": (seconds - 30) * 1_000_000 + micros})
    server.calls = 0
    await run_calls(limiter, 40, server)
    assert server.calls in (30, 31)  # 30 s at 1 a second (31 if a second passed meanwhile)


async def test_a_cancelled_call_gives_its_reservation_back(
    limiters: Callable[..., RedisRateLimiter],
) -> None:
    limiter = limiters(rpm=3, utilisation=1.0, sleep=would_wait)
    middleware = limiter.middleware(KEY)
    entered = asyncio.Event()

    async def hang(req: Request) -> Response:
        entered.set()
        await asyncio.Event().wait()
        raise AssertionError("never answered")

    task = asyncio.create_task(middleware(request(), hang))
    try:
        await reached(entered)
        assert (await limiter.shared_state(KEY))["rv"] == 2.0
    finally:
        task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await limiter.aclose()  # waits for the reservation to be given back
    state = await limiter.shared_state(KEY)
    assert state["rv"] == 3.0 and state["ri"] == 1.0
    assert limiter.snapshot()["*"]["inflight"] == 0


def hold_reserve_replies(
    limiter: RedisRateLimiter, monkeypatch: pytest.MonkeyPatch
) -> tuple[asyncio.Event, asyncio.Event]:
    """Hold each reserve reply once Redis has answered: (answered, gate to let it through)."""
    real_eval = limiter._eval
    answered = asyncio.Event()
    gate = asyncio.Event()

    async def slow_reply(script: Any, key: str, args: Any, read: Any) -> Any:
        reply = await real_eval(script, key, args, read)
        if script.name == "reserve":
            answered.set()  # Redis has granted; the reply has not reached the waiters yet
            await gate.wait()
        return reply

    monkeypatch.setattr(limiter, "_eval", slow_reply)
    return answered, gate


async def test_a_waiter_cancelled_while_redis_answers_gives_the_grant_back(
    limiters: Callable[..., RedisRateLimiter], monkeypatch: pytest.MonkeyPatch
) -> None:
    limiter = limiters(rpm=3, utilisation=1.0, sleep=would_wait)
    answered, gate = hold_reserve_replies(limiter, monkeypatch)
    server = Server()
    task = asyncio.create_task(limiter.middleware(KEY)(request(), server))
    try:
        await reached(answered)
        assert (await limiter.shared_state(KEY))["rv"] == 2.0
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()
    await limiter.aclose()
    assert server.calls == 0
    assert (await limiter.shared_state(KEY))["rv"] == 3.0


async def test_calls_cancelled_while_their_batch_is_answered_give_their_grants_back(
    limiters: Callable[..., RedisRateLimiter], monkeypatch: pytest.MonkeyPatch
) -> None:
    limiter = limiters(rpm=5, utilisation=1.0, sleep=would_wait)
    answered, gate = hold_reserve_replies(limiter, monkeypatch)
    server = Server()
    middleware = limiter.middleware(KEY)
    calls = [asyncio.create_task(middleware(request(), server)) for _ in range(3)]
    try:
        await reached(answered)  # one round trip reserved all three
        assert (await limiter.shared_state(KEY))["rv"] == 2.0
    finally:
        calls[0].cancel()  # the call that asked
        calls[1].cancel()
        gate.set()
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert [type(r) for r in results] == [asyncio.CancelledError, asyncio.CancelledError, Response]
    await limiter.aclose()
    assert server.calls == 1
    state = await limiter.shared_state(KEY)
    assert state["rv"] == 4.0 and state["ri"] == 3.0
    snap = limiter.snapshot()["*"]
    assert snap["inflight"] == 0 and snap["waiting"] == 0 and snap["reserve_round_trips"] == 1


async def test_a_waiter_cancelled_in_the_queue_holds_nothing(
    limiters: Callable[..., RedisRateLimiter],
) -> None:
    clock = Clock()
    sleeping = asyncio.Event()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        sleeping.set()
        await asyncio.Event().wait()

    limiter = limiters(rpm=1, utilisation=1.0, clock=clock, sleep=sleep)
    server = Server()
    middleware = limiter.middleware(KEY)
    await middleware(request(), server)
    head = asyncio.create_task(middleware(request(), server))
    second = asyncio.create_task(middleware(request(), server))
    try:
        await reached(sleeping)
        assert waits == [60.0]  # one request a minute: the head waits a minute
        assert limiter.snapshot()["*"]["waiting"] == 2
    finally:
        head.cancel()
        second.cancel()
        await asyncio.gather(head, second, return_exceptions=True)
    assert limiter.snapshot()["*"]["waiting"] == 0
    state = await limiter.shared_state(KEY)
    assert state["rv"] == 0.0 and state["ri"] == 1.0 and server.calls == 1


# -- what one instance learns, the others know -------------------------------------------------


async def test_limits_learned_by_one_instance_reach_another(
    limiters: Callable[..., RedisRateLimiter],
) -> None:
    a = limiters(sleep=would_wait)
    b = limiters(sleep=would_wait)
    headers = {
        "x-ratelimit-limit-requests": "20",
        "x-ratelimit-remaining-requests": "5",
        "x-ratelimit-limit-tokens": "1000",
        "x-ratelimit-remaining-tokens": "900",
    }
    await a.middleware(KEY)(request("gpt-4", cost=10), Server(headers=headers))
    state = await a.shared_state(KEY, "gpt-4")
    assert state["mode"] == 1.0 and state["rl"] == 20.0 and state["tl"] == 1000.0
    # the bucket holds what the server says remains (the utilisation scales the refill only)
    assert state["rv"] == 5.0 and state["tv"] == 900.0
    # b has seen nothing, yet knows: 5 requests are there to take, then it must wait
    server = Server()
    middleware = b.middleware(KEY)
    results = await asyncio.gather(
        *(middleware(request("gpt-4", cost=10), server) for _ in range(8)),
        return_exceptions=True,
    )
    assert server.calls == 5
    assert sum(isinstance(r, WouldWait) for r in results) == 3
    snap = b.snapshot()["gpt-4"]
    assert snap["mode"] == "known" and snap["limit_requests"] == 20.0
    assert snap["limit_tokens"] == 1000.0
    with pytest.raises(TokenLimitExceededError):
        await middleware(request("gpt-4", cost=1001), server)
    state = await b.shared_state(KEY, "gpt-4")
    assert state["rv"] == 0.0 and state["ri"] == 6.0
    assert state["tv"] == 900.0 - 50 and state["ti"] == 60.0


async def test_a_429_seen_by_one_instance_holds_back_the_others(
    limiters: Callable[..., RedisRateLimiter],
) -> None:
    a = limiters(rpm=100)
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)
        raise WouldWait(seconds)

    b = limiters(rpm=100, sleep=record)

    async def rate_limited(req: Request) -> Response:
        return answer(
            req,
            429,
            headers={"retry-after-ms": "5000"},
            body={"error": {"type": "requests", "code": "rate_limit_exceeded", "message": "slow"}},
        )

    response = await a.middleware(KEY)(request(), rate_limited)
    assert response.status == 429
    state = await a.shared_state(KEY)
    assert state["scale"] == pytest.approx(0.475) and state["limited"] == 1.0
    assert state["rv"] == 0.0
    with pytest.raises(WouldWait):
        await b.middleware(KEY)(request(), Server())
    assert waits == [5.0]


async def test_feedback_never_raises_a_level(limiters: Callable[..., RedisRateLimiter]) -> None:
    limiter = limiters(rpm=100, utilisation=1.0)
    headers = {"x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "99"}
    await limiter.middleware(KEY)(request(), Server(headers=headers))
    state = await limiter.shared_state(KEY)
    assert state["rl"] == 100.0  # explicit limits are kept
    assert state["rv"] == 99.0  # 100 - 1, and "99 remaining" does not raise it
    headers["x-ratelimit-remaining-requests"] = "50"
    await limiter.middleware(KEY)(request(), Server(headers=headers))
    assert (await limiter.shared_state(KEY))["rv"] == 50.0


async def test_remaining_is_discounted_by_what_was_reserved_since_and_is_in_flight(
    limiters: Callable[..., RedisRateLimiter],
) -> None:
    limiter = limiters(rpm=10, utilisation=1.0)
    middleware = limiter.middleware(KEY)
    sent = asyncio.Event()
    go = [asyncio.Event(), asyncio.Event(), asyncio.Event()]

    def limit_headers(remaining: int) -> dict[str, str]:
        return {
            "x-ratelimit-limit-requests": "10",
            "x-ratelimit-remaining-requests": str(remaining),
        }

    def held(i: int, remaining: int) -> Callable[[Request], Awaitable[Response]]:
        async def send(req: Request) -> Response:
            if i == 0:
                sent.set()
            await go[i].wait()
            return answer(req, headers=limit_headers(remaining))

        return send

    # the server admits three calls in order (6, 5, 4 remain after each); the first answers
    # last, the second answers first, the third is still in flight when the first answers
    calls = [asyncio.create_task(middleware(request(), held(0, 6)))]
    try:
        await reached(sent)
        calls.append(asyncio.create_task(middleware(request(), held(1, 5))))
        calls.append(asyncio.create_task(middleware(request(), held(2, 4))))
        async with asyncio.timeout(HANG_GUARD):
            while limiter.snapshot()["*"]["inflight"] != 3:
                await asyncio.sleep(0)
        assert (await limiter.shared_state(KEY))["rv"] == 7.0
        go[1].set()
        await calls[1]
        # "5 remaining" after the second; the third was reserved since and is in flight
        assert (await limiter.shared_state(KEY))["rv"] == 4.0
        go[0].set()
        await calls[0]
        # "6 remaining" after the first, less the third (in flight): 5 does not raise 4; the
        # second, answered already, is not counted twice
        assert (await limiter.shared_state(KEY))["rv"] == 4.0
        go[2].set()
        await calls[2]
        assert (await limiter.shared_state(KEY))["rv"] == 4.0
    finally:
        for event in go:
            event.set()
        await asyncio.gather(*calls, return_exceptions=True)


async def test_cold_start_is_per_process_and_unannounced_limits_never_slow_down(
    limiters: Callable[..., RedisRateLimiter],
) -> None:
    instances = [limiters(cold_start=2) for _ in range(2)]
    entered = 0
    first_wave = asyncio.Event()
    release = asyncio.Event()

    async def send(req: Request) -> Response:
        nonlocal entered
        entered += 1
        if entered == 4:
            first_wave.set()
        await release.wait()
        return answer(req)  # no rate-limit headers: nothing is announced

    tasks = [
        asyncio.create_task(lim.middleware(KEY)(request(), send))
        for lim in instances
        for _ in range(6)
    ]
    try:
        await reached(first_wave)
        for lim in instances:  # two in flight each; the head of the rest waits for a response
            snap = lim.snapshot()["*"]
            assert snap["inflight"] == 2 and snap["waiting"] == 4 and snap["mode"] == "cold"
            assert snap["gated"]  # held by the local gate, not asking Redis
        assert entered == 4
    finally:
        release.set()
        async with asyncio.timeout(HANG_GUARD):
            await asyncio.gather(*tasks)
    assert entered == 12
    assert (await instances[0].shared_state(KEY))["mode"] == 2.0  # unannounced
    # now nothing holds calls back: 40 at once are all in flight together
    release.clear()
    all_in = asyncio.Event()
    entered = 0

    async def send_all(req: Request) -> Response:
        nonlocal entered
        entered += 1
        if entered == 40:
            all_in.set()
        await all_in.wait()
        return answer(req)

    async with asyncio.timeout(HANG_GUARD):  # a hang guard: a limiter holding calls back hangs
        await asyncio.gather(
            *(lim.middleware(KEY)(request(), send_all) for lim in instances for _ in range(20))
        )
    assert entered == 40


# -- Redis slow or gone ---------------------------------------------------------------------------


def redis_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "aio_openai" and r.levelno == logging.WARNING and "Redis" in r.getMessage()
    ]


async def test_redis_killed_mid_run_falls_back_then_comes_back(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="aio_openai")
    clock = Clock(100.0)
    async with FakeOpenAI() as fake:
        fake.limits.set(rpm=60_000)
        limiter = RedisRateLimiter(redis_server.url, clock=clock, backoff=5.0)
        client = AsyncOpenAI(api_key="sk-redis", base_url=fake.url, rate_limiter=limiter)
        try:
            for _ in range(5):
                await client.models.retrieve("gpt-4")
            assert limiter.snapshot()["*"]["granted"] == 5
            redis_server.kill()
            models = await asyncio.gather(*(client.models.retrieve("gpt-4") for _ in range(10)))
            assert [m.id for m in models] == ["gpt-4"] * 10
            assert not limiter.available
            await client.models.retrieve("gpt-4")  # still inside the backoff: Redis not asked
            clock.now += 5.0
            await client.models.retrieve("gpt-4")  # tries Redis again: still gone
            snap = limiter.snapshot()["*"]
            assert snap["fallback_calls"] == 12 and snap["granted"] == 5
            assert len(redis_warnings(caplog)) == 1  # once per outage, not once per call
            assert limiter.outages == 1
            redis_server.start()  # back, empty, on the same port
            clock.now += 10.0  # the backoff doubled after the second failure
            for _ in range(3):
                await client.models.retrieve("gpt-4")
            assert limiter.available
            assert limiter.snapshot()["*"]["granted"] == 8
            assert (await limiter.shared_state(client_key(client)))["ri"] == 3.0
            assert any("answers again" in r.getMessage() for r in caplog.records)
            assert len(redis_warnings(caplog)) == 1
        finally:
            await client.aclose()
            await limiter.aclose()
    assert fake.limits.accepted == 20 and fake.limits.rejected.total() == 0


async def test_slow_redis_falls_back_without_hanging(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="aio_openai")
    clock = Clock(100.0)
    import redis.asyncio

    admin = redis.asyncio.Redis(port=redis_server.port, single_connection_client=True)
    async with FakeOpenAI() as fake:
        fake.limits.set(rpm=60_000)
        limiter = RedisRateLimiter(redis_server.url, clock=clock, timeout=0.2)
        client = AsyncOpenAI(api_key="sk-redis", base_url=fake.url, rate_limiter=limiter)
        try:
            await client.models.retrieve("gpt-4")
            # scripts write, so pausing writes makes every script call hang until unpaused
            await admin.execute_command("CLIENT", "PAUSE", "60000", "WRITE")
            models = await asyncio.gather(*(client.models.retrieve("gpt-4") for _ in range(10)))
            assert [m.id for m in models] == ["gpt-4"] * 10
            warnings = redis_warnings(caplog)
            assert len(warnings) == 1 and "timed out" in warnings[0].getMessage()
            assert limiter.snapshot()["*"]["fallback_calls"] == 10
            await admin.execute_command("CLIENT", "UNPAUSE")
            clock.now += limiter.backoff
            await client.models.retrieve("gpt-4")
            assert limiter.available and limiter.snapshot()["*"]["granted"] == 2
        finally:
            await admin.execute_command("CLIENT", "UNPAUSE")
            await admin.aclose()
            await client.aclose()
            await limiter.aclose()
    assert fake.limits.accepted == 12


def test_one_limiter_serves_two_asyncio_runs(redis_server: RedisServer) -> None:
    # a client (and its limiter) made once, used by two event loops one after the other
    with FakeOpenAI(record_requests=False).running_in_thread() as fake:
        fake.limits.set(rpm=60_000)
        limiter = RedisRateLimiter(redis_server.url)
        client = AsyncOpenAI(api_key="sk-redis", base_url=fake.url, rate_limiter=limiter)

        async def five() -> list[Any]:
            return await asyncio.gather(
                *(client.models.retrieve("gpt-4") for _ in range(5)), return_exceptions=True
            )

        runs = [asyncio.run(five()), asyncio.run(five())]

        async def close() -> None:
            await client.aclose()
            await limiter.aclose()

        asyncio.run(close())
    lost = [r for results in runs for r in results if isinstance(r, BaseException)]
    assert lost == []
    snap = limiter.snapshot()["*"]
    assert snap["granted"] == 10 and snap["fallback_calls"] == 0  # every call paced by Redis
    assert fake.limits.accepted == 10


async def test_any_exception_from_redis_falls_back(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    import redis.asyncio

    class Broken(redis.asyncio.Redis):
        def pipeline(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("Event loop is closed")  # what a client of a dead loop raised

    broken = Broken(port=redis_server.port)
    limiter = RedisRateLimiter(broken, clock=Clock())
    server = Server()
    try:
        with caplog.at_level(logging.WARNING, logger="aio_openai"):
            results = await run_calls(limiter, 5, server)
    finally:
        await limiter.aclose()
        await broken.aclose()
    assert all(isinstance(r, Response) for r in results), results
    assert server.calls == 5 and limiter.snapshot()["*"]["fallback_calls"] == 5
    assert not limiter.available and limiter.outages == 1
    assert "RuntimeError" in redis_warnings(caplog)[0].getMessage()


async def reserve_calls(admin: Any, limiter: RedisRateLimiter) -> int:
    """Reserve scripts Redis ran since the slow log was reset (it logs every command)."""
    from aio_openai.ratelimit._scripts import RESERVE

    entries = await admin.slowlog_get(100_000)
    return sum(
        1
        for e in entries
        if [_text(a) for a in e["command"].split()[:2]] == ["EVALSHA", RESERVE.sha]
    )


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def test_waiters_are_released_together_when_a_paused_redis_answers(
    redis_server: RedisServer,
) -> None:
    import redis.asyncio

    admin = redis.asyncio.Redis(port=redis_server.port)
    await admin.config_set("slowlog-log-slower-than", 0)
    await admin.config_set("slowlog-max-len", 100_000)
    # a long timeout: this test is about how many round trips release the waiters, not time
    limiter = RedisRateLimiter(redis_server.url, rpm=1_000_000, clock=Clock(), timeout=HANG_GUARD)
    middleware = limiter.middleware(KEY)
    server = Server()
    process = redis_server._process
    assert process is not None
    try:
        await middleware(request(), server)  # the script is loaded, a connection is open
        await admin.slowlog_reset()
        process.send_signal(signal.SIGSTOP)
        try:
            first = asyncio.create_task(middleware(request(), server))
            async with asyncio.timeout(HANG_GUARD):  # its reserve is on the wire, unanswered
                while limiter.snapshot()["*"]["waiting"] != 1 or not limiter._tasks:
                    await asyncio.sleep(0)
            rest = [asyncio.create_task(middleware(request(), server)) for _ in range(255)]
            async with asyncio.timeout(HANG_GUARD):
                while limiter.snapshot()["*"]["waiting"] != 256:
                    await asyncio.sleep(0)
        finally:
            process.send_signal(signal.SIGCONT)
        async with asyncio.timeout(HANG_GUARD):
            results = await asyncio.gather(first, *rest)
        assert len(results) == 256 and server.calls == 257
        assert limiter.snapshot()["*"]["fallback_calls"] == 0
        # one answer for the call that asked first, one for the 255 that queued behind it
        assert await reserve_calls(admin, limiter) == 2
    finally:
        await limiter.aclose()
        await admin.aclose()


def client_key(client: AsyncOpenAI) -> str:
    from aio_openai.ratelimit._common import key_id

    return key_id(client.api_key, client.organization)


# -- end to end: two clients on one key ------------------------------------------------------


async def test_two_clients_sharing_redis_stay_under_the_limit_where_local_ones_overshoot(
    redis_server: RedisServer,
) -> None:
    async def run(make_limiter: Callable[[], Any]) -> tuple[int, int]:
        async with FakeOpenAI() as fake:
            # 1,200 a minute (20 a second) with room for 10 at the start: about 2 s of pacing
            fake.limits.set(rpm=1200, initial=10 / 1200)
            limiters = [make_limiter() for _ in range(2)]
            clients = [
                AsyncOpenAI(api_key="sk-shared", base_url=fake.url, rate_limiter=lim)
                for lim in limiters
            ]
            try:
                results = await asyncio.gather(
                    *(c.models.retrieve("gpt-4") for c in clients for _ in range(20))
                )
            finally:
                for c in clients:
                    await c.aclose()
                for lim in limiters:
                    if isinstance(lim, RedisRateLimiter):
                        await lim.aclose()
            assert len(results) == 40
            return fake.limits.accepted, fake.limits.rejected.total()

    shared = await run(lambda: RedisRateLimiter(redis_server.url))
    local = await run(RateLimiter)
    assert shared[0] == 40 and shared[1] <= 2
    assert local[1] >= 4 and local[1] > 2 * shared[1]  # 6 in every run measured


# -- packaging --------------------------------------------------------------------------------


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_import_aio_openai_does_not_import_redis() -> None:
    done = run_python(
        "import sys, aio_openai, aio_openai.ratelimit._redis\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'redis'], 'redis imported'\n"
        "print('ok')"
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_without_redis_package_the_error_names_the_extra() -> None:
    done = run_python(
        "import sys\n"
        "sys.modules['redis'] = None\n"
        "from aio_openai import RedisRateLimiter\n"
        "try:\n"
        "    RedisRateLimiter('redis://127.0.0.1:1/0')\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    assert "pip install 'aio_openai[redis]'" in done.stdout, done.stderr


def test_missing_redis_server_skips_or_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="redis-server is not on PATH"):
        require_redis()
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="requires the Redis tests to run"):
        require_redis()
