"""Hostile or broken answers: random JSON and random bytes never raise an undocumented error.

Through the real parse entry points:

- a 2xx body (random bytes, or random JSON shaped like the expected object) parsed by the
  endpoint's object parser gives the object or APIResponseValidationError, nothing else;
- a non-2xx body gives its typed APIStatusError (``status_error``), nothing else;
- the SSE decoder takes any bytes, split anywhere, without raising, and the split does not
  change the events;
- an AsyncStream over any bytes, split anywhere, parsed by the chat and Assistants stream
  parsers, yields items or raises an APIError (APIResponseValidationError for bad event data),
  never a KeyError, IndexError, UnicodeDecodeError and the like.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable
from typing import Any, Final

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yarl import URL

from aio_openai import (
    APIError,
    APIResponseValidationError,
    APIStatusError,
    AsyncStream,
    Request,
    Response,
)
from aio_openai._convert import converter
from aio_openai._exceptions import status_error
from aio_openai._http import StreamedResponse
from aio_openai._response import object_parser
from aio_openai._streaming import SSEDecoder
from aio_openai._transport import client_timeout
from aio_openai.resources.chat.completions import parse_chunk
from aio_openai.types import (
    Assistant,
    ChatCompletion,
    ChatCompletionChunk,
    CreateEmbeddingResponse,
    Message,
    Model,
    ModelDeleted,
    Run,
    RunStep,
    Thread,
)
from aio_openai.types.beta import parse_assistant_stream_event

SETTINGS: Final = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Per type (ten of them): fewer each, as many in all.
PER_TYPE: Final = settings(SETTINGS, max_examples=30)
TYPES: Final = [
    Model,
    ModelDeleted,
    ChatCompletion,
    ChatCompletionChunk,
    CreateEmbeddingResponse,
    Assistant,
    Thread,
    Message,
    Run,
    RunStep,
]
#: A JSON document nested deeper than any parser's recursion limit.
DEEP: Final = b"[" * 100_000

REQUEST: Final = Request(
    method="GET", url=URL("http://fuzz.invalid/v1/x"), headers={}, timeout=client_timeout(1)
)

# -- strategies ---------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)


def field_names(cl: type[Any]) -> list[str]:
    return [f.alias or f.name for f in attrs.fields(cl) if not f.name.startswith("_")] + [
        "model_extra"
    ]


@st.composite
def shaped(draw: st.DrawFn, cl: type[Any]) -> Any:
    """Random JSON, mostly objects using the type's own field names (to get past the top)."""
    if draw(st.integers(0, 4)) == 0:
        return draw(json_values)
    names = draw(st.lists(st.sampled_from(field_names(cl)), max_size=8, unique=True))
    return {name: draw(json_values) for name in names}


line_ends = st.sampled_from([b"\n", b"\r\n", b"\r"])


