"""The rate limiter against FakeOpenAI's real limits, over loopback (counts, not timings)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from aio_openai import AsyncOpenAI, RateLimiter, RateLimitError
from aio_openai._durations import parse_duration
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._limits import format_duration

HEADERS = (
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
)


@pytest.mark.parametrize("seconds", [0.02, 0.5, 1.0, 59.5, 360.0, 3723.5])
def test_fake_reset_format_round_trips(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == pytest.approx(seconds, abs=1e-3)


async def test_fake_sends_six_headers_and_real_looking_429() -> None:
    async with FakeOpenAI() as fake:
        fake.limits.set(rpm=2)
        auth = {"Authorization": "Bearer sk-a"}
        async with aiohttp.ClientSession() as http:
            for expected in ("1", "0"):
                async with http.get(f"{fake.url}/models/gpt-4", headers=auth) as r:
                    assert r.status == 200
                    assert all(h in r.headers for h in HEADERS)
                    assert r.headers["x-ratelimit-limit-requests"] == "2"
                    assert r.headers["x-ratelimit-remaining-requests"] == expected
                    assert parse_duration(r.headers["x-ratelimit-reset-requests"]) is not None
            async with http.get(f"{fake.url}/models/gpt-4", headers=auth) as r:
                assert r.status == 429
                body = await r.json()
                assert all(h in r.headers for h in HEADERS)
                assert int(r.headers["retry-after-ms"]) > 0
            # another key has its own buckets
            other = {"Authorization": "Bearer sk-b"}
            async with http.get(f"{fake.url}/models/gpt-4", headers=other) as r:
                assert r.status == 200
    err = body["error"]
    assert err["type"] == "requests" and err["code"] == "rate_limit_exceeded"
    assert "Please try again in" in err["message"]
    assert fake.limits.accepted == 3 and fake.limits.rejected["requests"] == 1


async def test_no_limits_no_headers() -> None:
    async with FakeOpenAI() as fake, aiohttp.ClientSession() as http:
        headers = {"Authorization": "Bearer sk-a"}
        async with http.get(f"{fake.url}/models/gpt-4", headers=headers) as r:
            assert "x-ratelimit-limit-requests" not in r.headers


async def test_client_paces_under_the_limit_without_429s() -> None:
    async with FakeOpenAI() as fake:
        # 1,200 a minute (20 a second), starting with room for the cold start's 4 requests
        # only, so the rest of the run is all pacing
        fake.limits.set(rpm=1200, initial=4.5 / 1200)
        limiter = RateLimiter(cold_start=4)
        async with AsyncOpenAI(api_key="sk-a", base_url=fake.url, rate_limiter=limiter) as client:
            results = await asyncio.gather(*(client.models.retrieve("gpt-4") for _ in range(30)))
        assert len(results) == 30
        assert fake.limits.rejected.total() == 0
        assert fake.limits.accepted == 30
        snap = limiter.snapshot()["*"]
        assert snap["mode"] == "known" and snap["limit_requests"] == 1200
        assert snap["waited"] > 0


async def test_without_limiter_the_same_run_bounces_off_429s() -> None:
    async with FakeOpenAI() as fake:
        fake.limits.set(rpm=1200, initial=0.0)
        async with AsyncOpenAI(
            api_key="sk-a", base_url=fake.url, rate_limiter=None, max_retries=0
        ) as client:
            results = await asyncio.gather(
                *(client.models.retrieve("gpt-4") for _ in range(30)), return_exceptions=True
            )
        assert any(isinstance(r, RateLimitError) for r in results)
        assert fake.limits.rejected.total() > 0


async def test_server_without_limits_is_never_slowed_down() -> None:
    async with FakeOpenAI() as fake:
        limiter = RateLimiter()
        async with AsyncOpenAI(api_key="sk-a", base_url=fake.url, rate_limiter=limiter) as client:
            await client.models.retrieve("gpt-4")
            await asyncio.gather(*(client.models.retrieve("gpt-4") for _ in range(500)))
        snap = limiter.snapshot()["*"]
        assert snap["mode"] == "unannounced"
        assert snap["waited"] == 0


async def test_429_from_another_process_backs_off_and_recovers() -> None:
    async with FakeOpenAI() as fake:
        limiter = RateLimiter()
        async with AsyncOpenAI(api_key="sk-a", base_url=fake.url, rate_limiter=limiter) as client:
            await client.models.retrieve("gpt-4")
            fake.faults.push(
                "GET /v1/models/{model}", status=429, headers={"retry-after-ms": "5"}, times=1
            )
            model = await client.models.retrieve("gpt-4")
        assert model.id == "gpt-4"
        assert limiter.snapshot()["*"]["rate_limited"] == 1
        assert client.stats.retries_by_cause["rate_limit"] == 1
