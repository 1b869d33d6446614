"""How the Redis limiter reaches Redis: a client per event loop, pipelined script calls, outages.

- Event loops: each running loop gets its own Redis client (as the session pool gives each its
  own aiohttp session, by the same means: :func:`aio_openai._pool.close_with_loop`), closed
  when that loop shuts down, so one limiter serves any number of ``asyncio.run`` calls.
- Batching: script calls made while a pipeline is on the wire go together in the next one:
  one round trip, one connection, however many calls finish or wait at once.
- Outages: every pipeline has a ``timeout``. Any failure (an error of Redis, of the
  connection, of the reply, of the event loop) marks Redis away: the call's answer is None,
  so the limiter sends it through its fallback and the caller never sees the error. One
  WARNING is logged per outage; Redis is tried again ``backoff`` seconds later (doubling up to
  a minute while it keeps failing), and its first answer after that logs an INFO line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

from .._pool import close_in_own_loops, close_with_loop
from ._scripts import Script

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["MAX_BACKOFF", "ScriptCalls", "one"]

log = logging.getLogger("aio_openai")

T = TypeVar("T")

#: The longest wait between two tries of a Redis that keeps failing.
MAX_BACKOFF: Final = 60.0

#: A script call waiting to be sent: the script, its key, its arguments, where the reply goes.
_Call = tuple[Script, str, Sequence[str], "asyncio.Future[Any]"]


def one(reply: Any) -> list[Any]:
    """A script's reply as a list (a script returning one value gives it bare)."""
    return reply if isinstance(reply, list) else [reply]


class LoopClient:
    """One event loop's Redis client, and the script calls waiting to be sent on it."""

    __slots__ = ("client", "flushing", "keeper", "pending")

    def __init__(self, client: Redis, keeper: AsyncGenerator[None, None] | None) -> None:
        self.client = client
        self.keeper = keeper  # closes the client with the loop (None: the client is not ours)
        self.pending: list[_Call] = []
        self.flushing: asyncio.Task[None] | None = None


class LoopClients:
    """One Redis client per running event loop, closed when that loop shuts down.

    The client given to (or made by) the limiter serves the first loop that uses it; every
    other loop gets a client of its own with the same connection settings, closed by the
    limiter. A client made from a URL is closed by the limiter too.
    """

    __slots__ = ("_clients", "_first", "_owns_first", "template")

    def __init__(self, template: Redis, owns: bool) -> None:
        self.template = template
        self._owns_first = owns
        self._first: asyncio.AbstractEventLoop | None = None
        self._clients: dict[asyncio.AbstractEventLoop, LoopClient] = {}

    def get(self) -> LoopClient:
        """The client of the running loop, made on first use."""
        loop = asyncio.get_running_loop()
        found = self._clients.get(loop)
        if found is not None:
            return found
        for other in [lp for lp in self._clients if lp.is_closed()]:
            del self._clients[other]
        if self._first is None:
            self._first = loop
            client, owned = self.template, self._owns_first
        else:
            client, owned = self._copy(), True
        keeper = (
            close_with_loop(lambda: client.aclose(close_connection_pool=True)) if owned else None
        )
        made = self._clients[loop] = LoopClient(client, keeper)
        return made

    def _copy(self) -> Redis:
        """A client with the template's connection settings and a pool of its own."""
        from redis.asyncio import Redis

        pool = getattr(self.template, "connection_pool", None)
        if pool is None:
            raise RuntimeError(
                f"{type(self.template).__name__} cannot serve a second event loop: give"
                " RedisRateLimiter a URL or a redis.asyncio.Redis"
            )
        return Redis(
            connection_pool=type(pool)(
                connection_class=pool.connection_class,
                max_connections=pool.max_connections,
                **pool.connection_kwargs,
            )
        )

    def where(self) -> str:
        """Where Redis is, without credentials."""
        pool = getattr(self.template, "connection_pool", None)
        kwargs: Mapping[str, Any] = getattr(pool, "connection_kwargs", None) or {}
        if "path" in kwargs:
            return f"unix://{kwargs['path']}"
        return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"

    async def aclose(self) -> None:
        """Close the clients this holds (those of other live loops in their own loop)."""
        clients, self._clients = self._clients, {}
        await close_in_own_loops(
            (loop, c.keeper) for loop, c in clients.items() if c.keeper is not None
        )
        if self._first is None and self._owns_first:  # never used: close it all the same
            await self.template.aclose(close_connection_pool=True)


