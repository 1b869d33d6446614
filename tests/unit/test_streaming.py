"""The server-sent-events parser (WHATWG rules) and AsyncStream's event handling, in memory."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

import pytest
from yarl import URL

import aio_openai
from aio_openai import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncStream,
    Request,
    Response,
)
from aio_openai._http import StreamedResponse
from aio_openai._streaming import ServerSentEvent, SSEDecoder
from aio_openai._transport import client_timeout
from aio_openai.types.beta.assistant_stream_event import (
    ThreadMessageDelta,
    ThreadRunCompleted,
    UnknownStreamEvent,
    parse_assistant_stream_event,
)


def parse(*chunks: bytes) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    return events


def ev(data: str, event: str | None = None, id: str | None = None, retry: int | None = None) -> Any:
    return ServerSentEvent(event=event, data=data, id=id, retry=retry)


# -- the parser -----------------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_each_line_end_separates_lines_and_events(end: str) -> None:
    stream = f"data: a{end}{end}event: e{end}data: b{end}{end}".encode()
    assert parse(stream) == [ev("a"), ev("b", "e")]


def test_mixed_line_ends_in_one_stream() -> None:
    assert parse(b"data: a\r\n\ndata: b\r\rdata: c\n\r\n") == [ev("a"), ev("b"), ev("c")]


def test_cr_at_the_end_of_a_chunk_and_lf_at_the_start_of_the_next_are_one_line_end() -> None:
    # were the LF a line end of its own, the empty line would dispatch "a" twice or early
    assert parse(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n") == [ev("a\nb")]


def test_a_lone_cr_before_a_chunk_boundary_is_a_line_end() -> None:
    assert parse(b"data: a\r", b"\r", b"data: b\r\r") == [ev("a"), ev("b")]


def test_comments_are_ignored() -> None:
    assert parse(b": keep-alive\n\n:\ndata: x\n: between\n\n") == [ev("x")]


def test_multi_line_data_is_joined_with_lf() -> None:
    assert parse(b"data: one\ndata:two\ndata:  three\ndata\n\n") == [ev("one\ntwo\n three\n")]


def test_only_one_space_after_the_colon_is_dropped() -> None:
    assert parse(b"data:  x \n\n") == [ev(" x ")]


def test_a_field_without_colon_has_an_empty_value() -> None:
    assert parse(b"data\n\n") == [ev("")]
    assert parse(b"event\ndata: x\n\n") == [ev("x")]


def test_a_blank_line_without_data_dispatches_nothing_and_forgets_the_event_name() -> None:
    assert parse(b"event: lost\n\ndata: x\n\n") == [ev("x")]


def test_the_last_event_id_persists_until_changed() -> None:
    events = parse(b"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 2\0\ndata: d\n\n")
    assert [e.id for e in events] == ["1", "1", None, None]


def test_retry_takes_ascii_digits_only() -> None:
    events = parse(b"retry: 3000\ndata: a\n\nretry: 12a\ndata: b\n\nretry: \xd9\xa3\ndata: c\n\n")
    assert [e.retry for e in events] == [3000, 3000, 3000]


def test_unknown_fields_are_ignored() -> None:
    assert parse(b"foo: bar\ndata: x\n\n") == [ev("x")]


def test_a_leading_bom_is_dropped_even_split_across_chunks() -> None:
    assert parse(b"\xef", b"\xbb", b"\xbfdata: x\n\n") == [ev("x")]
    # only at the very start: later it is part of the field name (an unknown field)
    assert parse(b"data: a\n\n\xef\xbb\xbfdata: b\n\n") == [ev("a")]


def test_a_multi_byte_character_split_across_chunks() -> None:
    text = "héllo 🎉 日本".encode()
    stream = b"data: " + text + b"\n\n"
    for cut in range(len(stream) + 1):
        assert parse(stream[:cut], stream[cut:]) == [ev("héllo 🎉 日本")]


def test_an_event_cut_off_by_the_end_of_the_stream_is_not_dispatched() -> None:
    assert parse(b"data: a\n\ndata: b\n") == [ev("a")]


def test_one_byte_at_a_time() -> None:
    stream = b'event: e\r\nid: 7\r\ndata: {"a":1}\r\n\r\ndata: [DONE]\r\n\r\n'
    assert parse(*(stream[i : i + 1] for i in range(len(stream)))) == parse(stream)
    assert parse(stream) == [ev('{"a":1}', "e", "7"), ev("[DONE]", None, "7")]


def test_invalid_utf8_is_replaced_not_raised() -> None:
    assert parse(b"data: \xff\n\n") == [ev("\ufffd")]


def test_event_json() -> None:
    assert ev('{"a": [1]}').json() == {"a": [1]}
    with pytest.raises(ValueError):
        ev("nope").json()


# -- AsyncStream over an answer read in memory --------------------------------------------------


def request() -> Request:
    return Request(
        method="POST",
        url=URL("http://test/v1/chat/completions"),
        headers={},
        timeout=client_timeout(5.0),
    )


def response(body: bytes) -> Response:
    return Response(status=200, content=body, request=request())


def identity(event: str | None, data: Any) -> Any:
    return (event, data)


async def items(stream: AsyncStream[Any]) -> list[Any]:
    return [item async for item in stream]


async def test_items_up_to_done_and_nothing_after() -> None:
    body = b'data: {"n":1}\n\nevent: x\ndata: {"n":2}\n\ndata: [DONE]\n\ndata: {"n":3}\n\n'
    stream = AsyncStream(response(body), identity)
    assert await items(stream) == [(None, {"n": 1}), ("x", {"n": 2})]
    assert stream.closed
    assert await items(stream) == []


async def test_a_stream_that_ends_without_done_raises_after_its_items() -> None:
    stream = AsyncStream(response(b'data: {"n":1}\n\n'), identity)
    assert await anext(stream) == (None, {"n": 1})
    with pytest.raises(
        APIConnectionError, match=r"ended before its final event \(data: \[DONE\]\)"
    ):
        await anext(stream)
    assert stream.closed


async def test_a_stream_cut_in_the_middle_of_an_event_says_so() -> None:
    for body in [b'data: {"n":1}\n\ndata: {"n"', b'data: {"n":1}\n\ndata: {"n":2}\n']:
        stream = AsyncStream(response(body), identity)
        assert await anext(stream) == (None, {"n": 1})
        with pytest.raises(APIConnectionError, match="in the middle of an event"):
            await anext(stream)


@pytest.mark.parametrize(
    "final",
    [b'event: end\ndata: {"n":2}\n\n', b'data: {"type": "end", "n": 2}\n\n'],
    ids=["by name", "by type"],
)
async def test_a_final_event_of_the_stream_kind_completes_it(final: bytes) -> None:
    body = b'data: {"n":1}\n\n' + final
    stream = AsyncStream(response(body), identity, final_events=frozenset({"end"}))
    assert len(await items(stream)) == 2
    assert stream.closed
    other = AsyncStream(response(body), identity, final_events=frozenset({"other"}))
    with pytest.raises(APIConnectionError, match=r"final event \(data: \[DONE\] or other\)"):
        await items(other)


async def test_an_error_payload_raises_api_error_with_its_body() -> None:
    body = b'data: {"n":1}\n\ndata: {"error": {"message": "boom", "type": "server_error"}}\n\n'
    stream = AsyncStream(response(body), identity)
    assert await anext(stream) == (None, {"n": 1})
    with pytest.raises(APIError) as info:
        await anext(stream)
    assert info.value.message == "boom"
    assert info.value.type == "server_error"
    assert info.value.request is stream.response._response.request
    assert stream.closed


async def test_an_error_event_raises_api_error() -> None:
    body = b'event: error\ndata: {"message": "bad", "code": "server_error", "type": "x"}\n\n'
    with pytest.raises(APIError) as info:
        await items(AsyncStream(response(body), identity))
    assert (info.value.message, info.value.code) == ("bad", "server_error")


async def test_an_error_without_message_gets_a_generic_one() -> None:
    with pytest.raises(APIError, match="An error occurred during streaming"):
        await items(AsyncStream(response(b'data: {"error": {"code": 1}}\n\n'), identity))


async def test_an_error_key_in_a_thread_event_is_data_not_an_error() -> None:
    body = b'event: thread.run.failed\ndata: {"id": "run_1", "error": "x"}\n\ndata: [DONE]\n\n'
    assert await items(AsyncStream(response(body), identity)) == [
        ("thread.run.failed", {"id": "run_1", "error": "x"})
    ]


async def test_data_that_is_not_json_raises_validation_error() -> None:
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        await items(AsyncStream(response(b"data: {nope\n\n"), identity))


async def test_a_parser_failure_raises_validation_error() -> None:
    def strict(event: str | None, data: Any) -> Any:
        raise TypeError("no")

    with pytest.raises(APIResponseValidationError, match="Invalid stream event"):
        await items(AsyncStream(response(b'data: {"a": 1}\n\n'), strict))


async def test_async_with_and_close_are_idempotent() -> None:
    stream = AsyncStream(response(b'data: {"n":1}\n\ndata: {"n":2}\n\n'), identity)
    async with stream:
        assert await anext(stream) == (None, {"n": 1})
    assert stream.closed
    await stream.close()
    assert await items(stream) == []


async def test_response_gives_status_headers_and_request_id() -> None:
    stream = AsyncStream(response(b""), identity)
    raw = stream.response
    assert raw.status_code == 200
    assert raw.parse() is stream
    assert stream.response is raw
    assert stream.request_id is None
    assert "AsyncStream" in repr(stream)


def test_async_stream_is_exported() -> None:
    assert aio_openai.AsyncStream is AsyncStream


# -- AsyncStream over a body still on the wire (a stub of aiohttp's response) ------------------


class StubContent:
    """Stands in for ``ClientResponse.content``: hands out scripted pieces or raises."""

    def __init__(self, pieces: list[bytes | BaseException | asyncio.Future[bytes]]) -> None:
        self.pieces = deque(pieces)
        self.eof = False
        self.reading = asyncio.Event()

    async def readany(self) -> bytes:
        self.reading.set()
        if not self.pieces:
            self.eof = True
            return b""
        piece = self.pieces.popleft()
        if isinstance(piece, BaseException):
            raise piece
        if isinstance(piece, asyncio.Future):
            return await piece
        return piece

    def at_eof(self) -> bool:
        return self.eof or not self.pieces


class StubResponse:
    """Stands in for an open ``aiohttp.ClientResponse``; records how it was let go."""

    def __init__(self, pieces: list[Any]) -> None:
        self.content = StubContent(pieces)
        self.released = False
        self.closed = False

    def release(self) -> None:
        self.released = True

    def close(self) -> None:
        self.closed = True


def streamed(pieces: list[Any]) -> tuple[StreamedResponse, StubResponse]:
    raw = StubResponse(pieces)
    resp = StreamedResponse(status=200, request=request(), stream=raw)  # type: ignore[arg-type]
    return resp, raw


async def test_pieces_split_anywhere_give_the_same_items() -> None:
    body = (
        b'data: {"t":"h\xc3\xa9"}\r\n\r\ndata: {"t":"\xf0\x9f\x8e\x89"}\r\n\r\ndata: [DONE]\r\n\r\n'
    )
    for size in (1, 2, 3, 7, len(body)):
        resp, raw = streamed([body[i : i + size] for i in range(0, len(body), size)])
        assert await items(AsyncStream(resp, identity)) == [
            (None, {"t": "hé"}),
            (None, {"t": "🎉"}),
        ]
        assert raw.released and not raw.closed


async def test_leaving_early_closes_the_connection() -> None:
    resp, raw = streamed([b'data: {"n":1}\n\n', b'data: {"n":2}\n\n'])
    stream = AsyncStream(resp, identity)
    async with stream:
        async for _ in stream:
            break
    assert raw.closed and not raw.released


async def test_a_transport_error_mid_stream_raises_api_connection_error() -> None:
    import aiohttp

    cut = aiohttp.ClientPayloadError("Response payload is not completed")
    resp, raw = streamed([b'data: {"n":1}\n\n', cut])
    stream = AsyncStream(resp, identity)
    assert await anext(stream) == (None, {"n": 1})
    with pytest.raises(APIConnectionError) as info:
        await anext(stream)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.__cause__ is cut
    assert info.value.request is resp.request
    assert raw.closed and stream.closed


async def test_an_os_error_mid_stream_raises_api_connection_error() -> None:
    resp, raw = streamed([ConnectionResetError("reset")])
    with pytest.raises(APIConnectionError):
        await items(AsyncStream(resp, identity))
    assert raw.closed


async def test_silence_longer_than_the_idle_timeout_raises_api_timeout_error() -> None:
    never: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    resp, raw = streamed([b'data: {"n":1}\n\n', never])
    stream = AsyncStream(resp, identity, idle_timeout=0.01)
    assert await anext(stream) == (None, {"n": 1})
    with pytest.raises(APITimeoutError, match=r"sent nothing for 0\.01 s"):
        await anext(stream)
    assert raw.closed


async def test_cancelling_the_reader_closes_the_connection() -> None:
    never: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    resp, raw = streamed([never])
    stream = AsyncStream(resp, identity)
    task = asyncio.ensure_future(anext(stream))
    await raw.content.reading.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert raw.closed and stream.closed


async def test_the_usage_of_the_last_chunk_is_reported_once() -> None:
    seen: list[Any] = []
    body = (
        b'data: {"usage": null}\n\n'
        b'data: {"usage": {"total_tokens": 7}}\n\n'
        b'data: {"usage": {"total_tokens": 9}}\n\n'
        b"data: [DONE]\n\n"
    )
    resp, _ = streamed([body])
    resp.usage_hooks.append(seen.append)
    await items(AsyncStream(resp, identity))
    assert seen == [{"total_tokens": 7}]


async def test_after_done_the_rest_is_drained_so_the_connection_is_reused() -> None:
    resp, raw = streamed([b"data: [DONE]\n\n", b": trailing comment\n"])
    assert await items(AsyncStream(resp, identity)) == []
    assert not raw.content.pieces and raw.released and not raw.closed


# -- assistant stream events --------------------------------------------------------------------


def test_assistant_events_are_typed_by_name() -> None:
    delta = {
        "id": "msg_1",
        "object": "thread.message.delta",
        "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "Hi"}}]},
    }
    event = parse_assistant_stream_event("thread.message.delta", delta)
    assert isinstance(event, ThreadMessageDelta)
    assert event.data.delta.content is not None
    block = event.data.delta.content[0]
    assert block.type == "text" and block.text is not None and block.text.value == "Hi"
    done = parse_assistant_stream_event("thread.run.completed", {"id": "run_1", "status": "x"})
    assert isinstance(done, ThreadRunCompleted) and done.data.status == "x"


def test_unknown_assistant_events_pass_through_with_their_data() -> None:
    event = parse_assistant_stream_event("thread.run.new_thing", {"a": [1]})
    assert event == UnknownStreamEvent(event="thread.run.new_thing", data={"a": [1]})
    assert parse_assistant_stream_event(None, [1]) == UnknownStreamEvent(event="message", data=[1])
