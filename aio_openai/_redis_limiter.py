"""The shared rate limiter: one key's limits paced across processes and hosts, kept in Redis.

Ten processes each pacing themselves to the announced limit together send ten times too much.
RedisRateLimiter keeps the step-3 buckets (:mod:`aio_openai._ratelimit`) in Redis instead, so
every process of every host that uses a key takes from the same two buckets.

- State: one hash per (key id, model), ``{prefix}:{key_id}:{model or *}``: limits and levels
  of the request and token buckets, the time they were brought up to, the shared utilisation
  scale, a shared "not before" moment, the counts of requests and tokens reserved so far, and
  the mode (cold, known, unannounced). It expires an hour after its last use.
- Three Lua scripts, each atomic and timed by Redis's own clock (``TIME``, so the hosts' clocks
  never matter): *reserve* refills both buckets, checks them and takes one request and the
  call's token estimate, or answers the wait in milliseconds; *feedback* applies a response's
  headers (limits are set, ``remaining`` lowers a level and never raises it, less what was
  reserved after that request) and 429s (a shared not-before moment, one multiplicative cut of
  the shared scale per congestion event, additive recovery on success); *adjust* gives back a
  reservation that was never sent (a cancelled call, a refused connection) or reconciles the
  token estimate with the ``usage`` the answer reports.
- Ordering: first come, first served within a process (a local queue per pair); only the head
  of each process's queue asks Redis, and sleeps the wait the script answers before asking
  again. Across processes there is no queue: the first head to ask after a refill gets it.
- Cold start: until the shared state has learned the limits (from any process's response, or
  ``rpm``/``tpm`` given here), at most ``cold_start`` requests *per process* are in flight. A
  server that announces no limits is never slowed down; there each process halves its own
  concurrency window on a 429 (AIMD), and the not-before moment is shared.
- Redis slow or gone: every Redis call has a ``timeout``. On an error or a timeout the call goes
  through ``fallback``, a local :class:`RateLimiter` (so it is neither lost nor held up), one
  WARNING is logged on the ``aio_openai`` logger for the outage, and Redis is tried again
  ``backoff`` seconds later (doubling up to a minute while it keeps failing); the first answer
  after that logs an INFO line and the shared buckets are used again. While Redis is away each
  process paces on its own, as in step 3, so together they may overshoot until it is back.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from ._durations import parse_duration
from ._http import Handler, Request
from ._http import HTTPResponse as Response
from ._ratelimit import (
    _MODE_NAMES,
    COLD,
    KNOWN,
    UNANNOUNCED,
    RateLimiter,
    RateLimiterProtocol,
    TokenLimitExceededError,
    _non_negative_int,
    _positive_int,
)
from ._response import error_body
from ._retry import never_reached, server_wait

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisRateLimiter"]

log = logging.getLogger("aio_openai")

#: Seconds a pair's hash lives after its last use.
STATE_TTL: Final = 3600.0
#: The longest wait between two tries of a Redis that keeps failing.
MAX_BACKOFF: Final = 60.0

# Answers of the reserve script.
GRANTED: Final = 0
WAIT: Final = 1
GATED: Final = 2  # limits unknown and this process's cold-start (or AIMD) window is full
TOO_LARGE: Final = 3  # the token estimate is over the whole token limit

# Loads the hash and brings both buckets up to ``now`` (microseconds). ARGV[1] is the time
# ("" for Redis's own ``TIME``), ARGV[2] the utilisation target (the scale of a new hash).
_PRELUDE = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local target = tonumber(ARGV[2])
local f = redis.call('HMGET', key, 'mode', 'rl', 'tl', 'rv', 'tv', 'at', 'scale', 'nb', 'ri',
  'ti', 'rx', 'tx', 'dec', 'limited')
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
if mode == 1 and now > at then
  local dt = (now - at) / 1000000
  if rl then rv = math.min(rl * scale, rv + dt * rl * scale / 60) end
  if tl then tv = math.min(tl * scale, tv + dt * tl * scale / 60) end
end
if now > at then at = now end
local function save(ttl)
  redis.call('HSET', key, 'mode', mode, 'rv', rv, 'tv', tv, 'at', at, 'scale', scale, 'nb', nb,
    'ri', ri, 'ti', ti, 'dec', dec, 'limited', limited)
  if rl then redis.call('HSET', key, 'rl', rl) end
  if tl then redis.call('HSET', key, 'tl', tl) end
  redis.call('PEXPIRE', key, ttl)
end
"""

