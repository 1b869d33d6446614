"""A transcript in each ``response_format``: JSON shapes, plain text, SubRip and WebVTT.

The text is cut into segments at sentence ends; each segment and word is given the share of
the duration its characters take (the fake speaks at an even pace).
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

__all__ = ["segments", "srt", "timestamp", "verbose", "vtt", "words"]

_SENTENCE: Final = re.compile(r"[^.!?]+[.!?]*\s*")


def _spans(pieces: list[str], duration: float) -> list[tuple[str, float, float]]:
    total = sum(len(p) for p in pieces) or 1
    spans = []
    at = 0
    for piece in pieces:
        start = duration * at / total
        at += len(piece)
        spans.append((piece.strip(), round(start, 3), round(duration * at / total, 3)))
    return [s for s in spans if s[0]]


def segments(text: str, duration: float) -> list[tuple[str, float, float]]:
    """The sentences of ``text`` with their start and end (seconds)."""
    return _spans(_SENTENCE.findall(text) or [text], duration)


def words(text: str, duration: float) -> list[tuple[str, float, float]]:
    """The words of ``text`` (punctuation dropped) with their start and end."""
    pieces = re.findall(r"\S+\s*", text)
    return [(re.sub(r"[^\w'-]", "", w), s, e) for w, s, e in _spans(pieces, duration)]


def timestamp(seconds: float, separator: str) -> str:
    """``HH:MM:SS<separator>mmm``."""
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def srt(text: str, duration: float) -> str:
    """SubRip: numbered cues, ``00:00:01,500`` times."""
    cues = [
        f"{i}\n{timestamp(s, ',')} --> {timestamp(e, ',')}\n{t}\n"
        for i, (t, s, e) in enumerate(segments(text, duration), 1)
    ]
    return "\n".join(cues) + "\n" if cues else ""


def vtt(text: str, duration: float) -> str:
    """WebVTT: the header, then cues with ``00:00:01.500`` times."""
    cues = [
        f"{timestamp(s, '.')} --> {timestamp(e, '.')}\n{t}\n"
        for t, s, e in segments(text, duration)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def verbose(
    text: str, duration: float, *, task: str, language: str, with_words: bool, with_segments: bool
) -> dict[str, Any]:
    """The ``verbose_json`` answer."""
    answer: dict[str, Any] = {
        "task": task,
        "language": language,
        "duration": duration,
        "text": text,
        "usage": {"type": "duration", "seconds": math.ceil(duration)},
    }
    if with_segments:
        answer["segments"] = [
            {
                "id": i,
                "seek": 0,
                "start": s,
                "end": e,
                "text": " " + t,
                "tokens": [50364 + ord(c) % 1000 for c in t[:8]],
                "temperature": 0.0,
                "avg_logprob": -0.25,
                "compression_ratio": 1.2,
                "no_speech_prob": 0.01,
            }
            for i, (t, s, e) in enumerate(segments(text, duration))
        ]
    if with_words:
        answer["words"] = [{"word": w, "start": s, "end": e} for w, s, e in words(text, duration)]
    return answer
