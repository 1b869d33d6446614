"""Every request that reaches the wire is one attempt the retry policy decided on and counted.

aiohttp on its own re-sends an idempotent request (GET, DELETE) once when the connection is
reset or closed right after the request was written: a second attempt nobody counted, that
no ``max_retries`` allowed and no retry budget paid for. A raw server on loopback counts the
requests it reads and then resets the connection, closes it (a FIN), or answers the first
request of a connection and closes on the next one (a stale keep-alive connection); the
server's count, ``client.stats.attempts`` and the ``attempts`` of fan_out's Results agree.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator
from typing import Final, Literal

import attrs
import pytest

from aio_openai import APIConnectionError, AsyncOpenAI, RetryPolicy, fan_out

from ._servers import raw_server

KEY: Final = "sk-attempts-0123456789"
#: One body that parses as a Model and as a ModelDeleted.
MODEL: Final = b'{"id": "gpt-4", "object": "model", "created": 1, "owned_by": "o", "deleted": true}'
OK: Final = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
    len(MODEL),
    MODEL,
)

Mode = Literal["reset", "fin", "stale"]


@attrs.define
class CountingServer:
    """Reads requests and counts them; what follows each depends on ``mode``.

    - reset: the connection is reset (RST) right after the request is read;
    - fin: the connection is closed (FIN) right after the request is read;
    - stale: the first request of a connection is answered (keep-alive), the next one read
      and the connection closed without an answer.
    """

    mode: Mode
    requests: int = 0
    url: str = ""
    open: set[asyncio.StreamWriter] = attrs.field(factory=set)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answered = False
        self.open.add(writer)
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while True:
                await reader.readuntil(b"\r\n\r\n")  # a GET or DELETE: no body
                self.requests += 1
                if self.mode == "stale" and not answered:
                    answered = True
                    writer.write(OK)
                    await writer.drain()
                    continue
                if self.mode == "reset":
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                else:
                    writer.close()
                return


@pytest.fixture(params=["reset", "fin", "stale"])
async def server(request: pytest.FixtureRequest) -> AsyncIterator[CountingServer]:
    counting = CountingServer(request.param)
    async with raw_server(counting.handle) as counting.url:
        yield counting
        for writer in counting.open:
            writer.close()


def quick(max_retries: int) -> RetryPolicy:
    return RetryPolicy(max_retries=max_retries, initial_delay=0.001, max_delay=0.002)


@pytest.mark.parametrize("max_retries", [0, 2])
@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_one_call_reaches_the_server_once_per_counted_attempt(
    server: CountingServer, max_retries: int, method: str, clean_env: None
) -> None:
    async with AsyncOpenAI(
        api_key=KEY, base_url=server.url, retry_policy=quick(max_retries), retry_budget=None
    ) as client:
        call = client.models.retrieve if method == "GET" else client.models.delete
        if server.mode == "stale":
            await client.models.retrieve("gpt-4")  # opens the connection the next call reuses
            assert server.requests == 1
            if max_retries:  # the reused connection fails; the retry opens a new one, answered
                await call("gpt-4")
                assert server.requests == 3
            else:
                with pytest.raises(APIConnectionError):
                    await call("gpt-4")
                assert server.requests == 2
        else:
            with pytest.raises(APIConnectionError):
                await call("gpt-4")
            assert server.requests == 1 + max_retries
        assert client.stats.attempts == server.requests


@pytest.mark.parametrize("max_retries", [0, 2])
async def test_fan_out_results_count_every_request_the_server_saw(
    server: CountingServer, max_retries: int, clean_env: None
) -> None:
    async with AsyncOpenAI(
        api_key=KEY, base_url=server.url, retry_policy=quick(max_retries)
    ) as client:
        results = await fan_out(client.models.retrieve, ["gpt-4"] * 40, concurrency=8)
        assert sum(r.attempts for r in results) == client.stats.attempts == server.requests
    failed = [r for r in results if not r.ok]
    assert all(isinstance(r.error, APIConnectionError) for r in failed)
    if server.mode != "stale":  # stale: whether a call fails depends on the connection it gets
        assert len(failed) == 40
