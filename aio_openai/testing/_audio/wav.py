"""The fake's speech: a WAV file whose length follows the text, the text kept in it.

The samples are 16-bit mono PCM at 24 kHz: each character a short tone (its pitch from the
character), each space a pause, :data:`SECONDS_PER_CHARACTER` of sound per character at
speed 1. The text rides in a ``LIST``/``INFO`` chunk (``ICMT``, a comment players ignore),
so a transcription of the fake's own speech gives the text back exactly.
"""

from __future__ import annotations

import math
import struct
from typing import Final

import attrs

__all__ = ["RATE", "SECONDS_PER_CHARACTER", "Heard", "hear", "pcm", "speak"]

#: Samples per second.
RATE: Final = 24_000
#: How long a character is spoken at speed 1.
SECONDS_PER_CHARACTER: Final = 0.06
_AMPLITUDE: Final = 6000


def pcm(text: str, speed: float = 1.0) -> bytes:
    """The samples of ``text`` spoken at ``speed`` (16-bit little-endian, mono)."""
    per_char = max(1, round(RATE * SECONDS_PER_CHARACTER / speed))
    tones: dict[str, bytes] = {}
    pieces = []
    for char in text:
        tone = tones.get(char)
        if tone is None:
            if char.isspace():
                tone = bytes(2 * per_char)
            else:
                pitch = 220 + (ord(char) % 64) * 12
                step = 2 * math.pi * pitch / RATE
                tone = struct.pack(
                    f"<{per_char}h",
                    *(round(_AMPLITUDE * math.sin(step * i)) for i in range(per_char)),
                )
            tones[char] = tone
        pieces.append(tone)
    return b"".join(pieces)


def _chunk(kind: bytes, data: bytes) -> bytes:
    pad = b"\x00" if len(data) % 2 else b""
    return kind + struct.pack("<I", len(data)) + data + pad


def speak(text: str, speed: float = 1.0) -> bytes:
    """A WAV file of ``text`` spoken at ``speed``, holding the text."""
    samples = pcm(text, speed)
    fmt = struct.pack("<HHIIHH", 1, 1, RATE, RATE * 2, 2, 16)
    info = _chunk(b"LIST", b"INFO" + _chunk(b"ICMT", text.encode() + b"\x00"))
    body = b"WAVE" + _chunk(b"fmt ", fmt) + info + _chunk(b"data", samples)
    return b"RIFF" + struct.pack("<I", len(body)) + body


@attrs.frozen
class Heard:
    """What the fake hears in an audio file: its text (None: not the fake's own speech)
    and its duration in seconds."""

    text: str | None
    duration: float


def hear(data: bytes) -> Heard:
    """The text and duration of a WAV file the fake made; other audio is heard as no text,
    its duration guessed from its size (at 128 kbit/s)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return Heard(None, round(len(data) / 16_000, 2))
    text = None
    byte_rate = 0
    frames = 0
    at = 12
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        (size,) = struct.unpack_from("<I", data, at + 4)
        payload = data[at + 8 : at + 8 + size]
        if kind == b"fmt " and len(payload) >= 16:
            byte_rate = struct.unpack_from("<HHIIHH", payload)[3]
        elif kind == b"data":
            frames = len(payload)
        elif kind == b"LIST" and payload[:4] == b"INFO":
            sub = 4
            while sub + 8 <= len(payload):
                (length,) = struct.unpack_from("<I", payload, sub + 4)
                if payload[sub : sub + 4] == b"ICMT":
                    raw = payload[sub + 8 : sub + 8 + length]
                    text = raw.rstrip(b"\x00").decode("utf-8", "replace")
                sub += 8 + length + (length % 2)
        at += 8 + size + (size % 2)
    duration = frames / byte_rate if byte_rate else 0.0
    return Heard(text, round(duration, 3))
