"""The fake's videos: small MP4 files (ISO base media) whose boxes say the video's length and
size, written with struct.

A file is an ``ftyp`` box, a ``moov`` box (``mvhd``: the time scale and the duration; one
``trak`` whose ``tkhd`` holds the width and height) and an ``mdat`` box of bytes drawn from
the seed (1 KiB per second). Its structure parses as an MP4's; it holds no decodable frames.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Final, NamedTuple

__all__ = ["TIMESCALE", "MP4Info", "mp4", "mp4_info"]

#: Units per second of the fake's durations.
TIMESCALE: Final = 1000
_MATRIX: Final = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
_BYTES_PER_SECOND: Final = 1024


class MP4Info(NamedTuple):
    """What an MP4's boxes say: its duration in seconds, its width and height."""

    seconds: float
    width: int
    height: int


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, flags: int, payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", flags) + payload)  # version 0


def _payload(seed: str, size: int) -> bytes:
    out = bytearray()
    block = hashlib.sha256(seed.encode()).digest()
    while len(out) < size:
        out += block
        block = hashlib.sha256(block).digest()
    return bytes(out[:size])


def mp4(seconds: int, width: int, height: int, seed: str) -> bytes:
    """An MP4 of ``seconds`` at ``width`` x ``height``, its media bytes drawn from ``seed``."""
    duration = seconds * TIMESCALE
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")
    mvhd = _full_box(
        b"mvhd",
        0,
        struct.pack(">IIIIIH", 0, 0, TIMESCALE, duration, 0x10000, 0x100)
        + bytes(10)
        + _MATRIX
        + bytes(24)
        + struct.pack(">I", 2),
    )
    tkhd = _full_box(
        b"tkhd",
        3,  # enabled, in the movie
        struct.pack(">IIIII", 0, 0, 1, 0, duration)
        + bytes(8)
        + struct.pack(">hhhH", 0, 0, 0, 0)
        + _MATRIX
        + struct.pack(">II", width << 16, height << 16),
    )
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd))
    mdat = _box(b"mdat", _payload(seed, seconds * _BYTES_PER_SECOND))
    return ftyp + moov + mdat


def _boxes(data: bytes) -> dict[bytes, bytes]:
    """The payloads of the boxes at one level (the first of each kind)."""
    found: dict[bytes, bytes] = {}
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        if size < 8 or at + size > len(data):
            break
        found.setdefault(kind, data[at + 8 : at + size])
        at += size
    return found


def mp4_info(data: bytes) -> MP4Info | None:
    """The duration and size an MP4's boxes say, or None when ``data`` is no MP4 with a
    movie header (an MP4 without a track header has size 0 x 0)."""
    if data[4:8] != b"ftyp":
        return None
    boxes = _boxes(data)
    mvhd = _boxes(boxes.get(b"moov", b"")).get(b"mvhd", b"")
    if len(mvhd) < 20 or mvhd[0] != 0:
        return None
    timescale, duration = struct.unpack(">II", mvhd[12:20])
    if timescale == 0:
        return None
    tkhd = _boxes(_boxes(boxes[b"moov"]).get(b"trak", b"")).get(b"tkhd", b"")
    width = height = 0
    if len(tkhd) >= 84 and tkhd[0] == 0:
        width, height = (v >> 16 for v in struct.unpack(">II", tkhd[76:84]))
    return MP4Info(duration / timescale, width, height)
