"""Parsers for the waits and durations servers announce.

- Go-style durations as in ``x-ratelimit-reset-*``: "1s", "6m0s", "20ms", "1h2m3.5s", "150us".
- ``retry-after-ms`` / ``retry-after`` (seconds, fractional, or an HTTP date).
- The "Please try again in 644ms." hint in a 429 message.
Garbage gives None, never an exception.
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Callable, Mapping

__all__ = ["parse_duration", "retry_after", "try_again_hint"]

_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)")
_HINT = re.compile(r"try again in ((?:(?:\d+(?:\.\d*)?|\.\d+)(?:h|ms|m|s|us|µs|ns))+)", re.I)


def parse_duration(text: str | None) -> float | None:
    """Seconds in a Go-style duration ("1h2m3.5s", "20ms"); None for garbage, zero or negative."""
    if not text:
        return None
    text = text.strip()
    pos = 0
    total = 0.0
    for match in _PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or pos == 0 or not math.isfinite(total) or total <= 0:
        return None
    return total


def _seconds(text: str, scale: float) -> float | None:
    try:
        value = float(text) * scale
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return value


def retry_after(headers: Mapping[str, str], now: Callable[[], float] = time.time) -> float | None:
    """The server's wait in seconds: ``retry-after-ms``, then ``retry-after``; None if absent."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        value = _seconds(ms, 1e-3)
        if value is not None:
            return value
    ra = headers.get("retry-after")
    if ra is None:
        return None
    value = _seconds(ra, 1.0)
    if value is not None:
        return value
    try:
        when = email.utils.parsedate_to_datetime(ra)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now())


def try_again_hint(message: str | None) -> float | None:
    """Seconds from "Please try again in 1.5s." in an error message, or None."""
    if not message:
        return None
    match = _HINT.search(message)
    return parse_duration(match.group(1)) if match else None
