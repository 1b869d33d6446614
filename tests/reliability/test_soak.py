"""Soak: 20,000 calls through fan_out against FakeOpenAI with 20 % mixed faults.

Every call gets an id of its own (a model added for it, or one that does not exist), so each
call's server-side history can be read back from the fake's fault log: what every attempt of
every call met, and so what each call must end with. The test then checks, call by call, that
fan_out delivered exactly one result per input, that the result is the one the server's
answers call for (the model, NotFoundError, or the typed error of the last fault), that the
attempts are the ones the policy allows and the server saw, and that nothing is left behind.

Run with ``pytest -s`` to see the figures (calls, attempts, retries by cause, failures).
"""

from __future__ import annotations

import asyncio
import gc
import time
import warnings
from collections import Counter, defaultdict

from aio_openai import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncOpenAI,
    InternalServerError,
    NotFoundError,
    RateLimiter,
    RateLimitError,
    Result,
    RetryPolicy,
    RetryStats,
    fan_out,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types import Model

CALLS = 20_000
CONCURRENCY = 128
FAULT_RATE = 0.2
SEED = 20_240_909
#: Every tenth call asks for a model that does not exist.
UNKNOWN_EVERY = 10
#: A delay fault holds the answer past the per-attempt timeout (kept rare: each costs a slot
#: for TIMEOUT seconds). The timeout stays far above a healthy answer's time on a loaded
#: machine (the fake shares the loop with 128 calls): at 1.5 s a healthy attempt timed out
#: once on 2 busy cores and the call counted an attempt no fault explains.
TIMEOUT = 5.0
DELAY = 10.0
#: Weights of the fault kinds (about 0.1 % of requests are delays, 0.3 % 429s with a hint).
KINDS = {
    "status_500": 4.0,
    "status_502": 3.0,
    "status_503": 4.0,
    "reset": 3.0,
    "truncate": 3.0,
    "invalid_json": 2.0,
    "status_429": 0.3,
    "delay": 0.1,
}
#: The typed error a call ends with when its last attempt met this fault.
ERROR_OF = {
    "status_500": InternalServerError,
    "status_502": InternalServerError,
    "status_503": InternalServerError,
    "status_429": RateLimitError,
    "reset": APIConnectionError,
    "truncate": APIConnectionError,
    "invalid_json": APIResponseValidationError,
    "delay": APITimeoutError,
}
#: The retry cause the client's stats count a fault under.
CAUSE_OF = {
    "status_500": "status_500",
    "status_502": "status_502",
    "status_503": "status_503",
    "status_429": "rate_limit",
    "reset": "connection",
    "truncate": "connection",
    "invalid_json": "invalid_json",
    "delay": "timeout",
}


def model_id(index: int) -> str:
    return f"missing-{index}" if index % UNKNOWN_EVERY == 0 else f"soak-{index}"


def expected_outcome(result: Result[str, Model], faults: list[str], max_attempts: int) -> str:
    """Check one call against what its attempts met; return its outcome."""
    index, attempts = result.index, result.attempts
    assert 1 <= attempts <= max_attempts, (index, attempts)
    if attempts == len(faults) + 1:
        # every fault was retried and the last attempt got the route's own answer
        if index % UNKNOWN_EVERY == 0:
            assert isinstance(result.error, NotFoundError), (index, result.error)
            assert result.error.code == "model_not_found"
            return "not_found"
        assert result.error is None, (index, faults, result.error)
        assert isinstance(result.value, Model)
        assert result.value.id == result.input == model_id(index)
        return "ok"
    # the last attempt met a fault, and the call gave up with that fault's error
    assert attempts == len(faults), (index, attempts, faults)
    assert type(result.error) is ERROR_OF[faults[-1]], (index, faults, result.error)
    return "gave_up"


