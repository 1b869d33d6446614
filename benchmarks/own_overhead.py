"""aio_openai's own CPU per call, without the network: the chain ends in a stub send step.

Everything but aiohttp runs: build_request, user-visible resource method, retry and
rate-limit middlewares, error mapping, JSON parsing, structuring and _request_id, for the
three calls of benchmarks/overhead.py (models.retrieve, models.list of 30 models,
beta.assistants.create) with the same response bodies.
Pure CPU in one process, so far steadier than a loopback run; it shows what a change in our
own code bought (benchmarks/overhead.py gives the end-to-end ratios).

    python benchmarks/own_overhead.py [--calls 50000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

from aio_openai import AsyncOpenAI, Request, Response
from aio_openai._chain import build_chain
from aio_openai._retry import make_retry_middleware
from aio_openai.ratelimit._common import key_id

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overhead import ASSISTANT, MODEL, MODELS  # the same bodies

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
        path = request.url.path
        body = MODELS if path == "/v1/models" else ASSISTANT if request.method == "POST" else MODEL
        return Response(status=200, headers=HEADERS, content=body, request=request)

    chain = [make_retry_middleware(client.retry_policy, client.retry_budget, client.stats)]
    if client.rate_limiter is not None:
        chain.append(client.rate_limiter.middleware(key_id("sk-bench", None)))
    client._handler = build_chain(chain, stub)
    return client


def calls(client: AsyncOpenAI) -> dict[str, Callable[[], Awaitable[Any]]]:
    async def create() -> Any:
        return await client.beta.assistants.create(model="gpt-4", name="Math Tutor", tools=[])

    return {
        "models.retrieve": lambda: client.models.retrieve("gpt-4"),
        "models.list": lambda: client.models.list(),  # type: ignore[dict-item]
        "assistants.create": create,
    }


async def run(n: int, rounds: int) -> None:
    for limiter in (True, False):
        client = stubbed(limiter)
        label = "retry + rate limiter" if limiter else "retry only"
        for name, call in calls(client).items():
            for _ in range(min(n, 2000)):
                await call()
            samples = []
            for _ in range(rounds):
                t0 = time.process_time()
                for _ in range(n):
                    await call()
                samples.append((time.process_time() - t0) / n * 1e6)
            print(
                f"{name:<18} {label:<22} {min(samples):7.2f} µs/call (min),"
                f" {statistics.median(samples):7.2f} (median of {rounds})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.calls, args.rounds))


if __name__ == "__main__":
    main()
