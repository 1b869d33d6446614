"""Fan-out: fan_out against the gather idiom and aiometer.amap, memory and throughput.

N ``models.retrieve`` calls (100,000; 1,000 with ``--small``) at concurrency 256 against
FakeOpenAI in a child process, by three contestants:

- ``fan_out``: ``async for r in fan_out(client.models.retrieve, ids, concurrency=256)``;
- ``gather``: the common idiom, ``await asyncio.gather(*(limited(i) for i in ids))`` where
  ``limited`` awaits the call under an ``asyncio.Semaphore(256)``: every coroutine (and its
  task) exists from the start;
- ``aiometer``: ``async with aiometer.amap(client.models.retrieve, ids, max_at_once=256)``.

The server is warmed up first; the runs are interleaved (each size starts with another
contestant). Every contestant runs in a fresh subprocess, so one's peak cannot hide another's,
with the same client (``AsyncOpenAI`` with its defaults: 2 retries, the rate limiter on; the
fake server announces no limits, so the limiter never holds a call back) and the same input (a
list of N model ids cycling over the seed models; every call must return the model asked
for). Before the run, 2,048 calls (256 with ``--small``) through a plain worker pool warm the
process up (256 connections open); then the RSS high-water mark is reset (Linux
``/proc/self/clear_refs``) and the baseline RSS read. **Peak memory growth** = the RSS
high-water mark after the run minus that baseline. Throughput is N over the wall time of the
run; client CPU is the subprocess's CPU time.

Every contestant also runs at N/10 and N/2 (not with ``--small``) to show which memory grows
with the input. Last, each helper's own cost: N calls of an ``async def`` that only yields
(``await asyncio.sleep(0)``), no I/O, CPU time per item, in this process.

Run: ``python benchmarks/fanout.py [--small] [--calls N] [--concurrency C]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import IO, Any, Final

import attrs
from _common import cores, peak_kb, reset_peak, rss_kb, table, versions

from aio_openai import AsyncOpenAI, fan_out
from aio_openai.testing import SEED_MODELS, FakeOpenAI

KEY: Final = "sk-bench-fanout"
MODEL_IDS: Final = tuple(seed.id for seed in SEED_MODELS)
CONTESTANTS: Final = ("fan_out", "gather", "aiometer")
WARM_UP_CALLS: Final = 2048
SMALL_WARM_UP_CALLS: Final = 256
#: fan_out's target: peak memory growth at the full size under this many MB
MEMORY_TARGET_MB: Final = 60.0


# -- the server process ---------------------------------------------------------------------


def serve() -> int:
    """Child mode: run FakeOpenAI, print its URL, serve until stdin closes."""
    fake = FakeOpenAI(record_requests=False)
    with fake.running_in_thread():
        print(json.dumps({"url": fake.url}), flush=True)
        sys.stdin.read()  # until the parent closes the pipe
    return 0


@contextlib.contextmanager
def server() -> Iterator[str]:
    """A FakeOpenAI child process for the ``with`` block; yields its URL."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        stdout: IO[str] | None = process.stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            raise RuntimeError("the FakeOpenAI child process exited")
        yield str(json.loads(line)["url"])
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- memory -----------------------------------------------------------------------------------


# -- contestants (each in a process of its own) ------------------------------------------------

Check = Callable[[str, Any], bool]


def check_model(model_id: str, model: Any) -> bool:
    return getattr(model, "id", None) == model_id


async def run_fan_out(client: AsyncOpenAI, ids: Sequence[str], concurrency: int) -> tuple[int, int]:
    ok = bad = 0
    async for r in fan_out(client.models.retrieve, ids, concurrency=concurrency):
        if r.ok and check_model(r.input, r.value):
            ok += 1
        else:
            bad += 1
    return ok, bad


async def run_gather(client: AsyncOpenAI, ids: Sequence[str], concurrency: int) -> tuple[int, int]:
    semaphore = asyncio.Semaphore(concurrency)

    async def limited(model_id: str) -> Any:
        async with semaphore:
            return await client.models.retrieve(model_id)

    results = await asyncio.gather(*(limited(i) for i in ids), return_exceptions=True)
    ok = sum(check_model(i, r) for i, r in zip(ids, results, strict=True))
    return ok, len(ids) - ok


async def run_aiometer(
    client: AsyncOpenAI, ids: Sequence[str], concurrency: int
) -> tuple[int, int]:
    import aiometer

    known = set(MODEL_IDS)
    ok = bad = 0
    async with aiometer.amap(client.models.retrieve, ids, max_at_once=concurrency) as results:
        async for model in results:  # in completion order, without its input
            if getattr(model, "id", None) in known:
                ok += 1
            else:
                bad += 1
    return ok, bad


RUNNERS: Final[
    dict[str, Callable[[AsyncOpenAI, Sequence[str], int], Awaitable[tuple[int, int]]]]
] = {
    "fan_out": run_fan_out,
    "gather": run_gather,
    "aiometer": run_aiometer,
}


