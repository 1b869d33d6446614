"""Answers read as bytes: :class:`BinaryResponseContent`, named ``HttpxBinaryResponseContent``
as the official SDK's class (both names are the one class), what ``files.content()`` and the
other binary endpoints return (``APIResource._call_binary``), the body read in full (within
the client's ``max_response_bytes``), with the SDK's ``content``, ``read()``, ``text``, ``json()``,
``iter_bytes()``, ``write_to_file()``, ``stream_to_file()`` and their async twins
(``aread()``, ``aiter_bytes()``, ``astream_to_file()``, ...).

The same calls through ``with_streaming_response`` give the AsyncAPIResponse of
``_response``, whose body is read on demand: ``iter_bytes()`` and ``stream_to_file()`` pass
it on piece by piece (memory bounded by the piece size), ``await parse()`` reads it whole
into a BinaryResponseContent.
"""

from __future__ import annotations

import asyncio
import codecs
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

from ._http import HTTPResponse
from ._json import loads as json_loads

__all__ = ["BinaryResponseContent", "HttpxBinaryResponseContent", "binary_parser"]

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


class HttpxBinaryResponseContent:
    """A binary answer read in full: its bytes, as text or JSON, or written to a file
    (``BinaryResponseContent`` is the same class)."""

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
        return f"<{type(self).__name__} {len(self.content)} bytes>"


#: The name this package gave the class first; the same class.
BinaryResponseContent = HttpxBinaryResponseContent


def binary_parser(response: HTTPResponse) -> BinaryResponseContent:
    """The parser of binary endpoints: the answer as BinaryResponseContent."""
    return BinaryResponseContent(response)
