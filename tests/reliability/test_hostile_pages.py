"""A cursor list whose server never lets it end: every walk stops with PaginationError.

A real aiohttp server on loopback answers ``GET /v1/assistants`` the way a broken or hostile
server would: ``has_more: true`` with the cursor it was asked for, cursors that go round in a
circle, or ``has_more: true`` with nothing to go on with. The walks are guarded by a timeout
(against the endless loop this guards against, not a timing).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, Final

import pytest
from aiohttp import web
from deprecations import ASSISTANTS_API_DEPRECATED

from aio_openai import APIResponseValidationError, AsyncOpenAI, PaginationError

pytestmark = ASSISTANTS_API_DEPRECATED

#: The longest a walk may take before it counts as endless.
GUARD: Final = 10.0


def assistant(n: int) -> dict[str, Any]:
    return {"id": f"asst_{n}", "object": "assistant", "created_at": 0, "model": "gpt-4"}


def page(ids: list[int], *, last: int | None, has_more: bool = True) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [assistant(n) for n in ids],
        "first_id": f"asst_{ids[0]}" if ids else None,
        "last_id": None if last is None else f"asst_{last}",
        "has_more": has_more,
    }


#: What the server answers to each ``after`` (None: the first page), per scenario.
Script = Callable[[str | None], dict[str, Any]]

SCRIPTS: Final[dict[str, Script]] = {
    # the same page, the same last_id, whatever the cursor
    "stuck": lambda after: page([1], last=1),
    # asst_1 -> asst_2 -> asst_1 -> ...
    "circle": lambda after: page([2], last=2) if after == "asst_1" else page([1], last=1),
    # has_more, but no item and no last_id to go on with
    "no cursor": lambda after: page([], last=None),
    # a normal list of two pages
    "healthy": lambda after: (
        page([3, 4], last=4, has_more=False) if after == "asst_2" else page([1, 2], last=2)
    ),
}


class Server:
    """The loopback server: the scenario it plays, and the cursors it was asked for."""

    def __init__(self) -> None:
        self.script: Script = SCRIPTS["healthy"]
        self.asked: list[str | None] = []
        self.url = ""

    async def assistants(self, request: web.Request) -> web.Response:
        after = request.query.get("after")
        self.asked.append(after)
        return web.json_response(
            self.script(after), headers={"x-request-id": f"req_{len(self.asked)}"}
        )


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    app = web.Application()
    app.router.add_get("/v1/assistants", srv.assistants)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    srv.url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    yield srv
    await runner.cleanup()


@pytest.fixture
async def client(server: Server, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(api_key="sk-pages", base_url=server.url, max_retries=0) as c:
        yield c


async def walk(client: AsyncOpenAI, seen: list[str], **query: Any) -> None:
    async with asyncio.timeout(GUARD):
        async for a in client.beta.assistants.list(**query):
            seen.append(a.id)


async def test_a_cursor_that_does_not_advance_ends_the_walk(
    server: Server, client: AsyncOpenAI
) -> None:
    server.script = SCRIPTS["stuck"]
    seen: list[str] = []
    with pytest.raises(PaginationError) as info:
        await walk(client, seen)
    assert seen == ["asst_1", "asst_1"]  # every page that came is delivered
    assert server.asked == [None, "asst_1"]
    err = info.value
    assert isinstance(err, APIResponseValidationError)
    assert err.status_code == 200 and err.request_id == "req_2"
    assert "'asst_1' again" in str(err) and "/v1/assistants" in str(err)


async def test_a_manual_loop_over_a_stuck_cursor_ends(server: Server, client: AsyncOpenAI) -> None:
    server.script = SCRIPTS["stuck"]
    async with asyncio.timeout(GUARD):
        page = await client.beta.assistants.list()
        with pytest.raises(PaginationError):
            while page.has_next_page():
                page = await page.get_next_page()
    assert server.asked == [None, "asst_1"]


async def test_cursors_that_go_round_in_a_circle_end_the_walk(
    server: Server, client: AsyncOpenAI
) -> None:
    server.script = SCRIPTS["circle"]
    seen: list[str] = []
    with pytest.raises(PaginationError, match="'asst_1' again"):
        await walk(client, seen)
    assert seen == ["asst_1", "asst_2", "asst_1"]
    assert server.asked == [None, "asst_1", "asst_2"]


async def test_has_more_without_a_cursor_ends_the_walk(server: Server, client: AsyncOpenAI) -> None:
    server.script = SCRIPTS["no cursor"]
    page = await client.beta.assistants.list()  # the page itself is delivered
    assert page.data == [] and page.has_more
    assert page.has_next_page()  # so that a loop on it ends with the error, not silently
    with pytest.raises(PaginationError, match="no cursor"):
        await page.get_next_page()
    with pytest.raises(PaginationError, match="no cursor"):
        await walk(client, [])
    assert server.asked == [None, None]


async def test_a_first_page_repeating_the_callers_cursor_ends_the_walk(
    server: Server, client: AsyncOpenAI
) -> None:
    server.script = SCRIPTS["stuck"]
    seen: list[str] = []
    with pytest.raises(PaginationError):
        await walk(client, seen, after="asst_1")
    assert seen == ["asst_1"]
    assert server.asked == ["asst_1"]


async def test_a_healthy_list_is_walked_to_its_end(server: Server, client: AsyncOpenAI) -> None:
    seen: list[str] = []
    await walk(client, seen)
    assert seen == ["asst_1", "asst_2", "asst_3", "asst_4"]
    assert server.asked == [None, "asst_2"]
