"""fan_out with plain async functions: laziness, order, errors, fatal errors, cancellation."""

from __future__ import annotations

import asyncio
import io
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aio_openai import FanOutAborted, Result, fan_out
from aio_openai._chain import CALL_INFO
from aio_openai._fanout import fatal_cause


class Gate:
    """An async function whose calls finish only when released, counting concurrency."""

    def __init__(self) -> None:
        self.active = 0
        self.peak = 0
        self.started: list[int] = []
        self.events: dict[int, asyncio.Event] = {}

    async def __call__(self, x: int) -> int:
        self.active += 1
        self.peak = max(self.peak, self.active)
        self.started.append(x)
        event = self.events.setdefault(x, asyncio.Event())
        try:
            await event.wait()
        finally:
            self.active -= 1
        return x * 10

    def release(self, x: int) -> None:
        self.events.setdefault(x, asyncio.Event()).set()


async def double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


async def test_await_gives_every_result_in_input_order() -> None:
    results = await fan_out(double, range(500), concurrency=7)
    assert [r.index for r in results] == list(range(500))
    assert [r.value for r in results] == [2 * i for i in range(500)]
    assert all(r.ok and r.error is None and r.attempts == 1 for r in results)
    assert [r.input for r in results] == list(range(500))


async def test_unordered_yields_as_completed() -> None:
    gate = Gate()
    seen: list[int] = []

    async def consume() -> None:
        async for r in fan_out(gate, range(4), concurrency=3):
            seen.append(r.input)

    gate.release(0)  # the first call goes alone; the others start once it came back
    task = asyncio.create_task(consume())
    while len(gate.started) < 4:
        await asyncio.sleep(0)
    for x in (3, 1, 2):
        gate.release(x)
        while len(seen) < [0, 3, 1, 2].index(x) + 1:
            await asyncio.sleep(0)
    await task
    assert seen == [0, 3, 1, 2]


async def test_ordered_yields_in_input_order() -> None:
    gate = Gate()
    seen: list[int] = []

    async def consume() -> None:
        async for r in fan_out(gate, range(4), concurrency=3, ordered=True):
            seen.append(r.input)

    gate.release(0)  # the first call goes alone; the others start once it came back
    task = asyncio.create_task(consume())
    while len(gate.started) < 4:
        await asyncio.sleep(0)
    gate.release(3)
    gate.release(2)
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == [0]  # 1 is not done: nothing may be yielded out of order
    gate.release(1)
    await task
    assert seen == [0, 1, 2, 3]


async def test_concurrency_cap_and_lazy_reading() -> None:
    gate = Gate()
    pulled: list[int] = []

    def source() -> Any:
        for i in itertools.count():
            pulled.append(i)
            yield i

    async def consume() -> list[int]:
        out = []
        async for r in fan_out(gate, source(), concurrency=4):
            out.append(r.input)
            if len(out) == 10:
                break
        return out

    gate.release(0)  # the first call goes alone; the others start once it came back
    task = asyncio.create_task(consume())
    while len(gate.started) < 5:
        await asyncio.sleep(0)
    assert len(pulled) == 5  # an endless generator is read only as slots free up
    async with asyncio.timeout(10):  # a guard against a hang, not a timing
        for i in range(1, 9):
            gate.release(i)
            while len(gate.started) < i + 5:  # each completion lets exactly one more start
                await asyncio.sleep(0)
            assert gate.active <= 4
        gate.release(9)
        out = await task
    assert len(out) == 10
    assert gate.peak == 4
    assert len(pulled) == 13  # nothing is read beyond the slots that freed up


async def test_ordered_reorder_window_is_bounded() -> None:
    gate = Gate()
    results = fan_out(gate, range(100), concurrency=2, ordered=True, window=4)
    gate.release(0)  # the first call goes alone; the others start once it came back
    task = asyncio.create_task(results._collect())
    while len(gate.started) < 3:
        await asyncio.sleep(0)
    # index 1 stays stuck: at most window inputs may start beyond what was yielded
    for x in range(2, 10):
        gate.release(x)
    for _ in range(20):
        await asyncio.sleep(0)
    assert max(gate.started) == 4
    for x in range(100):
        gate.release(x)
    out = await task
    assert [r.index for r in out] == list(range(100))


