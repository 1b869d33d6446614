"""fan_out: thousands of concurrent calls, read lazily, with nothing lost.

::

    async for r in fan_out(client.models.retrieve, ids, concurrency=64):   # as each completes
        r.index, r.input, r.ok, r.value, r.error, r.attempts, r.elapsed
    results = await fan_out(client.models.retrieve, ids)                    # all, in input order

At most ``concurrency`` calls are in flight, and inputs are pulled from the (async) iterable
only when a slot is free, so memory stays bounded by the concurrency (plus, with
``ordered=True``, a reorder window) whatever the input's length. Pacing comes from the
client's rate limiter; the concurrency is only the ceiling. The first call runs alone: the
others start once one came back without an error that dooms every later call. A failed call
is a result, not an exception, except those errors (AuthenticationError, insufficient_quota):
they stop the batch with :class:`FanOutAborted`.

The calls' tasks hold no reference to the iterator ``async for`` walks, so a loop left by a
plain ``break`` frees it at once, and its finalizer cancels the calls in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections import deque
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Sequence,
    Sized,
)
from operator import attrgetter
from typing import Any, Generic, TypeVar

import attrs

from ._chain import CALL_INFO, CallInfo
from ._exceptions import AuthenticationError, OpenAIError, RateLimitError
from ._progress import Bar, ProgressOption, check_progress, isatty, progress_bar

__all__ = ["FanOut", "FanOutAborted", "Result", "fan_out", "fatal_cause"]

In = TypeVar("In")
Out = TypeVar("Out")


@attrs.frozen(slots=True, kw_only=True)
class Result(Generic[In, Out]):
    """The outcome of one input: its value, or the error it raised (never both)."""

    index: int
    input: In
    value: Out | None = None
    error: BaseException | None = None
    attempts: int = 1
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the call returned (``value`` holds its result)."""
        return self.error is None


class FanOutAborted(OpenAIError):
    """An error that dooms every later call stopped the batch.

    ``cause`` is that error; ``completed`` counts the results delivered; every input before
    ``next_index`` was started (and its result delivered), none from it on, so a caller can
    resume from ``next_index``. ``results`` holds those results in input order when the batch
    was awaited (``await fan_out(...)``); when it was iterated, the loop already had each one
    and ``results`` is empty.
    """

    def __init__(
        self,
        cause: BaseException,
        reason: str,
        *,
        completed: int,
        next_index: int,
        results: Sequence[Result[Any, Any]] = (),
    ):
        super().__init__(
            f"fan_out stopped: {reason}. {completed} inputs completed; inputs from index"
            f" {next_index} on were not sent (resume from there)."
        )
        self.cause = cause
        self.reason = reason
        self.completed = completed
        self.next_index = next_index
        self.results: list[Result[Any, Any]] = list(results)


def fatal_cause(error: BaseException) -> str | None:
    """Why an error dooms every later call of a batch, or None for a per-item error.

    A 401 (the key is wrong or revoked) and ``insufficient_quota`` (billing) do; a 403 may be
    about one model only and does not.
    """
    if isinstance(error, AuthenticationError):
        return f"authentication failed ({error.status_code}: the API key was refused)"
    if isinstance(error, RateLimitError) and "insufficient_quota" in (error.code, error.type):
        return "insufficient_quota: the account is out of quota (check plan and billing)"
    return None


def _len_or_none(inputs: object) -> int | None:
    return len(inputs) if isinstance(inputs, Sized) else None


