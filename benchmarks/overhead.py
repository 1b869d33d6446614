"""Client CPU per call: raw aiohttp + orjson (the floor), aio_openai, and the official SDK.

One run, the same server (a separate process on the other core, fixed answers that carry
OpenAI's six ``x-ratelimit-*`` headers, so the rate limiter learns from every answer), the same
calls: ``models.retrieve``, ``models.list`` (30 models), a chat completion (a 1 KB request,
usage in the answer), a streamed chat completion (52 chunks and ``[DONE]``, counted per
stream), a Responses create and an embeddings call (1,536 dimensions fetched as base64 and
decoded to floats by every contestant, the floor included). The floor parses and serializes
with orjson as aio_openai does. The client process is pinned to one core and its CPU time
(``time.process_time``) is divided by the number of calls; each figure is the median of
``--rounds`` rounds. Within a round the contestants take turns every ``--chunk`` calls, so
drift in the machine's speed hits them alike. Also: import time of ``aio_openai`` against
its own dependencies and ``openai``, the construction of ``AsyncOpenAI()``, and the memory of
a client with 10,000 calls in flight.

    python benchmarks/overhead.py            # the full run (about 15 minutes on 2 cores)
    python benchmarks/overhead.py --small    # a smoke run
"""

from __future__ import annotations

import argparse
import array
import asyncio
import base64
import compileall
import contextlib
import gc
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import timeit
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
            for i in range(30)
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

#: A chat request of about 1 KB (what a support bot sends: a system prompt, a question).
MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful support assistant for an online bookshop. "
        "Answer briefly and politely, cite the order number when there is one, and never "
        "promise a refund: offer to open a ticket instead. " * 3,
    },
    {
        "role": "user",
        "content": "Hello, my order 58213 arrived with a damaged cover and one book missing. "
        "Could you tell me what I should do next and how long a replacement takes? " * 2,
    },
]
CHAT_MODEL = "gpt-4o-mini"
ANSWER_TEXT = "I'm sorry to hear that your order 58213 arrived damaged and incomplete. " * 4
CHAT = json.dumps(
    {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": ANSWER_TEXT,
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 236,
            "completion_tokens": 64,
            "total_tokens": 300,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
    }
).encode()


def _chunk(delta: dict[str, Any], finish: str | None = None, usage: Any = None) -> bytes:
    choices = (
        [] if usage else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
    )
    body = {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion.chunk",
        "created": 1741569952,
        "model": "gpt-4o-mini-2024-07-18",
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
        "choices": choices,
        "usage": usage,
    }
    return b"data: " + json.dumps(body, separators=(",", ":")).encode() + b"\n\n"


STREAM_WORDS = ANSWER_TEXT.split(" ")[:49]
#: 52 chunks (the role, 49 words, the finish, the usage) and ``[DONE]``.
STREAM = b"".join(
    [
        _chunk({"role": "assistant", "content": "", "refusal": None}),
        *(_chunk({"content": word + " "}) for word in STREAM_WORDS),
        _chunk({}, finish="stop"),
        _chunk({}, usage={"prompt_tokens": 236, "completion_tokens": 49, "total_tokens": 285}),
        b"data: [DONE]\n\n",
    ]
)
STREAM_CHUNKS = 52

RESPONSE = json.dumps(
    {
        "id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
        "object": "response",
        "created_at": 1741476542,
        "status": "completed",
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "model": "gpt-4o-mini-2024-07-18",
        "output": [
            {
                "type": "message",
                "id": "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": ANSWER_TEXT, "annotations": []}],
            }
        ],
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": None, "summary": None},
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": 236,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": 64,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 300,
        },
        "user": None,
        "metadata": {},
    }
).encode()

EMBEDDING_DIMENSIONS = 1536
_VECTOR = array.array("f", [((i * 7919) % 1000 - 500) / 1000 for i in range(EMBEDDING_DIMENSIONS)])