async def test_async_iterable_inputs() -> None:
    async def source() -> AsyncIterator[int]:
        for i in range(50):
            await asyncio.sleep(0)
            yield i

    results = await fan_out(double, source(), concurrency=5)
    assert [r.value for r in results] == [2 * i for i in range(50)]


async def test_one_failure_never_stops_the_others() -> None:
    async def flaky(x: int) -> int:
        if x % 3 == 0:
            raise ValueError(f"bad {x}")
        return x

    results = await fan_out(flaky, range(30), concurrency=4)
    assert len(results) == 30
    failed = [r for r in results if not r.ok]
    assert [r.input for r in failed] == list(range(0, 30, 3))
    assert all(isinstance(r.error, ValueError) and r.value is None for r in failed)
    assert all(r.value == r.input for r in results if r.ok)


class Fatal(Exception):
    pass


async def test_fatal_error_stops_taking_inputs_and_says_where_to_resume() -> None:
    pulled: list[int] = []

    def source() -> Any:
        for i in range(1000):
            pulled.append(i)
            yield i

    async def call(x: int) -> int:
        await asyncio.sleep(0)
        if x == 20:
            raise Fatal("key revoked")
        return x

    delivered: list[Result[int, int]] = []
    with pytest.raises(FanOutAborted) as info:
        async for r in fan_out(
            call,
            source(),
            concurrency=4,
            fatal=lambda e: "boom" if isinstance(e, Fatal) else None,
        ):
            delivered.append(r)
    err = info.value
    assert isinstance(err.cause, Fatal)
    assert err.completed == len(delivered)
    assert "boom" in str(err) and f"{err.completed} inputs completed" in str(err)
    assert len(pulled) < 40  # it stopped reading
    # every input before next_index was delivered, none after
    assert sorted(r.index for r in delivered) == list(range(err.next_index))


def make_status_error(status: int, code: str | None, type_: str | None) -> Any:
    import json as _json

    import aiohttp
    from multidict import CIMultiDict, CIMultiDictProxy
    from yarl import URL

    from aio_openai import Request, Response
    from aio_openai._exceptions import status_error

    req = Request(
        method="GET", url=URL("http://x/v1/models"), headers={}, timeout=aiohttp.ClientTimeout()
    )
    body = {"error": {"message": "m", "type": type_, "param": None, "code": code}}
    return status_error(
        Response(
            status=status,
            headers=CIMultiDictProxy(CIMultiDict()),
            content=_json.dumps(body).encode(),
            request=req,
        )
    )


async def test_default_fatal_errors() -> None:
    assert fatal_cause(make_status_error(401, None, None)) is not None
    quota = make_status_error(429, "insufficient_quota", "insufficient_quota")
    assert "insufficient_quota" in (fatal_cause(quota) or "")
    assert fatal_cause(make_status_error(429, "rate_limit_exceeded", "requests")) is None
    assert fatal_cause(make_status_error(403, None, None)) is None
    assert fatal_cause(ValueError()) is None


async def test_breaking_out_cancels_in_flight_and_leaves_no_task() -> None:
    gate = Gate()
    results = fan_out(gate, range(1000), concurrency=8)
    gate.release(0)
    gate.release(1)
    async for r in results:
        if r.index == 1:  # 7 calls in flight
            break
    await results.aclose()
    assert gate.active == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_async_with_closes() -> None:
    gate = Gate()
    gate.release(0)
    gate.release(1)
    async with fan_out(gate, range(1000), concurrency=8) as results:
        async for r in results:
            if r.index == 1:  # 7 calls in flight
                break
    assert gate.active == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_cancelling_the_consumer_cancels_calls() -> None:
    gate = Gate()

    async def consume() -> None:
        async for _ in fan_out(gate, range(1000), concurrency=8):
            pass

    gate.release(0)  # the first call goes alone; the others start once it came back
    task = asyncio.create_task(consume())
    while gate.active < 8:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert gate.active == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_progress_and_callback() -> None:
    stream = io.StringIO()
    seen: list[int] = []
    results = await fan_out(
        double,
        list(range(20)),
        concurrency=3,
        progress=stream,
        on_result=lambda r: seen.append(r.index),
    )
    assert sorted(seen) == list(range(20)) and len(results) == 20
    line = stream.getvalue()
    assert "20/20" in line and "errors 0" in line