# ARGV[3] token cost, ARGV[4] "1" when this process may send while the limits are unknown,
# ARGV[5]/ARGV[6] explicit rpm/tpm ("" for none), ARGV[7] ttl in ms.
# Returns {answer, wait ms, mode, requests reserved, tokens reserved, rl, tl}.
_RESERVE = (
    _PRELUDE
    + """
local cost = tonumber(ARGV[3])
local xr = tonumber(ARGV[5])
local xt = tonumber(ARGV[6])
if xr and rl ~= xr then
  if not rl or mode ~= 1 then rv = xr * scale end
  rl = xr
  redis.call('HSET', key, 'rx', 1)
end
if xt and tl ~= xt then
  if not tl or mode ~= 1 then tv = xt * scale end
  tl = xt
  redis.call('HSET', key, 'tx', 1)
end
if (xr or xt) and mode ~= 1 then mode = 1 end
local answer, wait = 0, 0
if now < nb then
  answer, wait = 1, nb - now
elseif mode == 1 then
  if tl and cost > tl then
    answer = 3
  else
    if rl and rv < 1 then wait = (1 - rv) * 60000000 / (rl * scale) end
    if tl and cost > 0 and tv < cost then
      wait = math.max(wait, (cost - tv) * 60000000 / (tl * scale))
    end
    if wait > 0 then
      answer = 1
    else
      if rl then rv = rv - 1 end
      if tl then tv = tv - cost end
    end
  end
elseif ARGV[4] ~= '1' then
  answer = 2
end
if answer == 0 then
  ri = ri + 1
  ti = ti + cost
end
save(ARGV[7])
return {answer, math.ceil(wait / 1000), mode, ri, ti, tostring(rl or ''), tostring(tl or '')}
"""
)

# ARGV[3] recovery, ARGV[4]/ARGV[5] requests/tokens reserved when the call was granted,
# ARGV[6] "1" when the response announced limits, ARGV[7..12] the limit, remaining and reset
# (seconds) of requests and tokens ("" when missing), ARGV[13] the outcome ("ok", "429" or ""),
# ARGV[14] a 429's wait in ms, ARGV[15] its type ("requests" or "tokens"), ARGV[16] tokens to
# give back after ``usage`` ("" for none), ARGV[17] ttl in ms. Returns {mode, rl, tl}.
_FEEDBACK = (
    _PRELUDE
    + """
local ticket_ri = tonumber(ARGV[4])
if ARGV[6] == '1' then
  local was_cold = mode ~= 1
  mode = 1
  local lr = tonumber(ARGV[7])
  if lr and not rx then rl = lr end
  if rl then
    local rem = tonumber(ARGV[9])
    local reset = tonumber(ARGV[11])
    if not rem and reset then rem = math.max(0, rl - reset * rl / 60) end
    local after = ri - ticket_ri
    if rem then
      local est = rem * scale - after
      if was_cold or est < rv then rv = math.min(est, rl * scale) end
    elseif was_cold then
      rv = rl * scale - after
    end
  end
  local lt = tonumber(ARGV[8])
  if lt and not tx then tl = lt end
  if tl then
    local rem = tonumber(ARGV[10])
    local reset = tonumber(ARGV[12])
    if not rem and reset then rem = math.max(0, tl - reset * tl / 60) end
    local after = ti - tonumber(ARGV[5])
    if rem then
      local est = rem * scale - after
      if was_cold or est < tv then tv = math.min(est, tl * scale) end
    elseif was_cold then
      tv = tl * scale - after
    end
  end
elseif mode == 0 then
  mode = 2
end
if ARGV[13] == '429' then
  limited = limited + 1
  nb = math.max(nb, now + tonumber(ARGV[14]) * 1000)
  if ticket_ri > dec then
    scale = math.max(target * 0.1, scale * 0.5)
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
if give and mode == 1 and tl then tv = math.min(tl * scale, tv + give) end
save(ARGV[17])
return {mode, tostring(rl or ''), tostring(tl or '')}
"""
)

