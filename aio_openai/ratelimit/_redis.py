"""RedisRateLimiter: one key's limits paced across processes and hosts, kept in Redis.

Ten processes each pacing themselves to the announced limit together send ten times too much.
RedisRateLimiter keeps the local limiter's buckets in Redis instead, so every process of every
host that uses a key takes from the same two buckets. The accounting is the local limiter's
(:mod:`aio_openai.ratelimit._accounting`: the same parsed response, the same bucket size and
refill, the same settlement with ``usage``, the same words); its Lua scripts
(:mod:`aio_openai.ratelimit._scripts`) restate the buckets so Redis applies them atomically.

- State: one hash per pair, ``{prefix}:{key_id}:{model or *}``, expiring an hour after its
  last use; this process keeps a :class:`RedisPair` of it (its waiters, calls in flight, the
  mode and limits Redis last answered).
- Acquire: first come, first served within a process. The head waiter of a pair (the
  *leader*) asks Redis to reserve for every call waiting behind it at once, so one answer
  releases all that fit (and one failure sends them all to the fallback), not one call per
  round trip. Across processes there is no queue: the first to ask after a refill gets it.
- Cold start: until the shared state has learned the limits (from any process's response, or
  ``rpm``/``tpm`` given here), at most ``cold_start`` requests *per process* are in flight. A
  server that announces no limits is never slowed down; there each process halves its own
  concurrency window on a 429 (AIMD), and the not-before moment is shared.
- Feedback, abandon and settle run the feedback and adjust scripts; a reservation given back
  goes in the background.
- Redis slow or gone (:mod:`aio_openai.ratelimit._redis_calls`): the call goes through
  ``fallback``, a local :class:`~aio_openai.ratelimit._local.RateLimiter` (so it is neither
  lost nor held up), and Redis is tried again ``backoff`` seconds later. While Redis is away
  each process paces on its own, so together they may overshoot until it is back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from .._http import Handler, Request
from .._http import HTTPResponse as Response
from ._accounting import (
    KNOWN,
    Reservation,
    settlement,
    unsent,
    when_usage_known,
)
from ._common import LimiterSettings, RateLimiterProtocol, TokenLimitExceededError
from ._info import OK, RATE_LIMITED, RateLimitInfo
from ._local import RateLimiter
from ._redis_calls import LoopClients, ScriptCalls, one
from ._redis_pair import FELL_BACK, LEAD, MAX_BATCH, RedisPair, Waiter, text
from ._scripts import (
    ADJUST,
    FEEDBACK,
    RESERVE,
    TOO_LARGE,
    WAIT,
    Script,
    adjust_args,
    feedback_args,
    read_reserve,
    reserve_args,
)

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisRateLimiter"]

T = TypeVar("T")

#: Seconds a pair's hash lives after its last use.
STATE_TTL: Final = 3600.0


class RedisRateLimiter(LimiterSettings):
    """Paces the calls of every process that shares a key under its limits, through Redis.

    ``url_or_client`` is a Redis URL (``redis://host:6379/0``, ``rediss://``, ``unix://``) or a
    ``redis.asyncio.Redis`` client (then closing it is yours; event loops other than the first
    to use it get clients of their own with its settings, closed by the limiter). ``prefix``
    starts every key this limiter writes; ``rpm``/``tpm``, ``utilisation``, ``cold_start``,
    ``recovery`` and ``max_wait`` are the :class:`~aio_openai.ratelimit._common.LimiterSettings`
    of :class:`RateLimiter` (explicit limits are written to the shared state and headers never
    change them). ``timeout`` bounds each Redis call (seconds); on a failure the call goes
    through ``fallback`` (by default a local RateLimiter with the same settings) and Redis is
    tried again ``backoff`` seconds later (see the module docstring); ``available`` says
    whether Redis is in use, ``outages`` counts the outages. ``clock`` (seconds) replaces
    Redis's ``TIME`` and the outage timer, and ``sleep`` the waits, for tests. Use one instance
    per process, shared by every client of the process and by every event loop; ``await
    aclose()`` (or ``async with``) when done.

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
        super().__init__(
            rpm=rpm,
            tpm=tpm,
            utilisation=utilisation,
            cold_start=cold_start,
            recovery=recovery,
            max_wait=max_wait,
        )
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0, got {timeout}")
        if backoff < 0:
            raise ValueError(f"backoff must be >= 0, got {backoff}")
        self.prefix = prefix
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
            clients = LoopClients(template, owns=True)
        else:
            clients = LoopClients(url_or_client, owns=False)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._calls = ScriptCalls(
            clients,
            timeout=timeout,
            backoff=backoff,
            now=self._now,
            spawn=self._spawn,
            no_script=NoScriptError,
        )
        self._ttl_ms = str(int(STATE_TTL * 1000))
        self._pairs: dict[tuple[str, str | None], RedisPair] = {}

    def __repr__(self) -> str:
        return f"<RedisRateLimiter {self._calls.clients.where()} prefix={self.prefix!r}>"

    # -- public ------------------------------------------------------------------------------

    @property
    def redis(self) -> Redis:
        """The Redis client of the running event loop (outside one: the first loop's)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._calls.clients.template
        return self._calls.clients.get().client

    @property
    def available(self) -> bool:
        """False while Redis is thought to be away (calls then go through the fallback)."""
        return self._calls.available

    @property
    def outages(self) -> int:
        """How many times Redis went away."""
        return self._calls.outages

    @property
    def timeout(self) -> float:
        """Seconds each Redis call may take before the call goes through the fallback."""
        return self._calls.timeout

    @property
    def backoff(self) -> float:
        """Seconds until Redis is tried again after it first failed (doubling while it fails)."""
        return self._calls.backoff

    def middleware(self, key_id: str) -> Callable[[Request, Handler], Awaitable[Response]]:
        """The middleware for a client whose key (or organization) is identified by key_id."""
        fallback = self.fallback.middleware(key_id)

        async def redis_rate_limit_middleware(request: Request, call_next: Handler) -> Response:
            pair = self._pair(key_id, request.model)
            reservation = await self._acquire(pair, request)
            if reservation is None:
                pair.fallbacks += 1
                self._calls.outage_calls += 1
                return await fallback(request, call_next)
            try:
                response = await call_next(request)
            except BaseException as exc:
                self._abandon(reservation, exc)
                raise
            await self._feedback(reservation, response)
            return response

        return redis_rate_limit_middleware

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """This process's view of every pair, keyed "model" (or "*" for calls without one)."""
        return {(k[1] or "*"): p.snapshot() for k, p in self._pairs.items()}

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
        return {text(k): float(text(v)) for k, v in raw.items()}

    async def aclose(self) -> None:
        """Wait for the reservations being given back, and close the clients this limiter made."""
        loop = asyncio.get_running_loop()
        while mine := [t for t in self._tasks if t.get_loop() is loop]:
            await asyncio.gather(*mine, return_exceptions=True)
        await self._calls.clients.aclose()

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

    async def _eval(
        self, script: Script, key: str, args: Sequence[str], read: Callable[[list[Any]], T]
    ) -> T | None:
        """Every script call of the limiter: ``read`` of its reply, None when anything failed."""
        return await self._calls.eval(script, key, args, read)

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """A task aclose waits for."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _adjust(
        self,
        pair: RedisPair,
        requests: float,
        tokens: float,
        settled: Reservation[RedisPair] | None = None,
    ) -> None:
        """Give requests and tokens back to the shared buckets (and settle a reservation), in
        the background."""
        if not self._calls.usable():
            return
        args = adjust_args(
            self._script_now(), self.utilisation, requests, tokens, settled, self._ttl_ms
        )
        self._spawn(self._eval(ADJUST, pair.redis_key, args, one))

    # -- acquire -------------------------------------------------------------------------------

    def _pair(self, key_id: str, model: str | None) -> RedisPair:
        """This process's side of the pair of (key, model), made on first use."""
        key = (key_id, model)
        pair = self._pairs.get(key)
        if pair is None:
            pair = self._pairs[key] = RedisPair(self.redis_key(key_id, model), model)
        return pair

    async def _acquire(self, pair: RedisPair, request: Request) -> Reservation[RedisPair] | None:
        """Wait in this process's queue until Redis reserves; None: use the fallback."""
        cost = request.token_cost
        if cost:
            pair.check_cost(cost, pair.limit_tokens)
        if not self._calls.usable():
            return None
        loop = asyncio.get_running_loop()
        me = Waiter(cost, request.json_data, loop.create_future(), pair.rounds + 1)
        pair.waiters.append(me)
        try:
            if pair.leader is None:
                pair.leader = me
                await asyncio.sleep(0)  # calls arriving at the same moment join the first ask
            else:
                outcome = await me.future
                if outcome is not LEAD:
                    return cast("Reservation[RedisPair] | None", outcome)
                me.future = loop.create_future()  # for its own answer
            return await self._lead(pair, me)
        except asyncio.CancelledError:
            self._leave(me)
            raise
        finally:
            pair.waiters.remove(me)
            if me.reserved_by not in (me.first_round, FELL_BACK):
                pair.waited += 1  # the first round trip after it came did not reserve for it
            if not me.future.done():
                me.future.cancel()  # no round trip hands it anything any more
            if pair.leader is me:
                asking = pair.asking
                if asking is None or asking.done():
                    pair.hand_over()
                else:  # the round trip still hands out what it got: then the next one asks
                    asking.add_done_callback(lambda _: pair.hand_over())

    def _leave(self, me: Waiter) -> None:
        """A cancelled waiter gives back a reservation it got in the meantime."""
        future = me.future
        if not future.done():
            future.cancel()
        elif not future.cancelled() and future.exception() is None:
            outcome = future.result()
            if isinstance(outcome, Reservation):
                self._give_back(outcome)

    async def _lead(self, pair: RedisPair, me: Waiter) -> Reservation[RedisPair] | None:
        """Ask Redis for every call waiting (``me`` first) until ``me`` has its answer."""
        while True:
            if me.future.done():
                return cast("Reservation[RedisPair] | None", me.future.result())
            if not self._calls.usable():
                pair.fall_back()
                continue
            # the cold-start (or AIMD) window: Redis applies it only while the limits are
            # unknown; here it holds the queue until a response of this process comes
            slots = pair.slots(self.cold_start)
            if slots <= 0 and pair.mode != KNOWN:
                wakeup = pair.wakeup = asyncio.get_running_loop().create_future()
                await wakeup
                continue
            batch = [w for w in islice(pair.waiters, MAX_BATCH) if not w.future.done()]
            pair.asking = self._spawn(self._reserve(pair, batch, max(0, slots)))
            answer, wait = await asyncio.shield(pair.asking)
            if answer == WAIT and not me.future.done():
                await self._sleep(wait)

    async def _reserve(self, pair: RedisPair, batch: list[Waiter], slots: int) -> tuple[int, float]:
        """One reserve round trip for ``batch``; hands out what it got (the answer, the wait).

        Runs as a task of its own, so a cancelled leader does not lose what Redis reserved for
        the others: a reservation whose call is gone is given back.
        """
        pair.rounds += 1
        index = pair.rounds
        args = reserve_args(
            self._script_now(),
            self.utilisation,
            slots,
            self.rpm,
            self.tpm,
            self._ttl_ms,
            (w.cost for w in batch),
        )
        reply = await self._eval(RESERVE, pair.redis_key, args, read_reserve)
        if reply is None:
            pair.fall_back()  # every call waiting goes to the fallback at once
            return WAIT, 0.0
        granted, answer, wait_ms, mode, requests, tokens, rl, tl = reply
        pair.learn(mode, rl, tl)
        for waiter in batch[:granted]:
            requests += 1
            tokens += waiter.cost
            reservation = Reservation(pair, waiter.cost, requests, tokens, mode, waiter.body)
            pair.inflight += 1
            pair.granted += 1
            waiter.reserved_by = index
            if waiter.future.done():  # its call was cancelled meanwhile
                self._give_back(reservation)
            else:
                waiter.future.set_result(reservation)
        if answer == TOO_LARGE and granted < len(batch):
            waiter = batch[granted]
            if not waiter.future.done():
                limit = pair.limit_tokens or 0.0
                waiter.future.set_exception(TokenLimitExceededError(waiter.cost, limit, pair.model))
        return answer, wait_ms / 1000.0

    # -- after the call ------------------------------------------------------------------------

    def _abandon(self, reservation: Reservation[RedisPair], exc: BaseException) -> None:
        """The attempt ended without a response: give back what the server never saw."""
        self._give_back(reservation, sent=not unsent(exc))

    def _give_back(self, reservation: Reservation[RedisPair], sent: bool = False) -> None:
        """Settle a reservation that got no answer; give it back if it was never ``sent``."""
        pair = reservation.pair
        pair.inflight -= 1
        if reservation.mode == KNOWN and not sent:
            self._adjust(pair, 1.0, float(reservation.cost), reservation)
        else:
            self._adjust(pair, 0.0, 0.0, reservation)
        pair.wake()

    async def _feedback(self, reservation: Reservation[RedisPair], response: Response) -> None:
        """Tell the shared state what the response says: limits, levels, 429s, token usage."""
        pair = reservation.pair
        pair.inflight -= 1
        try:
            info = RateLimitInfo.from_response(response, self.max_wait)
            give = ""
            if info.outcome == RATE_LIMITED:
                pair.rate_limited += 1
            elif info.outcome == OK:
                pair.widen()
                if reservation.cost:
                    give = self._settle(reservation, response)
            if self._calls.available:
                args = feedback_args(
                    self._script_now(),
                    self.utilisation,
                    self.recovery,
                    reservation,
                    info,
                    give,
                    self._ttl_ms,
                )
                reply = await self._eval(FEEDBACK, pair.redis_key, args, one)
                if reply is not None:
                    pair.learn(int(reply[0]), reply[1], reply[2])
            if info.outcome == RATE_LIMITED and pair.mode != KNOWN:
                pair.narrow()
        except Exception as exc:  # never the caller's problem: the answer is there
            self._calls.failed(FEEDBACK, exc)
        finally:
            pair.wake()

    def _settle(self, reservation: Reservation[RedisPair], response: Response) -> str:
        """Tokens to give back now that ``usage`` is known ("" when it is not, yet).

        A whole answer's usage goes with the feedback; a stream's comes with its last chunk,
        and is given back then.
        """
        now: list[float] = []
        later = False

        def settle(usage: Mapping[str, Any]) -> None:
            give = settlement(reservation.cost, reservation.body, usage)
            if give is None:
                return
            if later:
                if reservation.pair.mode == KNOWN:
                    self._adjust(reservation.pair, 0.0, give)
            else:
                now.append(give)

        when_usage_known(response, settle)
        later = True
        return repr(now[0]) if now else ""
