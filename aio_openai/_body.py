"""A response body read in pieces: bytes in chunks of a size, text, lines.

What ``iter_bytes()``, ``iter_text()`` and ``iter_lines()`` of a response give, from the
chunks of its body as they come (the whole body never needs to be in memory):

- :func:`sized_chunks`: the bytes in chunks of ``size`` (the last one shorter), or as they
  come when ``size`` is None; never an empty chunk;
- :func:`text_pieces`: the body decoded incrementally (a character split between two chunks
  is decoded whole), in the charset of its ``Content-Type`` (UTF-8 by default), undecodable
  bytes replaced;
- :func:`text_lines`: the text split as ``str.splitlines()`` splits it (``\\n``, ``\\r\\n``,
  ``\\r`` and the other Unicode line boundaries), without the line endings, a ``\\r\\n``
  split between two pieces counted once.
"""

from __future__ import annotations

import codecs
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Mapping
from typing import Final

__all__ = ["charset", "sized_chunks", "sized_texts", "text_lines", "text_pieces"]

#: What ``str.splitlines()`` ends a line at.
_LINE_ENDS: Final = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def charset(headers: Mapping[str, str]) -> str:
    """The text encoding a ``Content-Type`` names, if Python knows it; else UTF-8."""
    content_type = headers.get("Content-Type", "")
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip('"')
            try:
                return codecs.lookup(value).name
            except LookupError:
                break
    return "utf-8"


async def sized_chunks(
    chunks: AsyncIterable[bytes], size: int | None
) -> AsyncGenerator[bytes, None]:
    """``chunks`` cut and joined into chunks of ``size`` bytes (as they come when None)."""
    if size is not None and size <= 0:
        raise ValueError(f"chunk_size must be a positive number of bytes, got {size!r}")
    if size is None:
        async for chunk in chunks:
            if chunk:
                yield chunk
        return
    pending = bytearray()
    async for chunk in chunks:
        pending += chunk
        while len(pending) >= size:
            yield bytes(pending[:size])
            del pending[:size]
    if pending:
        yield bytes(pending)


async def text_pieces(chunks: AsyncIterable[bytes], encoding: str) -> AsyncIterator[str]:
    """``chunks`` decoded as ``encoding`` as they come (no empty piece)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    async for chunk in chunks:
        text = decoder.decode(chunk)
        if text:
            yield text
    text = decoder.decode(b"", final=True)
    if text:
        yield text


async def sized_texts(pieces: AsyncIterable[str], size: int | None) -> AsyncIterator[str]:
    """Text ``pieces`` cut and joined into pieces of ``size`` characters (as they come when
    None)."""
    if size is not None and size <= 0:
        raise ValueError(f"chunk_size must be a positive number of characters, got {size!r}")
    if size is None:
        async for piece in pieces:
            yield piece
        return
    pending = ""
    async for piece in pieces:
        pending += piece
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending


class _LineSplitter:
    """Splits text given piece by piece into lines, as ``str.splitlines()`` splits it whole."""

    __slots__ = ("_cr", "_pending")

    def __init__(self) -> None:
        self._pending: list[str] = []  # the start of an unfinished line
        self._cr = False  # the last piece ended in CR: a leading LF belongs to that line end

    def feed(self, text: str) -> list[str]:
        if self._cr:
            text = "\r" + text
            self._cr = False
        if text.endswith("\r"):
            self._cr = True
            text = text[:-1]
        if not text:
            return []
        lines = text.splitlines()
        pending = self._pending
        if pending:
            pending.append(lines[0])
            lines[0] = "".join(pending)
            pending.clear()
        if text[-1] not in _LINE_ENDS:
            pending.append(lines.pop())
        return lines

    def end(self) -> list[str]:
        rest = "".join(self._pending)
        self._pending.clear()
        return [rest] if rest or self._cr else []


async def text_lines(pieces: AsyncIterable[str]) -> AsyncIterator[str]:
    """The lines of the text ``pieces`` make, without their line endings."""
    splitter = _LineSplitter()
    async for piece in pieces:
        for line in splitter.feed(piece):
            yield line
    for line in splitter.end():
        yield line
