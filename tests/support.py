"""Test support shared by every test package: one fake clock, one server-less end of the chain,
one walk of the client's resources.

Imported like the other helpers at the top of tests/ (``from support import FakeClock``): pytest
puts tests/ on ``sys.path`` for its conftest.py. tests/test_support.py keeps further fake clocks
from appearing elsewhere.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from aio_openai import AsyncOpenAI, Request, Response
from aio_openai._resource import APIResource

#: One answer of a StubHandler: a Response to the request, or an exception raised.
Step = Callable[[Request], Response]


class FakeClock:
    """A monotonic clock that moves only when a test moves it, or when its ``sleep`` is awaited.

    Pass the clock as a ``clock=`` (it is called for the time) and ``clock.sleep`` as a ``sleep=``;
    a test moves the time with ``clock.now += seconds``. Every sleep is recorded in ``sleeps``,
    moves the time on by its seconds (at least ``min_step``, so that a tiny wait still moves a
    clock that reads 1,000 s) and lets the other tasks run once, as a real sleep does. While
    ``gate`` is set, a sleep instead waits for the gate to open and leaves the time where it was
    (``sleeping`` counts the sleeps waiting): the test decides when a sleeper wakes.
    """

    def __init__(self, now: float = 1000.0, *, min_step: float = 0.0, gated: bool = False) -> None:
        self.now = now
        self.min_step = min_step
        self.sleeps: list[float] = []
        self.sleeping = 0
        self.gate: asyncio.Event | None = asyncio.Event() if gated else None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.gate is not None:
            self.sleeping += 1
            try:
                await self.gate.wait()
            finally:
                self.sleeping -= 1
            return
        self.now += max(self.min_step, seconds)
        await asyncio.sleep(0)


def request(model: str | None = None, cost: int = 0) -> Request:
    """A request for a middleware: a POST for ``model`` costing ``cost`` tokens, else a GET."""
    return Request(
        method="POST" if model else "GET",
        url=URL("http://127.0.0.1:1/v1/x"),
        headers={},
        timeout=aiohttp.ClientTimeout(total=5),
        model=model,
        token_cost=cost,
    )


def answer(
    req: Request, status: int = 200, body: Any = None, headers: Mapping[str, str] | None = None
) -> Response:
    """A canned answer to ``req``: ``body`` as JSON (bytes as they are; None is ``{}``)."""
    content = body if isinstance(body, bytes) else json.dumps({} if body is None else body).encode()
    return Response(
        status=status,
        headers=CIMultiDictProxy(CIMultiDict(headers or {})),
        content=content,
        request=req,
    )


def reply(status: int = 200, body: Any = None, headers: Mapping[str, str] | None = None) -> Step:
    """A step of a StubHandler that answers ``status``, ``body`` and ``headers``."""
    return lambda req: answer(req, status, body, headers)


class StubHandler:
    """The end of a middleware chain without a server: canned answers to every request.

    With steps, the n-th call gets the n-th step's answer (the last step answers all the calls
    after it; a step may raise instead, as a transport error would). Without steps, every call
    gets ``status``, ``body`` and ``headers``, which a test may change between calls. While
    ``gate`` is set, calls wait for it to open before they are answered. ``calls`` counts the
    calls; ``attempts`` lists each call's ``request.attempt``.
    """

    def __init__(
        self,
        *steps: Step,
        status: int = 200,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.steps = list(steps)
        self.status = status
        self.body = body
        self.headers = headers
        self.gate: asyncio.Event | None = None
        self.calls = 0
        self.attempts: list[int] = []

    async def __call__(self, req: Request) -> Response:
        self.calls += 1
        self.attempts.append(req.attempt)
        if self.gate is not None:
            await self.gate.wait()
        if self.steps:
            return self.steps[min(self.calls, len(self.steps)) - 1](req)
        return answer(req, self.status, self.body, self.headers)


def resource_paths() -> dict[type[APIResource], str]:
    """Where each resource class lives under the client (``"beta.threads.runs"``), found by
    walking the client's resource properties (a resource added to the client is found)."""
    client = AsyncOpenAI(api_key="sk-resource-walk")
    found: dict[type[APIResource], str] = {}
    todo: list[tuple[Any, str]] = [(client, "")]
    while todo:
        parent, prefix = todo.pop()
        for name in dir(type(parent)):
            if name.startswith(("_", "with_")):
                continue
            attr = inspect.getattr_static(type(parent), name)
            if not isinstance(attr, property | functools.cached_property):
                continue
            child = getattr(parent, name)
            if isinstance(child, APIResource) and type(child) not in found:
                found[type(child)] = prefix + name
                todo.append((child, prefix + name + "."))
    return found


#: The paths of the admin API that FakeOpenAI's stateful admin fake serves (testing/_admin):
#: projects, users, invites, service accounts, keys, usage and costs; the other admin paths
#: are its generic mode's.
ADMIN_FAKE_SERVES: Final = re.compile(
    r"/organization/(?:"
    r"projects(?:/\{project_id\}(?:/(?:archive|users(?:/\{user_id\})?"
    r"|service_accounts(?:/\{service_account_id\}(?:/api_keys)?)?"
    r"|api_keys(?:/\{api_key_id\})?))?)?"
    r"|users(?:/\{user_id\})?|invites(?:/\{invite_id\})?|admin_api_keys(?:/\{key_id\})?"
    r"|usage/\w+|costs)"
)