# ARGV[3] requests and ARGV[4] tokens to give back (tokens may be negative), ARGV[5] ttl in ms.
_ADJUST = (
    _PRELUDE
    + """
if mode ~= 1 then return 0 end
if rl then rv = math.min(rl * scale, rv + tonumber(ARGV[3])) end
if tl then tv = math.min(tl * scale, tv + tonumber(ARGV[4])) end
save(ARGV[5])
return 1
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


class _Queue:
    """One process's side of a shared pair: its FIFO of waiters, in-flight count and stats."""

    __slots__ = (
        "fallbacks",
        "granted",
        "inflight",
        "limit_requests",
        "limit_tokens",
        "mode",
        "model",
        "rate_limited",
        "redis_key",
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
        self.waiters: deque[asyncio.Future[None]] = deque()
        self.wakeup: asyncio.Future[None] | None = None
        self.granted = 0
        self.waited = 0
        self.rate_limited = 0
        self.fallbacks = 0

    def free(self, cold_start: int) -> bool:
        """Whether this process may send one more while the shared limits are unknown."""
        if self.mode == UNANNOUNCED:
            return self.window is None or self.inflight < self.window
        return self.inflight < cold_start

    def wake(self) -> None:
        """Let the head waiter look again (a response arrived or a slot came back)."""
        wakeup = self.wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)
        self.wakeup = None

    def learn(self, mode: int, limit_requests: Any, limit_tokens: Any) -> None:
        """Take the shared mode and limits a script answered."""
        self.mode = mode
        self.limit_requests = _limit(limit_requests)
        self.limit_tokens = _limit(limit_tokens)

    def snapshot(self) -> dict[str, Any]:
        """This process's view of the pair, for stats and debugging."""
        return {
            "mode": _MODE_NAMES[self.mode],
            "limit_requests": self.limit_requests,
            "limit_tokens": self.limit_tokens,
            "inflight": self.inflight,
            "waiting": len(self.waiters),
            "gated": self.wakeup is not None,  # the head waits for a response of this process
            "window": self.window,
            "granted": self.granted,
            "waited": self.waited,
            "rate_limited": self.rate_limited,
            "fallback_calls": self.fallbacks,
        }


@attrs.define(eq=False)
class _Grant:
    """What a request took from the shared pair, to give back or reconcile."""

    queue: _Queue
    cost: int
    issued_requests: int
    issued_tokens: int
    mode: int


class RedisRateLimiter:
    """Paces the calls of every process that shares a key under its limits, through Redis.

    ``url_or_client`` is a Redis URL (``redis://host:6379/0``, ``rediss://``, ``unix://``) or a
    ``redis.asyncio.Redis`` client (then closing it is yours). ``prefix`` starts every key this
    limiter writes; ``rpm``/``tpm``, ``utilisation``, ``cold_start``, ``recovery`` and
    ``max_wait`` mean what they mean for :class:`RateLimiter` (explicit limits are written to
    the shared state and headers never change them). ``timeout`` bounds each Redis call
    (seconds); on a failure the call goes through ``fallback`` (by default a local RateLimiter
    with the same settings) and Redis is tried again ``backoff`` seconds later (see the module
    docstring); ``available`` says whether Redis is in use, ``outages`` counts the outages.
    ``clock`` (seconds) replaces Redis's ``TIME`` and the outage timer, and ``sleep`` the
    waits, for tests. Use one instance per process and event loop, shared by every client of
    the process; ``await aclose()`` (or ``async with``) when done.

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
            from redis.exceptions import NoScriptError, RedisError
        except ImportError as exc:
            raise ImportError(
                "RedisRateLimiter needs the redis package: pip install 'aio_openai[redis]'"
            ) from exc
        if not 0 < utilisation <= 1:
            raise ValueError(f"utilisation must be in (0, 1], got {utilisation}")
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be > 0, got {value}")
        if cold_start < 1:
            raise ValueError(f"cold_start must be >= 1, got {cold_start}")
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
        self._owns_client = isinstance(url_or_client, str)
        if isinstance(url_or_client, str):
            self.redis: Redis = redis.asyncio.from_url(
                url_or_client,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                retry=Retry(NoBackoff(), 0),  # our own timeout and fallback decide
            )
        else:
            self.redis = url_or_client
        self._errors: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)
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
        pool = getattr(self.redis, "connection_pool", None)
        kwargs: Mapping[str, Any] = getattr(pool, "connection_kwargs", None) or {}
        if "path" in kwargs:
            return f"unix://{kwargs['path']}"
        return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"

    # -- public ------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while Redis is thought to be away (calls then go through the fallback)."""
        return self._down_since is None

    def middleware(self, key_id: str) -> Callable[[Request, Handler], Awaitable[Response]]:
        """The middleware for a client whose key (or organization) is identified by key_id."""
        fallback = self.fallback.middleware(key_id)

        async def redis_rate_limit_middleware(request: Request, call_next: Handler) -> Response:
            queue = self._queue(key_id, request.model)
            grant = await self._acquire(queue, request)
            if grant is None:
                queue.fallbacks += 1
                self._outage_calls += 1
                return await fallback(request, call_next)
            try:
                response = await call_next(request)
            except BaseException as exc:
                self._abandon(grant, exc)
                raise
            await self._feedback(grant, response)
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
        """Wait for the reservations being given back, and close the client made from a URL."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._owns_client:
            await self.redis.aclose()

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

    async def _eval(self, script: _Script, key: str, args: Sequence[str]) -> list[Any] | None:
        """Run a script within the timeout; None (and Redis marked away) when that failed."""
        try:
            async with asyncio.timeout(self.timeout):
                try:
                    reply = await self.redis.evalsha(script.sha, 1, key, *args)
                except self._no_script:
                    await self.redis.script_load(script.text)
                    reply = await self.redis.evalsha(script.sha, 1, key, *args)
        except self._errors as exc:
            self._failed(script, exc)
            return None
        self._succeeded()
        return reply if isinstance(reply, list) else [reply]

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

    def _spawn(self, coro: Coroutine[Any, Any, list[Any] | None]) -> asyncio.Task[list[Any] | None]:
        """A task aclose waits for."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _give_back(self, queue: _Queue, requests: float, tokens: float) -> None:
        """Return requests and tokens to the shared buckets, in the background."""
        if not self._usable():
            return
        args = (self._script_now(), repr(self.utilisation), repr(requests), repr(tokens))
        self._spawn(self._eval(ADJUST, queue.redis_key, (*args, self._ttl_ms)))

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

    async def _acquire(self, queue: _Queue, request: Request) -> _Grant | None:
        """Wait in this process's queue, then until Redis grants; None: use the fallback."""
        cost = request.token_cost
        self._check_cost(queue, cost)
        if not self._usable():
            return None
        loop = asyncio.get_running_loop()
        me: asyncio.Future[None] = loop.create_future()
        queue.waiters.append(me)
        waited = False
        try:
            if queue.waiters[0] is not me:
                waited = True
                await me  # set when every waiter ahead has gone
            while True:
                if not self._usable():
                    return None
                if queue.mode != KNOWN and not queue.free(self.cold_start):
                    waited = True
                    queue.wakeup = loop.create_future()
                    await queue.wakeup
                    continue
                reply = await self._reserve(queue, cost)
                if reply is None:
                    return None
                answer, wait_ms, mode, issued_requests, issued_tokens, rl, tl = reply
                queue.learn(int(mode), rl, tl)
                if answer == GRANTED:
                    queue.inflight += 1
                    queue.granted += 1
                    return _Grant(queue, cost, int(issued_requests), int(issued_tokens), int(mode))
                if answer == TOO_LARGE:
                    self._check_cost(queue, cost)
                if answer == WAIT:
                    waited = True
                    await self._sleep(int(wait_ms) / 1000.0)
                # GATED: the shared state is not known after all; look at the local gate again
        finally:
            if waited:
                queue.waited += 1
            if queue.waiters and queue.waiters[0] is me:
                queue.waiters.popleft()
                if queue.waiters:
                    head = queue.waiters[0]
                    if not head.done():
                        head.set_result(None)
            else:
                queue.waiters.remove(me)

    async def _reserve(self, queue: _Queue, cost: int) -> list[Any] | None:
        """One try of the reserve script; a grant whose caller was cancelled is given back."""
        args = (
            self._script_now(),
            repr(self.utilisation),
            str(cost),
            "1" if queue.free(self.cold_start) else "0",
            _arg(self.rpm),
            _arg(self.tpm),
            self._ttl_ms,
        )
        task = self._spawn(self._eval(RESERVE, queue.redis_key, args))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            task.add_done_callback(lambda done: self._reserved_for_nobody(queue, cost, done))
            raise

    def _reserved_for_nobody(self, queue: _Queue, cost: int, task: asyncio.Task[Any]) -> None:
        if task.cancelled() or task.exception() is not None:
            return
        reply = task.result()
        if reply is not None and reply[0] == GRANTED and int(reply[2]) == KNOWN:
            self._give_back(queue, 1.0, float(cost))

    # -- after the call ------------------------------------------------------------------------

    def _abandon(self, grant: _Grant, exc: BaseException) -> None:
        """The attempt ended without a response: give back what the server never saw."""
        queue = grant.queue
        queue.inflight -= 1
        if grant.mode == KNOWN and (isinstance(exc, asyncio.CancelledError) or never_reached(exc)):
            self._give_back(queue, 1.0, float(grant.cost))
        queue.wake()

    async def _feedback(self, grant: _Grant, response: Response) -> None:
        """Tell the shared state what the response says: limits, levels, 429s, token usage."""
        queue = grant.queue
        queue.inflight -= 1
        try:
            args, rate_limited = self._feedback_args(grant, response)
            if self._down_since is None:
                reply = await self._eval(FEEDBACK, queue.redis_key, args)
                if reply is not None:
                    queue.learn(int(reply[0]), reply[1], reply[2])
            if rate_limited and queue.mode != KNOWN:
                queue.window = max(1.0, math.floor((queue.inflight + 1) / 2))
        finally:
            queue.wake()

    def _feedback_args(self, grant: _Grant, response: Response) -> tuple[list[str], bool]:
        """The feedback script's arguments, and whether the response was a 429 to react to."""
        queue = grant.queue
        headers = response.headers
        status = response.status
        announced = "x-ratelimit-limit-requests" in headers or "x-ratelimit-limit-tokens" in headers
        limits: list[str] = []
        for kind in ("requests", "tokens"):
            limit = _positive_int(headers.get(f"x-ratelimit-limit-{kind}"))
            remaining = _non_negative_int(headers.get(f"x-ratelimit-remaining-{kind}"))
            reset = None
            if remaining is None:
                reset = parse_duration(headers.get(f"x-ratelimit-reset-{kind}"))
            limits.append(_arg(limit))
            limits.append(_arg(remaining))
            limits.append(_arg(reset))
        outcome = ""
        wait_ms = "0"
        kind_429 = ""
        give = ""
        if status == 429:
            err = error_body(response.json_or_none())
            if err is None or "insufficient_quota" not in (err.get("code"), err.get("type")):
                outcome = "429"
                queue.rate_limited += 1
                hint = server_wait(response)
                wait = min(self.max_wait, hint if hint is not None else 1.0)
                wait_ms = str(max(0, math.ceil(wait * 1000)))
                err_type = err.get("type") if err is not None else None
                kind_429 = err_type if isinstance(err_type, str) else ""
        elif status < 300:
            outcome = "ok"
            window = queue.window
            if window is not None:
                window += 1.0 / window
                queue.window = None if window > 10_000 else window
            if grant.cost:
                give = self._usage_give_back(grant, response)
        rl, rr, rs, tl, tr, ts = limits
        args = [
            self._script_now(),
            repr(self.utilisation),
            repr(self.recovery),
            str(grant.issued_requests),
            str(grant.issued_tokens),
            "1" if announced else "0",
            rl,
            tl,
            rr,
            tr,
            rs,
            ts,
            outcome,
            wait_ms,
            kind_429,
            give,
            self._ttl_ms,
        ]
        return args, outcome == "429"

    def _usage_give_back(self, grant: _Grant, response: Response) -> str:
        """Tokens to give back (or take) once ``usage`` tells the truth ("" while unknown)."""
        hooks = getattr(response, "usage_hooks", None)
        if isinstance(hooks, list):  # a stream: its usage comes with its last chunk, if at all
            hooks.append(lambda usage: self._settle(grant, usage))
            return ""
        data = response.json_or_none()
        usage = data.get("usage") if isinstance(data, dict) else None
        total = usage.get("total_tokens") if isinstance(usage, dict) else None
        return str(grant.cost - total) if isinstance(total, int) else ""

    def _settle(self, grant: _Grant, usage: Mapping[str, Any]) -> None:
        """A stream's usage arrived: reconcile the token estimate as for a whole answer."""
        total = usage.get("total_tokens")
        if isinstance(total, int) and grant.queue.mode == KNOWN:
            self._give_back(grant.queue, 0.0, float(grant.cost - total))
