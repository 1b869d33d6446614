"""The shared rate limiter: one key's limits paced across processes and hosts, kept in Redis.

Ten processes each pacing themselves to the announced limit together send ten times too much.
RedisRateLimiter keeps the local limiter's buckets (:mod:`aio_openai._ratelimit`) in Redis
instead, so every process of every host that uses a key takes from the same two buckets. The
accounting is the local limiter's (:mod:`aio_openai._accounting`): the same parsed response,
the same bucket size and refill, the same reconciliation with ``usage``; the scripts below
restate :class:`~aio_openai._accounting.Bucket` in Lua so Redis applies it atomically.

- State: one hash per (key id, model), ``{prefix}:{key_id}:{model or *}``: limits and levels
  of the request and token buckets, the time they were brought up to, the shared utilisation
  scale, a shared "not before" moment, the counts of requests and tokens reserved so far, and
  the mode (cold, known, unannounced). It expires an hour after its last use.
- Three Lua scripts, each atomic and timed by Redis's own clock (``TIME``, so the hosts' clocks
  never matter): *reserve* refills both buckets and takes one request and its token estimate
  for each call of a batch, in order, until one does not fit (then it answers that call's wait
  in milliseconds); *feedback* applies a response (limits are set, ``remaining`` lowers a level
  and never raises it, less what was reserved after that request; 429s set a shared not-before
  moment and make one multiplicative cut of the shared scale per congestion event; successes
  recover it additively and settle the token estimate with ``usage``); *adjust* gives back a
  reservation that was never sent or settles a stream's estimate once its usage arrives.
- Ordering: first come, first served within a process. The head of a process's queue asks
  Redis for every call waiting behind it at once, so one answer releases all that fit (and
  one failure sends them all to the fallback), not one call per round trip. Across processes
  there is no queue: the first to ask after a refill gets it.
- Cold start: until the shared state has learned the limits (from any process's response, or
  ``rpm``/``tpm`` given here), at most ``cold_start`` requests *per process* are in flight. A
  server that announces no limits is never slowed down; there each process halves its own
  concurrency window on a 429 (AIMD), and the not-before moment is shared.
- Event loops: each running loop gets its own Redis client (as the session pool gives each its
  own aiohttp session), closed when that loop shuts down, so one limiter serves any number of
  ``asyncio.run`` calls.
- Redis slow or gone: every Redis call has a ``timeout``. On an error or a timeout (any
  exception of the Redis path: it never reaches the caller) the call goes through
  ``fallback``, a local :class:`RateLimiter` (so it is neither lost nor held up), one WARNING
  is logged on the ``aio_openai`` logger for the outage, and Redis is tried again ``backoff``
  seconds later (doubling up to a minute while it keeps failing); the first answer after that
  logs an INFO line and the shared buckets are used again. While Redis is away each process
  paces on its own, so together they may overshoot until it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from ._accounting import (
    COLD,
    CUT,
    FLOOR,
    KNOWN,
    MODE_NAMES,
    OK,
    RATE_LIMITED,
    UNANNOUNCED,
    Signal,
    check_settings,
    settlement,
    when_usage_known,
)
from ._chain import Handler, Request, Response
from ._ratelimit import RateLimiter, RateLimiterProtocol, TokenLimitExceededError
from ._retry import never_reached

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisRateLimiter"]

log = logging.getLogger("aio_openai")

T = TypeVar("T")

#: Seconds a pair's hash lives after its last use.
STATE_TTL: Final = 3600.0
#: The longest wait between two tries of a Redis that keeps failing.
MAX_BACKOFF: Final = 60.0
#: The most calls one reserve round trip asks for.
MAX_BATCH: Final = 1024

# Answers of the reserve script, for the first call of the batch it did not grant.
GRANTED: Final = 0  # every call of the batch was granted
WAIT: Final = 1
GATED: Final = 2  # limits unknown and this process's cold-start (or AIMD) window is full
TOO_LARGE: Final = 3  # the token estimate is over the whole token limit

# Loads the hash and brings both buckets up to ``now`` (microseconds): Bucket.refill of
# aio_openai._accounting. ARGV[1] is the time ("" for Redis's own ``TIME``), ARGV[2] the
# utilisation target (the scale of a new hash).
_PRELUDE = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local target = tonumber(ARGV[2])
local f = redis.call('HMGET', key, 'mode', 'rl', 'tl', 'rv', 'tv', 'at', 'scale', 'nb', 'ri',
  'ti', 'rx', 'tx', 'dec', 'limited', 'rs', 'ts')
local mode = tonumber(f[1]) or 0
local rl = tonumber(f[2])
local tl = tonumber(f[3])
local rv = tonumber(f[4]) or 0
local tv = tonumber(f[5]) or 0
local at = tonumber(f[6]) or now
local scale = tonumber(f[7]) or target
local nb = tonumber(f[8]) or 0
local ri = tonumber(f[9]) or 0
local ti = tonumber(f[10]) or 0
local rx = f[11]
local tx = f[12]
local dec = tonumber(f[13]) or 0
local limited = tonumber(f[14]) or 0
local rs = tonumber(f[15]) or 0
local ts = tonumber(f[16]) or 0
if mode == 1 and now > at then
  local dt = (now - at) / 1000000
  if rl then rv = math.min(rl, rv + dt * rl * scale / 60) end
  if tl then tv = math.min(tl, tv + dt * tl * scale / 60) end
end
if now > at then at = now end
local function save(ttl)
  redis.call('HSET', key, 'mode', mode, 'rv', rv, 'tv', tv, 'at', at, 'scale', scale, 'nb', nb,
    'ri', ri, 'ti', ti, 'dec', dec, 'limited', limited, 'rs', rs, 'ts', ts)
  if rl then redis.call('HSET', key, 'rl', rl) end
  if tl then redis.call('HSET', key, 'tl', tl) end
  redis.call('PEXPIRE', key, ttl)
end
"""

