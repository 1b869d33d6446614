"""aio_openai's own CPU per call, without the network: the chain ends in a stub send step.

Everything but aiohttp runs: build_request, user-visible resource method, retry and
rate-limit middlewares, error mapping, JSON parsing, cattrs structuring and _request_id.
Pure CPU in one process, so far steadier than a loopback run; it shows what a change in our
own code bought (benchmarks/overhead.py gives the end-to-end ratios).

    python benchmarks/own_overhead.py [--calls 50000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from multidict import CIMultiDict, CIMultiDictProxy

from aio_openai import AsyncOpenAI
from aio_openai._chain import Request, Response, build_chain
from aio_openai._ratelimit import key_id
from aio_openai._retry import make_retry_middleware

MODEL = json.dumps(
    {"id": "gpt-4", "object": "model", "created": 1687882411, "owned_by": "openai"}
).encode()
HEADERS = CIMultiDictProxy(
    CIMultiDict({"Content-Type": "application/json", "x-request-id": "req_1"})
)


def stubbed(limiter: bool) -> AsyncOpenAI:
    """A client whose chain (retry, limiter if asked) ends in a stub instead of aiohttp."""
    client = AsyncOpenAI(
        api_key="sk-bench",
        base_url="http://127.0.0.1:1/v1",
        **({} if limiter else {"rate_limiter": None}),
    )

    async def stub(request: Request) -> Response:
        return Response(status=200, headers=HEADERS, content=MODEL, request=request)

    chain = [make_retry_middleware(client.retry_policy, client.retry_budget, client.stats)]
    if client.rate_limiter is not None:
        chain.append(client.rate_limiter.middleware(key_id("sk-bench", None)))
    client._handler = build_chain(chain, stub)
    return client


async def run(calls: int, rounds: int) -> None:
    for limiter in (True, False):
        client = stubbed(limiter)
        for _ in range(2000):
            await client.models.retrieve("gpt-4")
        samples = []
        for _ in range(rounds):
            t0 = time.process_time()
            for _ in range(calls):
                await client.models.retrieve("gpt-4")
            samples.append((time.process_time() - t0) / calls * 1e6)
        label = "retry + rate limiter" if limiter else "retry only"
        print(
            f"models.retrieve, {label:<22} {min(samples):6.2f} µs/call (min),"
            f" {statistics.median(samples):6.2f} (median of {rounds})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.calls, args.rounds))


if __name__ == "__main__":
    main()