async def test_attempts_come_from_the_retry_middleware() -> None:
    async def retried_twice(x: int) -> int:
        info = CALL_INFO.get()
        assert info is not None
        info.retries += 2
        return x

    [result] = await fan_out(retried_twice, [1])
    assert result.attempts == 3


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        fan_out(double, [], concurrency=0)
    with pytest.raises(ValueError):
        fan_out(double, [], concurrency=8, window=4)


async def test_a_slow_async_source_does_not_hold_back_finished_results() -> None:
    # The next input comes only once the first result was seen (a crawler feeding its queue
    # from its results): waiting on the source must not keep a finished result from the loop.
    more = asyncio.Event()

    async def source() -> AsyncIterator[int]:
        yield 1
        await more.wait()
        yield 2

    seen: list[int | None] = []
    async with asyncio.timeout(10):  # a guard against the deadlock, not a timing
        async for r in fan_out(double, source(), concurrency=4):
            seen.append(r.value)
            more.set()
    assert seen == [2, 4]


async def test_closing_while_waiting_on_the_source_closes_it_and_leaves_no_task() -> None:
    closed: list[bool] = []
    never = asyncio.Event()

    async def source() -> AsyncIterator[int]:
        try:
            yield 1
            await never.wait()
            yield 2
        finally:
            closed.append(True)

    results = fan_out(double, source(), concurrency=4)
    async with asyncio.timeout(10):  # a guard against a hang, not a timing
        async for r in results:
            assert r.value == 2
            break
    await results.aclose()
    assert closed == [True]
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_an_error_of_the_async_source_propagates_after_cancelling_calls() -> None:
    gate = Gate()
    gate.release(0)  # the first call goes alone; the others start once it came back

    async def source() -> AsyncIterator[int]:
        yield 0
        yield 1
        yield 2
        while gate.active < 2:
            await asyncio.sleep(0)
        raise OSError("the source broke")

    with pytest.raises(OSError, match="the source broke"):
        async for _ in fan_out(gate, source(), concurrency=4):
            pass
    assert gate.active == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_a_fatal_error_does_not_wait_for_a_stuck_source() -> None:
    never = asyncio.Event()

    async def source() -> AsyncIterator[int]:
        yield 1
        await never.wait()
        yield 2

    async def call(x: int) -> int:
        raise Fatal("key revoked")

    with pytest.raises(FanOutAborted) as info:
        async with asyncio.timeout(10):  # a guard against a hang, not a timing
            async for _ in fan_out(call, source(), fatal=lambda e: "boom"):
                pass
    assert (info.value.completed, info.value.next_index) == (1, 1)
    assert asyncio.all_tasks() == {asyncio.current_task()}


# -- a call's own CancelledError, a stop that keeps its results, the probe call, a plain break --


async def test_an_item_raising_cancelled_error_by_itself_is_one_failed_result() -> None:
    async def call(x: int) -> int:
        await asyncio.sleep(0)
        if x % 7 == 3:
            raise asyncio.CancelledError  # the function's own, nobody cancelled the batch
        return x

    results = await fan_out(call, range(50), concurrency=4)
    assert [r.index for r in results] == list(range(50))
    failed = [r.input for r in results if not r.ok]
    assert failed == list(range(3, 50, 7))
    assert all(isinstance(r.error, asyncio.CancelledError) for r in results if not r.ok)
    assert all(r.value == r.input for r in results if r.ok)


async def test_a_call_task_cancelled_by_someone_else_is_one_failed_result() -> None:
    async def call(x: int) -> int:
        await asyncio.sleep(0)
        if x == 5:
            task = asyncio.current_task()
            assert task is not None
            task.cancel()  # as a third party holding the task would
            await asyncio.sleep(0)
        return x

    results = await fan_out(call, range(20), concurrency=4)
    assert len(results) == 20
    assert [r.input for r in results if not r.ok] == [5]
    assert isinstance(results[5].error, asyncio.CancelledError)


