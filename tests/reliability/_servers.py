"""Loopback servers for the reliability tests: an aiohttp.web app, or a raw asyncio handler
for answers aiohttp.web would never send (malformed HTTP, HTTP/1.0, resets)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def app_server(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on a free loopback port; yields the base URL ``http://127.0.0.1:PORT/v1``."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def raw_server(handle: RawHandler) -> AsyncIterator[str]:
    """Serve each connection with ``handle``; yields the base URL ``http://127.0.0.1:PORT/v1``."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1"
    finally:
        server.close()
        await server.wait_closed()
