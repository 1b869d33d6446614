"""Progress bars for long jobs (the demo, fan_out, the batch command).

:class:`Progress` is the built-in one-line bar. It fits the terminal's width (dropping fields,
then shortening the bar), and :meth:`Progress.clear` / :func:`write_line` keep it from
garbling output written beside it. :func:`progress_bar` turns fan_out's ``progress``
argument into a bar: with tqdm installed (the ``progress`` extra) ``True`` draws with tqdm,
and a tqdm instance, or any callable making one, is used as given. tqdm is imported only
then, never by ``import aio_openai``.
"""

from __future__ import annotations

import importlib
import math
import os
import sys
import time
import weakref
from collections.abc import Callable
from typing import Any, Protocol, TextIO, TypeAlias, TypeGuard, cast

__all__ = ["Bar", "Progress", "ProgressBar", "ProgressOption", "progress_bar", "write_line"]

#: Cells of the bar when the terminal has room, and the fewest it is shortened to.
_BAR_CELLS = 24
_MIN_BAR_CELLS = 5
#: The width assumed when the terminal's cannot be known.
_DEFAULT_COLUMNS = 80

#: The built-in bars drawn on a terminal and not closed, for :func:`write_line`.
_drawn: weakref.WeakSet[Progress] = weakref.WeakSet()


class Progress:
    """A one-line progress bar (done/total, errors, rate, ETA) for a job of ``total`` steps.

    On a TTY the line is redrawn in place with ``\\r``, at most once per ``min_interval``
    seconds (plus a last time on :meth:`close`), never wider than the terminal (one column
    short of it, so it never wraps): the rate goes first, then the ETA, then the label; then
    the bar shortens, then the error count and the bar go. On anything else nothing is drawn
    until :meth:`close`, which writes one final line, whole. ``clock`` (seconds, monotonic)
    is injectable; ``width`` fixes the terminal's width (default: ask the terminal each draw,
    so a resize is followed).
    """

    __slots__ = (
        "__weakref__",
        "_clock",
        "_closed",
        "_drawn_width",
        "_last_draw",
        "_started",
        "_tty",
        "_visible",
        "_width",
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
        width: int | None = None,
    ) -> None:
        """Start counting now; ``total`` None for a job of unknown size. ``tty`` None asks
        ``stream.isatty()``."""
        if total is not None and total < 0:
            raise ValueError(f"total must not be negative, got {total}")
        if width is not None and width < 1:
            raise ValueError(f"width must be at least 1, got {width}")
        self.total = total
        self.label = label
        self.stream = stream
        self.min_interval = min_interval
        self.done = 0
        self.errors = 0
        self._clock = clock
        self._tty = isatty(stream) if tty is None else tty
        self._width = width
        self._started = clock()
        self._last_draw = -math.inf
        self._drawn_width = 0
        self._visible = False
        self._closed = False
        if self._tty:
            _drawn.add(self)
            self._draw(self._started)

    @property
    def elapsed(self) -> float:
        """Seconds since the progress started."""
        return self._clock() - self._started

    def advance(self, *, error: bool = False) -> None:
        """Count one finished step (a failed one when ``error``), redrawing if it is time.

        A bar taken off the screen by :meth:`clear` stays off until :meth:`show`.
        """
        self.done += 1
        if error:
            self.errors += 1
        if self._visible:
            now = self._clock()
            if now - self._last_draw >= self.min_interval:
                self._draw(now)

    def clear(self) -> None:
        """Take the bar off the screen, leaving the cursor at the start of its empty line, so
        that output written next starts on a clean line; :meth:`show` draws it again."""
        if not self._visible:
            return
        self.stream.write("\r" + " " * self._drawn_width + "\r")
        self.stream.flush()
        self._drawn_width = 0
        self._visible = False

    def show(self) -> None:
        """Draw the bar again after :meth:`clear` (on the line the cursor is on)."""
        if self._tty and not self._visible and not self._closed:
            self._draw(self._clock())

    def line(self, now: float | None = None, *, width: int | None = None) -> str:
        """The progress line at ``now`` (default: the clock's current time), fit to ``width``
        characters (default: whole)."""
        now = self._clock() if now is None else now
        elapsed = max(now - self._started, 0.0)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        total = self.total
        fraction: float | None = None
        if total is None:
            counts, count_gap, eta = f"{self.done:,} done", "  ", f"in {elapsed:.1f}s"
        else:
            fraction = 1.0 if total == 0 else min(self.done, total) / total
            counts, count_gap = f"{self.done:>{len(str(total))}}/{total}", " "
            if self.done >= total:
                eta = f"in {elapsed:.1f}s"
            elif rate > 0:
                eta = f"ETA {(total - self.done) / rate:.1f}s"
            else:
                eta = "ETA --"
        # (name, text, separator before it); a field is dropped by emptying its text
        fields = {
            "label": [self.label, ""],
            "bar": ["", " "],
            "counts": [counts, " "],
            "errors": [f"errors {self.errors}", count_gap],
            "rate": [f"{rate:,.0f} req/s", "  "],
            "eta": [eta, "  "],
        }

        def render(cells: int) -> str:
            if fraction is not None and cells:
                filled = int(cells * fraction)
                fields["bar"][0] = "[" + "#" * filled + "." * (cells - filled) + "]"
            else:
                fields["bar"][0] = ""
            shown = [(text, sep) for text, sep in fields.values() if text]
            return shown[0][0] + "".join(sep + text for text, sep in shown[1:])

        cells = _BAR_CELLS
        text = render(cells)
        if width is None or len(text) <= width:
            return text
        for name in ("rate", "eta", "label"):
            fields[name][0] = ""
            text = render(cells)
            if len(text) <= width:
                return text
        if fraction is not None:
            cells = max(_MIN_BAR_CELLS, cells - (len(text) - width))
            text = render(cells)
            if len(text) <= width:
                return text
        fields["errors"][0] = ""
        text = render(cells)
        if len(text) <= width:
            return text
        return render(0)[:width]

    def close(self) -> None:
        """Finish: redraw and end the line on a TTY, else write the one final line."""
        if self._closed:
            return
        if self._tty:
            self._draw(self._clock())
            self.stream.write("\n")
        else:
            self.stream.write(self.line() + "\n")
        self._closed = True
        self._visible = False
        _drawn.discard(self)
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _columns(self) -> int:
        if self._width is not None:
            return self._width
        return terminal_columns(self.stream)

    def _draw(self, now: float) -> None:
        """Redraw the line in place, blanking what a longer previous line left behind."""
        width = max(self._columns() - 1, 1)  # the last column would wrap on some terminals
        text = self.line(now, width=width)
        pad = " " * max(min(self._drawn_width, width) - len(text), 0)
        self.stream.write("\r" + text + pad)
        self.stream.flush()
        self._drawn_width = len(text)
        self._visible = True
        self._last_draw = now