@st.composite
def sse_bytes(draw: st.DrawFn) -> bytes:
    """A stream of SSE-looking lines (valid, broken or random), with random line ends."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=300))
    lines: list[bytes] = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 7))
        if kind == 0:
            lines.append(b"data: " + json.dumps(draw(json_values)).encode())
        elif kind == 1:
            lines.append(
                b"data: " + draw(st.binary(max_size=30)).replace(b"\n", b"").replace(b"\r", b"")
            )
        elif kind == 2:
            name = draw(
                st.sampled_from(["error", "thread.run.created", "thread.message.delta", "x", ""])
            )
            lines.append(b"event: " + name.encode())
        elif kind == 3:
            lines.append(draw(st.sampled_from([b": comment", b"id: 7", b"retry: 10", b"retry: x"])))
        elif kind == 4:
            lines.append(b"data: [DONE]")
        elif kind == 5:
            lines.append(b'data: {"error": ' + json.dumps(draw(json_values)).encode() + b"}")
        else:
            lines.append(b"")
    end = draw(line_ends)
    return end.join(lines) + end + end


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, start = [], 0
    for point in [*points, len(data)]:
        pieces.append(data[start:point])
        start = point
    return pieces


# -- 2xx bodies through the object parsers ------------------------------------------------------


def parse_body(cl: type[Any], body: bytes) -> None:
    """The parser of ``cl`` gives a ``cl`` or APIResponseValidationError, nothing else."""
    response = Response(status=200, content=body, request=REQUEST)
    try:
        obj = object_parser(cl)(response)
    except APIResponseValidationError as exc:
        assert exc.response is response
        return
    assert isinstance(obj, cl)
    json.dumps(converter.unstructure(obj))  # an object parsed is an object that turns back


@pytest.mark.parametrize("cl", TYPES, ids=lambda cl: cl.__name__)
@PER_TYPE
@given(data=st.data())
def test_random_json_parses_or_is_a_validation_error(cl: type[Any], data: st.DataObject) -> None:
    value = data.draw(shaped(cl))
    parse_body(cl, json.dumps(value).encode())


@pytest.mark.parametrize("cl", [Model, ChatCompletion, Run], ids=lambda cl: cl.__name__)
@PER_TYPE
@given(body=st.binary(max_size=200))
@example(body=DEEP)
@example(body=b'{"id": "x", "created": 1e400}')
@example(body=b'{"id": "x", "created": ' + b"9" * 5000 + b"}")
@example(body=b"\xff\xfe{}")
@example(body=b'{"id": "\xed\xa0\x80"}')
def test_random_bytes_parse_or_are_a_validation_error(cl: type[Any], body: bytes) -> None:
    parse_body(cl, body)


# -- non-2xx bodies -------------------------------------------------------------------------


@SETTINGS
@given(
    status=st.sampled_from([400, 401, 403, 404, 409, 422, 429, 500, 503]),
    body=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()),
)
@example(status=500, body=b'{"error": {"message": 5, "code": [1]}}')
@example(status=400, body=b'{"error": "just a string"}')
def test_any_error_body_gives_the_typed_status_error(status: int, body: bytes) -> None:
    error = status_error(Response(status=status, content=body, request=REQUEST))
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    str(error), repr(error)


def test_a_deeply_nested_error_body_gives_the_typed_status_error() -> None:
    error = status_error(Response(status=500, content=DEEP, request=REQUEST))
    assert isinstance(error, APIStatusError)


# -- the SSE decoder ------------------------------------------------------------------------


def decode(pieces: list[bytes]) -> list[Any]:
    decoder = SSEDecoder()
    return [event for piece in pieces for event in decoder.feed(piece)]


@SETTINGS
@given(data=st.binary(max_size=400) | sse_bytes(), cuts=st.lists(st.integers(0, 10**6)))
@example(data=b"\xef\xbb\xbfdata: x\r\r\n\n", cuts=[1, 2, 9])
@example(data=b"data: \xff\xfe\r\n\r\n", cuts=[7])
def test_the_decoder_takes_any_bytes_split_anywhere(data: bytes, cuts: list[int]) -> None:
    whole = decode([data])
    assert decode(split(data, cuts)) == whole
    for event in whole:
        assert isinstance(event.data, str)
        assert event.event is None or isinstance(event.event, str)


# -- AsyncStream with the real stream parsers -----------------------------------------------


class _Content:
    """The part of aiohttp's StreamReader an AsyncStream uses: readany and at_eof."""

    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = deque(p for p in pieces if p)

    async def readany(self) -> bytes:
        await asyncio.sleep(0)
        return self._pieces.popleft() if self._pieces else b""

    def at_eof(self) -> bool:
        return not self._pieces


class _Raw:
    """Stands in for the open aiohttp response of a streamed answer."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.content = _Content(pieces)
        self.released = self.closed = False

    def release(self) -> None:
        self.released = True

    def close(self) -> None:
        self.closed = True


async def read_stream(pieces: list[bytes], parse: Callable[[str | None, Any], Any]) -> _Raw:
    raw = _Raw(pieces)
    response = StreamedResponse(status=200, request=REQUEST, stream=raw)  # type: ignore[arg-type]
    stream = AsyncStream(response, parse)
    try:
        async for _ in stream:
            pass
    except APIError as exc:  # the documented errors: APIError and its subclasses
        assert exc.request is REQUEST
        assert stream.closed
        return raw
    assert stream.closed
    return raw


PARSERS: Final = {"chat": parse_chunk, "assistants": parse_assistant_stream_event}


@pytest.mark.parametrize("name", sorted(PARSERS))
@SETTINGS
@given(data=sse_bytes(), cuts=st.lists(st.integers(0, 10**6), max_size=20))
@example(data=b"data: {}\n\n", cuts=[])
@example(data=b"event: error\ndata: [1]\n\n", cuts=[3])
@example(data=b'data: {"error": {"message": 1}}\n\n', cuts=[])
@example(data=b"data: " + b"9" * 5000 + b"\n\n", cuts=[])
@example(data=b"event: thread.run.created\ndata: {}\n\n", cuts=[])
def test_a_stream_of_any_bytes_yields_or_raises_an_api_error(
    name: str, data: bytes, cuts: list[int]
) -> None:
    raw = asyncio.run(read_stream(split(data, cuts), PARSERS[name]))
    assert raw.released or raw.closed  # the connection is never left hanging


def test_a_deeply_nested_stream_event_is_a_validation_error() -> None:
    asyncio.run(read_stream([b"data: " + DEEP + b"\n\n"], parse_chunk))
