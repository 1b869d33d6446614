"""Retried uploads send the whole body again: a loopback server counts the bytes of each
attempt and fails the first ones (a 500 after reading the body, or a connection cut in the
middle of it); a one-shot body (an async iterator) is not retried, and the error says why."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from aiohttp import web

from aio_openai import APIConnectionError, AsyncOpenAI, InternalServerError, RetryPolicy

from ._servers import app_server

SIZE = 3 * 1024 * 1024 + 11


@attrs.define
class Counting:
    """A ``POST /v1/files`` that counts each attempt's body bytes and fails ``failures``
    attempts, by ``how``: "500" after reading the body, "cut" after reading half of it."""

    failures: int
    how: str
    seen: list[int] = attrs.field(factory=list)
    bodies: list[bytes] = attrs.field(factory=list)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        attempt = len(self.seen)
        body = bytearray()
        self.seen.append(0)
        while chunk := await request.content.read(1 << 16):
            body += chunk
            self.seen[attempt] = len(body)
            if self.how == "cut" and attempt < self.failures and len(body) > SIZE // 2:
                assert request.transport is not None
                request.transport.abort()
                raise ConnectionResetError
        self.bodies.append(bytes(body))
        if attempt < self.failures:
            return web.json_response(
                {"error": {"message": "boom", "type": "server_error"}}, status=500
            )
        return web.json_response(
            {
                "id": "file-1",
                "object": "file",
                "bytes": len(body),
                "created_at": 1,
                "filename": "x",
                "purpose": "user_data",
                "status": "processed",
            }
        )


async def upload(counting: Counting, file: Any, **options: Any) -> None:
    app = web.Application()
    app.router.add_post("/v1/files", counting.handle)
    policy = RetryPolicy(max_retries=3, initial_delay=0, max_delay=0)
    async with (
        app_server(app) as url,
        AsyncOpenAI(api_key="sk-retry", base_url=url, retry_policy=policy) as client,
    ):
        await client.files.create(file=file, purpose="user_data", **options)


def sources(tmp_path: Path) -> list[tuple[str, Callable[[], Any], bytes]]:
    data = os.urandom(SIZE)
    path = tmp_path / "data.bin"
    path.write_bytes(b"head" + data)
    whole = tmp_path / "whole.bin"
    whole.write_bytes(data)

    def open_file() -> Any:
        handle = path.open("rb")
        handle.seek(4)
        return handle

    return [
        ("bytes", lambda: data, data),
        ("path", lambda: whole, data),
        ("open file", open_file, data),
        ("BytesIO", lambda: io.BytesIO(data), data),
        ("tuple", lambda: ("data.bin", whole, "application/octet-stream"), data),
    ]


@pytest.mark.parametrize("how", ["500", "cut"])
async def test_every_attempt_sends_the_whole_body(tmp_path: Path, how: str) -> None:
    for name, make, expected in sources(tmp_path):
        counting = Counting(failures=2, how=how)
        file = make()
        try:
            await upload(counting, file)
        finally:
            if hasattr(file, "close"):
                file.close()
        total = counting.seen[-1]
        assert total > SIZE, name
        assert len(counting.seen) == 3, name
        if how == "500":
            assert counting.seen == [total] * 3, name
            assert counting.bodies == [counting.bodies[0]] * 3, name  # the same bytes
        # the attempt that went through sent the file whole
        assert counting.bodies[-1].split(b"\r\n\r\n", 1)[1][:SIZE] == expected, name


async def one_shot(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 1 << 16):
        yield data[start : start + (1 << 16)]


async def test_a_one_shot_body_is_not_retried_and_the_error_says_why() -> None:
    data = os.urandom(SIZE)
    counting = Counting(failures=1, how="500")
    with pytest.raises(InternalServerError) as info:
        await upload(counting, one_shot(data))
    assert len(counting.seen) == 1
    assert any("can be read only once" in note for note in info.value.__notes__)
    counting = Counting(failures=1, how="cut")
    with pytest.raises(APIConnectionError) as cut:
        await upload(counting, ("x.bin", one_shot(data)))
    assert len(counting.seen) == 1
    assert any("not retried" in note for note in cut.value.__notes__)


async def test_a_file_that_shrinks_fails_with_its_own_error(tmp_path: Path) -> None:
    path = tmp_path / "shrinks.bin"
    path.write_bytes(b"x" * SIZE)
    handle = path.open("rb")
    counting = Counting(failures=0, how="500")

    async def shrink_then_send(request: Any, call_next: Any) -> Any:
        path.write_bytes(b"x" * 10)
        return await call_next(request)

    app = web.Application()
    app.router.add_post("/v1/files", counting.handle)
    async with (
        app_server(app) as url,
        AsyncOpenAI(api_key="sk-retry", base_url=url, middlewares=[shrink_then_send]) as client,
    ):
        with pytest.raises(ValueError, match="bytes short"):
            await client.files.create(file=handle, purpose="user_data")
    handle.close()
    assert len(counting.seen) <= 1