# ARGV[3] how many calls this process may send while the limits are unknown, ARGV[4]/ARGV[5]
# explicit rpm/tpm ("" for none), ARGV[6] ttl in ms, ARGV[7...] the token cost of each call of
# the batch, in order. Grants calls in order until one does not fit. Returns {calls granted,
# answer for the next one, its wait in ms, mode, requests and tokens reserved before the
# batch, rl, tl}.
_RESERVE = (
    _PRELUDE
    + """
local slots = tonumber(ARGV[3])
local xr = tonumber(ARGV[4])
local xt = tonumber(ARGV[5])
if xr and rl ~= xr then
  if not rl or mode ~= 1 then rv = xr end
  rl = xr
  redis.call('HSET', key, 'rx', 1)
end
if xt and tl ~= xt then
  if not tl or mode ~= 1 then tv = xt end
  tl = xt
  redis.call('HSET', key, 'tx', 1)
end
if (xr or xt) and mode ~= 1 then mode = 1 end
local ri0, ti0 = ri, ti
local granted, answer, wait = 0, 0, 0
if now < nb then
  answer, wait = 1, nb - now
else
  for i = 7, #ARGV do
    local cost = tonumber(ARGV[i])
    if mode == 1 then
      if tl and cost > tl then
        answer = 3
        break
      end
      if rl and rv < 1 then wait = (1 - rv) * 60000000 / (rl * scale) end
      if tl and cost > 0 and tv < cost then
        wait = math.max(wait, (cost - tv) * 60000000 / (tl * scale))
      end
      if wait > 0 then
        answer = 1
        break
      end
      if rl then rv = rv - 1 end
      if tl then tv = tv - cost end
    elseif granted >= slots then
      answer = 2
      break
    end
    granted = granted + 1
    ri = ri + 1
    ti = ti + cost
  end
end
save(ARGV[6])
return {granted, answer, math.ceil(wait / 1000), mode, ri0, ti0, tostring(rl or ''),
  tostring(tl or '')}
"""
)

# Bucket.learn of aio_openai._accounting, for one bucket: the level, its limit, what remains
# (or the reset), and what may be in flight that the server had not seen.
_LEARN = """
local function learn(level, limit, rem, reset, since, first)
  if not limit then return level end
  if not rem and reset then rem = math.max(0, limit - reset * limit / 60) end
  if not rem then
    if first then return limit - since end
    return level
  end
  local est = rem - since
  if first or est < level then return math.min(est, limit) end
  return level
end
"""

