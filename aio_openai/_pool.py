"""SessionPool: one aiohttp ClientSession per running event loop, created lazily.

Traffic that needs session settings of its own gets a second session per loop, by name
(:meth:`SessionPool.side_session`): the WebSocket handshakes do (see ``_websocket``).

A client object made at import time works under any number of ``asyncio.run(...)`` calls:
each loop gets its own session, and the session is closed inside its own loop when that loop
shuts down (``asyncio.run`` closes async generators before closing the loop, and the pool
parks one tiny async generator per session for exactly that). Nothing is scheduled from
``__del__``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from ssl import SSLContext
from typing import Any

import aiohttp

__all__ = ["SessionPool", "close_in_own_loops", "close_with_loop"]


class PoolClosedError(RuntimeError):
    """The pool (and so every client sharing it) was closed."""


async def _keeper(close: Callable[[], Awaitable[object]]) -> AsyncGenerator[None, None]:
    """Wait until the loop shuts its async generators down, then ``close()``."""
    try:
        yield
    finally:
        await close()


def close_with_loop(close: Callable[[], Awaitable[object]]) -> AsyncGenerator[None, None]:
    """Have the running loop await ``close()`` when it shuts down; returns the keeper.

    The first step of an async generator registers it with the running loop, whose shutdown
    (asyncio.run, pytest-asyncio) then closes it, and so the resource. To close it sooner,
    give the keeper to :func:`close_in_own_loops`. Used for the sessions here and for the
    Redis rate limiter's clients: one of each per event loop.
    """
    keeper = _keeper(close)
    with contextlib.suppress(StopIteration):
        keeper.__anext__().send(None)
    return keeper


async def close_in_own_loops(
    keepers: Iterable[tuple[asyncio.AbstractEventLoop, AsyncGenerator[None, None]]],
) -> None:
    """Close now what each (loop, keeper) keeps: in the running loop, or in its own live loop."""
    here = asyncio.get_running_loop()
    for loop, keeper in keepers:
        if loop is here:
            await keeper.aclose()
        elif not loop.is_closed() and loop.is_running():
            fut = asyncio.run_coroutine_threadsafe(keeper.aclose(), loop)
            await asyncio.wrap_future(fut)


class SessionPool:
    """Hands out the ClientSession of the running event loop; closes them all on ``aclose``."""

    __slots__ = (
        "_closed",
        "_connector_kwargs",
        "_last",
        "_session_kwargs",
        "_sessions",
        "_side",
    )

    def __init__(
        self,
        *,
        max_connections: int = 1000,
        connect_timeout: float | None = 5.0,
        trust_env: bool = False,
        ssl: bool | SSLContext = True,
    ) -> None:
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, got {max_connections}")
        self._connector_kwargs: dict[str, Any] = {
            "limit": max_connections,
            "limit_per_host": 0,
            # True: verify certificates (aiohttp's default); False only when asked for
            "ssl": True if ssl is True else ssl,
        }
        self._session_kwargs: dict[str, Any] = {
            "trust_env": trust_env,
            "auto_decompress": True,
            "timeout": aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout),
            "raise_for_status": False,
        }
        self._sessions: dict[
            asyncio.AbstractEventLoop,
            tuple[aiohttp.ClientSession, AsyncGenerator[None, None]],
        ] = {}
        self._last: tuple[asyncio.AbstractEventLoop | None, aiohttp.ClientSession | None] = (
            None,
            None,
        )
        self._side: dict[
            tuple[asyncio.AbstractEventLoop, str],
            tuple[aiohttp.ClientSession, AsyncGenerator[None, None]],
        ] = {}
        self._closed = False

    @property
    def closed(self) -> bool:
        """True once ``aclose`` was called."""
        return self._closed

    def session(self) -> aiohttp.ClientSession:
        """The session of the running loop, made on first use; call it from inside the loop."""
        loop = asyncio.get_running_loop()
        last_loop, last_session = self._last
        if last_loop is loop and last_session is not None and not last_session.closed:
            return last_session
        return self._slow_session(loop)

    def _slow_session(self, loop: asyncio.AbstractEventLoop) -> aiohttp.ClientSession:
        """Find or make the session for ``loop``, dropping sessions of closed loops."""
        if self._closed:
            raise PoolClosedError("this client was closed; create a new AsyncOpenAI")
        for other in [lp for lp in self._sessions if lp.is_closed()]:
            del self._sessions[other]
        entry = self._sessions.get(loop)
        if entry is None or entry[0].closed:
            session = self._new_session()
            entry = (session, close_with_loop(session.close))
            self._sessions[loop] = entry
        self._last = (loop, entry[0])
        return entry[0]

    def _new_session(self, **settings: Any) -> aiohttp.ClientSession:
        """A session on connections of its own, with the pool's settings (and ``settings``)."""
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(**self._connector_kwargs),
            **{**self._session_kwargs, **settings},
        )
        # aiohttp re-sends an idempotent request once, on its own, when the connection is
        # reset or closed right after the request was written: an attempt the retry
        # middleware would neither count nor pay for from its budget. Every attempt is the
        # retry policy's to make, so that re-send is off (aiohttp's own test client turns
        # it off the same way; there is no public switch).
        session._retry_connection = False
        return session

    def side_session(self, name: str, **settings: Any) -> aiohttp.ClientSession:
        """The running loop's session called ``name``, made on first use with ``settings``
        (ClientSession keywords) over the pool's own, on connections of its own; closed with
        the others. Every call for a name must pass the same settings."""
        if self._closed:
            raise PoolClosedError("this client was closed; create a new AsyncOpenAI")
        loop = asyncio.get_running_loop()
        entry = self._side.get((loop, name))
        if entry is None or entry[0].closed:
            for key in [k for k in self._side if k[0].is_closed()]:
                del self._side[key]
            session = self._new_session(**settings)
            entry = (session, close_with_loop(session.close))
            self._side[(loop, name)] = entry
        return entry[0]

    @property
    def connections(self) -> int:
        """Open connections (in use or idle) across this pool's sessions."""
        total = 0
        sessions = [session for session, _ in self._sessions.values()]
        sessions += [session for session, _ in self._side.values()]
        for session in sessions:
            connector = session.connector
            if connector is not None and not connector.closed:
                total += sum(len(v) for v in connector._conns.values())
                total += len(connector._acquired)
        return total

    async def aclose(self) -> None:
        """Close every session; a session of another live loop is closed in that loop."""
        self._closed = True
        self._last = (None, None)
        sessions, self._sessions = self._sessions, {}
        side, self._side = self._side, {}
        keepers = [(loop, keeper) for loop, (_session, keeper) in sessions.items()]
        keepers += [(loop, keeper) for (loop, _name), (_session, keeper) in side.items()]
        await close_in_own_loops(keepers)
