"""fan_out: thousands of concurrent calls, read lazily, with nothing lost.

::

    async for r in fan_out(client.models.retrieve, ids, concurrency=64):   # as each completes
        r.index, r.input, r.ok, r.value, r.error, r.attempts, r.elapsed
    results = await fan_out(client.models.retrieve, ids)                    # all, in input order

At most ``concurrency`` calls are in flight, and inputs are pulled from the (async) iterable
only when a slot is free, so memory stays bounded by the concurrency (plus, with
``ordered=True``, a reorder window) whatever the input's length. Pacing comes from the
client's rate limiter; the concurrency is only the ceiling. A failed call is a result, not an
exception, except errors that doom every later call (AuthenticationError, insufficient_quota):
those stop the batch with :class:`FanOutAborted`.
"""

from __future__ import annotations

import asyncio
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
)
from typing import Any, Generic, TypeVar

import attrs

from ._chain import CALL_INFO, CallInfo
from ._exceptions import AuthenticationError, OpenAIError, RateLimitError
from ._progress import Bar, ProgressOption, _isatty, check_progress, progress_bar

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
    resume from ``next_index``.
    """

    def __init__(self, cause: BaseException, reason: str, *, completed: int, next_index: int):
        super().__init__(
            f"fan_out stopped: {reason}. {completed} inputs completed; inputs from index"
            f" {next_index} on were not sent (resume from there)."
        )
        self.cause = cause
        self.reason = reason
        self.completed = completed
        self.next_index = next_index


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
    try:
        return len(inputs)  # type: ignore[arg-type]
    except TypeError:
        return None


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
        self._gen: AsyncIterator[Result[In, Out]] | None = None

    def __aiter__(self) -> AsyncIterator[Result[In, Out]]:
        if self._gen is not None:
            raise RuntimeError("a fan_out can be iterated only once")
        self._gen = self._run()
        return self._gen

    def __await__(self) -> Generator[Any, None, list[Result[In, Out]]]:
        return self._collect().__await__()

    async def _collect(self) -> list[Result[In, Out]]:
        self._to_caller = False
        results = [r async for r in self]
        if not self._ordered:
            results.sort(key=lambda r: r.index)
        return results

    async def aclose(self) -> None:
        """Stop: cancel the calls in flight and wait until they are gone."""
        gen = self._gen
        if gen is not None:
            await gen.aclose()  # type: ignore[attr-defined]

    async def __aenter__(self) -> FanOut[In, Out]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _call(self, index: int, item: In) -> Result[In, Out]:
        info = CallInfo()
        CALL_INFO.set(info)
        start = time.monotonic()
        try:
            value = await self._fn(item)
        except Exception as exc:
            return Result(
                index=index,
                input=item,
                error=exc,
                attempts=1 + info.retries,
                elapsed=time.monotonic() - start,
            )
        return Result(
            index=index,
            input=item,
            value=value,
            attempts=1 + info.retries,
            elapsed=time.monotonic() - start,
        )

    def _make_progress(self) -> tuple[Bar | None, bool]:
        """The bar, and whether to clear it before each result goes to the caller: when
        stdout is a terminal, where the caller's output would land in the bar's line."""
        bar = progress_bar(self._progress, _len_or_none(self._inputs), label="fan_out")
        return bar, bar is not None and self._to_caller and _isatty(sys.stdout)

    async def _run(self) -> AsyncIterator[Result[In, Out]]:
        loop = asyncio.get_running_loop()
        inputs = self._inputs
        sync_it: Iterator[In] | None = None
        async_it: AsyncIterator[In] | None = None
        if isinstance(inputs, AsyncIterable):
            async_it = aiter(inputs)
        else:
            sync_it = iter(inputs)
        running: set[asyncio.Task[Result[In, Out]]] = set()
        done: deque[asyncio.Task[Result[In, Out]]] = deque()
        wake: list[asyncio.Future[None] | None] = [None]
        # the next input of an async source, being fetched while calls run and results are
        # delivered (a slow source must not hold back a finished result)
        pending: asyncio.Task[tuple[In] | None] | None = None

        def wake_up(_: object = None) -> None:
            fut = wake[0]
            if fut is not None and not fut.done():
                fut.set_result(None)

        def finished(task: asyncio.Task[Result[In, Out]]) -> None:
            running.discard(task)
            done.append(task)
            wake_up()

        next_index = 0
        next_to_yield = 0
        delivered = 0
        exhausted = False
        aborted: tuple[BaseException, str] | None = None
        buffer: dict[int, Result[In, Out]] = {}
        progress, clear_for_caller = self._make_progress()
        try:
            while True:
                # start calls while there is room (and, ordered, room in the reorder window)
                while (
                    not exhausted
                    and aborted is None
                    and len(running) < self._concurrency
                    and (not self._ordered or next_index - next_to_yield < self._window)
                ):
                    if sync_it is not None:
                        try:
                            item = next(sync_it)
                        except StopIteration:
                            exhausted = True
                            break
                    else:
                        assert async_it is not None
                        if pending is None:
                            pending = loop.create_task(_pull(async_it))
                            pending.add_done_callback(wake_up)
                        if not pending.done():
                            break  # wait for it, or for a call, whichever comes first
                        pulled, pending = pending.result(), None
                        if pulled is None:
                            exhausted = True
                            break
                        item = pulled[0]
                    task = loop.create_task(self._call(next_index, item))
                    task.add_done_callback(finished)
                    running.add(task)
                    next_index += 1
                if not running and not done and (pending is None or aborted is not None):
                    break
                if not done:
                    if progress is not None:
                        progress.show()  # again, if it was cleared for the caller
                    waiter: asyncio.Future[None] = loop.create_future()
                    wake[0] = waiter
                    await waiter
                    wake[0] = None
                while done:
                    result = done.popleft().result()
                    if aborted is None and result.error is not None:
                        reason = self._fatal(result.error)
                        if reason is not None:
                            aborted = (result.error, reason)
                    if progress is not None:
                        progress.advance(error=result.error is not None)
                        if clear_for_caller:
                            progress.clear()
                    if self._on_result is not None:
                        self._on_result(result)
                    if not self._ordered:
                        delivered += 1
                        yield result
                        continue
                    buffer[result.index] = result
                    while next_to_yield in buffer:
                        delivered += 1
                        yield buffer.pop(next_to_yield)
                        next_to_yield += 1
            if aborted is not None:
                raise FanOutAborted(
                    aborted[0], aborted[1], completed=delivered, next_index=next_index
                )
        finally:
            if progress is not None:
                progress.close()
            leftover: list[asyncio.Task[Any]] = [*running]
            if pending is not None:
                leftover.append(pending)
            for task in leftover:
                task.cancel()
            if leftover:
                await asyncio.gather(*leftover, return_exceptions=True)
            if async_it is not None and hasattr(async_it, "aclose"):
                await async_it.aclose()


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
    ``await fan_out(...)`` returns every Result in input order. Inputs are read lazily from
    any iterable or async iterable. ``progress=True`` draws a bar on stderr: tqdm's when
    tqdm is installed (``pip install aio_openai[progress]``), else a built-in one that fits the
    terminal; a text stream draws the built-in bar there, a tqdm instance (or any object with
    ``update`` and ``close``) is advanced and left open, and any other callable is called with
    ``total=`` to make the bar (``progress=tqdm.notebook.tqdm``). While stdout is a terminal,
    the bar is cleared before each result is delivered and drawn again after, so a ``print``
    of the result keeps its own line. ``on_result`` is called with each Result as it is
    delivered. A failed call's error is in its Result; an error for which ``fatal`` returns a
    reason (by default a 401 or insufficient_quota) stops taking inputs, lets the calls in
    flight finish and raises :class:`FanOutAborted`. Leaving the loop early (then ``await
    results.aclose()``, or use ``async with``) or cancelling cancels the calls in flight and
    leaves no task behind.
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