async def test_soak_every_call_ends_once_with_its_own_outcome() -> None:
    fake = FakeOpenAI(record_requests=False)
    await fake.start()
    policy = RetryPolicy(initial_delay=0.001, max_delay=0.005)
    client = AsyncOpenAI(api_key="sk-soak", base_url=fake.url, timeout=TIMEOUT, retry_policy=policy)
    try:
        for i in range(CALLS):
            if i % UNKNOWN_EVERY:
                fake.add_model(f"soak-{i}")
        fake.faults.random(FAULT_RATE, KINDS, seed=SEED, delay=DELAY)
        max_attempts = client.max_retries + 1
        ids = [model_id(i) for i in range(CALLS)]
        started = time.monotonic()
        results: list[Result[str, Model]] = []
        async with asyncio.timeout(240):
            async for result in fan_out(client.models.retrieve, ids, concurrency=CONCURRENCY):
                results.append(result)
        wall = time.monotonic() - started

        # exactly one result per input, none twice, none missing
        assert len(results) == CALLS
        assert sorted(r.index for r in results) == list(range(CALLS))
        assert all(r.input == ids[r.index] for r in results)

        # what every attempt of every call met, from the server's side
        faults_of: dict[str, list[str]] = defaultdict(list)
        for entry in fake.faults.log:
            faults_of[entry.path.removeprefix("/v1/models/")].append(entry.label)
        outcomes: Counter[str] = Counter()
        gave_up_early = 0
        for result in results:
            outcome = expected_outcome(result, faults_of[result.input], max_attempts)
            outcomes[outcome] += 1
            if outcome == "gave_up" and result.attempts < max_attempts:
                gave_up_early += 1

        # the server saw exactly the attempts the calls report: none lost, none extra
        attempts = sum(r.attempts for r in results)
        assert fake.faults.seen == attempts
        stats = client.stats
        assert stats.calls == CALLS
        assert stats.attempts == attempts
        # retries by cause are the faults that were retried (every fault but a call's last)
        retried: Counter[str] = Counter()
        for result in results:
            faults = faults_of[result.input]
            for label in faults[: result.attempts - 1]:
                retried[CAUSE_OF[label]] += 1
        assert stats.retries_by_cause == retried
        # a call that gave up before max_retries did so because the retry budget said so
        assert stats.gave_up["budget"] == gave_up_early
        assert stats.gave_up["max_retries"] == outcomes["gave_up"] - gave_up_early
        # nothing left behind in the limiter or the pool
        assert isinstance(client.rate_limiter, RateLimiter)
        for pair in client.rate_limiter.snapshot().values():
            assert pair["inflight"] == 0
            assert pair["waiting"] == 0
        session = client._pool.session()
        connector = session.connector
        assert connector is not None
        assert len(connector._acquired) == 0  # every connection was given back
        assert client._pool.connections <= CONCURRENCY
        failures = Counter(type(r.error).__name__ for r in results if r.error is not None)
        await client.aclose()
        assert session.closed
        assert client._pool.connections == 0
    finally:
        await client.aclose()
        await fake.stop()

    assert asyncio.all_tasks() == {asyncio.current_task()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del results, session, connector
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []

    print_figures(wall, stats, outcomes, failures, fake)


def print_figures(
    wall: float,
    stats: RetryStats,
    outcomes: Counter[str],
    failures: Counter[str],
    fake: FakeOpenAI,
) -> None:
    """Print what the run established (``pytest -s`` shows it)."""
    print(
        f"\nsoak: {CALLS} calls, {stats.attempts} attempts"
        f" ({fake.faults.seen} seen by the server) in {wall:.1f} s"
        f" ({CALLS / wall:.0f} calls/s)"
    )
    print(f"  faults injected: {dict(fake.faults.injected.most_common())}")
    print(f"  retries by cause: {dict(stats.retries_by_cause.most_common())}")
    print(f"  gave up (reason): {dict(stats.gave_up)}")
    print(f"  outcomes: {dict(outcomes)}; failures by class: {dict(failures.most_common())}")
