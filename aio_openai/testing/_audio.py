"""The fake's speech: a small, valid WAV file made from a text, deterministic.

Each character is 20 ms of a sine tone (its pitch from the character; spaces are silence),
16-bit mono PCM at 24 kHz, the format the Realtime API streams (``audio/pcm``).
"""

from __future__ import annotations

import io
import math
import struct
import wave
from typing import Final

__all__ = ["SAMPLE_RATE", "pcm_frames", "speech_wav"]

#: Samples per second of the fake's speech.
SAMPLE_RATE: Final = 24_000
_CHAR_SECONDS: Final = 0.02
_AMPLITUDE: Final = 8_000


def speech_wav(text: str, *, rate: int = SAMPLE_RATE) -> bytes:
    """A WAV file "saying" ``text``: 20 ms of a tone per character (at least one)."""
    samples_per_char = int(rate * _CHAR_SECONDS)
    samples: list[int] = []
    for char in text or " ":
        if char.isspace():
            samples.extend([0] * samples_per_char)
            continue
        pitch = 220.0 + (ord(char) % 48) * 15.0
        step = 2.0 * math.pi * pitch / rate
        samples.extend(int(_AMPLITUDE * math.sin(step * i)) for i in range(samples_per_char))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return out.getvalue()


def pcm_frames(wav_bytes: bytes) -> bytes:
    """The PCM samples of a WAV file (what a stream of ``audio/pcm`` carries)."""
    with wave.open(io.BytesIO(wav_bytes), "rb") as wav:
        return wav.readframes(wav.getnframes())
