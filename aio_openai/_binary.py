"""Answers read as bytes, and answers read as they arrive.

- :class:`BinaryResponseContent` (also named ``HttpxBinaryResponseContent``, as in the
  official SDK): what ``files.content()`` and the other binary endpoints return, the body
  read in full (within the client's ``max_response_bytes``), with the SDK's ``content``,
  ``read()``, ``text``, ``json()``, ``iter_bytes()``, ``write_to_file()``,
  ``stream_to_file()`` and their async twins (``aread()``, ``aiter_bytes()``,
  ``astream_to_file()``, ...).
- :class:`StreamedAPIResponse`: what ``async with client.<...>.with_streaming_response.<m>()``
  gives, the body still on the wire: ``iter_bytes()`` and ``stream_to_file()`` pass it on
  piece by piece (memory bounded by the piece size, whatever the body's size); ``read()``,
  ``text()``, ``json()`` and ``parse()`` read it in full, within ``max_response_bytes``.
- :class:`ResponseContextManager`: the ``async with`` that sends the call and closes the
  answer.
"""

from __future__ import annotations

import asyncio
import codecs
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

from ._exceptions import ResponseTooLargeError
from ._http import HTTPResponse, StreamedResponse
from ._json import loads as json_loads
from ._response import ResponseInfo
from ._transport import WireBody

__all__ = [
    "BinaryResponseContent",
    "HttpxBinaryResponseContent",
    "ResponseContextManager",
    "StreamedAPIResponse",
    "binary_parser",
]

T = TypeVar("T")

#: The piece size of iterations and file writes when none is given.
_PIECE = 64 * 1024


def _charset(response: HTTPResponse) -> str | None:
    content_type = response.headers.get("Content-Type", "")
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return None


def _pieces(data: bytes, size: int | None) -> Iterator[bytes]:
    step = size or _PIECE
    for start in range(0, len(data), step):
        yield data[start : start + step]


def _lines(text: str) -> Iterator[str]:
    yield from text.splitlines()


