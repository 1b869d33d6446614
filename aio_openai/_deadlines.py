"""Coarse deadlines: the total timeout of long calls, kept by one timer per event loop.

For ``ClientTimeout.total`` aiohttp arms a timer per request: a TimerHandle pushed on the
loop's heap, a TimerContext, and later a cancelled handle the loop has to purge. Totals of
5 s and more it already rounds up to a whole second. Here such totals go into buckets of one
second instead, checked by a single timer per loop that runs only while calls are in flight,
so a call costs a set insert and a set discard. When a bucket's second has passed, the
tasks of its calls are cancelled, and the send step turns that cancellation into
APITimeoutError, as ``asyncio.timeout`` does (a cancellation from elsewhere stays a
cancellation). A deadline fires up to one second late, never early.

Shorter totals keep aiohttp's own timer.
"""

from __future__ import annotations

import asyncio
import math
import weakref
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from aiohttp import ClientTimeout

__all__ = ["COARSE_FROM", "RESOLUTION", "Deadline", "DeadlineClock", "clock", "without_total"]

#: Totals from this many seconds up are kept by the clock (aiohttp's own ceil threshold).
COARSE_FROM = 5.0
#: The width of a bucket: how late a deadline may fire, in seconds.
RESOLUTION = 1.0


class Deadline:
    """One call's deadline: the task to cancel, and whether the clock did."""

    __slots__ = ("cancelling", "fired", "slot", "task")

    def __init__(self, task: asyncio.Task[object], slot: int) -> None:
        self.task = task
        self.cancelling = task.cancelling()
        self.slot = slot
        self.fired = False


class DeadlineClock:
    """The deadlines of one event loop in one-second buckets, served by one timer."""

    __slots__ = ("__weakref__", "_handle", "_loop", "_scheduled", "_slots")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._slots: dict[int, set[Deadline]] = {}
        self._handle: asyncio.TimerHandle | None = None
        self._scheduled = 0  # the bucket the timer is set for

    def start(self, seconds: float) -> Deadline:
        """A deadline ``seconds`` from now for the running task."""
        task = asyncio.current_task(self._loop)
        if task is None:
            raise RuntimeError("a deadline needs a running task")
        slot = math.ceil((self._loop.time() + seconds) / RESOLUTION)
        deadline = Deadline(task, slot)
        bucket = self._slots.get(slot)
        if bucket is None:
            bucket = self._slots[slot] = set()
            if self._handle is None or slot < self._scheduled:
                self._schedule(slot)
        bucket.add(deadline)
        return deadline

    def stop(self, deadline: Deadline) -> None:
        """Forget ``deadline`` (its call ended); the timer stops by itself when none is left."""
        bucket = self._slots.get(deadline.slot)
        if bucket is not None:
            bucket.discard(deadline)
            if not bucket:
                del self._slots[deadline.slot]

    @property
    def pending(self) -> int:
        """Deadlines still watched."""
        return sum(len(bucket) for bucket in self._slots.values())

    @property
    def armed(self) -> bool:
        """Whether the clock's timer is set."""
        return self._handle is not None

    def _schedule(self, slot: int) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._scheduled = slot
        self._handle = self._loop.call_at(slot * RESOLUTION, self._tick)

    def _tick(self) -> None:
        self._handle = None
        for slot in sorted(s for s in self._slots if s <= self._scheduled):
            for deadline in self._slots.pop(slot):
                deadline.fired = True
                deadline.task.cancel()
        if self._slots:
            self._schedule(min(self._slots))


_clocks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, DeadlineClock] = (
    weakref.WeakKeyDictionary()
)
_last: list[DeadlineClock | None] = [None]


def clock(loop: asyncio.AbstractEventLoop) -> DeadlineClock:
    """The clock of ``loop``, made on first use."""
    last = _last[0]
    if last is not None and last._loop is loop:
        return last
    found = _clocks.get(loop)
    if found is None:
        found = _clocks[loop] = DeadlineClock(loop)
    _last[0] = found
    return found


_no_total: dict[ClientTimeout, ClientTimeout] = {}


def without_total(timeout: ClientTimeout) -> ClientTimeout:
    """``timeout`` with ``total=None`` (the clock keeps the total); made once per timeout."""
    found = _no_total.get(timeout)
    if found is None:
        if len(_no_total) >= 64:
            _no_total.clear()
        found = _no_total[timeout] = attrs.evolve(timeout, total=None)
    return found
