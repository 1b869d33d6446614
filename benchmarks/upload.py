"""Uploads: one 100 MB file, and 1,000 small files, aio_openai against the official SDK.

Each contestant uploads the same files (``files.create(file=Path, purpose="user_data")``) to
FakeOpenAI running in a child process; the small files go 16 at a time (``asyncio.gather``
over a semaphore, alike for both). Measured in the client process: CPU seconds (user +
system, ``getrusage``) and wall seconds of each run, one run each (the order alternates by
scenario so neither always goes first), and the peak memory growth of the process over the
large upload (RSS high-water mark, reset before, Linux only).

    python benchmarks/upload.py [--size-mb 100] [--small-files 1000] [--small]

``--small`` runs a tiny version (4 MB, 50 files) for the smoke test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from _common import (
    ServerProcess,
    cores,
    peak_kb,
    reset_peak,
    rss_kb,
    sdk_available,
    table,
    versions,
)

from aio_openai import AsyncOpenAI
from aio_openai.testing import FakeOpenAI

KEY = "sk-bench-0123456789"
CONCURRENCY = 16


def serve(conn: Connection) -> None:
    """Child process: a FakeOpenAI; send its URL, stop on "stop"."""
    fake = FakeOpenAI(record_requests=False)
    with fake.running_in_thread():
        conn.send(fake.url)
        conn.recv()
    conn.send(None)
    conn.close()


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


Upload = Callable[[Path], Awaitable[Any]]


async def run(upload: Upload, files: list[Path]) -> tuple[float, float, int | None]:
    """CPU and wall seconds of uploading ``files`` (CONCURRENCY at a time), and the peak RSS
    growth in kB (None where the high-water mark cannot be reset)."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(path: Path) -> None:
        async with gate:
            await upload(path)

    measured = reset_peak().startswith("VmHWM")
    before = rss_kb()
    start_cpu, start_wall = cpu(), time.perf_counter()
    await asyncio.gather(*(one(path) for path in files))
    wall, used = time.perf_counter() - start_wall, cpu() - start_cpu
    return used, wall, peak_kb() - before if measured else None


def make_files(folder: Path, size_mb: int, small_files: int) -> tuple[Path, list[Path]]:
    big = folder / "big.bin"
    block = os.urandom(1024 * 1024)
    with big.open("wb") as out:
        for _ in range(size_mb):
            out.write(block)
    small = []
    for i in range(small_files):
        path = folder / f"small-{i}.jsonl"
        path.write_bytes(b'{"custom_id": "%d", "body": {}}\n' % i * (1 + i % 40))
        small.append(path)
    return big, small


async def contestants(url: str) -> tuple[dict[str, Upload], list[Any]]:
    ours = AsyncOpenAI(api_key=KEY, base_url=url)

    async def aio(path: Path) -> Any:
        return await ours.files.create(file=path, purpose="user_data")

    found: dict[str, Upload] = {"aio_openai": aio}
    closers: list[Any] = [ours.aclose]
    if sdk_available():
        import openai

        sdk = openai.AsyncOpenAI(api_key=KEY, base_url=url)

        async def official(path: Path) -> Any:
            return await sdk.files.create(file=path, purpose="user_data")

        found["SDK"] = official
        closers.append(sdk.close)
    return found, closers


async def main_async(args: argparse.Namespace, url: str, folder: Path) -> None:
    big, small = make_files(folder, args.size_mb, args.small_files)
    found, closers = await contestants(url)
    names = list(found)
    # warm up each: connections, imports
    for upload in found.values():
        await upload(small[0])
    rows = []
    scenarios = [
        (f"1 file of {args.size_mb} MB", [big]),
        (f"{args.small_files} small files ({CONCURRENCY} at once)", small),
    ]
    for index, (label, files) in enumerate(scenarios):
        order = names if index % 2 == 0 else names[::-1]
        results = {name: await run(found[name], files) for name in order}
        base_cpu = results["aio_openai"][0]
        for name in names:
            used, wall, growth = results[name]
            rows.append(
                [
                    f"{label}: {name}",
                    f"{used:.3f}",
                    f"{used / base_cpu:.2f}x",
                    f"{wall:.3f}",
                    "-" if growth is None else f"{growth / 1024:.1f}",
                ]
            )
    for close in closers:
        await close()
    print(table(["run", "CPU s", "CPU vs aio_openai", "wall s", "peak RSS growth MB"], rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--small-files", type=int, default=1000)
    parser.add_argument("--small", action="store_true", help="a tiny run (smoke test)")
    args = parser.parse_args()
    if args.small:
        args.size_mb, args.small_files = 4, 50
    print(versions(sdk=True))
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"cores {cores()}, load average before the run {load[0]:.2f}" if load else "")
    server = ServerProcess(serve)
    try:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(main_async(args, server.url, Path(folder)))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