async def test_awaiting_a_stopped_fan_out_keeps_every_finished_result() -> None:
    async def call(x: int) -> int:
        await asyncio.sleep(0)
        if x == 20:
            raise Fatal("key revoked")
        return 10 * x

    with pytest.raises(FanOutAborted) as info:
        await fan_out(
            call,
            range(1000),
            concurrency=4,
            fatal=lambda e: "boom" if isinstance(e, Fatal) else None,
        )
    err = info.value
    assert [r.index for r in err.results] == list(range(err.next_index))
    assert len(err.results) == err.completed
    assert err.results[20].error is err.cause
    assert all(r.value == 10 * r.input for r in err.results if r.index != 20)


async def test_iterating_a_stopped_fan_out_leaves_its_results_to_the_loop() -> None:
    async def call(x: int) -> int:
        if x == 3:
            raise Fatal("key revoked")
        return x

    seen: list[int] = []
    with pytest.raises(FanOutAborted) as info:
        async for r in fan_out(call, range(100), concurrency=2, fatal=lambda e: "boom"):
            seen.append(r.index)
    assert info.value.results == []  # each was delivered to the loop already
    assert sorted(seen) == list(range(info.value.next_index))


async def test_one_call_goes_first_and_the_rest_follow_once_it_came_back() -> None:
    gate = Gate()
    task = asyncio.create_task(fan_out(gate, range(100), concurrency=8)._collect())
    while not gate.started:
        await asyncio.sleep(0)
    for _ in range(20):
        await asyncio.sleep(0)
    assert gate.started == [0]  # until its answer comes, nothing else is sent
    gate.release(0)
    async with asyncio.timeout(10):  # a guard against a hang, not a timing
        while len(gate.started) < 9:
            await asyncio.sleep(0)
    assert gate.active == 8  # then the whole concurrency at once
    for x in range(100):
        gate.release(x)
    assert len(await task) == 100


async def test_a_fatal_first_answer_sends_nothing_else() -> None:
    calls: list[int] = []

    async def refused(x: int) -> int:
        calls.append(x)
        await asyncio.sleep(0)
        raise Fatal("key refused")

    with pytest.raises(FanOutAborted) as info:
        await fan_out(refused, range(1000), concurrency=256, fatal=lambda e: "boom")
    assert calls == [0]
    assert (info.value.completed, info.value.next_index) == (1, 1)


async def test_a_per_item_error_first_opens_up_too() -> None:
    gate = Gate()

    async def call(x: int) -> int:
        if x == 0:
            raise ValueError("a bad input, not a bad key")
        return await gate(x)

    task = asyncio.create_task(fan_out(call, range(100), concurrency=8)._collect())
    async with asyncio.timeout(10):  # a guard against a hang, not a timing
        while len(gate.started) < 8:
            await asyncio.sleep(0)
    for x in range(100):
        gate.release(x)
    results = await task
    assert [r.ok for r in results] == [False] + [True] * 99


class Counted(Gate):
    """A Gate that also counts the calls cancelled while waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = 0

    async def __call__(self, x: int) -> int:
        try:
            return await super().__call__(x)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


async def until(condition: Any) -> None:
    """Return once ``condition()`` holds; a guard against a hang, not a timing."""
    async with asyncio.timeout(10):
        while not condition():
            await asyncio.sleep(0)


@pytest.mark.parametrize("held", [False, True], ids=["temporary", "held-in-a-variable"])
async def test_a_plain_break_cancels_the_calls_in_flight(held: bool) -> None:
    gate = Counted()
    gate.release(0)
    gate.release(1)
    if held:
        results = fan_out(gate, range(1000), concurrency=8)
        async for r in results:
            if r.index == 1:
                break  # no aclose(), no async with
    else:
        async for r in fan_out(gate, range(1000), concurrency=8):
            if r.index == 1:
                break
    await until(lambda: gate.active == 0)
    assert gate.cancelled == 7
    assert asyncio.all_tasks() == {asyncio.current_task()}
    if held:
        await results.aclose()  # still works, with nothing left to do
