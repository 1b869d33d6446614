"""SessionPool lifecycle: one session per event loop, closed with its loop or by ``aclose``."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import warnings
from collections.abc import Iterator

import aiohttp
import pytest

from aio_openai import AsyncOpenAI
from aio_openai.testing import FakeOpenAI

pytestmark = pytest.mark.usefixtures("clean_env")

KEY = "sk-pool-0123456789abcdef"


def resource_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [
        str(w.message)
        for w in caught
        if issubclass(w.category, ResourceWarning) or "Unclosed" in str(w.message)
    ]


@pytest.fixture
def loop_in_thread() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running forever in a thread of its own, stopped and closed after."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="other-loop", daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def test_one_client_across_two_asyncio_runs(
    fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sessions: list[aiohttp.ClientSession] = []
    loops: list[asyncio.AbstractEventLoop] = []
    held: dict[str, AsyncOpenAI] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        held["client"] = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)

        async def call() -> str:
            client = held["client"]
            model = await client.models.retrieve("gpt-4")
            page = await client.models.list()
            assert len(page.data) == 35
            sessions.append(client._pool.session())
            loops.append(asyncio.get_running_loop())
            return model.id

        assert asyncio.run(call()) == "gpt-4"
        assert sessions[0].closed, "the session must close when its loop shuts down"
        assert asyncio.run(call()) == "gpt-4"
        assert sessions[1].closed
        assert sessions[0] is not sessions[1]
        assert loops[0] is not loops[1]
        assert not held["client"].is_closed()  # loops ending does not close the client
        held.clear()
        sessions.clear()
        loops.clear()
        gc.collect()
    assert resource_warnings(caught) == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert len(fake_openai.requests) == 4


def test_a_session_per_loop_closed_with_its_loop(fake_openai: FakeOpenAI) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)
    seen: list[aiohttp.ClientSession] = []

    async def use() -> None:
        await client.models.retrieve("gpt-4")
        session = client._pool.session()
        assert client._pool.session() is session  # one session for the whole loop
        assert not session.closed
        seen.append(session)

    asyncio.run(use())
    first = seen[0]
    assert first.closed
    assert first.connector is None or first.connector.closed
    asyncio.run(use())
    assert seen[1] is not first
    assert seen[1].closed
    asyncio.run(client.aclose())


def test_many_loops_do_not_pile_up_sessions(fake_openai: FakeOpenAI) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)

    async def use() -> int:
        await client.models.retrieve("gpt-4")
        return len(client._pool._sessions)

    counts = [asyncio.run(use()) for _ in range(5)]
    assert counts == [1] * 5
    asyncio.run(client.aclose())


async def test_concurrent_calls_in_one_loop_share_one_session(fake_openai: FakeOpenAI) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=fake_openai.url) as client:
        models = await asyncio.gather(*(client.models.retrieve("gpt-4") for _ in range(20)))
        assert {m.id for m in models} == {"gpt-4"}
        assert len(client._pool._sessions) == 1
        assert client._pool.connections >= 1


async def test_aclose_closes_the_session_and_later_calls_fail_clearly(
    fake_openai: FakeOpenAI,
) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)
    await client.models.retrieve("gpt-4")
    session = client._pool.session()
    assert not client.is_closed()
    await client.aclose()
    assert session.closed
    assert client.is_closed()
    with pytest.raises(RuntimeError, match="closed") as info:
        await client.models.retrieve("gpt-4")
    assert "AsyncOpenAI" in str(info.value)
    with pytest.raises(RuntimeError, match="closed"):
        await client.with_options(timeout=1).models.list()
    assert len(fake_openai.requests) == 1


async def test_aclose_twice_is_harmless(fake_openai: FakeOpenAI) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)
    await client.models.list()
    await client.aclose()
    await client.aclose()
    assert client.is_closed()


async def test_aclose_without_any_call(fake_openai: FakeOpenAI) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)
    await client.aclose()
    assert client.is_closed()


async def test_no_tasks_left_pending_after_aclose(fake_openai: FakeOpenAI) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)
    await asyncio.gather(client.models.list(), client.models.retrieve("gpt-4"))
    with pytest.raises(Exception):  # noqa: B017 - any error will do, the point is cleanup
        await client.models.retrieve("no-such-model")
    await client.aclose()
    pending = asyncio.all_tasks() - {asyncio.current_task()}
    assert pending == set()


async def test_async_with_closes_the_client(fake_openai: FakeOpenAI) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=fake_openai.url) as client:
        assert isinstance(client, AsyncOpenAI)
        assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
        session = client._pool.session()
    assert session.closed
    assert client.is_closed()


async def test_async_with_closes_on_error(fake_openai: FakeOpenAI) -> None:
    with pytest.raises(KeyError):
        async with AsyncOpenAI(api_key=KEY, base_url=fake_openai.url) as client:
            await client.models.list()
            session = client._pool.session()
            raise KeyError("boom")
    assert session.closed


async def test_aclose_closes_the_session_of_another_running_loop(
    fake_openai: FakeOpenAI, loop_in_thread: asyncio.AbstractEventLoop
) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url)

    async def use_there() -> aiohttp.ClientSession:
        await client.models.retrieve("gpt-4")
        return client._pool.session()

    there = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(use_there(), loop_in_thread))
    await client.models.retrieve("gpt-4")
    here = client._pool.session()
    assert here is not there
    await client.aclose()
    assert here.closed
    assert there.closed