async def warm_up(client: AsyncOpenAI, concurrency: int, calls: int) -> None:
    """Open the connections and fill the caches with a plain worker pool (no contestant)."""
    ids = iter([MODEL_IDS[i % len(MODEL_IDS)] for i in range(calls)])

    async def worker() -> None:
        for model_id in ids:
            await client.models.retrieve(model_id)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def warm_up_server(url: str, concurrency: int, calls: int) -> None:
    """Warm the server up before the first measured run (its first requests are slower)."""
    async with AsyncOpenAI(api_key=KEY, base_url=url) as client:
        await warm_up(client, concurrency, calls)


async def contestant(
    name: str, url: str, calls: int, concurrency: int, warm_up_calls: int
) -> dict[str, Any]:
    """Child mode: warm up, then run one contestant and measure it."""
    runner = RUNNERS[name]
    ids = [MODEL_IDS[i % len(MODEL_IDS)] for i in range(calls)]
    async with AsyncOpenAI(api_key=KEY, base_url=url) as client:
        await warm_up(client, concurrency, warm_up_calls)
        gc.collect()
        method = reset_peak()
        baseline = rss_kb()
        cpu, wall = time.process_time(), time.perf_counter()
        ok, bad = await runner(client, ids, concurrency)
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        peak = peak_kb()
    return {
        "name": name,
        "calls": calls,
        "ok": ok,
        "bad": bad,
        "wall": wall,
        "cpu": cpu,
        "growth_mb": (peak - baseline) / 1024,
        "baseline_mb": baseline / 1024,
        "method": method,
    }


# -- the helpers' own cost, without I/O --------------------------------------------------------


async def _nothing(x: int) -> int:
    await asyncio.sleep(0)
    return x


async def _overhead_fan_out(n: int, concurrency: int) -> None:
    async for _ in fan_out(_nothing, range(n), concurrency=concurrency):
        pass


async def _overhead_gather(n: int, concurrency: int) -> None:
    semaphore = asyncio.Semaphore(concurrency)

    async def limited(x: int) -> int:
        async with semaphore:
            return await _nothing(x)

    await asyncio.gather(*(limited(x) for x in range(n)))


async def _overhead_aiometer(n: int, concurrency: int) -> None:
    import aiometer

    async with aiometer.amap(_nothing, list(range(n)), max_at_once=concurrency) as results:
        async for _ in results:
            pass


OVERHEAD: Final[dict[str, Callable[[int, int], Awaitable[None]]]] = {
    "fan_out": _overhead_fan_out,
    "gather": _overhead_gather,
    "aiometer": _overhead_aiometer,
}


def overhead(n: int, concurrency: int) -> dict[str, float]:
    """CPU microseconds per item of each helper around a call that does nothing."""
    per_item = {}
    for name, run in OVERHEAD.items():
        gc.collect()
        cpu = time.process_time()
        asyncio.run(run(n, concurrency))
        per_item[name] = (time.process_time() - cpu) / n * 1e6
    return per_item


# -- the parent ------------------------------------------------------------------------------


@attrs.frozen
class Run:
    """One contestant's measured run."""

    name: str
    calls: int
    ok: int
    bad: int
    wall: float
    cpu: float
    growth_mb: float
    baseline_mb: float
    method: str

    @property
    def rate(self) -> float:
        return self.calls / self.wall if self.wall > 0 else 0.0