# ARGV[3] recovery, ARGV[4]/ARGV[5] requests/tokens reserved when the call was granted,
# ARGV[6] "1" when the response announced limits, ARGV[7..12] the limit, remaining and reset
# (seconds) of requests and tokens ("" when missing), ARGV[13] the outcome ("ok", "429" or ""),
# ARGV[14] a 429's wait in ms, ARGV[15] its bucket ("requests" or "tokens"), ARGV[16] tokens to
# give back after ``usage`` ("" for none), ARGV[17] the call's token cost (its reservation is
# settled), ARGV[18] ttl in ms. Returns {mode, rl, tl}.
_FEEDBACK = (
    _PRELUDE
    + _LEARN
    + f"""
local ticket_ri = tonumber(ARGV[4])
rs = rs + 1
ts = ts + tonumber(ARGV[17])
if ARGV[6] == '1' then
  local first = mode ~= 1
  mode = 1
  local lr = tonumber(ARGV[7])
  if lr and not rx then rl = lr end
  local lt = tonumber(ARGV[8])
  if lt and not tx then tl = lt end
  local sr = ri - rs
  local st = ti - ts
  if not first then
    sr = ri - math.max(ticket_ri, rs)
    st = ti - math.max(tonumber(ARGV[5]), ts)
  end
  rv = learn(rv, rl, tonumber(ARGV[9]), tonumber(ARGV[11]), sr, first)
  tv = learn(tv, tl, tonumber(ARGV[10]), tonumber(ARGV[12]), st, first)
elseif mode == 0 then
  mode = 2
end
if ARGV[13] == '429' then
  limited = limited + 1
  nb = math.max(nb, now + tonumber(ARGV[14]) * 1000)
  if ticket_ri > dec then
    scale = math.max(target * {FLOOR!r}, scale * {CUT!r})
    dec = ri
  end
  if mode == 1 then
    if ARGV[15] == 'tokens' then
      if tl then tv = math.min(tv, 0) end
    elseif rl then
      rv = math.min(rv, 0)
    end
  end
elseif ARGV[13] == 'ok' then
  if scale < target then scale = math.min(target, scale + tonumber(ARGV[3])) end
end
local give = tonumber(ARGV[16])
if give and mode == 1 and tl then tv = math.min(tl, tv + give) end
save(ARGV[18])
return {{mode, tostring(rl or ''), tostring(tl or '')}}
"""
)

# ARGV[3] requests and ARGV[4] tokens to give back (tokens may be negative), ARGV[5] and
# ARGV[6] requests and tokens whose reservations are settled, ARGV[7] ttl in ms.
_ADJUST = (
    _PRELUDE
    + """
rs = rs + tonumber(ARGV[5])
ts = ts + tonumber(ARGV[6])
if mode == 1 then
  if rl then rv = math.min(rl, rv + tonumber(ARGV[3])) end
  if tl then tv = math.min(tl, tv + tonumber(ARGV[4])) end
end
save(ARGV[7])
return mode
"""
)


class _Script:
    """A Lua script run with EVALSHA (and loaded when the server does not know it)."""

    __slots__ = ("name", "sha", "text")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.sha = hashlib.sha1(text.encode()).hexdigest()


RESERVE: Final = _Script("reserve", _RESERVE)
FEEDBACK: Final = _Script("feedback", _FEEDBACK)
ADJUST: Final = _Script("adjust", _ADJUST)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _limit(value: Any) -> float | None:
    text = _text(value)
    return float(text) if text else None


def _arg(value: float | None) -> str:
    """A script argument: the number, or "" for None."""
    return "" if value is None else repr(value)


def _one(reply: Any) -> list[Any]:
    return reply if isinstance(reply, list) else [reply]


async def _closer(client: Redis) -> AsyncGenerator[None, None]:
    """Hold a client open until its loop shuts its async generators down, then close it."""
    try:
        yield
    finally:
        await client.aclose(close_connection_pool=True)


#: A script call waiting to be sent: the script, its key, its arguments, where the reply goes.
_Call = tuple["_Script", str, Sequence[str], "asyncio.Future[Any]"]


class _Link:
    """One event loop's way to Redis: its client, and the script calls waiting to be sent.

    Calls made while a batch is on the wire go together in the next one: one pipeline, one
    round trip, one connection, however many calls finish or wait at once.
    """

    __slots__ = ("client", "flushing", "keeper", "pending")

    def __init__(self, client: Redis, keeper: AsyncGenerator[None, None] | None) -> None:
        self.client = client
        self.keeper = keeper  # closes the client with the loop (None: the client is not ours)
        self.pending: list[_Call] = []
        self.flushing: asyncio.Task[None] | None = None


