"""RateLimiter: stay under the limits the server announces instead of bouncing off them.

A middleware inside retry, so every attempt takes its slot and every response feeds back.
The words (pair, bucket, reservation, acquire, feedback, settle, abandon, give back) are those
of :mod:`aio_openai.ratelimit._accounting`, shared with the Redis limiter.

- Two buckets, requests and tokens, per (API key or organization, model); calls that spend no
  tokens (models, assistants, runs) share the key's pair. Buckets hold up to the limit and
  refill continuously at ``utilisation x limit / 60`` per second (0.95 by default): what the
  server says remains may go at once, the steady pace stays just under the limit.
- Every response teaches: ``x-ratelimit-limit-*`` sets the limits, ``-remaining-*`` lowers the
  level (less what was sent after that request and is still in flight), ``-reset-*`` (Go
  durations) fills in when ``remaining`` is missing. Garbage ("-1", "0", "inf", missing) is
  ignored.
- Cold start: until the first response says whether limits are announced, at most
  ``cold_start`` requests of a pair are in flight. A server that announces nothing is never
  slowed down; there the limiter only reacts to 429s (AIMD on a concurrency window).
- A 429 halves the pair's utilisation (additive recovery of ``recovery`` per success) and sets a
  shared "not before" moment for its waiters, at most ``max_wait`` (the retry cap) away.
- Waiters are served first come, first served, so large requests are not starved; a waiter that
  is cancelled gives its place (and any reservation not yet sent) back.
- A request whose token estimate exceeds the token limit fails at once (TokenLimitExceededError).
- Token reservations are the documented estimate (the larger of the completion budget and the
  prompt's characters / 4); a response's ``usage.prompt_tokens`` corrects the prompt part to
  what the server charged (see :func:`aio_openai._cost.charged_tokens`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .._http import Handler, Request
from .._http import HTTPResponse as Response
from ._accounting import (
    COLD,
    CUT,
    FLOOR,
    KNOWN,
    MODE_NAMES,
    UNANNOUNCED,
    Bucket,
    Pair,
    Reservation,
    settlement,
    unsent,
    when_usage_known,
)
from ._common import LimiterSettings
from ._info import OK, RATE_LIMITED, RateLimitInfo

__all__ = ["LocalPair", "RateLimiter"]


class LocalPair(Pair["asyncio.Future[None]"]):
    """A pair whose request and token buckets are kept here (see :class:`RateLimiter`)."""

    __slots__ = ("decreased_at", "key", "not_before", "requests", "scale", "target", "tokens")

    def __init__(self, key: tuple[str, str | None], limiter: RateLimiter, now: float) -> None:
        explicit = limiter.rpm is not None or limiter.tpm is not None
        super().__init__(key[1], KNOWN if explicit else COLD)
        self.key = key
        self.requests = Bucket(limiter.rpm, now=now)
        self.tokens = Bucket(limiter.tpm, now=now)
        self.target = limiter.utilisation
        self.scale = limiter.utilisation
        self.not_before = 0.0
        self.decreased_at = -1.0  # requests issued when the pace was last cut

    def delay(self, cost: int, now: float, cold_start: int) -> float | None:
        """Seconds to wait before ``cost`` can be taken: 0 now, None until a response comes."""
        if now < self.not_before:
            return self.not_before - now
        mode = self.mode
        if mode == KNOWN:
            self.refill(now)
            wait = self.requests.wait_for(1.0, self.scale)
            if cost:
                wait = max(wait, self.tokens.wait_for(cost, self.scale))
            return wait
        if mode == COLD:
            return 0.0 if self.inflight < cold_start else None
        window = self.window
        return 0.0 if window is None or self.inflight < window else None

    def refill(self, now: float) -> None:
        """Bring both buckets up to ``now`` (they fill only while the limits are known)."""
        scale = self.scale if self.mode == KNOWN else 0.0
        self.requests.refill(now, scale)
        self.tokens.refill(now, scale)

    def take(self, request: Request, cost: int) -> Reservation[LocalPair]:
        """Reserve one request and ``cost`` tokens for ``request``."""
        mode = self.mode
        if mode == KNOWN:
            self.requests.level -= 1.0
            self.tokens.level -= cost
        self.requests.issued += 1.0
        self.tokens.issued += cost
        self.inflight += 1
        return Reservation(
            self, cost, self.requests.issued, self.tokens.issued, mode, request.json_data
        )

    def snapshot(self) -> dict[str, Any]:
        """The pair's state, for stats and debugging."""
        return {
            "mode": MODE_NAMES[self.mode],
            "limit_requests": self.requests.limit,
            "limit_tokens": self.tokens.limit,
            "level_requests": round(self.requests.level, 3),
            "level_tokens": round(self.tokens.level, 3),
            "scale": round(self.scale, 4),
            "inflight": self.inflight,
            "waiting": len(self.waiters),
            "window": self.window,
            "rate_limited": self.rate_limited,
            "waited": self.waited,
        }