class ScriptCalls:
    """Runs a limiter's scripts (see the module docstring); ``spawn`` starts its tasks."""

    __slots__ = (
        "_down_since",
        "_no_script",
        "_now",
        "_retry_at",
        "_spawn",
        "_wait",
        "backoff",
        "clients",
        "outage_calls",
        "outages",
        "timeout",
    )

    def __init__(
        self,
        clients: LoopClients,
        *,
        timeout: float,
        backoff: float,
        now: Callable[[], float],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
        no_script: type[BaseException],
    ) -> None:
        self.clients = clients
        self.timeout = timeout
        self.backoff = backoff
        self._now = now
        self._spawn = spawn
        self._no_script = no_script
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._wait = backoff
        self.outage_calls = 0  # calls sent through the fallback during this outage
        self.outages = 0

    @property
    def available(self) -> bool:
        """False while Redis is thought to be away."""
        return self._down_since is None

    def usable(self) -> bool:
        """Whether to ask Redis now: it is up, or the time to try it again has come."""
        return self._down_since is None or self._now() >= self._retry_at

    async def eval(
        self, script: Script, key: str, args: Sequence[str], read: Callable[[list[Any]], T]
    ) -> T | None:
        """Run a script within the timeout and ``read`` its reply; None when anything failed."""
        try:
            loop_client = self.clients.get()
            reply = asyncio.get_running_loop().create_future()
            loop_client.pending.append((script, key, args, reply))
            if loop_client.flushing is None:
                loop_client.flushing = self._spawn(self._flush(loop_client))
            result = read(one(await reply))
        except Exception as exc:
            self.failed(script, exc)
            return None
        self._succeeded()
        return result

    async def _flush(self, loop_client: LoopClient) -> None:
        """Send the calls waiting, a pipeline at a time, until none is left."""
        calls: list[_Call] = []
        try:
            while loop_client.pending:
                calls, loop_client.pending = loop_client.pending, []
                try:
                    async with asyncio.timeout(self.timeout):
                        replies = await self._pipeline(loop_client.client, calls)
                    if len(replies) != len(calls):
                        raise ValueError(f"{len(replies)} replies to {len(calls)} calls")
                except Exception as exc:
                    replies = [exc] * len(calls)
                for (_script, _key, _args, reply), answer in zip(calls, replies, strict=True):
                    if reply.done():
                        continue
                    if isinstance(answer, Exception):
                        reply.set_exception(answer)
                    else:
                        reply.set_result(answer)
        finally:
            loop_client.flushing = None
            # only when cancelled (the loop is shutting down): nobody waits in vain
            for *_, reply in (*calls, *loop_client.pending):
                if not reply.done():
                    reply.set_exception(ConnectionError("the Redis calls were cut short"))
            loop_client.pending = []

    async def _pipeline(self, client: Redis, calls: Sequence[_Call]) -> list[Any]:
        """One round trip for every call (and one more to load scripts Redis lost)."""
        pipe = client.pipeline(transaction=False)
        for script, key, args, _ in calls:
            pipe.evalsha(script.sha, 1, key, *args)
        replies: list[Any] = await pipe.execute(raise_on_error=False)
        lost = [i for i, r in enumerate(replies) if isinstance(r, self._no_script)]
        if lost:
            scripts = {calls[i][0].sha: calls[i][0] for i in lost}
            pipe = client.pipeline(transaction=False)
            for script in scripts.values():
                pipe.script_load(script.text)
            for i in lost:
                script, key, args, _ = calls[i]
                pipe.evalsha(script.sha, 1, key, *args)
            again: list[Any] = await pipe.execute(raise_on_error=False)
            for i, answer in zip(lost, again[len(scripts) :], strict=True):
                replies[i] = answer
        return replies

    def failed(self, script: Script, exc: BaseException) -> None:
        """A call of ``script`` failed: an outage starts (logged), or goes on (backing off)."""
        now = self._now()
        if self._down_since is None:
            self._down_since = now
            self._wait = self.backoff
            self.outage_calls = 0
            self.outages += 1
            reason = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}"
            detail = str(exc) if not isinstance(exc, TimeoutError) else f"{self.timeout:g} s"
            log.warning(
                "Redis rate limiter at %s failed (%s %s: %s): calls use the local rate limiter"
                " until Redis answers again (next try in %.3g s)",
                self.clients.where(),
                script.name,
                reason,
                detail,
                self._wait,
            )
        elif now >= self._retry_at:
            self._wait = min(MAX_BACKOFF, max(self._wait * 2, self.timeout))
        else:
            return
        self._retry_at = now + self._wait

    def _succeeded(self) -> None:
        if self._down_since is not None:
            log.info(
                "Redis rate limiter at %s answers again after %.3g s (%d calls went through the"
                " local rate limiter): the shared limits are used again",
                self.clients.where(),
                self._now() - self._down_since,
                self.outage_calls,
            )
            self._down_since = None
            self._wait = self.backoff