class BinaryResponseContent:
    """A binary answer read in full: its bytes, as text or JSON, or written to a file."""

    __slots__ = ("response",)

    def __init__(self, response: HTTPResponse) -> None:
        #: The answer itself (status, headers, request id).
        self.response = response

    @property
    def content(self) -> bytes:
        """The body."""
        return self.response.content

    @property
    def encoding(self) -> str:
        """The text encoding: the ``Content-Type`` charset, else UTF-8."""
        return _charset(self.response) or "utf-8"

    @property
    def charset_encoding(self) -> str | None:
        """The charset the ``Content-Type`` names, if any."""
        return _charset(self.response)

    @property
    def text(self) -> str:
        """The body decoded (bad bytes replaced)."""
        return self.content.decode(self.encoding, "replace")

    def json(self, **kwargs: Any) -> Any:
        """The body parsed as JSON (ValueError when it is not)."""
        return json_loads(self.content)

    def read(self) -> bytes:
        """The body."""
        return self.content

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in pieces of ``chunk_size`` bytes."""
        return _pieces(self.content, chunk_size)

    iter_raw = iter_bytes

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        """The text in pieces (each decoded piece of ``chunk_size`` bytes)."""
        decoder = codecs.getincrementaldecoder(self.encoding)("replace")
        for piece in _pieces(self.content, chunk_size):
            if text := decoder.decode(piece):
                yield text
        if tail := decoder.decode(b"", final=True):
            yield tail

    def iter_lines(self) -> Iterator[str]:
        """The text line by line, without line ends."""
        return _lines(self.text)

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the body to ``file`` (replaced if it exists)."""
        with open(file, "wb") as out:
            out.write(self.content)

    def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` in pieces of ``chunk_size`` bytes."""
        with open(file, "wb") as out:
            for piece in _pieces(self.content, chunk_size):
                out.write(piece)

    def close(self) -> None:
        """Nothing to release: the body was read in full."""

    async def aread(self) -> bytes:
        """The body."""
        return self.content

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in pieces of ``chunk_size`` bytes."""
        for piece in _pieces(self.content, chunk_size):
            yield piece

    aiter_raw = aiter_bytes

    async def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The text in pieces."""
        for text in self.iter_text(chunk_size):
            yield text

    async def aiter_lines(self) -> AsyncIterator[str]:
        """The text line by line."""
        for line in self.iter_lines():
            yield line

    async def astream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` (in a worker thread: the loop is not held up)."""
        await asyncio.to_thread(self.stream_to_file, file, chunk_size=chunk_size)

    async def aclose(self) -> None:
        """Nothing to release: the body was read in full."""

    def __repr__(self) -> str:
        return f"<BinaryResponseContent {len(self.content)} bytes>"


HttpxBinaryResponseContent = BinaryResponseContent


def binary_parser(response: HTTPResponse) -> BinaryResponseContent:
    """The parser of binary endpoints: the answer as BinaryResponseContent."""
    return BinaryResponseContent(response)


class StreamedAPIResponse(ResponseInfo, Generic[T]):
    """An answer whose body is read as it arrives (``with_streaming_response``).

    ``parse()`` gives what the plain call returns; ``iter_bytes()``, ``iter_text()``,
    ``iter_lines()`` and ``stream_to_file()`` pass the body on piece by piece. Reading it in
    full (``read()``, ``text()``, ``json()``, ``parse()``) is bounded by the client's
    ``max_response_bytes`` (ResponseTooLargeError past it). Leaving the ``async with``
    closes it.
    """

    __slots__ = ("_body", "_idle", "_limit", "_parsed", "_parser", "_read")

    def __init__(
        self,
        response: HTTPResponse,
        parser: Callable[[HTTPResponse], T],
        *,
        limit: int | None,
    ) -> None:
        super().__init__(response)
        self._parser = parser
        self._limit = limit
        self._parsed: list[T] = []
        if isinstance(response, StreamedResponse):
            self._body: WireBody | None = WireBody(response.stream, response.request)
            self._read = False
            timeout = response.request.timeout
            self._idle = timeout.sock_read if timeout.sock_read is not None else timeout.total
        else:
            self._body = None
            self._read = True
            self._idle = None

    @property
    def is_closed(self) -> bool:
        """Whether the body is read or closed."""
        return self._body is None

    # -- the body -------------------------------------------------------------------------------

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body as it arrives (in pieces of ``chunk_size`` bytes when given)."""
        if self._read:
            for piece in _pieces(self._response.content, chunk_size):
                yield piece
            return
        body = self._body
        if body is None:
            raise RuntimeError("the body of this response was closed before it was read")
        pending = b""
        try:
            while piece := await body.read(self._idle):
                if chunk_size is None:
                    yield piece
                    continue
                pending += piece
                while len(pending) >= chunk_size:
                    yield pending[:chunk_size]
                    pending = pending[chunk_size:]
            if pending:
                yield pending
        finally:
            await self.close()

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body decoded as it arrives."""
        decoder = codecs.getincrementaldecoder(_charset(self._response) or "utf-8")("replace")
        async for piece in self.iter_bytes(chunk_size):
            if text := decoder.decode(piece):
                yield text
        if tail := decoder.decode(b"", final=True):
            yield tail

    async def iter_lines(self) -> AsyncIterator[str]:
        """The body line by line as it arrives, without line ends."""
        pending = ""
        async for text in self.iter_text():
            pending += text
            lines = pending.splitlines(keepends=True)
            pending = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
            for line in lines:
                yield line.rstrip("\r\n")
        if pending:
            yield pending

    async def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` as it arrives (each piece written by a worker thread)."""
        loop = asyncio.get_running_loop()
        with open(file, "wb") as out:
            async for piece in self.iter_bytes(chunk_size):
                await loop.run_in_executor(None, out.write, piece)

    async def read(self) -> bytes:
        """The whole body (ResponseTooLargeError past ``max_response_bytes``)."""
        if not self._read:
            parts: list[bytes] = []
            size = 0
            async for piece in self.iter_bytes():
                size += len(piece)
                if self._limit is not None and size > self._limit:
                    await self.close()
                    raise ResponseTooLargeError(
                        self._response.request, limit=self._limit, size=None
                    )
                parts.append(piece)
            self._response.content = b"".join(parts)
            self._read = True
        return self._response.content

    async def text(self) -> str:
        """The whole body decoded."""
        return (await self.read()).decode(_charset(self._response) or "utf-8", "replace")

    async def json(self) -> Any:
        """The whole body parsed as JSON."""
        return json_loads(await self.read())

    async def parse(self) -> T:
        """What the plain call returns, made from the whole body."""
        if not self._parsed:
            await self.read()
            self._parsed.append(self._parser(self._response))
        return self._parsed[0]

    async def close(self) -> None:
        """Release the connection (closed when the body was not read to its end)."""
        body, self._body = self._body, None
        if body is not None:
            body.release()

    def __repr__(self) -> str:
        r = self._response
        return f"<StreamedAPIResponse [{r.status}] {r.request.method} {r.request.url}>"


class ResponseContextManager(Generic[T]):
    """``async with`` sends the call and gives its StreamedAPIResponse; leaving closes it."""

    __slots__ = ("_response", "_send")

    def __init__(self, send: Callable[[], Awaitable[StreamedAPIResponse[T]]]) -> None:
        self._send = send
        self._response: StreamedAPIResponse[T] | None = None

    async def __aenter__(self) -> StreamedAPIResponse[T]:
        self._response = await self._send()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()
