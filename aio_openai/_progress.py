"""A one-line progress bar for long jobs (the demo, fan_out, the batch command)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """A one-line progress bar (done/total, errors, rate, ETA) for a job of ``total`` steps.

    On a TTY the line is redrawn in place with ``\\r``, at most once per ``min_interval``
    seconds (plus a last time on :meth:`close`); on anything else nothing is drawn until
    :meth:`close`, which writes one final line. ``clock`` (seconds, monotonic) is injectable.
    """

    __slots__ = (
        "_clock",
        "_closed",
        "_drawn_width",
        "_last_draw",
        "_started",
        "_tty",
        "done",
        "errors",
        "label",
        "min_interval",
        "stream",
        "total",
    )

    def __init__(
        self,
        total: int | None,
        *,
        label: str = "",
        stream: TextIO,
        min_interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        tty: bool | None = None,
    ) -> None:
        """Start counting now; ``total`` None for a job of unknown size. ``tty`` None asks
        ``stream.isatty()``."""
        if total is not None and total < 0:
            raise ValueError(f"total must not be negative, got {total}")
        self.total = total
        self.label = label
        self.stream = stream
        self.min_interval = min_interval
        self.done = 0
        self.errors = 0
        self._clock = clock
        self._tty = _isatty(stream) if tty is None else tty
        self._started = clock()
        self._last_draw = -math.inf
        self._drawn_width = 0
        self._closed = False
        if self._tty:
            self._draw(self._started)

    @property
    def elapsed(self) -> float:
        """Seconds since the progress started."""
        return self._clock() - self._started

    def advance(self, *, error: bool = False) -> None:
        """Count one finished step (a failed one when ``error``), redrawing if it is time."""
        self.done += 1
        if error:
            self.errors += 1
        if self._tty:
            now = self._clock()
            if now - self._last_draw >= self.min_interval:
                self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The progress line as drawn at ``now`` (default: the clock's current time)."""
        now = self._clock() if now is None else now
        elapsed = max(now - self._started, 0.0)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        prefix = f"{self.label} " if self.label else ""
        counts = f"errors {self.errors}  {rate:,.0f} req/s"
        total = self.total
        if total is None:
            return f"{prefix}{self.done:,} done  {counts}  in {elapsed:.1f}s"
        if self.done >= total:
            eta = f"in {elapsed:.1f}s"
        elif rate > 0:
            eta = f"ETA {(total - self.done) / rate:.1f}s"
        else:
            eta = "ETA --"
        width = 24
        filled = width if total == 0 else width * min(self.done, total) // total
        bar = "#" * filled + "." * (width - filled)
        digits = len(str(total))
        return f"{prefix}[{bar}] {self.done:>{digits}}/{total} {counts}  {eta}"

    def close(self) -> None:
        """Finish: redraw and end the line on a TTY, else write the one final line."""
        if self._closed:
            return
        self._closed = True
        if self._tty:
            self._draw(self._clock())
            self.stream.write("\n")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _draw(self, now: float) -> None:
        """Redraw the line in place, blanking what a longer previous line left behind."""
        text = self.line(now)
        pad = " " * max(self._drawn_width - len(text), 0)
        self.stream.write("\r" + text + pad)
        self.stream.flush()
        self._drawn_width = len(text)
        self._last_draw = now


def _isatty(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (False for streams that cannot tell)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
