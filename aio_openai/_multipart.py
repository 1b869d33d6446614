"""Multipart request bodies: files streamed from where they are, never read whole.

A call that uploads files (``files.create(file=...)``, ``uploads.parts.create(data=...)``)
sends a ``multipart/form-data`` body made by :func:`multipart_body`: its plain fields as the
official SDK sends them (``expires_after[seconds]=3600``, lists as ``name[]``) and one part
per file. A file is given as the SDK's ``FileTypes``: bytes, a path (``str`` or
``os.PathLike``), an open binary file, an async iterator of bytes, or a tuple
``(filename, content[, content type[, headers]])``.

The body is an :class:`UploadBody`: :meth:`UploadBody.chunks` yields it piece by piece, each
file read in pieces of :data:`CHUNK` bytes as the connection takes them, so memory stays
bounded whatever the size. Each attempt calls ``chunks()`` again and starts over: a path is
opened again, an open file sought back to where it was when the call was made. An async
iterator, or a file that cannot seek, can be read once only: the body is then not
``replayable``, and once an attempt has started reading it (``started``) the call is not
retried (the retry middleware says why). The size is known, and sent as ``Content-Length``,
unless a part is such a one-shot source.
"""

from __future__ import annotations

import asyncio
import io
import mimetypes
import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping, Sequence
from typing import IO, Any, Final

__all__ = [
    "CHUNK",
    "FileSlice",
    "UploadBody",
    "file_part",
    "form_fields",
    "multipart_body",
]

#: The size of the pieces a file is read in.
CHUNK: Final = 256 * 1024
#: Files at most this large are read in one piece without leaving the event loop.
_SMALL: Final = 64 * 1024


class _Source:
    """Where a file's bytes come from; ``open()`` gives them from the start, in pieces."""

    size: int | None = None
    replayable: bool = True

    def open(self) -> AsyncIterator[bytes]:
        raise NotImplementedError


class _Bytes(_Source):
    __slots__ = ("data", "size")

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self.data = memoryview(data).cast("B")
        self.size = len(self.data)

    async def open(self) -> AsyncIterator[bytes]:
        data = self.data
        for start in range(0, len(data), CHUNK):
            yield bytes(data[start : start + CHUNK])


async def _read_exactly(file: IO[bytes], size: int, name: str) -> AsyncIterator[bytes]:
    """``size`` bytes of ``file`` from where it stands, in pieces (ValueError when the file
    ends early: it shrank after the call measured it)."""
    loop = asyncio.get_running_loop()
    left = size
    while left > 0:
        want = min(CHUNK, left)
        piece = (
            file.read(want) if size <= _SMALL else await loop.run_in_executor(None, file.read, want)
        )
        if not piece:
            raise ValueError(f"{name} ended {left} bytes short of its size when the upload began")
        left -= len(piece)
        yield piece


class FileSlice(_Source):
    """``length`` bytes of the file at ``path`` from ``offset`` (a whole file by default);
    opened again for every attempt."""

    __slots__ = ("length", "offset", "path", "size")

    def __init__(
        self, path: str | os.PathLike[str], offset: int = 0, length: int | None = None
    ) -> None:
        self.path = os.fspath(path)
        self.offset = offset
        if length is None:
            length = os.stat(self.path).st_size - offset
        self.length = length
        self.size = length

    async def open(self) -> AsyncIterator[bytes]:
        with open(self.path, "rb") as file:
            if self.offset:
                file.seek(self.offset)
            async for piece in _read_exactly(file, self.length, self.path):
                yield piece


class _OpenFile(_Source):
    """An open binary file: read from where it stood when the call was made, sought back
    there for each attempt (read once only when it cannot seek)."""

    __slots__ = ("file", "name", "replayable", "size", "start")

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.name = repr(getattr(file, "name", "the file"))
        try:
            seekable = file.seekable()
        except (AttributeError, OSError, ValueError):
            seekable = False
        self.replayable = seekable
        if seekable:
            self.start = file.tell()
            end = file.seek(0, os.SEEK_END)
            file.seek(self.start)
            self.size = end - self.start
        else:
            self.start = 0
            self.size = None

    async def open(self) -> AsyncIterator[bytes]:
        file = self.file
        if self.size is None:
            loop = asyncio.get_running_loop()
            while piece := await loop.run_in_executor(None, file.read, CHUNK):
                yield piece
            return
        file.seek(self.start)
        async for piece in _read_exactly(file, self.size, self.name):
            yield piece


class _Iterator(_Source):
    """An async iterator (or iterable) of bytes: read once only."""

    __slots__ = ("iterable",)
    replayable = False

    def __init__(self, iterable: AsyncIterable[bytes]) -> None:
        self.iterable = iterable

    async def open(self) -> AsyncIterator[bytes]:
        async for piece in self.iterable:
            if not isinstance(piece, bytes | bytearray | memoryview):
                raise TypeError(
                    f"an async iterator of a file must yield bytes, got {type(piece).__name__}"
                )
            yield bytes(piece)


