"""The responses users reach: :class:`APIResponse` (``with_raw_response``: the body read) and
:class:`AsyncAPIResponse` (``with_streaming_response``: the body read on demand, in the
:class:`AsyncResponseContextManager` that sends the call), and body parsing:
:func:`object_parser` turns an answer into its type (one parser per type, made once)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Final, Generic, Protocol, TypeVar, cast, overload

from multidict import CIMultiDictProxy
from yarl import URL

from ._body import charset, sized_chunks, sized_texts, text_lines, text_pieces
from ._convert import converter
from ._exceptions import APIResponseValidationError, OpenAIError, status_error
from ._http import HTTPResponse, SentRequest, StreamedResponse
from ._models import BaseObject
from ._transport import WireBody

__all__ = [
    "PARSERS",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "StreamAlreadyConsumed",
    "answer",
    "error_body",
    "object_parser",
    "parse_json",
    "set_request_id",
]

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

#: The slot setter of BaseObject._request_id (frozen classes refuse plain assignment).
_set_base_request_id = BaseObject.__dict__["_request_id"].__set__


def parse_json(response: HTTPResponse) -> Any:
    """The response body as JSON, or APIResponseValidationError naming the request id."""
    try:
        return response.json()
    except ValueError as exc:
        reason = str(exc)
    # raised here, not in the except block: the parser's error (which holds the whole body)
    # is then not kept as the error's __context__
    raise APIResponseValidationError(
        response,
        response.content.decode("utf-8", "replace"),
        message=f"The response body is not valid JSON: {reason}",
    )


def set_request_id(obj: object, request_id: str | None) -> None:
    """Attach ``_request_id`` to a parsed result, as the official SDK does."""
    if isinstance(obj, BaseObject):
        _set_base_request_id(obj, request_id)
        return
    with contextlib.suppress(AttributeError):
        object.__setattr__(obj, "_request_id", request_id)


class StreamAlreadyConsumed(OpenAIError):
    """The body of a streamed response (``with_streaming_response``) was already read piece
    by piece (``iter_bytes()``, ``iter_lines()``, the stream ``parse()`` gave): it cannot be
    read again. Call ``read()`` first to keep the whole body."""

    def __init__(self) -> None:
        super().__init__(
            "The response body was already read piece by piece (iter_bytes, iter_text,"
            " iter_lines, or the stream parse() gave) and cannot be read again; call read()"
            " first to keep the whole body."
        )


class _Closable(Protocol):
    """What owns a body still on the wire (an AsyncStream): it can say and be closed."""

    @property
    def closed(self) -> bool: ...

    async def close(self) -> None: ...


class _Answer(Generic[T]):
    """What every kind of response shows of one answer, and its parsing."""

    __slots__ = ("_owner", "_parsed", "_parser", "_response", "_sent")

    def __init__(self, response: HTTPResponse, parser: Callable[[HTTPResponse], T]) -> None:
        self._response = response
        self._parser = parser
        self._parsed: dict[Any, Any] | None = None
        self._sent: SentRequest | None = None
        self._owner: _Closable | None = None

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self._response.status

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The response headers."""
        return self._response.headers

    @property
    def request_id(self) -> str | None:
        """OpenAI's ``x-request-id``."""
        return self._response.request_id

    @property
    def http_request(self) -> SentRequest:
        """The request this answers: ``method``, ``url``, ``headers`` (the API key masked),
        ``content``."""
        sent = self._sent
        if sent is None:
            sent = self._sent = SentRequest.of(self._response.request)
        return sent

    @property
    def url(self) -> URL:
        """The request's URL."""
        return self._response.request.url

    @property
    def method(self) -> str:
        """The request's method."""
        return self._response.request.method

    @property
    def http_version(self) -> str:
        """The answer's HTTP version, e.g. ``HTTP/1.1``."""
        version = self._response.version
        return "HTTP/1.1" if version is None else f"HTTP/{version[0]}.{version[1]}"

    @property
    def elapsed(self) -> datetime.timedelta:
        """The time the last attempt took: until its body was read (until its headers came,
        for a body not read yet)."""
        return datetime.timedelta(seconds=self._response.elapsed)

    @property
    def retries_taken(self) -> int:
        """Attempts beyond the first."""
        return self._response.attempts - 1

    def _parse_cached(self, to: Any) -> Any:
        """The answer parsed as ``to`` (the call's own type when None), made once per type."""
        parsed = self._parsed
        if parsed is None:
            parsed = self._parsed = {}
        elif to in parsed:
            return parsed[to]
        if to is None:
            value: Any = self._parser(self._response)
        elif to is str:
            value = self._response.content.decode(charset(self.headers), "replace")
        elif to is bytes:
            value = self._response.content
        else:
            value = PARSERS[to](self._response)
        parsed[to] = value
        return value

    def __repr__(self) -> str:
        r = self._response
        reason = f" {r.reason}" if r.reason else ""
        name = type(self).__name__
        return f"<{name} [{r.status}{reason}] {r.request.method} {r.request.url}>"


