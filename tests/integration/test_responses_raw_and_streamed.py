"""``with_raw_response`` and ``with_streaming_response``: what the SDK's users reach for on the
response (status, headers, the request sent with the key masked, the body as bytes, text,
lines or JSON, ``parse()``), the body of a streamed response read on demand within
``max_response_bytes`` and closed when the block is left, and a stream's ``response``
closable, against FakeOpenAI and small servers of the tests' own."""

from __future__ import annotations

import asyncio
import datetime
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from aiohttp import web
from yarl import URL

from aio_openai import (
    APIResponse,
    AsyncAPIResponse,
    AsyncCursorPage,
    AsyncOpenAI,
    AsyncPage,
    AsyncStream,
    NotFoundError,
    RateLimiter,
    ResponseTooLargeError,
)
from aio_openai._cost import charged_tokens, estimate_tokens
from aio_openai._response import StreamAlreadyConsumed
from aio_openai.testing import FakeOpenAI
from aio_openai.types.chat import ChatCompletion, ChatCompletionChunk
from aio_openai.types.model import Model

KEY: Final = "sk-test-0123456789abcdef"  # the conftest client's key
MESSAGES: Final = [{"role": "user", "content": "Say hi"}]


async def collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


# -- with_streaming_response --------------------------------------------------------------------