def terminal_columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` writes to: asked of the terminal, else
    ``$COLUMNS``, else 80."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = 0
    if columns <= 0:
        try:
            columns = int(os.environ.get("COLUMNS", ""))
        except ValueError:
            columns = 0
    return columns if columns > 0 else _DEFAULT_COLUMNS


def write_line(stream: TextIO, text: str) -> None:
    """Write ``text`` and a newline on ``stream``, beside the built-in bars on the terminal.

    A bar drawn on the same terminal is cleared first and drawn again below the line, so the
    line is never mixed into it.
    """
    tty = isatty(stream)
    bars = [bar for bar in _drawn if bar._visible and (bar.stream is stream or tty)]
    for bar in bars:
        bar.clear()
    stream.write(text + "\n")
    stream.flush()
    for bar in bars:
        bar.show()


# -- fan_out's progress argument ----------------------------------------------------------------


class ProgressBar(Protocol):
    """What fan_out needs of a bar it is given: a tqdm instance has it."""

    def update(self, n: int = 1, /) -> object: ...

    def close(self) -> object: ...


#: What fan_out's ``progress`` takes: False; True; a text stream for the built-in bar; a tqdm
#: instance (or any object with ``update`` and ``close``); or a callable making one from
#: ``total=``, such as a tqdm class.
ProgressOption: TypeAlias = bool | TextIO | ProgressBar | Callable[..., ProgressBar] | None


class Bar(Protocol):
    """A bar as fan_out drives it: the built-in :class:`Progress`, or a tqdm one adapted."""

    def advance(self, *, error: bool = False) -> None: ...

    def clear(self) -> None: ...

    def show(self) -> None: ...

    def close(self) -> None: ...


class _TqdmBar:
    """A tqdm (or tqdm-like) bar driven as a :class:`Bar`; closed only when ``owned``."""

    __slots__ = ("_bar", "_cleared", "_owned", "errors")

    def __init__(self, bar: ProgressBar, *, owned: bool) -> None:
        self._bar = bar
        self._owned = owned
        self._cleared = False
        self.errors = 0

    def advance(self, *, error: bool = False) -> None:
        if error:
            self.errors += 1
            postfix = getattr(self._bar, "set_postfix_str", None)
            if postfix is not None:
                postfix(f"errors {self.errors}", refresh=False)
        self._bar.update(1)

    def clear(self) -> None:
        clear = getattr(self._bar, "clear", None)
        if clear is not None:
            clear()
            self._cleared = True

    def show(self) -> None:
        refresh = getattr(self._bar, "refresh", None)
        if self._cleared and refresh is not None:
            refresh()
        self._cleared = False

    def close(self) -> None:
        if self._owned:
            self._bar.close()
        else:
            self.show()


def _is_bar(value: object) -> TypeGuard[ProgressBar]:
    return not isinstance(value, type) and callable(getattr(value, "update", None))


def check_progress(option: object) -> None:
    """TypeError unless ``option`` is something fan_out's ``progress`` takes."""
    if option is None or isinstance(option, bool) or _is_bar(option) or callable(option):
        return
    if callable(getattr(option, "write", None)):
        return
    raise TypeError(
        "progress must be a bool, a text stream, a tqdm bar or a callable making one, "
        f"got {type(option).__name__}"
    )


def progress_bar(option: ProgressOption, total: int | None, *, label: str) -> Bar | None:
    """The bar fan_out's ``progress`` option asks for, started; None for no bar.

    ``True`` is a tqdm bar on stderr when tqdm is installed (``tqdm.auto``: a widget in a
    notebook), else the built-in one; a text stream is the built-in bar on it.
    """
    check_progress(option)
    if option is None or option is False:
        return None
    if option is True:
        tqdm = _tqdm()
        if tqdm is None:
            return Progress(total, label=label, stream=sys.stderr)
        return _TqdmBar(tqdm(total=total, desc=label, unit="req", dynamic_ncols=True), owned=True)
    if _is_bar(option):
        return _TqdmBar(option, owned=False)
    if callable(option):
        return _TqdmBar(option(total=total), owned=True)
    return Progress(total, label=label, stream=cast(TextIO, option))


def _tqdm() -> Callable[..., Any] | None:
    """tqdm's bar class (``tqdm.auto``), or None when tqdm is not installed."""
    try:
        module = importlib.import_module("tqdm.auto")
    except ImportError:
        return None
    tqdm: Callable[..., Any] = module.tqdm
    return tqdm


def isatty(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (False for streams that cannot tell)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