class FanOut(Generic[In, Out]):
    """The running (or not yet started) batch: async-iterable and awaitable, once."""

    def __init__(
        self,
        fn: Callable[[In], Awaitable[Out]],
        inputs: Iterable[In] | AsyncIterable[In],
        *,
        concurrency: int = 64,
        ordered: bool = False,
        window: int | None = None,
        progress: ProgressOption = False,
        on_result: Callable[[Result[In, Out]], None] | None = None,
        fatal: Callable[[BaseException], str | None] = fatal_cause,
    ) -> None:
        check_progress(progress)
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        if window is not None and window < concurrency:
            raise ValueError("window must be at least the concurrency")
        self._fn = fn
        self._inputs = inputs
        self._concurrency = concurrency
        self._ordered = ordered
        self._window = window if window is not None else 4 * concurrency
        self._progress = progress
        # whether the results go to the caller, who may print them beside the bar
        self._to_caller = True
        self._on_result = on_result
        self._fatal = fatal
        # the calls of the run, for aclose(); never the iterator itself, so that dropping
        # the iterator (a plain ``break``) finalizes it while this object lives on
        self._flight: _Flight[In, Out] | None = None

    def __aiter__(self) -> AsyncIterator[Result[In, Out]]:
        if self._flight is not None:
            raise RuntimeError("a fan_out can be iterated only once")
        iterator = _Iterator(self)
        self._flight = iterator.flight
        return iterator

    def __await__(self) -> Generator[Any, None, list[Result[In, Out]]]:
        return self._collect().__await__()

    async def _collect(self) -> list[Result[In, Out]]:
        self._to_caller = False
        results: list[Result[In, Out]] = []
        try:
            async for r in self:
                results.append(r)
        except FanOutAborted as stop:
            stop.results = results  # sorted below, before it propagates
            raise
        finally:
            if not self._ordered:
                results.sort(key=attrgetter("index"))
        return results

    async def aclose(self) -> None:
        """Stop: cancel the calls in flight and wait until they are gone."""
        if self._flight is not None:
            await self._flight.aclose()

    async def __aenter__(self) -> FanOut[In, Out]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _make_progress(self) -> tuple[Bar | None, bool]:
        """The bar, and whether to clear it before each result goes to the caller: when
        stdout is a terminal, where the caller's output would land in the bar's line."""
        bar = progress_bar(self._progress, _len_or_none(self._inputs), label="fan_out")
        return bar, bar is not None and self._to_caller and isatty(sys.stdout)


class _Flight(Generic[In, Out]):
    """The calls of one run: what its iterator waits on, and what a stop cancels and awaits.

    Shared by the iterator and its FanOut, and holding neither: the calls' tasks reach this
    object only, so the iterator is freed (and the calls cancelled) as soon as a loop leaves it.
    """

    __slots__ = (
        "clear_for_caller",
        "closing",
        "done",
        "loop",
        "pending",
        "progress",
        "running",
        "source",
        "waiter",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        source: AsyncIterator[In] | None,
        progress: tuple[Bar | None, bool],
    ) -> None:
        self.loop = loop
        self.source = source
        self.progress, self.clear_for_caller = progress
        self.running: set[asyncio.Task[Result[In, Out]]] = set()
        self.done: deque[asyncio.Task[Result[In, Out]]] = deque()
        # the next input of an async source, being fetched while calls run and results are
        # delivered (a slow source must not hold back a finished result)
        self.pending: asyncio.Task[tuple[In] | None] | None = None
        self.waiter: asyncio.Future[None] | None = None
        # set once the run is stopped: its calls' cancellations are then no results
        self.closing = False

    def wake(self, _: object = None) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def finished(self, task: asyncio.Task[Result[In, Out]]) -> None:
        self.running.discard(task)
        self.done.append(task)
        self.wake()

    async def wait(self) -> None:
        """Until a call finishes or the source has its next input."""
        self.waiter = self.loop.create_future()
        try:
            await self.waiter
        finally:
            self.waiter = None

    def cancel(self) -> None:
        """Stop at once: cancel the calls in flight and the source's pending read."""
        self.closing = True
        for task in self.running:
            task.cancel()
        if self.pending is not None:
            self.pending.cancel()
        if self.progress is not None:
            self.progress.close()

    def abandon(self) -> None:
        """cancel(), from a finalizer: in the loop's thread, and not once the loop is closed."""
        loop = self.loop
        if self.closing or loop.is_closed():
            return
        try:
            here = asyncio.get_running_loop() is loop
        except RuntimeError:
            here = False
        if here:
            self.cancel()
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed in the meantime
                loop.call_soon_threadsafe(self.cancel)

    async def aclose(self) -> None:
        """cancel(), then wait until the calls are gone and close an async source."""
        self.cancel()
        leftover: list[asyncio.Future[Any]] = [*self.running]
        if self.pending is not None:
            leftover.append(self.pending)
        if leftover:
            await asyncio.gather(*leftover, return_exceptions=True)
        source, self.source = self.source, None
        if source is not None and hasattr(source, "aclose"):
            await source.aclose()


