"""One "process" of tests/integration/test_redis_limiter.py: reserve against a shared Redis bucket.

Run as ``python redis_worker.py URL PREFIX RPM CALLS``. It makes its limiter, prints "ready",
waits for a "go" from the test (a BLPOP, so all workers start together), then makes CALLS
calls at once through the limiter's middleware with a frozen clock (no refill) and a sleep
that gives up instead of waiting; it prints how many were granted and how many had to wait.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, cast

import aiohttp
import redis.asyncio
from yarl import URL

from aio_openai import RedisRateLimiter, Request, Response

KEY_ID = "key:shared-by-processes"


class WouldWait(Exception):
    """The limiter asked this call to wait: no room left in the bucket."""


async def would_wait(seconds: float) -> None:
    raise WouldWait(seconds)


async def main(url: str, prefix: str, rpm: float, calls: int) -> dict[str, int]:
    limiter = RedisRateLimiter(
        url, prefix=prefix, rpm=rpm, utilisation=1.0, clock=lambda: 1000.0, sleep=would_wait
    )
    granted = 0

    async def send(request: Request) -> Response:
        nonlocal granted
        granted += 1
        return Response(status=200, request=request)

    signals = redis.asyncio.from_url(url)  # the limiter's own client times out in 0.25 s
    try:
        await limiter.redis.ping()
        print("ready", flush=True)
        await cast(Any, signals.blpop([f"{prefix}:go"], timeout=60))
        middleware = limiter.middleware(KEY_ID)
        requests = [
            Request(
                method="GET",
                url=URL("http://127.0.0.1:1/v1/models"),
                headers={},
                timeout=aiohttp.ClientTimeout(total=5),
            )
            for _ in range(calls)
        ]
        results = await asyncio.gather(
            *(middleware(r, send) for r in requests), return_exceptions=True
        )
    finally:
        await signals.aclose()
        await limiter.aclose()
    others = [r for r in results if isinstance(r, BaseException) and not isinstance(r, WouldWait)]
    if others:
        raise others[0]
    return {
        "granted": granted,
        "waited": sum(isinstance(r, WouldWait) for r in results),
        "fallback_calls": limiter.snapshot()["*"]["fallback_calls"],
    }


if __name__ == "__main__":
    url, prefix, rpm, calls = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(asyncio.run(main(url, prefix, rpm, calls))), flush=True)
