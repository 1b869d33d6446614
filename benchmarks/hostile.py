"""Hostile servers: the client's memory under a gzip bomb, and attempts on the wire under resets.

- bomb: a loopback server answers ``models.retrieve`` with 522 KB of gzip that inflates to
  512 MiB (``Content-Length`` is the compressed size), as a 200 and as a 400, to a client
  with the default ``max_response_bytes`` (256 MiB), and with 204 KB inflating to 200 MiB to
  a client capped at 1 MiB. Each case runs in a child process of its own, which reports its
  peak resident memory (``ru_maxrss``) and the error it got; a control child makes the same
  call answered by a small gzip body.
- resets: 1,000 ``models.retrieve`` calls (concurrency 64, the default retry policy and
  budget) against a raw server that reads each request and resets the connection (or, with
  ``--fin``, closes it gracefully) without answering; the server's count of requests against
  ``client.stats.attempts``.

Run: ``python benchmarks/hostile.py [bomb|resets] [--fin] [--calls N] [--small]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import socket
import struct
import subprocess
import sys
import zlib
from typing import Final

from aiohttp import web

from aio_openai import AsyncOpenAI, RetryPolicy

KEY: Final = "sk-bench-hostile"
BOMB_SIZE: Final = 512 * 1024 * 1024


def bomb_body(size: int) -> bytes:
    """``size`` bytes of zeros, gzipped in pieces (so building it stays small)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip wrapper
    block = bytes(1 << 20)
    parts = [z.compress(block) for _ in range(size // len(block))]
    parts.append(z.flush())
    return b"".join(parts)


#: case -> (bytes the body inflates to, status, the client's max_response_bytes)
CASES: Final = {
    "control": (1 << 20, 200, 256 << 20),
    "200": (BOMB_SIZE, 200, 256 << 20),
    "400": (BOMB_SIZE, 400, 256 << 20),
    "200/1MiB": (200 << 20, 200, 1 << 20),
}


async def bomb_child(case: str, scale: int) -> None:
    inflated, status, cap = (v // scale if v > 999 else v for v in CASES[case])
    body = bomb_body(inflated)

    async def answer(request: web.Request) -> web.Response:
        return web.Response(
            body=body,
            status=status,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    app = web.Application()
    app.router.add_get("/v1/models/{id}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    outcome = "ok"
    async with AsyncOpenAI(
        api_key=KEY, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0, max_response_bytes=cap
    ) as client:
        try:
            await client.models.retrieve("x")
        except Exception as exc:
            outcome = f"{type(exc).__name__}, message of {len(str(exc)):,} characters"
    await runner.cleanup()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(body):,}\t{peak_mb:,.0f}\t{outcome}")


def bomb(scale: int) -> None:
    print("gzip bombs (zeros), max_retries=0; cases: status, and the cap when not the default")
    if scale > 1:
        print(f"(sizes and caps divided by {scale})")
    print(f"{'case':<10} {'inflates to':>12} {'gzip bytes':>12} {'peak MB':>8}  outcome")
    for case, (inflated, _, _) in CASES.items():
        done = subprocess.run(
            [sys.executable, __file__, "--child", case, "--scale", str(scale)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"{case:<10} child failed: {done.stderr.strip()[-300:]}")
            continue
        size, peak, outcome = done.stdout.strip().split("\t")
        print(f"{case:<10} {inflated // scale:>12,} {size:>12} {peak:>8}  {outcome}")


async def resets(calls: int, fin: bool) -> None:
    seen = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal seen
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while True:
                await reader.readuntil(b"\r\n\r\n")
                seen += 1
                if not fin:
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return
                writer.close()
                return

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    policy = RetryPolicy(initial_delay=0.001, max_delay=0.002)
    async with AsyncOpenAI(
        api_key=KEY, base_url=f"http://127.0.0.1:{port}/v1", retry_policy=policy
    ) as client:
        gate = asyncio.Semaphore(64)

        async def one() -> None:
            async with gate:
                with contextlib.suppress(Exception):
                    await client.models.retrieve("x")

        await asyncio.gather(*(one() for _ in range(calls)))
        attempts = client.stats.attempts
    server.close()
    await server.wait_closed()
    kind = "FIN" if fin else "reset"
    print(f"total outage ({kind} after every request), {calls:,} GETs, max_retries=2, budget on")
    print(f"client.stats.attempts {attempts:,}  server saw {seen:,}  ({seen / calls:.2f} a call)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["bomb", "resets", "all"], default="all")
    parser.add_argument("--fin", action="store_true", help="close gracefully instead of a reset")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--small", action="store_true", help="a smoke run: 1/32 of the sizes")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(bomb_child(args.child, args.scale))
        return
    if args.small:
        args.scale, args.calls = 32, 100
    if args.what in ("bomb", "all"):
        bomb(args.scale)
    if args.what in ("resets", "all"):
        asyncio.run(resets(args.calls, args.fin))


if __name__ == "__main__":
    main()
