"""Client CPU per request: raw aiohttp (the floor), aio_openai, and the official SDK.

One run, the same server (a separate process on the other core, cheap fixed responses), the
same requests: a small GET (models.retrieve), a list (models.list) and a POST with a JSON
body (assistants.create). The client process is pinned to one core and its CPU time
(``time.process_time``) is divided by the number of requests; each figure is the median of
``--rounds`` rounds. Within a round the contestants take turns every ``--chunk`` requests, so
drift in the machine's speed hits them alike. Also: import time of
``aio_openai`` against its own dependencies and ``openai``, and the memory of a client with
10,000 requests in flight.

    python benchmarks/overhead.py            # the full run (a few minutes)
    python benchmarks/overhead.py --small    # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KEY = "sk-bench-0123456789"

MODEL = json.dumps(
    {"id": "gpt-4", "object": "model", "created": 1687882411, "owned_by": "openai"}
).encode()
MODELS = json.dumps(
    {
        "object": "list",
        "data": [
            {"id": f"model-{i}", "object": "model", "created": 1686935002, "owned_by": "openai"}
            for i in range(27)
        ],
    }
).encode()
ASSISTANT = json.dumps(
    {
        "id": "asst_abc123",
        "object": "assistant",
        "created_at": 1698984975,
        "name": "Math Tutor",
        "description": None,
        "model": "gpt-4",
        "instructions": "You are a personal math tutor.",
        "tools": [{"type": "code_interpreter"}],
        "tool_resources": {},
        "metadata": {},
        "top_p": 1.0,
        "temperature": 1.0,
        "response_format": "auto",
    }
).encode()


# -- the server (child process) ---------------------------------------------------------------


def serve(port_file: str, cpu: int | None) -> None:
    """A fixed-response server; writes its port to ``port_file`` and serves until killed."""
    from aiohttp import web

    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    headers = {"x-request-id": "req_0123456789abcdef0123456789abcdef"}

    async def model(request: web.Request) -> web.Response:
        return web.Response(body=MODEL, content_type="application/json", headers=headers)

    async def models(request: web.Request) -> web.Response:
        return web.Response(body=MODELS, content_type="application/json", headers=headers)

    async def assistant(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=ASSISTANT, content_type="application/json", headers=headers)

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(float(request.query.get("s", "2")))
        return web.Response(body=MODEL, content_type="application/json", headers=headers)

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/v1/models/slow", slow)
        app.router.add_get("/v1/models/{model}", model)
        app.router.add_get("/v1/models", models)
        app.router.add_post("/v1/assistants", assistant)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        port = runner.addresses[0][1]
        Path(port_file).write_text(str(port))
        await asyncio.Event().wait()

    asyncio.run(main())


def start_server(cpu: int | None) -> tuple[subprocess.Popen[bytes], str]:
    port_file = HERE / f".overhead-port-{os.getpid()}"
    port_file.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port_file), "--cpu", str(cpu or -1)]
    )
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the benchmark server did not start")
        time.sleep(0.02)
    port = port_file.read_text()
    port_file.unlink()
    return proc, f"http://127.0.0.1:{port}/v1"


# -- contestants ------------------------------------------------------------------------------

Call = Callable[[], Awaitable[Any]]


class Contestant:
    """Makes the three calls with one client library; ``aclose`` releases it."""

    name = ""

    async def setup(self, base: str) -> None: ...

    def calls(self) -> dict[str, Call]:
        raise NotImplementedError

    async def aclose(self) -> None: ...


class RawAiohttp(Contestant):
    name = "raw aiohttp"

    async def setup(self, base: str) -> None:
        import aiohttp

        self.base = base
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1000),
            headers={"Authorization": f"Bearer {KEY}"},
        )

    def calls(self) -> dict[str, Call]:
        s, base = self.session, self.base
        body = json.dumps({"model": "gpt-4", "name": "Math Tutor", "tools": []}).encode()

        async def retrieve() -> Any:
            async with s.get(f"{base}/models/gpt-4") as r:
                return json.loads(await r.read())

        async def list_() -> Any:
            async with s.get(f"{base}/models") as r:
                return json.loads(await r.read())

        async def create() -> Any:
            async with s.post(
                f"{base}/assistants",
                data=body,
                headers={"Content-Type": "application/json", "OpenAI-Beta": "assistants=v2"},
            ) as r:
                return json.loads(await r.read())

        return {"retrieve": retrieve, "list": list_, "create": create}

    async def aclose(self) -> None:
        await self.session.close()


class ClientContestant(Contestant):
    """A contestant whose client is called the way the official SDK is (``self.client``)."""

    client: Any

    def calls(self) -> dict[str, Call]:
        c = self.client

        async def create() -> Any:
            return await c.beta.assistants.create(model="gpt-4", name="Math Tutor", tools=[])

        return {
            "retrieve": lambda: c.models.retrieve("gpt-4"),
            "list": lambda: c.models.list(),
            "create": create,
        }


class AioOpenAI(ClientContestant):
    name = "aio_openai"

    async def setup(self, base: str) -> None:
        from aio_openai import AsyncOpenAI

        self.client = AsyncOpenAI(api_key=KEY, base_url=base)  # retry + rate limiter on

    async def aclose(self) -> None:
        await self.client.aclose()


class OpenAISDK(ClientContestant):
    name = "openai (httpx)"
    aiohttp_transport = False

    async def setup(self, base: str) -> None:
        import openai

        kwargs: dict[str, Any] = {}
        if self.aiohttp_transport:
            kwargs["http_client"] = openai.DefaultAioHttpClient()
        self.client = openai.AsyncOpenAI(api_key=KEY, base_url=base, **kwargs)

    async def aclose(self) -> None:
        await self.client.close()


class OpenAISDKAiohttp(OpenAISDK):
    name = "openai (aiohttp)"
    aiohttp_transport = True


def contestants(include_sdk: bool) -> list[type[Contestant]]:
    out: list[type[Contestant]] = [RawAiohttp, AioOpenAI]
    if include_sdk:
        out += [OpenAISDK, OpenAISDKAiohttp]
    return out


# -- measuring --------------------------------------------------------------------------------


async def drive(call: Call, n: int, concurrency: int) -> None:
    """``n`` calls by ``concurrency`` workers."""
    remaining = n

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def measure(
    kinds: list[type[Contestant]], base: str, case: str, n: int, concurrency: int, chunk: int
) -> dict[str, tuple[float, float]]:
    """One round: {contestant: (CPU ms per request, requests per second)}.

    Every contestant makes ``n`` calls in chunks of ``chunk``, taking turns chunk by chunk
    (the order rotates), so they all meet the same machine: on a VM the CPU cost of the
    loopback path drifts by tens of percent over seconds.
    """
    contestants = [kind() for kind in kinds]
    for contestant in contestants:
        await contestant.setup(base)
    try:
        calls = [contestant.calls()[case] for contestant in contestants]
        for call in calls:
            await drive(call, min(n, 400), concurrency)  # warm up: connections, caches
        cpu = [0.0] * len(calls)
        wall = [0.0] * len(calls)
        done = 0
        turn = 0
        while done < n:
            size = min(chunk, n - done)
            for k in range(len(calls)):
                i = (k + turn) % len(calls)
                gc.collect()
                cpu0, wall0 = time.process_time(), time.perf_counter()
                await drive(calls[i], size, concurrency)
                cpu[i] += time.process_time() - cpu0
                wall[i] += time.perf_counter() - wall0
            done += size
            turn += 1
    finally:
        for contestant in contestants:
            await contestant.aclose()
    return {kind.name: (cpu[i] * 1000 / n, n / wall[i]) for i, kind in enumerate(kinds)}


def import_ms(stmt: str, runs: int) -> float:
    """Median wall time of ``python -c stmt`` minus an empty interpreter's, in ms."""

    def once(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - t0

    base = statistics.median(once("pass") for _ in range(runs))
    return (statistics.median(once(stmt) for _ in range(runs)) - base) * 1000


async def inflight_memory(kind: type[Contestant], base: str, n: int) -> float:
    """MiB allocated (tracemalloc peak) for a client holding ``n`` requests in flight."""
    contestant = kind()
    gc.collect()
    tracemalloc.start()
    await contestant.setup(base)
    if isinstance(contestant, AioOpenAI):
        contestant.client = contestant.client.with_options(timeout=120)
        client = contestant.client

        async def call() -> Any:
            return await client.models.retrieve("slow", extra_query={"s": "3"})

    elif isinstance(contestant, RawAiohttp):
        s = contestant.session

        async def call() -> Any:
            async with s.get(f"{base}/models/slow", params={"s": "3"}) as r:
                return json.loads(await r.read())

    else:
        sdk = contestant.client

        async def call() -> Any:
            return await sdk.models.retrieve("slow", extra_query={"s": "3"}, timeout=120)

    try:
        await asyncio.gather(*(call() for _ in range(n)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await contestant.aclose()
    return peak / 2**20


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for name in ("aio_openai", "aiohttp", "openai", "httpx2", "cattrs", "attrs", "tenacity"):
        with contextlib.suppress(Exception):
            out[name] = version(name)
    return out


def chart(results: dict[str, dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases = list(next(iter(results.values())).keys())
    names = list(results)
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        xs = [c + i * width for c in range(len(cases))]
        ax.bar(xs, [results[name][c] for c in cases], width, label=name)
    ax.set_xticks([c + width * (len(names) - 1) / 2 for c in range(len(cases))], cases)
    ax.set_ylabel("client CPU ms per request (lower is better)")
    ax.set_title("Client CPU per request, 2-core machine, client pinned to one core")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


async def run(args: argparse.Namespace) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {0})
        server_cpu: int | None = 1
    else:
        server_cpu = None
    proc, base = start_server(server_cpu)
    try:
        include_sdk = not args.no_sdk
        try:
            import openai  # noqa: F401
        except ImportError:
            include_sdk = False
        kinds = contestants(include_sdk)
        cases = ("retrieve", "list", "create")
        samples: dict[str, dict[str, list[tuple[float, float]]]] = {
            k.name: {c: [] for c in cases} for k in kinds
        }
        for case in cases:
            for _ in range(args.rounds):
                measured = await measure(
                    kinds, base, case, args.requests, args.concurrency, args.chunk
                )
                for name, sample in measured.items():
                    samples[name][case].append(sample)
        cpu = {
            n: {c: statistics.median(s[0] for s in v) for c, v in per.items()}
            for n, per in samples.items()
        }
        rps = {
            n: {c: statistics.median(s[1] for s in v) for c, v in per.items()}
            for n, per in samples.items()
        }
        floor = cpu["raw aiohttp"]
        print(
            f"\nClient CPU per request ({args.requests} requests, concurrency {args.concurrency},"
            f" in turns of {args.chunk}, median of {args.rounds} rounds)\n"
        )
        print(f"{'client':<18}{'case':<10}{'CPU ms/req':>11}{'req/s':>9}{'x raw':>8}")
        for name in cpu:
            for case in cases:
                print(
                    f"{name:<18}{case:<10}{cpu[name][case]:>11.4f}{rps[name][case]:>9.0f}"
                    f"{cpu[name][case] / floor[case]:>8.2f}"
                )
        if include_sdk:
            print("\naio_openai's advantage (SDK CPU / aio_openai CPU):")
            for case in cases:
                a = cpu["aio_openai"][case]
                print(
                    f"  {case:<10} vs httpx {cpu['openai (httpx)'][case] / a:5.1f}x"
                    f"   vs aiohttp transport {cpu['openai (aiohttp)'][case] / a:5.1f}x"
                )
        report: dict[str, Any] = {"cpu_ms": cpu, "rps": rps, "versions": versions()}
        if not args.small:
            # An installed package has its bytecode compiled (pip does it), as the
            # dependencies here have; a checkout run with PYTHONDONTWRITEBYTECODE=1 would
            # otherwise compile every changed module on each import.
            compileall.compile_dir(str(HERE.parent / "aio_openai"), quiet=1)
            print("\nImport time (ms, median of 7 fresh interpreters, less an empty one):")
            imports = {
                "aiohttp+attrs+cattrs+tenacity": import_ms(
                    "import aiohttp, attrs, cattrs, tenacity", 7
                ),
                "aio_openai": import_ms("import aio_openai", 7),
                "openai": import_ms("import openai", 7) if include_sdk else float("nan"),
            }
            for k, v in imports.items():
                print(f"  {k:<32}{v:8.1f}")
            deps = imports["aiohttp+attrs+cattrs+tenacity"]
            print(f"  aio_openai / its dependencies: {imports['aio_openai'] / deps:.2f}x")
            report["import_ms"] = imports
            print(f"\nMemory with {args.inflight:,} requests in flight (tracemalloc peak, MiB):")
            mem = {}
            for kind in kinds:
                mem[kind.name] = await inflight_memory(kind, base, args.inflight)
                print(f"  {kind.name:<18}{mem[kind.name]:8.1f}")
            report["inflight_mib"] = mem
            out = HERE / "out"
            out.mkdir(exist_ok=True)
            (out / "overhead.json").write_text(json.dumps(report, indent=2))
            chart(cpu, HERE / "overhead.png")
            print(f"\nchart: {HERE / 'overhead.png'}")
        print(f"\nversions: {report['versions']}")
        ru = resource.getrusage(resource.RUSAGE_SELF)
        print(f"client process max RSS: {ru.ru_maxrss / 1024:.0f} MiB")
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, default=-1, help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true", help="a quick smoke run")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--chunk", type=int, default=1000, help="requests per turn of each contestant"
    )
    parser.add_argument("--inflight", type=int, default=10_000)
    parser.add_argument("--no-sdk", action="store_true", help="leave the official SDK out")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, None if args.cpu < 0 else args.cpu)
        return
    if args.small:
        args.requests, args.rounds = 300, 1
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
