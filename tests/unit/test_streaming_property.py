"""Property tests of the server-sent-events parser: any split of a stream gives the same events.

Recorded streams (a chat completion with LF, CRLF and CR line ends; an Assistants run; a
stream with comments, multi-line data, ``event``/``id``/``retry`` fields and a BOM; UTF-8 text
of one to four bytes a character) are cut at random places and fed piece by piece; generated
event lists are written with random line ends and comments, cut and parsed back.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any, Final

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from aio_openai import AsyncStream, Request
from aio_openai._http import StreamedResponse
from aio_openai._streaming import ServerSentEvent, SSEDecoder
from aio_openai._transport import client_timeout
from aio_openai.types.chat import ChatCompletionChunk

SETTINGS: Final = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

TEXT: Final = "Héllo wörld — ½ € 🎉 日本語 ok"


def _chat_stream(end: str) -> bytes:
    """A chat completion stream as OpenAI sends it, with ``end`` as line end."""
    base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    chunks: list[dict[str, Any]] = [
        {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}
    ]
    chunks += [
        {**base, "choices": [{"index": 0, "delta": {"content": TEXT[i : i + 3]}}]}
        for i in range(0, len(TEXT), 3)
    ]
    chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    chunks.append({**base, "choices": [], "usage": {"total_tokens": 9}})
    frames = [f"data: {json.dumps(c, ensure_ascii=False)}{end}{end}" for c in chunks]
    return ("".join(frames) + f"data: [DONE]{end}{end}").encode()


def _chat_events() -> list[ServerSentEvent]:
    return SSEDecoder().feed(_chat_stream("\n"))


ASSISTANTS_STREAM: Final = (
    b"event: thread.run.created\r\n"
    b'data: {"id":"run_1","object":"thread.run","status":"queued"}\r\n\r\n'
    b"event: thread.message.delta\r\n"
    b'data: {"id":"msg_1","delta":{"content":[{"index":0,"type":"text",'
    b'"text":{"value":"\xe6\x97\xa5\xe6\x9c\xac"}}]}}\r\n\r\n'
    b"event: done\r\ndata: [DONE]\r\n\r\n"
)
ASSISTANTS_EVENTS: Final = [
    ServerSentEvent(
        event="thread.run.created",
        data='{"id":"run_1","object":"thread.run","status":"queued"}',
    ),
    ServerSentEvent(
        event="thread.message.delta",
        data='{"id":"msg_1","delta":{"content":[{"index":0,"type":"text",'
        '"text":{"value":"日本"}}]}}',
    ),
    ServerSentEvent(event="done", data="[DONE]"),
]

FIELDS_STREAM: Final = (
    "\ufeff: a comment first\n"
    "retry: 2500\n"
    "id: ev-1\n"
    "event: update\n"
    "data: first line\n"
    "data:second line\r"
    "data:  indented 🎉\r\n"
    "\n"
    ":keep-alive\r\n"
    "\r\n"
    "data\n"
    "\n"
    "id: ev-2\n"
    "retry: x9\n"
    "unknown: field\n"
    "data: é\n"
    "\r"
    "event: partial\n"
    "data: never dispatched\n"
).encode()
FIELDS_EVENTS: Final = [
    ServerSentEvent(
        event="update", data="first line\nsecond line\n indented 🎉", id="ev-1", retry=2500
    ),
    ServerSentEvent(data="", id="ev-1", retry=2500),
    ServerSentEvent(data="é", id="ev-2", retry=2500),
]

RECORDED: Final = {
    "chat LF": (_chat_stream("\n"), _chat_events()),
    "chat CRLF": (_chat_stream("\r\n"), _chat_events()),
    "chat CR": (_chat_stream("\r"), _chat_events()),
    "assistants CRLF": (ASSISTANTS_STREAM, ASSISTANTS_EVENTS),
    "fields": (FIELDS_STREAM, FIELDS_EVENTS),
}


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(data[start:point])
        start = point
    pieces.append(data[start:])
    return pieces


def _feed(pieces: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for piece in pieces:
        events.extend(decoder.feed(piece))
    return events


def test_the_recorded_streams_parse_whole_as_expected() -> None:
    for name, (stream, expected) in RECORDED.items():
        assert _feed([stream]) == expected, name
    assert len(_chat_events()) == len(range(0, len(TEXT), 3)) + 4


@SETTINGS
@given(name=st.sampled_from(sorted(RECORDED)), cuts=st.lists(st.integers(0, 4000), max_size=60))
def test_recorded_streams_split_anywhere_give_the_same_events(name: str, cuts: list[int]) -> None:
    stream, expected = RECORDED[name]
    assert _feed(_split(stream, cuts)) == expected


@SETTINGS
@given(name=st.sampled_from(sorted(RECORDED)), size=st.integers(1, 9))
def test_recorded_streams_in_pieces_of_any_fixed_size(name: str, size: int) -> None:
    stream, expected = RECORDED[name]
    assert _feed([stream[i : i + size] for i in range(0, len(stream), size)]) == expected


# -- generated streams ---------------------------------------------------------------------------

_line_text = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)),
    max_size=20,
)
_event = st.fixed_dictionaries(
    {
        "event": st.none() | _line_text,
        "data": st.lists(_line_text, min_size=1, max_size=4),
        "id": st.none() | _line_text.filter(lambda s: "\0" not in s),
        "retry": st.none() | st.integers(0, 10**9),
        "comment": st.none() | _line_text,
    }
)


@SETTINGS
@given(
    events=st.lists(_event, max_size=8),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=8),
    cuts=st.lists(st.integers(0, 3000), max_size=40),
)
def test_generated_events_round_trip_through_any_split(
    events: list[dict[str, Any]], ends: list[str], cuts: list[int]
) -> None:
    lines: list[str] = []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None
    retry: int | None = None
    for e in events:
        if e["comment"] is not None:
            lines.append(":" + e["comment"])
        if e["event"] is not None:
            lines.append("event: " + e["event"])
        if e["id"] is not None:
            lines.append("id: " + e["id"])
            last_id = e["id"] or None
        if e["retry"] is not None:
            lines.append(f"retry: {e['retry']}")
            retry = e["retry"]
        lines.extend("data: " + d for d in e["data"])
        lines.append("")
        expected.append(
            ServerSentEvent(
                event=e["event"] or None, data="\n".join(e["data"]), id=last_id, retry=retry
            )
        )
    text, previous = "", ""
    for i, line in enumerate(lines):
        end = ends[i % len(ends)]
        if previous == "\r" and not line and end == "\n":
            end = "\r"  # CR, then LF alone, would be one CRLF: the blank line would vanish
        text += line + end
        previous = end
    assert _feed(_split(text.encode(), cuts)) == expected


# -- AsyncStream over a body split anywhere ------------------------------------------------------


class _Content:
    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = deque(pieces)

    async def readany(self) -> bytes:
        return self.pieces.popleft() if self.pieces else b""

    def at_eof(self) -> bool:
        return not self.pieces


class _Raw:
    def __init__(self, pieces: list[bytes]) -> None:
        self.content = _Content(pieces)
        self.released = self.closed = False

    def release(self) -> None:
        self.released = True

    def close(self) -> None:
        self.closed = True


def _chunk(event: str | None, data: Any) -> ChatCompletionChunk:
    from aio_openai._convert import converter

    return converter.structure(data, ChatCompletionChunk)


async def _read_chunks(pieces: list[bytes]) -> tuple[list[ChatCompletionChunk], _Raw]:
    raw = _Raw([p for p in pieces if p])  # aiohttp never hands out b"" before the end
    request = Request(
        method="POST",
        url=URL("http://t/v1/chat/completions"),
        headers={},
        timeout=client_timeout(1),
    )
    response = StreamedResponse(status=200, request=request, stream=raw)  # type: ignore[arg-type]
    stream = AsyncStream(response, _chunk)
    return [chunk async for chunk in stream], raw


@SETTINGS
@given(end=st.sampled_from(["\n", "\r\n", "\r"]), cuts=st.lists(st.integers(0, 4000), max_size=50))
def test_async_stream_gives_the_same_chunks_for_any_split(end: str, cuts: list[int]) -> None:
    stream = _chat_stream(end)
    chunks, raw = asyncio.run(_read_chunks(_split(stream, cuts)))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == TEXT
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 9
    assert len(chunks) == len(_chat_events()) - 1  # all but [DONE]
    assert raw.released and not raw.closed
