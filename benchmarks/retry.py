"""Retries under faults: aio_openai against the official SDK, FakeOpenAI in a child process.

Two scenarios, each run by every contestant against the same seeded faults:

- random faults: N ``models.retrieve`` calls (10,000; 300 with ``--small``) at concurrency 64
  while 20 % of requests fail (500, 502, 503 and connection resets, evenly). Every result is
  checked (the model id must be the one asked for): a call ends with the right model or with a
  typed error after its last retry, and nothing is lost or wrong.
- a total outage: 2,000 calls (200 with ``--small``) while every request fails with 503;
  attempts per call with aio_openai's retry budget, without it, and with the SDK.

The server runs in a child process so that the client CPU time measured here is the client's
alone. Attempts are counted by the server. Every contestant retries at most twice (the SDK's
default). ``--delay-scale`` multiplies every contestant's backoff alike (1 = the real delays).

Run: ``python benchmarks/retry.py [--small] [--delay-scale X]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import IO, Any, Final

import attrs
from _common import cores, sdk_available, table, versions

from aio_openai import APIConnectionError, APIStatusError, AsyncOpenAI, RetryPolicy
from aio_openai.testing import SEED_MODELS, FakeOpenAI

KEY: Final = "sk-bench-retry"
SEED: Final = 1234
RATE: Final = 0.2
KINDS: Final = ("status_500", "status_502", "status_503", "reset")
CONCURRENCY: Final = 64
MAX_RETRIES: Final = 2
MODEL_IDS: Final = tuple(seed.id for seed in SEED_MODELS)

#: The SDK's backoff (openai/_constants.py): 0.5 s * 2**n, at most 8 s, times 0.75-1.0.
SDK_INITIAL_DELAY: Final = 0.5
SDK_MAX_DELAY: Final = 8.0


# -- the server process ---------------------------------------------------------------------


def serve() -> int:
    """Child mode: run FakeOpenAI in a thread, obey JSON commands on stdin, answer on stdout.

    Every command is answered with the fault counters: ``{"seen": n, "injected": {...}}``.
    """
    fake = FakeOpenAI(record_requests=False)
    faults = fake.faults
    with fake.running_in_thread():
        print(json.dumps({"url": fake.url}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            op = command["op"]
            if op == "stop":
                break
            if op == "random":
                faults.clear()
                faults.random(command["rate"], command["kinds"], seed=command["seed"])
            elif op == "clear":
                faults.clear()
            elif op == "reset":
                faults.reset_counters()
            reply = {"seen": faults.seen, "injected": dict(faults.injected)}
            print(json.dumps(reply), flush=True)
    return 0


class Server:
    """The parent's handle on the FakeOpenAI child process."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url: str = self._read()["url"]

    def _read(self) -> dict[str, Any]:
        stdout: IO[str] | None = self._process.stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            raise RuntimeError("the FakeOpenAI child process exited")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def command(self, op: str, **args: Any) -> dict[str, Any]:
        """Send one command; return the fault counters."""
        stdin = self._process.stdin
        assert stdin is not None
        stdin.write(json.dumps({"op": op, **args}) + "\n")
        stdin.flush()
        return self._read()

    def faults(self, rate: float, kinds: Sequence[str]) -> None:
        """Start afresh: zero the counters and set random faults with the benchmark's seed."""
        self.command("reset")
        self.command("random", rate=rate, kinds=list(kinds), seed=SEED)

    def close(self) -> None:
        """Stop the child and wait for it."""
        with contextlib.suppress(BrokenPipeError, RuntimeError, json.JSONDecodeError):
            self.command("stop")
        self._process.wait(timeout=30)


@contextlib.contextmanager
def server() -> Iterator[Server]:
    """A FakeOpenAI child process for the ``with`` block."""
    child = Server()
    try:
        yield child
    finally:
        child.close()


# -- contestants ----------------------------------------------------------------------------


