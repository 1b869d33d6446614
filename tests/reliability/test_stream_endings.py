"""Streams never end silently: a stream is complete only when its kind's final event came.

A ``stream=True`` call answered with a body that is not an event stream (a proxy's HTML page,
a server that ignored ``stream`` and sent the whole JSON answer) raises
APIResponseValidationError instead of yielding nothing. A stream whose body ends cleanly but
before its final event (``data: [DONE]`` for chat; ``response.completed``/``failed``/
``incomplete``/``error`` for the Responses API; a terminal run event or ``done`` for Assistants
runs) raises APIConnectionError, as does an HTTP/1.0 stream (close-delimited, no chunking)
cut in the middle of an event. Each case is served for real on loopback: aiohttp.web for
well-formed HTTP, a raw asyncio server for HTTP/1.0.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from aiohttp import web
from deprecations import ASSISTANTS_API_DEPRECATED

from aio_openai import APIConnectionError, APIResponseValidationError, AsyncOpenAI

from ._servers import app_server, raw_server

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-stream-endings-0123456789"
MESSAGES: Final = [{"role": "user", "content": "Hi"}]
CHUNK: Final = {
    "id": "c",
    "object": "chat.completion.chunk",
    "created": 1,
    "model": "gpt-4",
    "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}],
}
COMPLETION: Final = {
    "id": "c",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}}],
}


def sse(data: Any, event: str | None = None) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data)
    return (f"event: {event}\n" if event else "").encode() + f"data: {text}\n\n".encode()


def response_event(kind: str, n: int) -> bytes:
    data: dict[str, Any] = {"type": kind, "sequence_number": n}
    if kind.startswith("response.") and not kind.startswith("response.output"):
        data["response"] = {"id": "resp_1", "object": "response", "status": "in_progress",
                            "created_at": 1, "model": "gpt-4o", "parallel_tool_calls": True,
                            "tool_choice": "auto"}  # fmt: skip
    else:
        data.update(delta="Hi", item_id="m", output_index=0, content_index=0, logprobs=[])
    return sse(data, kind)


def run_event(kind: str) -> bytes:
    return sse({"id": "run_1", "object": "thread.run", "status": "queued"}, kind)


#: What each route answers: (content type, the body's pieces).
ANSWERS: Final[dict[str, tuple[str, list[bytes]]]] = {
    "html": ("text/html", [b"<html><body>Please log in</body></html>"]),
    "json": ("application/json", [json.dumps(COMPLETION).encode()]),
    "chat_no_done": ("text/event-stream", [sse(CHUNK), sse(CHUNK)]),
    "chat_done": ("text/event-stream", [sse(CHUNK), sse("[DONE]")]),
    "responses_no_end": (
        "text/event-stream",
        [response_event("response.created", 0), response_event("response.output_text.delta", 1)],
    ),
    "responses_completed": (
        "text/event-stream",
        [response_event("response.created", 0), response_event("response.completed", 1)],
    ),
    "run_no_end": (
        "text/event-stream",
        [run_event("thread.run.created"), run_event("thread.run.in_progress")],
    ),
    "run_requires_action": (
        "text/event-stream",
        [run_event("thread.run.created"), run_event("thread.run.requires_action")],
    ),
    "run_done": ("text/event-stream", [run_event("thread.run.created"), sse("[DONE]", "done")]),
}


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[str]]]:
    """Answers every streaming route with ANSWERS[the X-Answer header], chunked."""
    seen: list[str] = []

    async def answer(request: web.Request) -> web.StreamResponse:
        seen.append(request.path)
        content_type, pieces = ANSWERS[request.headers["X-Answer"]]
        resp = web.StreamResponse(headers={"Content-Type": content_type})
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for piece in pieces:
            await resp.write(piece)
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_post("/v1/chat/completions", answer)
    app.router.add_post("/v1/responses", answer)
    app.router.add_post("/v1/threads/{thread_id}/runs", answer)
    async with app_server(app) as url:
        yield url, seen


async def open_stream(client: AsyncOpenAI, kind: str, answer: str) -> Any:
    options: Any = {"extra_headers": {"X-Answer": answer}}
    if kind == "chat":
        return await client.chat.completions.create(
            model="gpt-4", messages=MESSAGES, stream=True, **options
        )
    if kind == "responses":
        return await client.responses.create(model="gpt-4", input="Hi", stream=True, **options)
    return await client.beta.threads.runs.create(
        "thread_1", assistant_id="asst_1", stream=True, **options
    )


async def drain(stream: Any) -> list[Any]:
    return [item async for item in stream]


@pytest.mark.parametrize("answer", ["html", "json"])
async def test_a_stream_answered_with_something_else_is_a_validation_error(
    server: tuple[str, list[str]], answer: str
) -> None:
    url, seen = server
    async with AsyncOpenAI(api_key=KEY, base_url=url, max_retries=2) as client:
        with pytest.raises(APIResponseValidationError, match="text/event-stream") as info:
            await open_stream(client, "chat", answer)
    assert seen == ["/v1/chat/completions"]  # not retried: the server meant it
    assert info.value.status_code == 200
    if answer == "json":  # the answer is kept, parsed
        assert info.value.body == COMPLETION
    else:
        assert info.value.body == "<html><body>Please log in</body></html>"


@pytest.mark.parametrize(
    ("kind", "answer"),
    [("chat", "chat_no_done"), ("responses", "responses_no_end"), ("run", "run_no_end")],
)
async def test_a_stream_that_ends_before_its_final_event_is_a_connection_error(
    server: tuple[str, list[str]], kind: str, answer: str
) -> None:
    url, _ = server
    async with AsyncOpenAI(api_key=KEY, base_url=url) as client:
        stream = await open_stream(client, kind, answer)
        items = []
        with pytest.raises(APIConnectionError, match="before its final event"):
            async for item in stream:
                items.append(item)
        assert len(items) == 2  # every event that came was delivered first
        assert stream.closed


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("chat", "chat_done"),
        ("responses", "responses_completed"),
        ("run", "run_requires_action"),
        ("run", "run_done"),
    ],
)
async def test_a_stream_with_its_final_event_ends_normally(
    server: tuple[str, list[str]], kind: str, answer: str
) -> None:
    url, _ = server
    async with AsyncOpenAI(api_key=KEY, base_url=url) as client:
        stream = await open_stream(client, kind, answer)
        items = await drain(stream)
    assert len(items) == (1 if answer in ("chat_done", "run_done") else 2)
    assert stream.closed


# -- HTTP/1.0: the body ends when the connection closes ------------------------------------------


@pytest.fixture
async def http10() -> AsyncIterator[str]:
    """An HTTP/1.0 server: no Content-Length, no chunking; the body is cut by closing.

    The ``X-Answer`` header picks the body: ``cut`` stops in the middle of the second event,
    ``whole`` sends both events and ``[DONE]``.
    """

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.lower().split(b"\r\n")
                if line.startswith(b"content-length:")
            )
            await reader.readexactly(length)
            whole = b"x-answer: whole" in head.lower()
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\n")
            writer.write(sse(CHUNK))
            writer.write(sse(CHUNK) + sse("[DONE]") if whole else sse(CHUNK)[:25])
            await writer.drain()
        writer.close()

    async with raw_server(handle) as url:
        yield url


async def test_an_http10_stream_cut_mid_event_is_a_connection_error(http10: str) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=http10) as client:
        stream = await open_stream(client, "chat", "cut")
        items = []
        with pytest.raises(APIConnectionError, match="in the middle of an event"):
            async for item in stream:
                items.append(item)
    assert len(items) == 1


async def test_a_whole_http10_stream_ends_normally(http10: str) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=http10) as client:
        stream = await open_stream(client, "chat", "whole")
        assert len(await drain(stream)) == 2