class APIResponse(_Answer[T]):
    """The raw answer to one call (``with_raw_response``), its body read: status, headers,
    request id, the request sent; ``parse()`` gives the result the plain call returns.

    As the SDK's raw response, ``content`` and ``text`` are properties and ``parse()`` is not
    awaited; ``read()``, ``iter_bytes()``, ``iter_text()``, ``iter_lines()`` and ``close()``
    are awaited as on :class:`AsyncAPIResponse` (the body is in memory already). The
    response of a stream (``stream.response``) is open until the stream ends or is closed.
    """

    __slots__ = ()

    def __init__(
        self,
        response: HTTPResponse,
        parser: Callable[[HTTPResponse], T],
        owner: _Closable | None = None,
    ) -> None:
        super().__init__(response, parser)
        self._owner = owner

    @property
    def content(self) -> bytes:
        """The body as bytes."""
        return self._response.content

    @property
    def text(self) -> str:
        """The body as text."""
        return self._response.content.decode(charset(self.headers), "replace")

    @property
    def is_closed(self) -> bool:
        """Whether the body is read or its connection closed (a stream's: once it ended)."""
        owner = self._owner
        return owner is None or owner.closed

    def json(self) -> Any:
        """The body as JSON (APIResponseValidationError when it is not)."""
        return parse_json(self._response)

    @overload
    def parse(self) -> T: ...

    @overload
    def parse(self, *, to: type[R]) -> R: ...

    def parse(self, *, to: Any = None) -> Any:
        """The typed result, as the plain call would have returned it (computed once); with
        ``to``, the body as that type instead (a class, a union, ``dict``, ``str``, ...)."""
        return self._parse_cached(to)

    async def read(self) -> bytes:
        """The body as bytes."""
        return self._response.content

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks of ``chunk_size`` bytes (whole when None)."""
        return sized_chunks(_once(self._response.content), chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body as text, in pieces of ``chunk_size`` characters (whole when None)."""
        texts = text_pieces(_once(self._response.content), charset(self.headers))
        return sized_texts(texts, chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        """The body's lines, without their line endings."""
        return text_lines(text_pieces(_once(self._response.content), charset(self.headers)))

    async def close(self) -> None:
        """Release the connection: nothing to do once the body is read; a stream's response
        closes the stream."""
        if self._owner is not None:
            await self._owner.close()

    aclose = close


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content


class AsyncAPIResponse(_Answer[T]):
    """The answer to one call of ``with_streaming_response``, its body still unread.

    ``async with client.models.with_streaming_response.retrieve("gpt-4") as response:``
    gives it as soon as the status and headers are in. Its body is read on demand: whole
    (``await read()``, ``text()``, ``json()``, ``parse()``), or piece by piece without
    holding it (``iter_bytes()``, ``iter_text()``, ``iter_lines()``, ``stream_to_file()``,
    as the SDK's streamed binary response), within the client's
    ``max_response_bytes`` either way (ResponseTooLargeError past it) and ``stream_idle_timeout``
    between pieces. ``await parse()`` gives what the plain call returns: the object, the
    page of a list, the AsyncStream of a ``stream=True`` call. Leaving the ``async with``
    block closes it (``close()``): a body not read to its end closes its connection.
    """

    __slots__ = ("_body", "_consumed", "_idle", "_is_stream", "_started", "_state")

    def __init__(
        self,
        response: HTTPResponse,
        parser: Callable[[HTTPResponse], T],
        *,
        idle: float | None,
        limit: int | None,
        is_stream: bool = False,
    ) -> None:
        super().__init__(response, parser)
        self._idle = idle
        self._is_stream = is_stream
        self._started = time.monotonic() - response.elapsed
        self._consumed = False  # read piece by piece, or given to a stream
        self._body: WireBody | None = None
        if isinstance(response, StreamedResponse):
            self._body = WireBody(response.stream, response.request, limit)
            self._state = _OPEN
        else:  # answered from memory (a middleware): nothing on the wire
            self._state = _READ

    @property
    def is_closed(self) -> bool:
        """Whether the body was read to its end or the response closed (for a stream that
        ``parse()`` gave: whether the stream ended or was closed)."""
        owner = self._owner
        if owner is not None:
            return owner.closed
        return self._state is not _OPEN

    async def read(self) -> bytes:
        """The whole body (read once, then kept); StreamAlreadyConsumed after ``iter_*()``."""
        if self._state is _READ:
            return self._response.content
        body = self._body
        if self._consumed or self._state is _CLOSED or body is None:
            raise StreamAlreadyConsumed()
        try:
            content = await body.read_all(self._idle)
        except BaseException:
            self._abort()
            raise
        self._response.content = content
        self._done(_READ)
        return content

    async def text(self) -> str:
        """The whole body as text."""
        return (await self.read()).decode(charset(self.headers), "replace")

    async def json(self) -> Any:
        """The whole body as JSON (APIResponseValidationError when it is not)."""
        await self.read()
        return parse_json(self._response)

    @overload
    async def parse(self) -> T: ...

    @overload
    async def parse(self, *, to: type[R]) -> R: ...

    async def parse(self, *, to: Any = None) -> Any:
        """The typed result, as the plain call would have returned it (computed once): the
        body is read first, but for a stream, which then reads it event by event. With
        ``to``, the body as that type instead (a class, a union, ``dict``, ``str``, ...)."""
        if self._is_stream and to is None:
            parsed = self._parsed
            if parsed is not None and None in parsed:
                return parsed[None]
            if self._consumed or self._state is not _OPEN:
                raise StreamAlreadyConsumed()
            self._consumed = True
            stream = self._parse_cached(None)
            self._owner = stream
            return stream
        await self.read()
        return self._parse_cached(to)

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks of ``chunk_size`` bytes (as they come when None), decoded
        (gzip and the like undone)."""
        return sized_chunks(self._chunks(), chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body as text, in pieces of ``chunk_size`` characters (as it comes when None)."""
        return sized_texts(text_pieces(self._chunks(), charset(self.headers)), chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        """The body's lines as they come, without their line endings."""
        return text_lines(text_pieces(self._chunks(), charset(self.headers)))

    async def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` (replaced if it exists) as it comes, in chunks of
        ``chunk_size`` bytes (as they come when None), each written by a worker thread: memory
        holds one chunk whatever the body's size (the client's ``max_response_bytes`` still
        bounds it; pass a larger one, or None, for larger files)."""
        loop = asyncio.get_running_loop()
        async with contextlib.aclosing(sized_chunks(self._chunks(), chunk_size)) as chunks:
            # the first chunk before the file is opened: a body already read piece by piece
            # (StreamAlreadyConsumed), or failing at once, leaves the file as it was
            chunk = await anext(chunks, b"")
            with open(file, "wb") as out:
                while chunk:
                    await loop.run_in_executor(None, out.write, chunk)
                    chunk = await anext(chunks, b"")

    async def _chunks(self) -> AsyncIterator[bytes]:
        if self._state is _READ:
            yield self._response.content
            return
        body = self._body
        if self._consumed or self._state is _CLOSED or body is None:
            raise StreamAlreadyConsumed()
        self._consumed = True
        idle = self._idle
        try:
            while chunk := await body.read(idle):
                yield chunk
        except BaseException:  # failed, or the loop was left early (GeneratorExit)
            self._abort()
            raise
        body.release()
        self._done(_CLOSED)

    def _done(self, state: object) -> None:
        """The body was read to its end: the connection is back in the pool."""
        self._state = state
        response = self._response
        response.elapsed = time.monotonic() - self._started
        if isinstance(response, StreamedResponse) and response.usage_hooks and response.content:
            data = response.json_or_none()
            usage = data.get("usage") if isinstance(data, dict) else None
            hooks, response.usage_hooks = response.usage_hooks, []
            if isinstance(usage, dict):
                for hook in hooks:
                    hook(usage)

    def _abort(self) -> None:
        if self._state is _OPEN:
            self._state = _CLOSED
            if self._body is not None:
                self._body.close()

    async def close(self) -> None:
        """Release the connection (closed, not reused, when the body was not read to its
        end); for a stream ``parse()`` gave, close the stream."""
        if self._owner is not None:
            await self._owner.close()
        elif self._state is _OPEN:
            self._state = _CLOSED
            if self._body is not None:
                self._body.release()

    aclose = close


#: The states of an AsyncAPIResponse's body: on the wire, read and kept, closed.
_OPEN: Final = object()
_READ: Final = object()
_CLOSED: Final = object()


class AsyncResponseContextManager(Generic[R_co]):
    """What a method of ``with_streaming_response`` returns: ``async with`` sends the call
    and gives its :class:`AsyncAPIResponse`, closed when the block is left."""

    __slots__ = ("_call", "_response")

    def __init__(self, call: Awaitable[R_co]) -> None:
        self._call = call
        self._response: R_co | None = None

    async def __aenter__(self) -> R_co:
        response = self._response = await self._call
        return response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        response = self._response
        if response is not None:
            await cast(Any, response).close()


def answer(
    response: HTTPResponse, parser: Callable[[HTTPResponse], T], raw: bool
) -> T | APIResponse[T]:
    """The result of a call: its typed error for a non-2xx answer, else the parsed answer
    (or, with ``raw``, the APIResponse whose ``parse()`` gives it)."""
    if not 200 <= response.status < 300:
        raise status_error(response)
    if raw:
        return APIResponse(response, parser)
    return parser(response)


class _Parsers(dict[Any, Callable[[HTTPResponse], Any]]):
    """The parser of each class, made on first use (a plain dict lookup after that)."""

    def __missing__(self, cl: Any) -> Callable[[HTTPResponse], Any]:
        parser = self[cl] = _no_body if cl is type(None) else _make_parser(cl)
        return parser


#: ``PARSERS[cl]``: the function turning a response into ``cl`` (see :func:`object_parser`).
PARSERS: Final = _Parsers()


def object_parser(cl: type[T]) -> Callable[[HTTPResponse], T]:
    """A function turning a response into ``cl`` (a class, or a union of classes), made once
    per ``cl``; ``type(None)`` gives None without reading the body."""
    parser: Callable[[HTTPResponse], T] = PARSERS[cl]
    return parser


def _no_body(response: HTTPResponse) -> Any:
    return None


def _make_parser(cl: type[T]) -> Callable[[HTTPResponse], T]:
    hook = converter.get_structure_hook(cl)

    def parse(response: HTTPResponse) -> T:
        data = parse_json(response)
        try:
            obj: T = hook(data, cl)
        except Exception as exc:
            reason = repr(exc)
        else:
            set_request_id(obj, response.request_id)
            return obj
        # raised outside the except block: no __context__ holding parts of the body
        name = getattr(cl, "__name__", cl)
        raise APIResponseValidationError(
            response, data, message=f"Invalid {name} in the response: {reason}"
        )

    return parse


def error_body(data: Any) -> Mapping[str, Any] | None:
    """The ``error`` object of an OpenAI error body, if there is one."""
    if isinstance(data, Mapping):
        err = data.get("error")
        if isinstance(err, Mapping):
            return err
    return None