@attrs.define
class Outcome:
    """What one contestant's run gave."""

    name: str
    calls: int
    ok: int = 0
    wrong: int = 0
    failed: Counter[str] = attrs.field(factory=Counter)
    lost: int = 0
    attempts: int = 0
    injected: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    retries_by_cause: Counter[str] = attrs.field(factory=Counter)
    notes: list[str] = attrs.field(factory=list)

    @property
    def per_call(self) -> float:
        """Attempts the server saw per call."""
        return self.attempts / self.calls if self.calls else 0.0

    @property
    def failed_total(self) -> int:
        """Calls that ended in a typed error after their last retry."""
        return sum(self.failed.values())


Retrieve = Callable[[str], Awaitable[Any]]
Classify = Callable[[BaseException], str | None]


async def drive(retrieve: Retrieve, classify: Classify, outcome: Outcome) -> None:
    """Make ``outcome.calls`` retrieves through CONCURRENCY workers; sort every result."""
    counter = itertools.count()

    async def worker() -> None:
        while (index := next(counter)) < outcome.calls:
            model_id = MODEL_IDS[index % len(MODEL_IDS)]
            try:
                model = await retrieve(model_id)
            except Exception as exc:
                kind = classify(exc)
                if kind is None:
                    outcome.lost += 1
                    outcome.notes.append(f"unexpected {type(exc).__name__}: {exc}")
                else:
                    outcome.failed[kind] += 1
                continue
            if getattr(model, "id", None) == model_id:
                outcome.ok += 1
            else:
                outcome.wrong += 1

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    done = outcome.ok + outcome.wrong + outcome.lost + outcome.failed_total
    outcome.lost += outcome.calls - done  # a call that neither returned nor raised


def classify_ours(exc: BaseException) -> str | None:
    """The error class of a typed aio_openai error, None for anything else."""
    if isinstance(exc, APIStatusError):
        return f"{type(exc).__name__} {exc.status_code}"
    if isinstance(exc, APIConnectionError):
        return type(exc).__name__
    return None


async def run_ours(
    srv: Server, name: str, calls: int, policy: RetryPolicy, *, budget: bool
) -> Outcome:
    """One run of aio_openai."""
    outcome = Outcome(name, calls)
    kwargs: dict[str, Any] = {} if budget else {"retry_budget": None}
    client = AsyncOpenAI(api_key=KEY, base_url=srv.url, retry_policy=policy, **kwargs)
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        await drive(client.models.retrieve, classify_ours, outcome)
    finally:
        await client.aclose()
    outcome.wall = time.perf_counter() - wall
    outcome.cpu = time.process_time() - cpu
    outcome.retries_by_cause = client.stats.retries_by_cause
    if client.stats.attempts != srv.command("counters")["seen"]:
        outcome.notes.append("client and server disagree on the number of attempts")
    return outcome


@contextlib.contextmanager
def sdk_delays(scale: float) -> Iterator[str]:
    """Scale the SDK's backoff constants for the block; yield a note on what was done."""
    import openai._base_client as base

    names = ("INITIAL_RETRY_DELAY", "MAX_RETRY_DELAY")
    if scale == 1.0:
        yield ""
        return
    if not all(hasattr(base, name) for name in names):
        yield "its backoff could not be scaled"
        return
    saved = {name: getattr(base, name) for name in names}
    for name, value in saved.items():
        setattr(base, name, value * scale)
    try:
        yield ""
    finally:
        for name, value in saved.items():
            setattr(base, name, value)


async def run_sdk(srv: Server, name: str, calls: int, scale: float) -> Outcome:
    """One run of the official SDK's AsyncOpenAI with its own retry policy."""
    import openai

    def classify(exc: BaseException) -> str | None:
        if isinstance(exc, openai.APIStatusError):
            return f"{type(exc).__name__} {exc.status_code}"
        if isinstance(exc, openai.APIConnectionError):
            return type(exc).__name__
        return None

    outcome = Outcome(name, calls)
    client = openai.AsyncOpenAI(api_key=KEY, base_url=srv.url, max_retries=MAX_RETRIES)
    with sdk_delays(scale) as note:
        if note:
            outcome.notes.append(note)
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            await drive(client.models.retrieve, classify, outcome)
        finally:
            await client.close()
        outcome.wall = time.perf_counter() - wall
        outcome.cpu = time.process_time() - cpu
    return outcome