class _Iterator(Generic[In, Out]):
    """What ``async for`` walks: starts calls while there is room, yields their Results.

    At most ``concurrency`` calls run, and only one until a call came back without an error
    that dooms the batch (a refused key then costs one request, not a wave). Inputs are read
    only when a call can start. Freed before the end (a ``break``), it cancels the calls.
    """

    __slots__ = (
        "_aborted",
        "_buffer",
        "_concurrency",
        "_delivered",
        "_exhausted",
        "_fatal",
        "_fn",
        "_next_index",
        "_next_to_yield",
        "_on_result",
        "_opened",
        "_ordered",
        "_ready",
        "_sync_it",
        "_window",
        "flight",
    )

    def __init__(self, fan: FanOut[In, Out]) -> None:
        inputs = fan._inputs
        self._sync_it: Iterator[In] | None = None
        source: AsyncIterator[In] | None = None
        if isinstance(inputs, AsyncIterable):
            source = aiter(inputs)
        else:
            self._sync_it = iter(inputs)
        self.flight: _Flight[In, Out] = _Flight(
            asyncio.get_running_loop(), source, fan._make_progress()
        )
        self._fn = fan._fn
        self._concurrency = fan._concurrency
        self._ordered = fan._ordered
        self._window = fan._window
        self._on_result = fan._on_result
        self._fatal = fan._fatal
        self._next_index = 0
        self._next_to_yield = 0
        self._delivered = 0
        self._exhausted = False
        self._opened = False  # a call came back without a fatal error: open to concurrency
        self._aborted: tuple[BaseException, str] | None = None
        self._buffer: dict[int, Result[In, Out]] = {}
        self._ready: deque[Result[In, Out]] = deque()

    def __aiter__(self) -> _Iterator[In, Out]:
        return self

    def __del__(self) -> None:
        flight = getattr(self, "flight", None)
        if flight is not None:
            flight.abandon()

    async def aclose(self) -> None:
        """Stop: cancel the calls in flight and wait until they are gone."""
        await self.flight.aclose()

    async def __anext__(self) -> Result[In, Out]:
        flight = self.flight
        try:
            while not self._ready:
                if flight.closing:
                    raise StopAsyncIteration
                if flight.done:
                    self._take(flight.done.popleft().result())
                    continue
                self._start()
                if not flight.running and (flight.pending is None or self._aborted is not None):
                    await flight.aclose()
                    if self._aborted is not None:
                        cause, reason = self._aborted
                        raise FanOutAborted(
                            cause, reason, completed=self._delivered, next_index=self._next_index
                        )
                    raise StopAsyncIteration
                if flight.progress is not None:
                    flight.progress.show()  # again, if it was cleared for the caller
                await flight.wait()
        except BaseException:
            await flight.aclose()
            raise
        return self._ready.popleft()

    def _start(self) -> None:
        """Start calls while there is room (and, ordered, room in the reorder window)."""
        flight = self.flight
        limit = self._concurrency if self._opened else 1
        while (
            not self._exhausted
            and self._aborted is None
            and len(flight.running) < limit
            and (not self._ordered or self._next_index - self._next_to_yield < self._window)
        ):
            if self._sync_it is not None:
                try:
                    item = next(self._sync_it)
                except StopIteration:
                    self._exhausted = True
                    return
            else:
                assert flight.source is not None
                pending = flight.pending
                if pending is None:
                    pending = flight.pending = flight.loop.create_task(_pull(flight.source))
                    pending.add_done_callback(flight.wake)
                if not pending.done():
                    return  # wait for it, or for a call, whichever comes first
                flight.pending = None
                pulled = pending.result()
                if pulled is None:
                    self._exhausted = True
                    return
                item = pulled[0]
            task = flight.loop.create_task(_call(self._fn, self._next_index, item, flight))
            task.add_done_callback(flight.finished)
            flight.running.add(task)
            self._next_index += 1

    def _take(self, result: Result[In, Out]) -> None:
        """Account for a finished call; queue its Result (in input order when ordered)."""
        if result.error is not None and self._aborted is None:
            reason = self._fatal(result.error)
            if reason is not None:
                self._aborted = (result.error, reason)
        if self._aborted is None:
            self._opened = True
        progress = self.flight.progress
        if progress is not None:
            progress.advance(error=result.error is not None)
            if self.flight.clear_for_caller:
                progress.clear()
        if self._on_result is not None:
            self._on_result(result)
        if not self._ordered:
            self._delivered += 1
            self._ready.append(result)
            return
        buffer = self._buffer
        buffer[result.index] = result
        while self._next_to_yield in buffer:
            self._delivered += 1
            self._ready.append(buffer.pop(self._next_to_yield))
            self._next_to_yield += 1