def _embeddings(encoding: str) -> bytes:
    vector: Any = (
        base64.b64encode(_VECTOR.tobytes()).decode() if encoding == "base64" else _VECTOR.tolist()
    )
    return json.dumps(
        {
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": vector}],
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": 8, "total_tokens": 8},
        }
    ).encode()


EMBEDDINGS_BASE64 = _embeddings("base64")
EMBEDDINGS_FLOAT = _embeddings("float")
EMBEDDING_INPUT = "The food was delicious and the waiter was very friendly."

#: What OpenAI sends with every answer (limits high enough that no contestant ever waits:
#: the run measures the cost of learning from them, not of waiting).
RATE_LIMIT_HEADERS = {
    "x-ratelimit-limit-requests": "10000000",
    "x-ratelimit-limit-tokens": "10000000000",
    "x-ratelimit-remaining-requests": "9999999",
    "x-ratelimit-remaining-tokens": "9999999700",
    "x-ratelimit-reset-requests": "6ms",
    "x-ratelimit-reset-tokens": "1ms",
}

# -- the server (child process) ---------------------------------------------------------------


def serve(port_file: str, cpu: int | None) -> None:
    """A fixed-answer server; writes its port to ``port_file`` and serves until killed."""
    from aiohttp import web

    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    headers = {
        "x-request-id": "req_0123456789abcdef0123456789abcdef",
        "openai-processing-ms": "212",
        **RATE_LIMIT_HEADERS,
    }
    streaming = re.compile(rb'"stream"\s*:\s*true')
    as_base64 = re.compile(rb'"encoding_format"\s*:\s*"base64"')

    def answer(body: bytes) -> web.Response:
        return web.Response(body=body, content_type="application/json", headers=headers)

    async def model(request: web.Request) -> web.Response:
        return answer(MODEL)

    async def models(request: web.Request) -> web.Response:
        return answer(MODELS)

    async def assistant(request: web.Request) -> web.Response:
        await request.read()
        return answer(ASSISTANT)

    async def chat(request: web.Request) -> web.Response:
        if streaming.search(await request.read()):
            return web.Response(body=STREAM, content_type="text/event-stream", headers=headers)
        return answer(CHAT)

    async def responses(request: web.Request) -> web.Response:
        await request.read()
        return answer(RESPONSE)

    async def embeddings(request: web.Request) -> web.Response:
        wanted = as_base64.search(await request.read())
        return answer(EMBEDDINGS_BASE64 if wanted else EMBEDDINGS_FLOAT)

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(float(request.query.get("s", "2")))
        return answer(MODEL)

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/v1/models/slow", slow)
        app.router.add_get("/v1/models/{model}", model)
        app.router.add_get("/v1/models", models)
        app.router.add_post("/v1/assistants", assistant)
        app.router.add_post("/v1/chat/completions", chat)
        app.router.add_post("/v1/responses", responses)
        app.router.add_post("/v1/embeddings", embeddings)
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
    """The floor: aiohttp and orjson, doing what a call needs and nothing more (a body
    serialized per call, the answer parsed, a stream's events parsed, vectors decoded)."""

    name = "raw aiohttp"

    async def setup(self, base: str) -> None:
        import aiohttp

        self.base = base
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1000),
            headers={"Authorization": f"Bearer {KEY}"},
        )

    def calls(self) -> dict[str, Call]:
        import orjson

        s, base = self.session, self.base
        loads, dumps = orjson.loads, orjson.dumps
        json_headers = {"Content-Type": "application/json"}

        async def get(path: str) -> Any:
            async with s.get(base + path) as r:
                return loads(await r.read())

        async def post(path: str, body: dict[str, Any]) -> Any:
            async with s.post(base + path, data=dumps(body), headers=json_headers) as r:
                return loads(await r.read())

        async def stream() -> Any:
            body = {"model": CHAT_MODEL, "messages": MESSAGES, "stream": True}
            chunks = []
            async with s.post(
                base + "/chat/completions", data=dumps(body), headers=json_headers
            ) as r:
                async for line in r.content:
                    if line.startswith(b"data: "):
                        data = line[6:].rstrip()
                        if data == b"[DONE]":
                            break
                        chunks.append(loads(data))
            return chunks

        async def embeddings() -> Any:
            body = {
                "model": "text-embedding-3-small",
                "input": EMBEDDING_INPUT,
                "encoding_format": "base64",
            }
            answer = await post("/embeddings", body)
            for item in answer["data"]:
                item["embedding"] = array.array("f", base64.b64decode(item["embedding"])).tolist()
            return answer

        return {
            "retrieve": lambda: get("/models/gpt-4"),
            "list": lambda: get("/models"),
            "chat": lambda: post("/chat/completions", {"model": CHAT_MODEL, "messages": MESSAGES}),
            "stream": stream,
            "responses": lambda: post(
                "/responses", {"model": CHAT_MODEL, "input": MESSAGES[1]["content"]}
            ),
            "embeddings": embeddings,
        }

    async def aclose(self) -> None:
        await self.session.close()


