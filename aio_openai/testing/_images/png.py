"""The fake's pictures: valid PNG files of any size, written with zlib and struct.

A picture is a vertical gradient between two colours drawn from its seed (the prompt), so
the same request gives the same bytes; a partial image has only its first rows drawn.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

__all__ = ["png", "png_size"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, seed: str, *, alpha: bool = False, drawn: float = 1.0) -> bytes:
    """A ``width`` x ``height`` PNG (RGBA when ``alpha``), its colours from ``seed``; only the
    first ``drawn`` share of the rows is painted (the rest grey)."""
    digest = hashlib.sha256(seed.encode()).digest()
    top, bottom = digest[:3], digest[3:6]
    channels = 4 if alpha else 3
    grey = b"\x80\x80\x80" + (b"\xff" if alpha else b"")
    painted = round(height * drawn)
    rows = []
    for y in range(height):
        if y < painted:
            t = y / max(1, height - 1)
            pixel = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
            if alpha:
                pixel += b"\xc0"
        else:
            pixel = grey
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 6 if channels == 4 else 2, 0, 0, 0)
    data = zlib.compress(b"".join(rows), 6)
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple[int, int] | None:
    """The width and height of a PNG file, or None when ``data`` is not one."""
    if data[:8] != _SIGNATURE or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height