class _LoopClients:
    """One Redis client per running event loop, closed when that loop shuts down.

    The client given to (or made by) the limiter serves the first loop that uses it; every
    other loop gets a client of its own with the same connection settings, closed by the
    limiter. A client made from a URL is closed by the limiter too.
    """

    __slots__ = ("_first", "_links", "_owns_first", "template")

    def __init__(self, template: Redis, owns: bool) -> None:
        self.template = template
        self._owns_first = owns
        self._first: asyncio.AbstractEventLoop | None = None
        self._links: dict[asyncio.AbstractEventLoop, _Link] = {}

    def get(self) -> _Link:
        """The link of the running loop, made on first use."""
        loop = asyncio.get_running_loop()
        link = self._links.get(loop)
        if link is not None:
            return link
        for other in [lp for lp in self._links if lp.is_closed()]:
            del self._links[other]
        if self._first is None:
            self._first = loop
            client, owned = self.template, self._owns_first
        else:
            client, owned = self._copy(), True
        keeper = None
        if owned:
            keeper = _closer(client)
            # Its first step registers the generator with the running loop, whose shutdown
            # (asyncio.run, pytest-asyncio) then closes it, and so the client.
            with contextlib.suppress(StopIteration):
                keeper.__anext__().send(None)
        link = self._links[loop] = _Link(client, keeper)
        return link

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

    async def aclose(self) -> None:
        """Close the clients this holds (those of other live loops in their own loop)."""
        here = asyncio.get_running_loop()
        links, self._links = self._links, {}
        for loop, link in links.items():
            if link.keeper is None:
                continue
            if loop is here:
                await link.keeper.aclose()
            elif not loop.is_closed() and loop.is_running():
                done = asyncio.run_coroutine_threadsafe(link.keeper.aclose(), loop)
                await asyncio.wrap_future(done)
        if self._first is None and self._owns_first:  # never used: close it all the same
            await self.template.aclose(close_connection_pool=True)


class _Waiter:
    """One call waiting in a process's queue; ``future`` says how it ends."""

    __slots__ = ("cost", "first_round", "future", "granted_by")

    def __init__(self, cost: int, future: asyncio.Future[Any], first_round: int) -> None:
        self.cost = cost
        #: _Grant (go), None (use the fallback), LEAD (ask Redis for the queue) or an error
        self.future = future
        self.first_round = first_round  # the first round trip sent after it arrived
        self.granted_by = 0  # the round trip that granted it (FELL_BACK: none, use the fallback)


#: ``_Waiter.granted_by`` of a call sent to the fallback.
FELL_BACK: Final = -1


#: The outcome telling a waiter that it now asks Redis for the queue.
LEAD: Final = "lead"


class _Queue:
    """One process's side of a shared pair: its FIFO of waiters, in-flight count and stats."""

    __slots__ = (
        "asking",
        "fallbacks",
        "granted",
        "inflight",
        "leader",
        "limit_requests",
        "limit_tokens",
        "mode",
        "model",
        "rate_limited",
        "redis_key",
        "rounds",
        "waited",
        "waiters",
        "wakeup",
        "window",
    )

    def __init__(self, redis_key: str, model: str | None) -> None:
        self.redis_key = redis_key
        self.model = model
        self.mode = COLD  # as the shared state last said
        self.limit_requests: float | None = None
        self.limit_tokens: float | None = None
        self.inflight = 0
        self.window: float | None = None  # this process's AIMD window while nothing is announced
        self.waiters: deque[_Waiter] = deque()
        self.leader: _Waiter | None = None  # the waiter asking Redis for the queue
        self.asking: asyncio.Task[Any] | None = None  # its reserve round trip, while in flight
        self.wakeup: asyncio.Future[None] | None = None
        self.rounds = 0
        self.granted = 0
        self.waited = 0
        self.rate_limited = 0
        self.fallbacks = 0

    def slots(self, cold_start: int) -> int:
        """How many more this process may send while the shared limits are unknown."""
        if self.mode == UNANNOUNCED:
            window = self.window
            return MAX_BATCH if window is None else math.ceil(window - self.inflight)
        return cold_start - self.inflight

    def wake(self) -> None:
        """Let the leader look again (a response arrived or a slot came back)."""
        wakeup = self.wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)
        self.wakeup = None

    def learn(self, mode: int, limit_requests: Any, limit_tokens: Any) -> None:
        """Take the shared mode and limits a script answered."""
        self.mode = mode
        self.limit_requests = _limit(limit_requests)
        self.limit_tokens = _limit(limit_tokens)

    def fall_back(self) -> None:
        """Send every call still waiting to the fallback, at once."""
        for waiter in self.waiters:
            if not waiter.future.done():
                waiter.granted_by = FELL_BACK
                waiter.future.set_result(None)

    def hand_over(self) -> None:
        """Make the first call still waiting the one that asks Redis."""
        self.leader = None
        for waiter in self.waiters:
            if not waiter.future.done():
                self.leader = waiter
                waiter.future.set_result(LEAD)
                return

    def snapshot(self) -> dict[str, Any]:
        """This process's view of the pair, for stats and debugging."""
        return {
            "mode": MODE_NAMES[self.mode],
            "limit_requests": self.limit_requests,
            "limit_tokens": self.limit_tokens,
            "inflight": self.inflight,
            "waiting": len(self.waiters),
            "gated": self.wakeup is not None,  # the leader waits for a response of this process
            "window": self.window,
            "granted": self.granted,
            "waited": self.waited,
            "reserve_round_trips": self.rounds,
            "rate_limited": self.rate_limited,
            "fallback_calls": self.fallbacks,
        }