class SdkLikePolicy(RetryPolicy):
    """The SDK's backoff on aio_openai's machinery: 0.5 s * 2**n up to 8 s, times 0.75-1.0."""

    def backoff(self, retry_number: int) -> float:
        """The SDK's wait before retry ``retry_number`` (0 for the first)."""
        ceiling = min(self.max_delay, self.initial_delay * 2.0**retry_number)
        return ceiling * (1.0 - 0.25 * self.random())


async def run_emulated_sdk(srv: Server, name: str, calls: int, scale: float) -> Outcome:
    """The SDK's policy emulated (no budget, retry-after honoured up to 60 s)."""
    policy = SdkLikePolicy(
        max_retries=MAX_RETRIES,
        initial_delay=SDK_INITIAL_DELAY * scale,
        max_delay=SDK_MAX_DELAY * scale,
        max_retry_after=60.0,
    )
    return await run_ours(srv, name, calls, policy, budget=False)


async def contestants(
    srv: Server, calls: int, scale: float, rate: float, kinds: Sequence[str], *, no_budget: bool
) -> list[Outcome]:
    """Run every contestant against the same faults; the server's counts go in the outcomes."""
    ours = RetryPolicy(max_retries=MAX_RETRIES, initial_delay=0.5 * scale, max_delay=8.0 * scale)
    runs: list[tuple[str, Callable[[str], Awaitable[Outcome]]]] = [
        ("aio_openai (budget)", lambda n: run_ours(srv, n, calls, ours, budget=True)),
    ]
    if no_budget:
        runs.append(
            ("aio_openai (no budget)", lambda n: run_ours(srv, n, calls, ours, budget=False))
        )
    if sdk_available():
        import openai

        label = f"openai {openai.__version__} SDK"
        runs.append((label, lambda n: run_sdk(srv, n, calls, scale)))
    else:
        label = "SDK policy (emulated)"
        runs.append((label, lambda n: run_emulated_sdk(srv, n, calls, scale)))
    outcomes = []
    for name, run in runs:
        srv.faults(rate, kinds)
        outcome = await run(name)
        counters = srv.command("clear")
        outcome.attempts = counters["seen"]
        outcome.injected = sum(counters["injected"].values())
        # every fault ends as a retry or as the failure of a call's last attempt
        if outcome.injected != outcome.attempts - outcome.calls + outcome.failed_total:
            outcome.notes.append("faults served and retries plus failures do not add up")
        outcomes.append(outcome)
    return outcomes


# -- report ---------------------------------------------------------------------------------


def random_report(outcomes: Sequence[Outcome], calls: int) -> str:
    """The table of the random-faults scenario."""
    rows = [
        [
            o.name,
            f"{o.ok:,}",
            f"{o.failed_total:,}",
            o.lost,
            o.wrong,
            f"{o.attempts:,}",
            f"{o.per_call:.3f}",
            f"{o.wall:.1f}",
            f"{o.cpu:.1f}",
        ]
        for o in outcomes
    ]
    headers = [
        f"random faults, {calls:,} calls",
        "ok",
        "failed",
        "lost",
        "wrong",
        "attempts",
        "att/call",
        "wall s",
        "client CPU s",
    ]
    lines = [table(headers, rows)]
    expected = calls * RATE ** (MAX_RETRIES + 1)
    lines.append(
        f"failed = a typed error after {MAX_RETRIES + 1} faulted attempts "
        f"(expected about {expected:,.0f}: {RATE:g}^{MAX_RETRIES + 1} of the calls)"
    )
    for o in outcomes:
        if o.failed:
            errors = ", ".join(f"{k} {v}" for k, v in sorted(o.failed.items()))
            lines.append(f"  {o.name} errors: {errors}")
        if o.retries_by_cause:
            causes = ", ".join(f"{k} {v}" for k, v in sorted(o.retries_by_cause.items()))
            lines.append(f"  {o.name} retries by cause: {causes}")
    return "\n".join(lines)