def _source(content: Any, name: str) -> tuple[_Source, str | None]:
    """The source of a file's content and the filename it suggests."""
    if isinstance(content, bytes | bytearray | memoryview):
        return _Bytes(content), None
    if isinstance(content, str | os.PathLike):
        path = os.fspath(content)
        return FileSlice(path), os.path.basename(path)
    if isinstance(content, FileSlice):
        return content, os.path.basename(content.path)
    if hasattr(content, "read"):
        if isinstance(content, io.TextIOBase) or isinstance(
            getattr(content, "encoding", None), str
        ):
            raise TypeError(f"`{name}` is a file opened in text mode; open it with 'rb'")
        filename = getattr(content, "name", None)
        return _OpenFile(content), (
            os.path.basename(filename) if isinstance(filename, str) and filename else None
        )
    if isinstance(content, AsyncIterable):
        return _Iterator(content), None
    raise TypeError(
        f"`{name}` must be bytes, a path, an open binary file, an async iterator of bytes or a"
        f" (filename, content[, content type]) tuple, got {type(content).__name__}"
    )


def _quote(value: str) -> str:
    """A Content-Disposition parameter value, quoted as browsers quote form data."""
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


class _Part:
    __slots__ = ("head", "source")

    def __init__(self, head: bytes, source: _Source | None) -> None:
        self.head = head
        self.source = source


def file_part(name: str, value: Any) -> _Part:
    """The part of the form field ``name`` holding the file ``value`` (the SDK's FileTypes);
    a tuple whose filename is None makes a part without one (the SDP of a Realtime call)."""
    filename: str | None = None
    content_type: str | None = None
    headers: Mapping[str, str] = {}
    unnamed = isinstance(value, tuple) and value and value[0] is None  # a part, not a file
    if isinstance(value, tuple):
        if not 2 <= len(value) <= 4:
            raise TypeError(
                f"`{name}` as a tuple must be (filename, content[, content type[, headers]])"
            )
        filename, content = value[0], value[1]
        if len(value) > 2:
            content_type = value[2]
        if len(value) > 3:
            headers = value[3]
        source, _ = _source(content, name)
    else:
        source, filename = _source(value, name)
    if filename is None:
        filename = "upload"
    if content_type is None:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    named = "" if unnamed else f'; filename="{_quote(filename)}"'
    lines = [
        f'Content-Disposition: form-data; name="{_quote(name)}"{named}',
        f"Content-Type: {content_type}",
        *(f"{key}: {val}" for key, val in headers.items()),
    ]
    for line in lines:
        if "\r" in line or "\n" in line:
            raise ValueError(f"a header of `{name}` contains a CR or LF character")
    return _Part(("\r\n".join(lines) + "\r\n\r\n").encode(), source)


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def form_fields(key: str, value: Any) -> Iterable[tuple[str, str]]:
    """The form fields of a body value, as the SDK writes them: ``key[sub]`` for an object's
    entries, ``key[]`` for a list's items; None is left out."""
    if value is None:
        return
    if isinstance(value, Mapping):
        for sub, item in value.items():
            yield from form_fields(f"{key}[{sub}]", item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from form_fields(f"{key}[]", item)
    else:
        yield key, _text(value)


class UploadBody:
    """A ``multipart/form-data`` body, made again from its sources for every attempt."""

    __slots__ = (
        "boundary",
        "content_type",
        "error",
        "parts",
        "replayable",
        "size",
        "started",
        "tail",
    )

    def __init__(self, parts: Sequence[_Part]) -> None:
        self.boundary = os.urandom(16).hex()
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self.parts = tuple(parts)
        self.tail = f"--{self.boundary}--\r\n".encode()
        self.replayable = all(p.source is None or p.source.replayable for p in self.parts)
        self.started = False
        #: What reading a file raised in the last attempt (the transport raises it as it is:
        #: a file that cannot be read is not a connection failure).
        self.error: BaseException | None = None
        size = len(self.tail)
        for part in self.parts:
            # --boundary CRLF, the head (a plain field's value included), the file, CRLF
            size += len(self.boundary) + 6 + len(part.head)
            if part.source is not None and part.source.size is not None:
                size += part.source.size
        known = all(p.source is None or p.source.size is not None for p in self.parts)
        #: The body's length in bytes (None when a one-shot source does not say).
        self.size: int | None = size if known else None

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body from its start, in pieces (each file read as the connection takes it)."""
        self.started = True
        self.error = None
        delimiter = f"--{self.boundary}\r\n".encode()
        for part in self.parts:
            if part.source is None:
                yield delimiter + part.head + b"\r\n"
                continue
            yield delimiter + part.head
            pieces = part.source.open()
            while True:
                try:
                    piece = await anext(pieces)
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    self.error = exc
                    raise
                yield piece
            yield b"\r\n"
        yield self.tail

    async def read(self) -> bytes:
        """The whole body (for tests and middlewares that must see it: it is read into memory)."""
        return b"".join([piece async for piece in self.chunks()])


def _field_part(name: str, value: str) -> _Part:
    head = f'Content-Disposition: form-data; name="{_quote(name)}"\r\n\r\n{value}'
    return _Part(head.encode(), None)


def multipart_body(fields: Mapping[str, Any], files: Sequence[str]) -> UploadBody:
    """The body sending ``fields``: the keys named in ``files`` are files (a list of files is
    sent as ``name[]`` parts), the others plain form fields; so is a mapping given where a file
    may go (a reference instead of a file: ``video={"id": ...}`` is ``video[id]=...``)."""
    parts: list[_Part] = []
    for key, value in fields.items():
        if key in files and not isinstance(value, Mapping):
            if isinstance(value, list):
                parts += [file_part(f"{key}[]", item) for item in value]
            else:
                parts.append(file_part(key, value))
        else:
            parts += [_field_part(name, text) for name, text in form_fields(key, value)]
    return UploadBody(parts)