def measure(name: str, url: str, calls: int, concurrency: int, warm_up_calls: int) -> Run:
    """Run one contestant in a fresh subprocess."""
    done = subprocess.run(
        [
            sys.executable, __file__, "--contestant", name, "--url", url,
            "--calls", str(calls), "--concurrency", str(concurrency),
            "--warm-up", str(warm_up_calls),
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{name} at {calls} calls failed:\n{done.stderr}")
    return Run(**json.loads(done.stdout.splitlines()[-1]))


def label(name: str) -> str:
    if name == "aiometer":
        import aiometer

        return f"aiometer {aiometer.__version__} amap"
    if name == "gather":
        return "gather + Semaphore"
    return name


def _load() -> str:
    """The machine's load averages: other work on it skews the throughput figures."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def checks(main: dict[str, Run], scaling: dict[str, list[Run]]) -> list[tuple[bool, str]]:
    """The targets: (met, what) for each."""
    ours = main["fan_out"]
    results = [
        (
            ours.growth_mb < MEMORY_TARGET_MB,
            f"fan_out peak memory growth {ours.growth_mb:.1f} MB < {MEMORY_TARGET_MB:.0f} MB",
        )
    ]
    growth = [r.growth_mb for r in scaling["gather"]]
    if len(growth) > 1:
        grows = all(b > a for a, b in itertools.pairwise(growth))
        grows = grows and growth[-1] > 2 * growth[0]
        sizes = " / ".join(f"{g:.1f}" for g in growth)
        results.append((grows, f"the gather idiom's memory grows with the input ({sizes} MB)"))
        flat = [r.growth_mb for r in scaling["fan_out"]]
        results.append(
            (
                max(flat) < MEMORY_TARGET_MB,
                "fan_out's stays flat (" + " / ".join(f"{g:.1f}" for g in flat) + " MB)",
            )
        )
    for other in ("gather", "aiometer"):
        ratio = ours.rate / main[other].rate if main[other].rate else float("inf")
        results.append(
            (
                ratio >= 1.0,
                f"fan_out throughput {ours.rate:,.0f} req/s vs {label(other)}"
                f" {main[other].rate:,.0f} req/s (x{ratio:.2f}, target >= 1)",
            )
        )
    return results


def run_all(calls: int, concurrency: int, warm_up_calls: int, *, small: bool) -> int:
    """Run every contestant at N/10, N/2 and N (small: N only); print the tables.

    Returns 1 if a run gave a wrong result.
    """
    sizes = [calls] if small else sorted({max(calls // 10, 1), max(calls // 2, 1), calls})
    print(
        f"fan-out benchmark: {calls:,} models.retrieve calls at concurrency {concurrency},"
        " FakeOpenAI in a child process"
    )
    import aiometer

    aiometer_version = f"aiometer {aiometer.__version__}"
    print(f"{versions(aiometer_version)}; {platform.machine()}, {cores()} cores; {_load()}")
    print("client: AsyncOpenAI defaults (2 retries, rate limiter on; the server announces no")
    print("limits, so it never holds a call back); each run in a fresh subprocess")
    print()
    started = time.perf_counter()
    scaling: dict[str, list[Run]] = {name: [] for name in CONTESTANTS}
    with server() as url:
        asyncio.run(warm_up_server(url, concurrency, warm_up_calls))
        # interleaved, so a drift of the machine hits everyone alike, and in turn: each size
        # starts with another contestant
        for turn, size in enumerate(sizes):
            for i in range(len(CONTESTANTS)):
                name = CONTESTANTS[(turn + i) % len(CONTESTANTS)]
                scaling[name].append(measure(name, url, size, concurrency, warm_up_calls))
    main = {name: runs[-1] for name, runs in scaling.items()}
    method = main["fan_out"].method
    rows = [
        [
            label(r.name),
            f"{r.growth_mb:.1f}",
            f"{r.rate:,.0f}",
            f"{r.wall:.1f}",
            f"{r.cpu:.1f}",
            f"{r.ok:,}",
            r.bad,
        ]
        for r in main.values()
    ]
    headers = [
        f"{calls:,} calls, concurrency {concurrency}",
        "peak MB",
        "req/s",
        "wall s",
        "client CPU s",
        "ok",
        "wrong",
    ]
    print(table(headers, rows))
    print(f"peak MB = peak memory growth: {method}")
    print()
    scale_rows = [
        [label(name), *(f"{r.growth_mb:.1f}" for r in runs), *(f"{r.rate:,.0f}" for r in runs)]
        for name, runs in scaling.items()
    ]
    scale_headers = [
        "peak memory growth by input size",
        *(f"{n:,} MB" for n in sizes),
        *(f"{n:,} req/s" for n in sizes),
    ]
    print(table(scale_headers, scale_rows))
    print()
    cost = overhead(calls, concurrency)
    cost_rows = [[label(name), f"{us:.1f}"] for name, us in cost.items()]
    print(table([f"own cost, {calls:,} no-op calls", "CPU us/item"], cost_rows))
    print()
    for met, what in checks(main, scaling):
        print(f"{'met' if met else 'MISSED'}: {what}")
    wrong = [r for runs in scaling.values() for r in runs if r.bad or r.ok != r.calls]
    for r in wrong:
        print(f"CHECK FAILED: {label(r.name)} at {r.calls:,} calls: {r.bad} wrong results")
    print(f"total wall time {time.perf_counter() - started:.1f} s; {_load()}")
    return 1 if wrong else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the benchmark (or one of its child processes)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="1,000 calls: a smoke test")
    parser.add_argument("--calls", type=int, default=None, help="calls at the full size")
    parser.add_argument("--concurrency", type=int, default=256)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--contestant", choices=CONTESTANTS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--warm-up", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve()
    calls = args.calls or (1_000 if args.small else 100_000)
    warm_up_calls = args.warm_up or (SMALL_WARM_UP_CALLS if args.small else WARM_UP_CALLS)
    if args.contestant:
        result = asyncio.run(
            contestant(args.contestant, args.url, calls, args.concurrency, warm_up_calls)
        )
        print(json.dumps(result))
        return 0
    return run_all(calls, args.concurrency, warm_up_calls, small=args.small)


if __name__ == "__main__":
    raise SystemExit(main())
