"""RedisPair: this process's side of a pair whose buckets are kept in Redis.

Its waiters queue first come, first served; the first of them (the *leader*) asks Redis to
reserve for every call waiting, and hands the reservations out (or sends every waiter to the
fallback at once when Redis fails). It remembers the mode and limits Redis last answered, and
counts what :meth:`~aio_openai.ratelimit._redis.RedisRateLimiter.snapshot` shows.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from typing import Any, Final

from ._accounting import COLD, MODE_NAMES, UNANNOUNCED, Pair

__all__ = ["FELL_BACK", "LEAD", "MAX_BATCH", "RedisPair", "Waiter", "text"]

#: The most calls one reserve round trip asks for.
MAX_BATCH: Final = 1024
#: ``Waiter.reserved_by`` of a call sent to the fallback.
FELL_BACK: Final = -1
#: The outcome telling a waiter that it now asks Redis for the pair (it leads).
LEAD: Final = "lead"


def text(value: Any) -> str:
    """A Redis reply as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def _limit(value: Any) -> float | None:
    answer = text(value)
    return float(answer) if answer else None


class Waiter:
    """One call waiting in a pair's queue; ``future`` says how it ends."""

    __slots__ = ("body", "cost", "first_round", "future", "reserved_by")

    def __init__(
        self,
        cost: int,
        body: Mapping[str, Any] | None,
        future: asyncio.Future[Any],
        first_round: int,
    ) -> None:
        self.cost = cost
        self.body = body  # the request's JSON body, for settling with usage
        #: Reservation (go), None (use the fallback), LEAD (ask Redis for the pair) or an error
        self.future = future
        self.first_round = first_round  # the first round trip sent after it arrived
        self.reserved_by = 0  # the round trip that reserved for it (FELL_BACK: none)


class RedisPair(Pair[Waiter]):
    """This process's side of a pair kept in Redis: its waiters, leader and stats."""

    __slots__ = (
        "asking",
        "fallbacks",
        "granted",
        "leader",
        "limit_requests",
        "limit_tokens",
        "redis_key",
        "rounds",
    )

    def __init__(self, redis_key: str, model: str | None) -> None:
        super().__init__(model, COLD)  # the mode as the shared state last said
        self.redis_key = redis_key
        self.limit_requests: float | None = None
        self.limit_tokens: float | None = None
        self.leader: Waiter | None = None  # the waiter asking Redis for the pair
        self.asking: asyncio.Task[Any] | None = None  # its reserve round trip, while in flight
        self.rounds = 0
        self.granted = 0
        self.fallbacks = 0

    def slots(self, cold_start: int) -> int:
        """How many more this process may send while the shared limits are unknown."""
        if self.mode == UNANNOUNCED:
            window = self.window
            return MAX_BATCH if window is None else math.ceil(window - self.inflight)
        return cold_start - self.inflight

    def learn(self, mode: int, limit_requests: Any, limit_tokens: Any) -> None:
        """Take the shared mode and limits a script answered."""
        self.mode = mode
        self.limit_requests = _limit(limit_requests)
        self.limit_tokens = _limit(limit_tokens)

    def fall_back(self) -> None:
        """Send every call still waiting to the fallback, at once."""
        for waiter in self.waiters:
            if not waiter.future.done():
                waiter.reserved_by = FELL_BACK
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
