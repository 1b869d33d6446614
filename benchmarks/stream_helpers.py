"""Client CPU of the stream helpers, against a plain stream and against the official SDK's.

``chat.completions.stream()`` and ``responses.stream()`` read a plain stream and make the
SDK's events: a snapshot per chunk, the JSON read so far, the output parsed at the end. This
measures what that costs in client CPU per stream, for aio_openai and the SDK side by side,
each parsing into its kind of type (an attrs class; the SDK's pydantic model), with
FakeOpenAI in a child process (``aio-openai serve-fake``) answering a scripted JSON reply
streamed in pieces of 4 characters.

    python benchmarks/stream_helpers.py [--items 120] [--streams 20] [--rounds 3] [--small]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

from aio_openai import AsyncOpenAI

KEY = "sk-bench-0123456789"
PROMPT = "go"


@attrs.frozen
class Item:
    name: str
    count: int


@attrs.frozen
class Items:
    items: list[Item]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(fn: Callable[[], Awaitable[Any]], streams: int, rounds: int) -> float:
    """The least client CPU seconds per stream over ``rounds`` runs of ``streams`` streams."""
    await fn()  # warm up: connections, hooks, schemas
    best = float("inf")
    for _ in range(rounds):
        start = cpu()
        for _ in range(streams):
            await fn()
        best = min(best, (cpu() - start) / streams)
    return best


def contestants(ours: AsyncOpenAI, sdk: Any, items: int) -> dict[str, Callable[[], Awaitable[Any]]]:
    import pydantic

    class PItem(pydantic.BaseModel):
        name: str
        count: int

    class PItems(pydantic.BaseModel):
        items: list[PItem]

    messages = [{"role": "user", "content": PROMPT}]
    model = "gpt-4o-mini"

    async def ours_plain() -> None:
        stream = await ours.chat.completions.create(model=model, messages=messages, stream=True)
        async for _ in stream:
            pass

    async def ours_chat() -> None:
        async with ours.chat.completions.stream(
            model=model, messages=messages, response_format=Items
        ) as stream:
            async for _ in stream:
                pass
        parsed = (await stream.get_final_completion()).choices[0].message.parsed
        assert parsed is not None and len(parsed.items) == items

    async def ours_responses() -> None:
        async with ours.responses.stream(model=model, input=PROMPT, text_format=Items) as stream:
            async for _ in stream:
                pass
        parsed = (await stream.get_final_response()).output_parsed
        assert parsed is not None and len(parsed.items) == items

    async def sdk_plain() -> None:
        stream = await sdk.chat.completions.create(model=model, messages=messages, stream=True)
        async for _ in stream:
            pass

    async def sdk_chat() -> None:
        async with sdk.chat.completions.stream(
            model=model, messages=messages, response_format=PItems
        ) as stream:
            async for _ in stream:
                pass
        parsed = (await stream.get_final_completion()).choices[0].message.parsed
        assert parsed is not None and len(parsed.items) == items

    async def sdk_responses() -> None:
        async with sdk.responses.stream(model=model, input=PROMPT, text_format=PItems) as stream:
            async for _ in stream:
                pass
        parsed = (await stream.get_final_response()).output_parsed
        assert parsed is not None and len(parsed.items) == items

    return {
        "chat create(stream=True)": ours_plain,
        "chat stream(response_format=T)": ours_chat,
        "responses.stream(text_format=T)": ours_responses,
        "SDK chat create(stream=True)": sdk_plain,
        "SDK chat stream(response_format=T)": sdk_chat,
        "SDK responses.stream(text_format=T)": sdk_responses,
    }


async def run(url: str, args: argparse.Namespace) -> None:
    import openai

    results = {}
    async with AsyncOpenAI(api_key=KEY, base_url=url) as ours:
        sdk = openai.AsyncOpenAI(api_key=KEY, base_url=url)
        try:
            for name, fn in contestants(ours, sdk, args.items).items():
                results[name] = await measure(fn, args.streams, args.rounds)
        finally:
            await sdk.close()
    print(f"openai {openai.__version__}; {args.streams} streams a round, best of {args.rounds}")
    print(f"{'client CPU per stream':40s}  {'aio_openai':>10s}  {'SDK':>8s}  {'SDK/ours':>8s}")
    for name in ("chat create(stream=True)", "chat stream(response_format=T)",
                 "responses.stream(text_format=T)"):  # fmt: skip
        ours, sdk = results[name], results[f"SDK {name}"]
        print(f"{name:40s}  {ours * 1000:8.1f}ms  {sdk * 1000:6.1f}ms  {sdk / ours:7.1f}x")
    helper = results["chat stream(response_format=T)"] / results["chat create(stream=True)"]
    print(f"aio_openai chat helper / plain stream: {helper:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=120, help="items in the JSON reply")
    parser.add_argument("--streams", type=int, default=20, help="streams a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="a smoke test: few, small streams")
    args = parser.parse_args()
    if args.small:
        args.items, args.streams, args.rounds = 5, 2, 1
    reply = json.dumps({"items": [{"name": f"item {i}", "count": i} for i in range(args.items)]})
    print(f"a reply of {len(reply):,} characters: about {len(reply) // 4:,} chunks a stream")
    server = subprocess.Popen(
        [sys.executable, "-m", "aio_openai", "serve-fake", "--reply", f"{PROMPT}={reply}"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        asyncio.run(run(url if url.endswith("/v1") else url + "/v1", args))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
