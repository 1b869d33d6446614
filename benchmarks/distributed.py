"""Distributed rate limits: 4 worker processes on one key, pacing through Redis or each alone.

One API key with a request limit (1,200 a minute), served by FakeOpenAI in a child process
(its buckets start full and refill at limit / 60 a second, as OpenAI's do). WORKERS worker
processes (4) use that key at once, each with CONCURRENCY tasks (50) looping over
``models.retrieve`` calls until the run's deadline (DURATION seconds after a common start), then
taking no new calls; a call still unfinished GRACE seconds after the deadline is cancelled and
counted as cut, a call that raised as failed. Every client has the default retry policy
(2 retries, 429s included). Two runs, each against a fresh FakeOpenAI:

- shared: every worker's client has a ``RedisRateLimiter`` on one redis-server (started here
  on a free loopback port, or ``--redis-url``), so the four pace together;
- local: every worker's client has its own local ``RateLimiter`` (the default), so each paces
  to the whole limit alone.

Allowed: the server's bucket starts full and refills at limit / 60 a second, so in D seconds it
admits at most ``limit + limit / 60 * D``. "total" is what the server accepted in [0, D) against
that (time from the server's first request); "steady" is what it accepted a second in [D/2, D)
against ``limit / 60``. The 429 share is of every attempt the server saw, retries included.

Run: ``python benchmarks/distributed.py [--small] [--redis-url URL] [--check]``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from typing import IO, Final

import attrs
from _common import ServerProcess, cores, error_class, table, versions

from aio_openai import AsyncOpenAI, RateLimiter, RedisRateLimiter
from aio_openai.testing import FakeOpenAI

KEY: Final = "sk-bench-distributed"
MODEL: Final = "gpt-4"
WORKERS: Final = 4


@attrs.frozen(kw_only=True)
class Scenario:
    """One run's settings: the server's limit and the load."""

    rpm: float
    duration: float
    workers: int
    concurrency: int
    grace: float

    @property
    def allowed(self) -> float:
        """What the server admits at most in [0, duration): a full bucket plus the refill."""
        return self.rpm + self.rpm / 60.0 * self.duration


def scenario(small: bool) -> Scenario:
    """The full run, or (``small``) a quick smoke test."""
    if small:
        return Scenario(rpm=600, duration=1.5, workers=2, concurrency=10, grace=1.0)
    return Scenario(rpm=1_200, duration=60.0, workers=WORKERS, concurrency=50, grace=20.0)


# -- the servers ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ServerReport:
    """What FakeOpenAI saw: every limited attempt with its time and verdict."""

    accepted: int
    rejected: int
    timeline: list[tuple[float, bool]]


def serve(conn: Connection, rpm: float) -> None:
    """Child process: FakeOpenAI with the limit; send its URL, on "stop" send a ServerReport."""
    fake = FakeOpenAI(record_requests=False)
    fake.limits.set(rpm=rpm)
    fake.limits.record_timeline = True
    with fake.running_in_thread():
        conn.send(fake.url)
        conn.recv()
    limits = fake.limits
    conn.send(
        ServerReport(
            accepted=limits.accepted,
            rejected=limits.rejected.total(),
            timeline=list(limits.timeline),
        )
    )
    conn.close()


class RedisProcess:
    """redis-server on a free loopback port: no persistence, stopped by :meth:`stop`."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port: int = sock.getsockname()[1]
        self._process = subprocess.Popen(
            [
                *("redis-server", "--save", "", "--appendonly", "no"),
                *("--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "no"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self._ready = threading.Event()
        self._output: list[str] = []
        assert self._process.stdout is not None
        threading.Thread(target=self._drain, args=(self._process.stdout,), daemon=True).start()
        if not self._ready.wait(30) or self._process.poll() is not None:
            self.stop()
            raise RuntimeError("redis-server did not start:\n" + "".join(self._output[-20:]))
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def _drain(self, stream: IO[str]) -> None:
        with stream:
            for line in stream:
                self._output.append(line)
                if "Ready to accept connections" in line:
                    self._ready.set()
        self._ready.set()

    def stop(self) -> None:
        """Shut the server down."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


# -- the workers ----------------------------------------------------------------------------


@attrs.define
class Tally:
    """One worker's side of a run."""

    ok: int = 0
    failed: Counter[str] = attrs.field(factory=Counter)
    cut: int = 0
    fallback_calls: int = 0
    wall: float = 0.0


async def drive(client: AsyncOpenAI, s: Scenario) -> Tally:
    """Run the tasks until the deadline; unfinished calls are cut after the grace period."""
    tally = Tally()
    started = time.monotonic()
    deadline = started + s.duration
    busy: set[int] = set()

    async def task(me: int) -> None:
        while time.monotonic() < deadline:
            busy.add(me)
            try:
                await client.models.retrieve(MODEL)
            except Exception as exc:
                tally.failed[error_class(exc)] += 1
            else:
                tally.ok += 1
            busy.discard(me)

    tasks = [asyncio.create_task(task(i)) for i in range(s.concurrency)]
    await asyncio.sleep(s.duration)
    _done, pending = await asyncio.wait(tasks, timeout=s.grace)
    tally.cut = len(busy)
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    tally.wall = time.monotonic() - started
    return tally


async def work_async(url: str, redis_url: str | None, prefix: str, s: Scenario, go: Event) -> Tally:
    """One worker: its client (and limiter), a common start, the calls."""
    limiter: RedisRateLimiter | RateLimiter
    if redis_url is not None:
        limiter = RedisRateLimiter(redis_url, prefix=prefix)
        await limiter.redis.ping()  # connected before the start
    else:
        limiter = RateLimiter()
    client = AsyncOpenAI(api_key=KEY, base_url=url, rate_limiter=limiter)
    try:
        await asyncio.to_thread(go.wait)
        tally = await drive(client, s)
    finally:
        await client.aclose()
        if isinstance(limiter, RedisRateLimiter):
            await limiter.aclose()
    if isinstance(limiter, RedisRateLimiter):
        tally.fallback_calls = sum(p["fallback_calls"] for p in limiter.snapshot().values())
    return tally


def work(
    conn: Connection, url: str, redis_url: str | None, prefix: str, s: Scenario, go: Event
) -> None:
    """Worker process: run, send the Tally back."""
    env = [k for k in os.environ if k.startswith("OPENAI_")]
    for name in env:
        del os.environ[name]
    conn.send(asyncio.run(work_async(url, redis_url, prefix, s, go)))
    conn.close()


# -- a run ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Result:
    """One run: the workers' tallies and the server's report."""

    name: str
    scenario: Scenario
    tallies: list[Tally]
    server: ServerReport

    @property
    def ok(self) -> int:
        """Calls that returned a model."""
        return sum(t.ok for t in self.tallies)

    @property
    def failed(self) -> Counter[str]:
        """Calls that raised, by error."""
        total: Counter[str] = Counter()
        for t in self.tallies:
            total.update(t.failed)
        return total

    @property
    def attempts(self) -> int:
        """Every attempt the server saw."""
        return len(self.server.timeline)

    @property
    def rejected_share(self) -> float:
        """429s as a share of attempts."""
        return self.server.rejected / self.attempts if self.attempts else 0.0

    def _accepted(self, start: float, end: float) -> int:
        return sum(1 for t, ok in self.server.timeline if ok and start <= t < end)

    @property
    def total_share(self) -> float:
        """Accepted in [0, D) against the allowed amount."""
        return self._accepted(0.0, self.scenario.duration) / self.scenario.allowed

    @property
    def steady_rate(self) -> float:
        """Accepted a second in [D/2, D)."""
        d = self.scenario.duration
        return self._accepted(d / 2, d) / (d / 2)

    @property
    def steady_share(self) -> float:
        """The steady rate against the limit's refill rate."""
        return self.steady_rate / (self.scenario.rpm / 60.0)

    @property
    def attempt_rate(self) -> float:
        """Attempts a second in [D/2, D): what the workers asked for."""
        d = self.scenario.duration
        return sum(1 for t, _ok in self.server.timeline if d / 2 <= t < d) / (d / 2)


def run(name: str, s: Scenario, redis_url: str | None) -> Result:
    """Start a fresh FakeOpenAI and the workers, give them a common start, collect."""
    ctx = multiprocessing.get_context("spawn")
    server = ServerProcess(serve, s.rpm)
    go = ctx.Event()
    prefix = f"aio_openai:bench:{name}:{time.time_ns()}"
    workers = []
    try:
        for _ in range(s.workers):
            parent, child = ctx.Pipe()
            process = ctx.Process(
                target=work, args=(child, server.url, redis_url, prefix, s, go), daemon=True
            )
            process.start()
            child.close()
            workers.append((process, parent))
        go.set()
        tallies: list[Tally] = []
        for process, conn in workers:
            if not conn.poll(s.duration + s.grace + 120):
                raise RuntimeError("a worker did not report")
            tallies.append(conn.recv())
            process.join(timeout=30)
        report: ServerReport = server.stop()
    finally:
        for process, _conn in workers:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
        server.kill()
    return Result(name=name, scenario=s, tallies=tallies, server=report)


# -- report ---------------------------------------------------------------------------------


def report(results: Sequence[Result]) -> str:
    """The side-by-side table."""
    s = results[0].scenario
    d = s.duration
    rows = []
    for r in results:
        per_worker = [t.ok for t in r.tallies]
        rows.append(
            [
                r.name,
                f"{r.ok:,}",
                f"{sum(r.failed.values()):,}",
                f"{sum(t.cut for t in r.tallies):,}",
                f"{r.attempts:,}",
                f"{r.server.rejected:,}",
                f"{r.rejected_share:.2%}",
                f"{r._accepted(0.0, d):,} = {r.total_share:.1%}",
                f"{r.steady_rate:,.1f}/s = {r.steady_share:.1%}",
                f"{r.attempt_rate:,.1f}/s",
                f"{min(per_worker):,}-{max(per_worker):,}",
                f"{sum(t.fallback_calls for t in r.tallies):,}",
            ]
        )
    headers = [
        f"{s.workers} workers x {s.concurrency}, {s.rpm:,.0f} requests/min",
        "calls ok",
        "failed",
        "cut",
        "attempts",
        "429s",
        "429 share",
        f"accepted in {d:g} s / {s.allowed:,.0f}",
        f"steady {d / 2:g}-{d:g} s / {s.rpm / 60:,.1f}/s",
        "attempts/s",
        "ok per worker",
        "fallback calls",
    ]
    lines = [table(headers, rows)]
    for r in results:
        if r.failed:
            errors = ", ".join(f"{k} {v:,}" for k, v in sorted(r.failed.items()))
            lines.append(f"  {r.name} failed calls: {errors}")
    return "\n".join(lines)


@attrs.frozen
class Target:
    """A goal, with the figure measured."""

    text: str
    met: bool


def targets(shared: Result, local: Result) -> list[Target]:
    """The issue's goals: the shared run paces the four together; the local run overshoots."""
    return [
        Target(
            f"shared: >= 90% of the allowed rate: total {shared.total_share:.1%},"
            f" steady {shared.steady_share:.1%}",
            shared.total_share >= 0.90,
        ),
        Target(
            f"shared: <= 1% of attempts answered 429: {shared.rejected_share:.2%}",
            shared.rejected_share <= 0.01,
        ),
        Target(
            f"local: overshoots (more 429s than shared): {local.rejected_share:.2%} of attempts"
            f" answered 429, {local.attempt_rate / (local.scenario.rpm / 60):.1f}x the limit"
            " asked for",
            local.server.rejected > shared.server.rejected,
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run shared and local, print the table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--small",
        action="store_true",
        help="2 workers x concurrency 10, 1.5 s at 600 rpm: a smoke test",
    )
    parser.add_argument("--redis-url", default=None, help="use this Redis instead of starting one")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    s = scenario(args.small)
    try:
        import redis
    except ImportError:
        parser.error("the redis package is missing: pip install 'aio_openai[redis]'")
    redis_process: RedisProcess | None = None
    redis_url: str | None = args.redis_url
    if redis_url is None:
        if shutil.which("redis-server") is None:
            parser.error("redis-server is not on PATH (Debian: apt-get install redis-server)")
        redis_process = RedisProcess()
        redis_url = redis_process.url
    print(
        f"distributed rate-limit benchmark: {s.workers} worker processes x concurrency"
        f" {s.concurrency} on one key, {s.rpm:,.0f} requests/min, {s.duration:g} s runs,"
        " FakeOpenAI in a child process"
    )
    print(f"{versions(f'redis-py {redis.__version__}')}; {platform.machine()}, {cores()} cores")
    print(
        f"allowed = limit + limit/60 x {s.duration:g} s (the bucket starts full);"
        f" steady = accepted a second in the last {s.duration / 2:g} s against limit/60;"
        f" calls unfinished {s.grace:g} s after the deadline are cut"
    )
    print(flush=True)
    started = time.perf_counter()
    try:
        shared = run("shared: RedisRateLimiter", s, redis_url)
        local = run("local: RateLimiter each", s, None)
    finally:
        if redis_process is not None:
            redis_process.stop()
    print(report([shared, local]))
    print(f"total wall time {time.perf_counter() - started:.1f} s")
    print()
    missed = 0
    for target in targets(shared, local):
        print(f"{'met   ' if target.met else 'MISSED'} {target.text}")
        missed += not target.met
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