class RateLimiter(LimiterSettings):
    """Paces calls under the limits a server announces (see the module docstring).

    ``rpm``, ``tpm``, ``utilisation``, ``cold_start``, ``recovery`` and ``max_wait`` are the
    :class:`~aio_openai.ratelimit._common.LimiterSettings`; ``sleep`` and ``clock`` are for
    tests. Share one RateLimiter between clients of the same key to pace them together.
    """

    def __init__(
        self,
        *,
        rpm: float | None = None,
        tpm: float | None = None,
        utilisation: float = 0.95,
        cold_start: int = 4,
        recovery: float = 0.02,
        max_wait: float = 120.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            rpm=rpm,
            tpm=tpm,
            utilisation=utilisation,
            cold_start=cold_start,
            recovery=recovery,
            max_wait=max_wait,
        )
        self._sleep = sleep
        self._clock = clock
        self._pairs: dict[tuple[str, str | None], LocalPair] = {}

    def pair(self, key_id: str, model: str | None) -> LocalPair:
        """The pair of (key, model), made on first use."""
        key = (key_id, model)
        pair = self._pairs.get(key)
        if pair is None:
            pair = self._pairs[key] = LocalPair(key, self, self._clock())
        return pair

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every pair's state, keyed "model" (or "*" for calls without one)."""
        return {(k[1] or "*"): p.snapshot() for k, p in self._pairs.items()}

    # -- the middleware ----------------------------------------------------------------------

    def middleware(self, key_id: str) -> Callable[[Request, Handler], Awaitable[Response]]:
        """The middleware for a client whose key (or organization) is identified by key_id."""

        async def rate_limit_middleware(request: Request, call_next: Handler) -> Response:
            pair = self.pair(key_id, request.model)
            reservation = await self.acquire(pair, request)
            try:
                response = await call_next(request)
            except BaseException as exc:
                self._abandon(reservation, exc)
                raise
            self.feedback(reservation, response)
            return response

        return rate_limit_middleware

    async def acquire(self, pair: LocalPair, request: Request) -> Reservation[LocalPair]:
        """Wait (first come, first served) until the pair can take this request; reserve it."""
        cost = request.token_cost
        if cost:
            pair.check_cost(cost, pair.tokens.limit)
        if not pair.waiters:
            now = self._clock() if pair.not_before or pair.mode == KNOWN else 0.0
            if pair.delay(cost, now, self.cold_start) == 0.0:
                return pair.take(request, cost)
        return await self._wait(pair, request, cost)

    async def _wait(self, pair: LocalPair, request: Request, cost: int) -> Reservation[LocalPair]:
        loop = asyncio.get_running_loop()
        me: asyncio.Future[None] = loop.create_future()
        pair.waiters.append(me)
        pair.waited += 1
        try:
            if pair.waiters[0] is not me:
                await me  # set when every waiter ahead has gone
            while True:
                if cost:
                    pair.check_cost(cost, pair.tokens.limit)
                delay = pair.delay(cost, self._clock(), self.cold_start)
                if delay == 0.0:
                    return pair.take(request, cost)
                if delay is None:
                    pair.wakeup = loop.create_future()
                    await pair.wakeup
                else:
                    await self._sleep(delay)
        finally:
            if pair.waiters and pair.waiters[0] is me:
                pair.waiters.popleft()
                if pair.waiters:
                    head = pair.waiters[0]
                    if not head.done():
                        head.set_result(None)
            else:
                pair.waiters.remove(me)

    def _abandon(self, reservation: Reservation[LocalPair], exc: BaseException) -> None:
        """The attempt ended without a response: give back what the server never saw."""
        self._give_back(reservation, sent=not unsent(exc))

    def _give_back(self, reservation: Reservation[LocalPair], sent: bool) -> None:
        """Settle a reservation that got no answer; give it back if it was never ``sent``."""
        pair = reservation.pair
        pair.inflight -= 1
        pair.requests.settled += 1.0
        pair.tokens.settled += reservation.cost
        if pair.mode == KNOWN and not sent:
            pair.refill(self._clock())
            pair.requests.give(1.0)
            pair.tokens.give(reservation.cost)
        pair.wake()

    def feedback(self, reservation: Reservation[LocalPair], response: Response) -> None:
        """Learn from a response: limits, levels, 429s; settle the token estimate."""
        pair = reservation.pair
        pair.inflight -= 1
        pair.requests.settled += 1.0
        pair.tokens.settled += reservation.cost
        pair.refill(self._clock())
        info = RateLimitInfo.from_response(response, self.max_wait)
        if info.announced:
            self._learn(pair, reservation, info)
        elif pair.mode == COLD:
            pair.mode = UNANNOUNCED
        if info.outcome == RATE_LIMITED:
            self._rate_limited(pair, reservation, info)
        elif info.outcome == OK:
            if pair.scale < pair.target:
                pair.scale = min(pair.target, pair.scale + self.recovery)
            if pair.window is not None:
                pair.widen()
            if reservation.cost:
                when_usage_known(response, lambda usage: self._settle(reservation, usage))
        pair.wake()

    def _learn(
        self, pair: LocalPair, reservation: Reservation[LocalPair], info: RateLimitInfo
    ) -> None:
        """Take the limits and levels a response announced (the buckets are up to date)."""
        first = pair.mode != KNOWN
        pair.mode = KNOWN
        for bucket, said, issued in (
            (pair.requests, info.requests, reservation.issued_requests),
            (pair.tokens, info.tokens, reservation.issued_tokens),
        ):
            if said.limit is not None and not bucket.explicit:
                bucket.limit = float(said.limit)
            bucket.learn(said, issued, first)

    def _rate_limited(
        self, pair: LocalPair, reservation: Reservation[LocalPair], info: RateLimitInfo
    ) -> None:
        pair.rate_limited += 1
        pair.not_before = max(pair.not_before, self._clock() + info.wait)
        if reservation.issued_requests > pair.decreased_at:
            # one cut per congestion event: 429s to requests sent before the cut don't count
            pair.scale = max(pair.target * FLOOR, pair.scale * CUT)
            pair.decreased_at = pair.requests.issued
        if pair.mode == KNOWN:
            bucket = pair.tokens if info.limited == "tokens" else pair.requests
            bucket.level = min(bucket.level, 0.0)
        else:
            pair.narrow()

    def _settle(self, reservation: Reservation[LocalPair], usage: Mapping[str, Any]) -> None:
        """Correct the reservation to what the server charged (see settlement)."""
        pair = reservation.pair
        give = settlement(reservation.cost, reservation.body, usage)
        if give is not None and pair.mode == KNOWN:
            pair.refill(self._clock())
            pair.tokens.give(give)
            pair.wake()