class _Grant:
    """What a request took from the shared pair, to give back or reconcile."""

    __slots__ = ("cost", "issued_requests", "issued_tokens", "mode", "queue")

    def __init__(
        self, queue: _Queue, cost: int, issued_requests: int, issued_tokens: int, mode: int
    ) -> None:
        self.queue = queue
        self.cost = cost
        self.issued_requests = issued_requests
        self.issued_tokens = issued_tokens
        self.mode = mode


class RedisRateLimiter:
    """Paces the calls of every process that shares a key under its limits, through Redis.

    ``url_or_client`` is a Redis URL (``redis://host:6379/0``, ``rediss://``, ``unix://``) or a
    ``redis.asyncio.Redis`` client (then closing it is yours; event loops other than the first
    to use it get clients of their own with its settings, closed by the limiter). ``prefix``
    starts every key this limiter writes; ``rpm``/``tpm``, ``utilisation``, ``cold_start``,
    ``recovery`` and ``max_wait`` mean what they mean for :class:`RateLimiter` (explicit limits
    are written to the shared state and headers never change them). ``timeout`` bounds each
    Redis call (seconds); on a failure the call goes through ``fallback`` (by default a local
    RateLimiter with the same settings) and Redis is tried again ``backoff`` seconds later (see
    the module docstring); ``available`` says whether Redis is in use, ``outages`` counts the
    outages. ``clock`` (seconds) replaces Redis's ``TIME`` and the outage timer, and ``sleep``
    the waits, for tests. Use one instance per process, shared by every client of the process
    and by every event loop; ``await aclose()`` (or ``async with``) when done.

    Raises ImportError when the ``redis`` package is missing (``pip install aio_openai[redis]``).
    """

    def __init__(
        self,
        url_or_client: str | Redis,
        *,
        prefix: str = "aio_openai:rl",
        rpm: float | None = None,
        tpm: float | None = None,
        utilisation: float = 0.95,
        cold_start: int = 4,
        recovery: float = 0.02,
        max_wait: float = 120.0,
        timeout: float = 0.25,
        backoff: float = 1.0,
        fallback: RateLimiterProtocol | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        try:
            import redis.asyncio
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
            from redis.exceptions import NoScriptError
        except ImportError as exc:
            raise ImportError(
                "RedisRateLimiter needs the redis package: pip install 'aio_openai[redis]'"
            ) from exc
        check_settings(rpm=rpm, tpm=tpm, utilisation=utilisation, cold_start=cold_start)
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0, got {timeout}")
        if backoff < 0:
            raise ValueError(f"backoff must be >= 0, got {backoff}")
        self.prefix = prefix
        self.rpm = rpm
        self.tpm = tpm
        self.utilisation = utilisation
        self.cold_start = cold_start
        self.recovery = recovery
        self.max_wait = max_wait
        self.timeout = timeout
        self.backoff = backoff
        self._clock = clock
        self._sleep = sleep
        self.fallback = (
            fallback
            if fallback is not None
            else RateLimiter(
                rpm=rpm,
                tpm=tpm,
                utilisation=utilisation,
                cold_start=cold_start,
                recovery=recovery,
                max_wait=max_wait,
                sleep=sleep,
                clock=clock or time.monotonic,
            )
        )
        if isinstance(url_or_client, str):
            template: Redis = redis.asyncio.from_url(
                url_or_client,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                retry=Retry(NoBackoff(), 0),  # our own timeout and fallback decide
            )
            self._clients = _LoopClients(template, owns=True)
        else:
            self._clients = _LoopClients(url_or_client, owns=False)
        self._no_script: type[BaseException] = NoScriptError
        self._ttl_ms = str(int(STATE_TTL * 1000))
        self._queues: dict[tuple[str, str | None], _Queue] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._wait = backoff
        self._outage_calls = 0
        self.outages = 0

    def __repr__(self) -> str:
        return f"<RedisRateLimiter {self._where()} prefix={self.prefix!r}>"

    def _where(self) -> str:
        """Where Redis is, without credentials."""
        pool = getattr(self._clients.template, "connection_pool", None)
        kwargs: Mapping[str, Any] = getattr(pool, "connection_kwargs", None) or {}
        if "path" in kwargs:
            return f"unix://{kwargs['path']}"
        return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"

    # -- public ------------------------------------------------------------------------------

    @property
    def redis(self) -> Redis:
        """The Redis client of the running event loop (outside one: the first loop's)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._clients.template
        return self._clients.get().client

    @property
    def available(self) -> bool:
        """False while Redis is thought to be away (calls then go through the fallback)."""
        return self._down_since is None

    def middleware(self, key_id: str) -> Callable[[Request, Handler], Awaitable[Response]]:
        """The middleware for a client whose key (or organization) is identified by key_id."""
        fallback = self.fallback.middleware(key_id)

        async def redis_rate_limit_middleware(request: Request, call_next: Handler) -> Response:
            queue = self._queue(key_id, request.model)
            grant = await self._acquire(queue, request.token_cost)
            if grant is None:
                queue.fallbacks += 1
                self._outage_calls += 1
                return await fallback(request, call_next)
            try:
                response = await call_next(request)
            except BaseException as exc:
                self._abandon(grant, exc)
                raise
            await self._feedback(grant, request, response)
            return response

        return redis_rate_limit_middleware

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """This process's view of every pair, keyed "model" (or "*" for calls without one)."""
        return {(k[1] or "*"): q.snapshot() for k, q in self._queues.items()}

    def redis_key(self, key_id: str, model: str | None) -> str:
        """The Redis hash holding the shared state of (key, model)."""
        return f"{self.prefix}:{key_id}:{model or '*'}"

    async def shared_state(self, key_id: str, model: str | None = None) -> dict[str, float]:
        """The shared state of (key, model) as Redis holds it now (not refilled), for debugging.

        Fields: mode (0 cold, 1 known, 2 unannounced), rl/tl the limits, rv/tv the levels, at
        when they were last brought up to date (microseconds), scale, nb the not-before moment,
        ri/ti the requests and tokens reserved so far, limited the 429s seen.
        """
        raw = await cast(
            Awaitable[Mapping[Any, Any]], self.redis.hgetall(self.redis_key(key_id, model))
        )
        return {_text(k): float(_text(v)) for k, v in raw.items()}

    async def aclose(self) -> None:
        """Wait for the reservations being given back, and close the clients this limiter made."""
        loop = asyncio.get_running_loop()
        while mine := [t for t in self._tasks if t.get_loop() is loop]:
            await asyncio.gather(*mine, return_exceptions=True)
        await self._clients.aclose()

    async def __aenter__(self) -> RedisRateLimiter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- Redis calls ---------------------------------------------------------------------------

    def _now(self) -> float:
        return self._clock() if self._clock is not None else time.monotonic()

    def _script_now(self) -> str:
        """The time argument of the scripts: "" (Redis's clock) unless a clock was injected."""
        return "" if self._clock is None else str(int(self._clock() * 1_000_000))

    def _usable(self) -> bool:
        """Whether to ask Redis now: it is up, or the time to try it again has come."""
        return self._down_since is None or self._now() >= self._retry_at

    async def _eval(
        self, script: _Script, key: str, args: Sequence[str], read: Callable[[list[Any]], T]
    ) -> T | None:
        """Run a script within the timeout and ``read`` its reply; None when anything failed.

        Every failure (an error of Redis, of the connection, of the reply, of the event loop)
        marks Redis away, so the caller goes through the fallback and never sees it.
        """
        try:
            link = self._clients.get()
            reply = asyncio.get_running_loop().create_future()
            link.pending.append((script, key, args, reply))
            if link.flushing is None:
                link.flushing = self._spawn(self._flush(link))
            result = read(_one(await reply))
        except Exception as exc:
            self._failed(script, exc)
            return None
        self._succeeded()
        return result

    async def _flush(self, link: _Link) -> None:
        """Send the calls waiting, a pipeline at a time, until none is left."""
        calls: list[_Call] = []
        try:
            while link.pending:
                calls, link.pending = link.pending, []
                try:
                    async with asyncio.timeout(self.timeout):
                        replies = await self._pipeline(link.client, calls)
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
            link.flushing = None
            # only when cancelled (the loop is shutting down): nobody waits in vain
            for *_, reply in (*calls, *link.pending):
                if not reply.done():
                    reply.set_exception(ConnectionError("the Redis calls were cut short"))
            link.pending = []

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

    def _failed(self, script: _Script, exc: BaseException) -> None:
        now = self._now()
        if self._down_since is None:
            self._down_since = now
            self._wait = self.backoff
            self._outage_calls = 0
            self.outages += 1
            reason = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}"
            detail = str(exc) if not isinstance(exc, TimeoutError) else f"{self.timeout:g} s"
            log.warning(
                "Redis rate limiter at %s failed (%s %s: %s): calls use the local rate limiter"
                " until Redis answers again (next try in %.3g s)",
                self._where(),
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
                self._where(),
                self._now() - self._down_since,
                self._outage_calls,
            )
            self._down_since = None
            self._wait = self.backoff

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """A task aclose waits for."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _give_back(
        self, queue: _Queue, requests: float, tokens: float, settled: _Grant | None = None
    ) -> None:
        """Return requests and tokens to the shared buckets (and settle a grant), in the
        background."""
        if not self._usable():
            return
        args = (
            self._script_now(),
            repr(self.utilisation),
            repr(requests),
            repr(tokens),
            "0" if settled is None else "1",
            "0" if settled is None else str(settled.cost),
            self._ttl_ms,
        )
        self._spawn(self._eval(ADJUST, queue.redis_key, args, _one))

    # -- acquiring -----------------------------------------------------------------------------

    def _queue(self, key_id: str, model: str | None) -> _Queue:
        key = (key_id, model)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = _Queue(self.redis_key(key_id, model), model)
        return queue

    def _check_cost(self, queue: _Queue, cost: int) -> None:
        limit = queue.limit_tokens
        if cost and limit is not None and cost > limit:
            raise TokenLimitExceededError(cost, limit, queue.model)

    async def _acquire(self, queue: _Queue, cost: int) -> _Grant | None:
        """Wait in this process's queue until Redis grants; None: use the fallback."""
        self._check_cost(queue, cost)
        if not self._usable():
            return None
        loop = asyncio.get_running_loop()
        me = _Waiter(cost, loop.create_future(), queue.rounds + 1)
        queue.waiters.append(me)
        try:
            if queue.leader is None:
                queue.leader = me
                await asyncio.sleep(0)  # calls arriving at the same moment join the first ask
            else:
                outcome = await me.future
                if outcome is not LEAD:
                    return cast("_Grant | None", outcome)
                me.future = loop.create_future()  # for its own answer
            return await self._lead(queue, me)
        except asyncio.CancelledError:
            self._leave(me)
            raise
        finally:
            queue.waiters.remove(me)
            if me.granted_by not in (me.first_round, FELL_BACK):
                queue.waited += 1  # the first round trip after it came did not grant it
            if not me.future.done():
                me.future.cancel()  # no round trip hands it anything any more
            if queue.leader is me:
                asking = queue.asking
                if asking is None or asking.done():
                    queue.hand_over()
                else:  # the round trip still hands out what it got: then the next one asks
                    asking.add_done_callback(lambda _: queue.hand_over())

    def _leave(self, me: _Waiter) -> None:
        """A cancelled waiter gives back a grant it got in the meantime."""
        future = me.future
        if not future.done():
            future.cancel()
        elif not future.cancelled() and future.exception() is None:
            outcome = future.result()
            if isinstance(outcome, _Grant):
                self._return(outcome)

    async def _lead(self, queue: _Queue, me: _Waiter) -> _Grant | None:
        """Ask Redis for every call waiting (``me`` first) until ``me`` has its answer."""
        while True:
            if me.future.done():
                return cast("_Grant | None", me.future.result())
            if not self._usable():
                queue.fall_back()
                continue
            # the cold-start (or AIMD) window: Redis applies it only while the limits are
            # unknown; here it holds the queue until a response of this process comes
            slots = queue.slots(self.cold_start)
            if slots <= 0 and queue.mode != KNOWN:
                wakeup = queue.wakeup = asyncio.get_running_loop().create_future()
                await wakeup
                continue
            batch = [w for w in islice(queue.waiters, MAX_BATCH) if not w.future.done()]
            queue.asking = self._spawn(self._ask(queue, batch, max(0, slots)))
            answer, wait = await asyncio.shield(queue.asking)
            if answer == WAIT and not me.future.done():
                await self._sleep(wait)

    async def _ask(self, queue: _Queue, batch: list[_Waiter], slots: int) -> tuple[int, float]:
        """One reserve round trip for ``batch``; hands out what it got (the answer, the wait).

        Runs as a task of its own, so a cancelled leader does not lose what Redis granted to
        the others: a grant whose call is gone is given back.
        """
        queue.rounds += 1
        index = queue.rounds
        args = [
            self._script_now(),
            repr(self.utilisation),
            str(slots),
            _arg(self.rpm),
            _arg(self.tpm),
            self._ttl_ms,
            *(str(w.cost) for w in batch),
        ]
        reply = await self._eval(RESERVE, queue.redis_key, args, _read_reserve)
        if reply is None:
            queue.fall_back()  # every call waiting goes to the fallback at once
            return WAIT, 0.0
        granted, answer, wait_ms, mode, requests, tokens, rl, tl = reply
        queue.learn(mode, rl, tl)
        for waiter in batch[:granted]:
            requests += 1
            tokens += waiter.cost
            grant = _Grant(queue, waiter.cost, requests, tokens, mode)
            queue.inflight += 1
            queue.granted += 1
            waiter.granted_by = index
            if waiter.future.done():  # its call was cancelled meanwhile
                self._return(grant)
            else:
                waiter.future.set_result(grant)
        if answer == TOO_LARGE and granted < len(batch):
            waiter = batch[granted]
            if not waiter.future.done():
                limit = queue.limit_tokens or 0.0
                waiter.future.set_exception(
                    TokenLimitExceededError(waiter.cost, limit, queue.model)
                )
        return answer, wait_ms / 1000.0

    # -- after the call ------------------------------------------------------------------------

    def _return(self, grant: _Grant, sent: bool = False) -> None:
        """Settle a grant that got no answer; give back what the server never saw."""
        queue = grant.queue
        queue.inflight -= 1
        if grant.mode == KNOWN and not sent:
            self._give_back(queue, 1.0, float(grant.cost), grant)
        else:
            self._give_back(queue, 0.0, 0.0, grant)
        queue.wake()

    def _abandon(self, grant: _Grant, exc: BaseException) -> None:
        """The attempt ended without a response: give back what the server never saw."""
        self._return(
            grant, sent=not (isinstance(exc, asyncio.CancelledError) or never_reached(exc))
        )

    async def _feedback(self, grant: _Grant, request: Request, response: Response) -> None:
        """Tell the shared state what the response says: limits, levels, 429s, token usage."""
        queue = grant.queue
        queue.inflight -= 1
        try:
            signal = Signal.of(response, self.max_wait)
            give = ""
            if signal.outcome == RATE_LIMITED:
                queue.rate_limited += 1
            elif signal.outcome == OK:
                window = queue.window
                if window is not None:
                    window += 1.0 / window
                    queue.window = None if window > 10_000 else window
                if grant.cost:
                    give = self._settle(grant, request, response)
            if self._down_since is None:
                args = self._feedback_args(grant, signal, give)
                reply = await self._eval(FEEDBACK, queue.redis_key, args, _one)
                if reply is not None:
                    queue.learn(int(reply[0]), reply[1], reply[2])
            if signal.outcome == RATE_LIMITED and queue.mode != KNOWN:
                queue.window = max(1.0, math.floor((queue.inflight + 1) / 2))
        except Exception as exc:  # never the caller's problem: the answer is there
            self._failed(FEEDBACK, exc)
        finally:
            queue.wake()

    def _settle(self, grant: _Grant, request: Request, response: Response) -> str:
        """Tokens to give back now that ``usage`` is known ("" when it is not, yet).

        A whole answer's usage goes with the feedback; a stream's comes with its last chunk,
        and is given back then.
        """
        now: list[float] = []
        later = False

        def settle(usage: Mapping[str, Any]) -> None:
            give = settlement(grant.cost, request.json_data, usage)
            if give is None:
                return
            if later:
                if grant.queue.mode == KNOWN:
                    self._give_back(grant.queue, 0.0, give)
            else:
                now.append(give)

        when_usage_known(response, settle)
        later = True
        return repr(now[0]) if now else ""

    def _feedback_args(self, grant: _Grant, signal: Signal, give: str) -> list[str]:
        """The feedback script's arguments."""
        requests, tokens = signal.requests, signal.tokens
        rate_limited = signal.outcome == RATE_LIMITED
        return [
            self._script_now(),
            repr(self.utilisation),
            repr(self.recovery),
            str(grant.issued_requests),
            str(grant.issued_tokens),
            "1" if signal.announced else "0",
            _arg(requests.limit),
            _arg(tokens.limit),
            _arg(requests.remaining),
            _arg(tokens.remaining),
            _arg(requests.reset),
            _arg(tokens.reset),
            {OK: "ok", RATE_LIMITED: "429"}.get(signal.outcome, ""),
            str(max(0, math.ceil(signal.wait * 1000))) if rate_limited else "0",
            (signal.limited or "") if rate_limited else "",
            give,
            str(grant.cost),
            self._ttl_ms,
        ]


def _read_reserve(reply: list[Any]) -> tuple[int, int, int, int, int, int, Any, Any]:
    """The reserve script's answer, as numbers (raises on a reply of another shape)."""
    granted, answer, wait_ms, mode, requests, tokens, rl, tl = reply
    return (
        int(granted),
        int(answer),
        int(wait_ms),
        int(mode),
        int(requests),
        int(tokens),
        rl,
        tl,
    )