class ClientContestant(Contestant):
    """A contestant whose client is called the way the official SDK is (``self.client``)."""

    client: Any

    def calls(self) -> dict[str, Call]:
        c = self.client

        async def stream() -> Any:
            chunks = []
            async for chunk in await c.chat.completions.create(
                model=CHAT_MODEL, messages=MESSAGES, stream=True
            ):
                chunks.append(chunk)
            return chunks

        return {
            "retrieve": lambda: c.models.retrieve("gpt-4"),
            "list": lambda: c.models.list(),
            "chat": lambda: c.chat.completions.create(model=CHAT_MODEL, messages=MESSAGES),
            "stream": stream,
            "responses": lambda: c.responses.create(model=CHAT_MODEL, input=MESSAGES[1]["content"]),
            "embeddings": lambda: c.embeddings.create(
                model="text-embedding-3-small", input=EMBEDDING_INPUT
            ),
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
    ax.set_ylabel("client CPU ms per call (lower is better)")
    ax.set_title("Client CPU per call, 2-core machine, client pinned to one core")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


#: The cases, and the share of ``--requests`` each makes (a stream is 52 events).
CASES: dict[str, float] = {
    "retrieve": 1.0,
    "list": 1.0,
    "chat": 1.0,
    "stream": 0.125,
    "responses": 1.0,
    "embeddings": 1.0,
}
DEPENDENCIES = "import aiohttp, attrs, cattrs, orjson, tenacity"


def construction_us() -> float:
    """``AsyncOpenAI()`` in microseconds: the best of 7 repeats of an auto-ranged loop."""
    from aio_openai import AsyncOpenAI

    timer = timeit.Timer(lambda: AsyncOpenAI(api_key=KEY, base_url="http://127.0.0.1:9/v1"))
    number, _ = timer.autorange()
    return min(timer.repeat(7, number)) / number * 1e6


def targets(report: dict[str, Any], include_sdk: bool) -> list[str]:
    """Step 8's targets against this run's figures: one line each, met or MISSED."""
    cpu = report["cpu_ms"]
    lines = []

    def line(ok: bool, text: str) -> None:
        lines.append(f"  {'met   ' if ok else 'MISSED'}  {text}")

    for case in CASES:
        ratio = cpu["aio_openai"][case] / cpu["raw aiohttp"][case]
        line(ratio <= 1.25, f"{case:<10} {ratio:.2f}x raw aiohttp + orjson (at most 1.25x)")
    if include_sdk:
        for case in CASES:
            ratio = cpu["openai (httpx)"][case] / cpu["aio_openai"][case]
            line(ratio >= 8, f"{case:<10} the SDK (httpx) spends {ratio:.1f}x (at least 8x)")
    if "import_ms" in report:
        imports = report["import_ms"]
        ratio = imports["aio_openai"] / imports["dependencies"]
        line(ratio <= 1.2, f"import aio_openai {ratio:.2f}x its dependencies (at most 1.2x)")
    us = report["construct_us"]
    line(us < 50, f"AsyncOpenAI() {us:.1f} us (under 50 us)")
    mem = report.get("inflight_mib", {})
    if include_sdk and mem:
        share = mem["aio_openai"] / mem["openai (httpx)"]
        line(share <= 1 / 3, f"memory in flight {share:.2f} of the SDK's (at most 0.33)")
    return lines


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
        cases = [c for c in CASES if not args.cases or c in args.cases]
        samples: dict[str, dict[str, list[tuple[float, float]]]] = {
            k.name: {c: [] for c in cases} for k in kinds
        }
        for _ in range(args.rounds):
            for case in cases:
                n = max(int(args.requests * CASES[case]), 10)
                chunk = max(int(args.chunk * CASES[case]), 5)
                measured = await measure(kinds, base, case, n, args.concurrency, chunk)
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
            f"\nClient CPU per call ({args.requests} calls a case, streams {CASES['stream']:g}"
            f" of that, concurrency {args.concurrency}, in turns of {args.chunk},"
            f" median of {args.rounds} rounds; the server sends the six x-ratelimit-*"
            " headers; a stream counts once)\n"
        )
        print(f"{'client':<18}{'case':<12}{'CPU ms/call':>12}{'calls/s':>9}{'x raw':>8}")
        for name in cpu:
            for case in cases:
                print(
                    f"{name:<18}{case:<12}{cpu[name][case]:>12.4f}{rps[name][case]:>9.0f}"
                    f"{cpu[name][case] / floor[case]:>8.2f}"
                )
        if include_sdk:
            print("\naio_openai's advantage (SDK CPU / aio_openai CPU):")
            for case in cases:
                a = cpu["aio_openai"][case]
                print(
                    f"  {case:<12} vs httpx {cpu['openai (httpx)'][case] / a:5.1f}x"
                    f"   vs aiohttp transport {cpu['openai (aiohttp)'][case] / a:5.1f}x"
                )
        report: dict[str, Any] = {
            "cpu_ms": cpu,
            "rps": rps,
            "per_round_cpu_ms": {
                n: {c: [s[0] for s in v] for c, v in per.items()} for n, per in samples.items()
            },
            "versions": versions(),
            "construct_us": construction_us(),
        }
        print(f"\nAsyncOpenAI() construction: {report['construct_us']:.1f} us")
        if not args.small:
            # An installed package has its bytecode compiled (pip does it), as the
            # dependencies here have; a checkout run with PYTHONDONTWRITEBYTECODE=1 would
            # otherwise compile every changed module on each import.
            compileall.compile_dir(str(HERE.parent / "aio_openai"), quiet=1)
            print("\nImport time (ms, median of 7 fresh interpreters, less an empty one):")
            imports = {
                "dependencies": import_ms(DEPENDENCIES, 7),
                "aio_openai": import_ms("import aio_openai", 7),
                "openai": import_ms("import openai", 7) if include_sdk else float("nan"),
            }
            for k, v in imports.items():
                print(f"  {k:<32}{v:8.1f}")
            deps = imports["dependencies"]
            print(f"  aio_openai / its dependencies: {imports['aio_openai'] / deps:.2f}x")
            report["import_ms"] = imports
            print(f"\nMemory with {args.inflight:,} calls in flight (tracemalloc peak, MiB):")
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
        if set(cases) == set(CASES):
            print("\nTargets (step 8):")
            print("\n".join(targets(report, include_sdk)))
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
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--chunk", type=int, default=1000, help="requests per turn of each contestant"
    )
    parser.add_argument("--inflight", type=int, default=10_000)
    parser.add_argument("--no-sdk", action="store_true", help="leave the official SDK out")
    parser.add_argument("--cases", nargs="*", choices=list(CASES), help="only these cases")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, None if args.cpu < 0 else args.cpu)
        return
    if args.small:
        args.requests, args.rounds, args.chunk = 160, 1, 80
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