async def _call(
    fn: Callable[[In], Awaitable[Out]], index: int, item: In, flight: _Flight[In, Out]
) -> Result[In, Out]:
    """Run one call; any error it raises, a CancelledError of its own included, is its Result.

    Only the run's own stop (``flight.closing``) cancels it as a task.
    """
    info = CallInfo()
    CALL_INFO.set(info)
    start = time.monotonic()
    value: Out | None = None
    error: BaseException | None = None
    try:
        value = await fn(item)
    except Exception as exc:
        error = exc
    except asyncio.CancelledError as exc:
        if flight.closing:
            raise
        error = exc
    return Result(
        index=index,
        input=item,
        value=value,
        error=error,
        attempts=1 + info.retries,
        elapsed=time.monotonic() - start,
    )


async def _pull(source: AsyncIterator[In]) -> tuple[In] | None:
    """The next input of an async source, or None at its end."""
    try:
        return (await anext(source),)
    except StopAsyncIteration:
        return None


def fan_out(
    fn: Callable[[In], Awaitable[Out]],
    inputs: Iterable[In] | AsyncIterable[In],
    *,
    concurrency: int = 64,
    ordered: bool = False,
    window: int | None = None,
    progress: ProgressOption = False,
    on_result: Callable[[Result[In, Out]], None] | None = None,
    fatal: Callable[[BaseException], str | None] = fatal_cause,
) -> FanOut[In, Out]:
    """Run ``fn`` over ``inputs`` with at most ``concurrency`` calls in flight.

    ``async for r in fan_out(...)`` yields a :class:`Result` per input as each completes (in
    input order with ``ordered=True``, buffering at most ``window``, default 4 x concurrency);
    ``await fan_out(...)`` returns every Result in input order. Inputs are read lazily from any
    iterable or async iterable. ``progress=True`` draws a bar on stderr: tqdm's when tqdm is
    installed (``pip install aio_openai[progress]``), else a built-in one that fits the
    terminal; a text stream draws the built-in bar there, a tqdm instance (or any object with
    ``update`` and ``close``) is advanced and left open, and any other callable is called with
    ``total=`` to make the bar (``progress=tqdm.notebook.tqdm``). While stdout is a terminal,
    the bar is cleared before each result is delivered and drawn again after, so a ``print`` of
    the result keeps its own line. ``on_result`` is called with each Result as it is delivered.
    A failed call's error is in its Result, a CancelledError the function raised itself
    included; an error for which ``fatal`` returns a reason (by default a 401 or
    insufficient_quota) stops taking inputs, lets the calls in flight finish and raises
    :class:`FanOutAborted` (awaited, it carries every finished Result). One call goes first; the
    others start once a call came back without such an error, so a refused key costs one
    request. Leaving the loop by any means (``break``, an exception, cancelling the task)
    cancels the calls in flight at once; ``await results.aclose()`` or ``async with`` also waits
    until they are gone, so no task is left behind.
    """
    return FanOut(
        fn,
        inputs,
        concurrency=concurrency,
        ordered=ordered,
        window=window,
        progress=progress,
        on_result=on_result,
        fatal=fatal,
    )