async def test_a_streamed_retrieve_gives_the_response_before_its_body(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    async with client.models.with_streaming_response.retrieve("gpt-4") as response:
        assert isinstance(response, AsyncAPIResponse)
        assert not response.is_closed  # the body is still on the wire
        assert response.status_code == 200
        assert response.request_id == fake.requests[-1].request_id
        assert response.headers["x-request-id"] == response.request_id
        assert response.http_request.method == response.method == "GET"
        assert response.http_request.url == response.url
        assert response.url.path == "/v1/models/gpt-4"
        assert response.retries_taken == 0
        model = await response.parse()
        assert isinstance(model, Model) and model.id == "gpt-4"
        assert model._request_id == response.request_id
        assert response.is_closed  # read to its end: the connection went back
        assert await response.parse() is model
        assert await response.json() == model.to_dict()
    assert response.is_closed


async def test_leaving_the_block_unread_closes_the_response(client: AsyncOpenAI) -> None:
    async with client.models.with_streaming_response.list() as response:
        assert not response.is_closed
    assert response.is_closed
    with pytest.raises(StreamAlreadyConsumed):
        await response.read()
    assert (await client.models.retrieve("gpt-4")).id == "gpt-4"  # the client goes on


async def test_the_body_as_bytes_text_lines_and_json(client: AsyncOpenAI) -> None:
    raw = await client.models.with_raw_response.list()
    whole = raw.content
    async with client.models.with_streaming_response.list() as response:
        chunks = await collect(response.iter_bytes(chunk_size=7))
        assert response.is_closed  # read to its end
    assert b"".join(chunks) == whole
    assert {len(c) for c in chunks[:-1]} == {7} and 0 < len(chunks[-1]) <= 7
    async with client.models.with_streaming_response.list() as response:
        pieces = await collect(response.iter_text(chunk_size=5))
        assert response.is_closed
        with pytest.raises(StreamAlreadyConsumed):  # read piece by piece: it is gone
            await response.read()
        with pytest.raises(StreamAlreadyConsumed):
            await response.parse()
    assert "".join(pieces) == whole.decode()
    async with client.models.with_streaming_response.list() as response:
        assert await collect(response.iter_lines()) == whole.decode().splitlines()
    async with client.models.with_streaming_response.list() as response:
        assert await response.read() == whole
        assert await response.text() == whole.decode()
        assert await response.json() == json.loads(whole)
        assert b"".join(await collect(response.iter_bytes())) == whole  # kept once read
        page = await response.parse()
        assert isinstance(page, AsyncPage) and len(page.data) == len(json.loads(whole)["data"])
        assert await response.parse(to=dict) == json.loads(whole)
        assert await response.parse(to=str) == whole.decode()


async def test_a_streamed_list_gives_the_first_page_and_the_next_ones_parsed(
    client: AsyncOpenAI,
) -> None:
    items = [{"role": "user", "content": text} for text in ("one", "two", "three")]
    created = await client.responses.create(model="gpt-4o", input=items)  # type: ignore[arg-type]
    streaming = client.responses.with_streaming_response
    async with streaming.input_items.list(created.id, limit=2, order="asc") as response:
        page = await response.parse()
    assert isinstance(page, AsyncCursorPage) and len(page.data) == 2 and page.has_next_page()
    following = await page.get_next_page()
    assert isinstance(following, AsyncCursorPage) and len(following.data) == 1
    raw = await client.responses.with_raw_response.input_items.list(created.id, limit=2)
    following = await raw.parse().get_next_page()  # a raw list's next page is a page too
    assert isinstance(following, AsyncCursorPage) and len(following.data) == 1


async def test_a_streamed_stream_parses_to_the_async_stream(client: AsyncOpenAI) -> None:
    completions = client.chat.completions.with_streaming_response
    async with completions.create(model="gpt-4", messages=MESSAGES, stream=True) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = await response.parse()
        assert isinstance(stream, AsyncStream)
        assert not response.is_closed
        chunks = await collect(stream)
        assert all(isinstance(c, ChatCompletionChunk) for c in chunks) and chunks
        assert response.is_closed  # the stream ended
    async with completions.create(model="gpt-4", messages=MESSAGES, stream=True) as response:
        stream = await response.parse()
        await anext(stream)
    assert stream.closed and response.is_closed  # left early: closed with the block
    async with completions.create(model="gpt-4", messages=MESSAGES, stream=True) as response:
        lines = await collect(response.iter_lines())  # the event stream as it came
        with pytest.raises(StreamAlreadyConsumed):
            await response.parse()
    assert lines[0].startswith("data: {") and "data: [DONE]" in lines


async def test_a_streamed_call_without_stream_parses_its_object(client: AsyncOpenAI) -> None:
    completions = client.chat.completions.with_streaming_response
    async with completions.create(model="gpt-4", messages=MESSAGES) as response:
        completion = await response.parse()
    assert isinstance(completion, ChatCompletion)
    assert completion.choices[0].message.content


async def test_errors_come_on_entering_and_bad_ids_send_nothing(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    with pytest.raises(NotFoundError):
        async with client.models.with_streaming_response.retrieve("no-such-model"):
            pytest.fail("the block is not entered")
    sent = len(fake.requests)
    with pytest.raises(ValueError, match="Expected a non-empty value for `model` but received ''"):
        async with client.models.with_streaming_response.retrieve(""):
            pytest.fail("the block is not entered")
    assert len(fake.requests) == sent


async def test_a_delete_answering_nothing_parses_to_none_in_every_mode(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    ids = [(await client.responses.create(model="gpt-4o", input="hi")).id for _ in range(3)]
    raw = await client.responses.with_raw_response.delete(ids[0])
    assert isinstance(raw, APIResponse) and raw.status_code == 200 and raw.parse() is None
    async with client.responses.with_streaming_response.delete(ids[1]) as response:
        assert response.method == "DELETE" and await response.parse() is None
    assert await client.responses.delete(ids[2]) is None
    assert [r.method for r in fake.requests[-3:]] == ["DELETE"] * 3


async def test_a_streamed_body_settles_the_rate_limiter_once_read(fake: FakeOpenAI) -> None:
    limiter = RateLimiter(tpm=10_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)
    body: dict[str, Any] = {"model": "gpt-4", "messages": MESSAGES}
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, rate_limiter=limiter)
    streaming = client.chat.completions.with_streaming_response
    async with client, streaming.create(**body) as response:
        level = limiter.snapshot()["gpt-4"]["level_tokens"]
        assert level == 10_000 - estimate_tokens(body)  # until the usage is read
        completion = await response.parse()
    assert completion.usage is not None
    charged = charged_tokens(body, completion.usage.to_dict())
    assert charged is not None and charged != estimate_tokens(body)
    assert limiter.snapshot()["gpt-4"]["level_tokens"] == 10_000 - charged


# -- a body read as it comes, within max_response_bytes --------------------------------------------


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/v1"


async def test_the_body_comes_piece_by_piece_not_whole() -> None:
    """The server sends the second half of the body only once the client has the first
    line: a client that waited for the whole body would never get it."""
    first_line_read = asyncio.Event()

    async def model(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"id": "gpt-4",\n')
        await first_line_read.wait()
        await response.write(b'"object": "model", "created": 1, "owned_by": "me"}\n')
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/v1/models/{model}", model)
    runner, url = await serve(app)
    try:
        async with AsyncOpenAI(api_key=KEY, base_url=url) as client, asyncio.timeout(30):
            streaming = client.models.with_streaming_response
            async with streaming.retrieve("gpt-4") as response:
                lines = response.iter_lines()
                assert await anext(lines) == '{"id": "gpt-4",'
                first_line_read.set()
                assert await collect(lines) == [
                    '"object": "model", "created": 1, "owned_by": "me"}'
                ]
    finally:
        await runner.cleanup()


async def test_a_streamed_body_obeys_max_response_bytes_decoded() -> None:
    """A gzip body of a few KB that inflates to 200 KB passes a 64 KB limit on the wire but
    not decoded: every way of reading it raises ResponseTooLargeError."""
    big = json.dumps({"object": "list", "data": [{"id": "x" * 100}] * 1800}).encode()
    small = b'{"object": "list", "data": []}'

    async def models(request: web.Request) -> web.Response:
        body = small if request.query.get("small") else big
        return web.Response(
            body=gzip.compress(body),
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )

    app = web.Application()
    app.router.add_get("/v1/models", models)
    runner, url = await serve(app)
    try:
        client = AsyncOpenAI(api_key=KEY, base_url=url, max_response_bytes=64_000)
        async with client:
            assert len(gzip.compress(big)) < 64_000 < len(big)
            streaming = client.models.with_streaming_response
            for read in (
                lambda r: r.read(),
                lambda r: r.parse(),
                lambda r: r.json(),
                lambda r: collect(r.iter_bytes()),
                lambda r: collect(r.iter_lines()),
            ):
                async with streaming.list() as response:
                    with pytest.raises(ResponseTooLargeError):
                        await read(response)
                    assert response.is_closed
            async with streaming.list(extra_query={"small": "1"}) as response:
                assert (await response.parse()).data == []
    finally:
        await runner.cleanup()


# -- with_raw_response --------------------------------------------------------------------------


async def test_the_raw_response_shows_what_the_sdks_does(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    raw = await client.models.with_raw_response.retrieve("gpt-4")
    assert raw.is_closed  # the body is read
    assert raw.status_code == 200 and raw.method == "GET"
    assert raw.url == URL(fake.url + "/models/gpt-4") == raw.http_request.url
    assert raw.http_version == "HTTP/1.1"
    assert isinstance(raw.elapsed, datetime.timedelta) and raw.elapsed > datetime.timedelta(0)
    assert raw.retries_taken == 0
    assert json.loads(raw.content)["id"] == "gpt-4"
    assert raw.text == raw.content.decode() and raw.json()["id"] == "gpt-4"
    assert await raw.read() == raw.content
    assert b"".join(await collect(raw.iter_bytes(chunk_size=4))) == raw.content
    assert "".join(await collect(raw.iter_text())) == raw.text
    assert await collect(raw.iter_lines()) == raw.text.splitlines()
    assert raw.parse(to=dict) == raw.json()
    await raw.aclose()
    await raw.close()
    assert raw.is_closed and raw.parse().id == "gpt-4"


async def test_the_request_a_response_shows_masks_the_key(client: AsyncOpenAI) -> None:
    raw = await client.models.with_raw_response.retrieve("gpt-4", extra_headers={"X-Echo": KEY})
    async with client.models.with_streaming_response.retrieve("gpt-4") as streamed:
        views = [raw.http_request, streamed.http_request]
    for sent in views:
        assert sent.method == "GET" and sent.url.path == "/v1/models/gpt-4"
        assert sent.headers["Authorization"] == "Bearer sk-tes...cdef"
        assert sent.content is None
        shown = [repr(sent), str(sent), repr(sent.headers), str(dict(sent.headers))]
        shown += [*sent.headers.values(), repr(raw), repr(streamed)]
        assert not [text for text in shown if KEY in text]
    assert views[0].headers["X-Echo"] == "sk-tes...cdef"


async def test_a_streams_response_closes_the_stream(client: AsyncOpenAI) -> None:
    stream = await client.chat.completions.create(model="gpt-4", messages=MESSAGES, stream=True)
    assert not stream.response.is_closed
    await stream.response.aclose()
    assert stream.closed and stream.response.is_closed
    assert await collect(stream) == []
    raw = await client.chat.completions.with_raw_response.create(
        model="gpt-4", messages=MESSAGES, stream=True
    )
    stream = raw.parse()
    assert isinstance(stream, AsyncStream) and not raw.is_closed
    await raw.close()
    assert stream.closed and raw.is_closed