def outage_report(outcomes: Sequence[Outcome], calls: int) -> str:
    """The table of the total-outage scenario."""
    rows = [
        [o.name, f"{o.attempts:,}", f"{o.per_call:.3f}", f"{o.wall:.1f}", f"{o.cpu:.1f}"]
        for o in outcomes
    ]
    headers = [
        f"total outage (100% 503), {calls:,} calls",
        "attempts",
        "att/call",
        "wall s",
        "client CPU s",
    ]
    return table(headers, rows)


def checks(random_runs: Sequence[Outcome], outage_runs: Sequence[Outcome]) -> list[str]:
    """The failed checks (empty when all hold); problems of any run, and aio_openai's goals."""
    problems = [
        f"{o.name}: {note}"
        for o in [*random_runs, *outage_runs]
        for note in o.notes
        if "scaled" not in note
    ]
    for o in [*random_runs, *outage_runs]:
        if o.lost or o.wrong:
            problems.append(f"{o.name}: {o.lost} lost and {o.wrong} wrong results")
    ours = random_runs[0]
    if ours.per_call > 1.3:
        problems.append(f"{ours.name}: {ours.per_call:.3f} attempts a call (goal <= 1.3)")
    budget = outage_runs[0]
    if budget.per_call > 1.5:
        problems.append(f"{budget.name}: {budget.per_call:.3f} attempts a call in an outage")
    return problems


async def main_async(calls: int, outage_calls: int, scale: float) -> int:
    """Run both scenarios and print the report; 1 when a check failed."""
    kinds = ", ".join(KINDS)
    delays = "real backoff delays" if scale == 1.0 else f"backoff delays x{scale:g} (all alike)"
    print(f"retry benchmark: models.retrieve at concurrency {CONCURRENCY}, {MAX_RETRIES} retries")
    print(f"FakeOpenAI in a child process; faults seeded ({SEED}); {delays}")
    print(f"{versions(sdk=True)}; {platform.machine()}, {cores()} cores")
    print()
    started = time.perf_counter()
    with server() as srv:
        random_runs = await contestants(srv, calls, scale, RATE, KINDS, no_budget=False)
        print(f"random faults: {RATE:.0%} of requests ({kinds}, evenly)")
        print(random_report(random_runs, calls))
        print()
        outage_runs = await contestants(
            srv, outage_calls, scale, 1.0, ["status_503"], no_budget=True
        )
        print(outage_report(outage_runs, outage_calls))
    notes = sorted({f"{o.name}: {n}" for o in [*random_runs, *outage_runs] for n in o.notes})
    problems = checks(random_runs, outage_runs)
    print()
    for note in notes:
        print(f"note: {note}")
    print(f"total wall time {time.perf_counter() - started:.1f} s")
    if problems:
        for problem in problems:
            print(f"CHECK FAILED: {problem}")
        return 1
    print("checks: zero lost or wrong results; aio_openai attempts a call within its goals")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the benchmark (or, with ``--serve``, the server child)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="300 + 200 calls: a smoke test")
    parser.add_argument(
        "--calls", type=int, default=None, help="calls of the random-faults scenario"
    )
    parser.add_argument("--outage-calls", type=int, default=None, help="calls of the outage")
    parser.add_argument(
        "--delay-scale",
        type=float,
        default=1.0,
        help="multiply every contestant's backoff (default 1: the real delays)",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve()
    if not (args.delay_scale > 0 and math.isfinite(args.delay_scale)):
        parser.error("--delay-scale must be a positive number")
    calls = args.calls or (300 if args.small else 10_000)
    outage_calls = args.outage_calls or (200 if args.small else 2_000)
    return asyncio.run(main_async(calls, outage_calls, args.delay_scale))


if __name__ == "__main__":
    raise SystemExit(main())
