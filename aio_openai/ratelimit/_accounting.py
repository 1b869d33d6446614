"""The accounting both rate limiters keep: one set of rules, one vocabulary.

:class:`~aio_openai.ratelimit._local.RateLimiter` keeps its buckets in the process;
:class:`~aio_openai.ratelimit._redis.RedisRateLimiter` keeps the same buckets in Redis, where
Lua scripts (:mod:`aio_openai.ratelimit._scripts`) apply the same rules atomically for every
process. Both read a response as one :class:`~aio_openai.ratelimit._info.RateLimitInfo`, and
both speak of the same things:

- a *pair*: the request and token buckets of one (key, model). :class:`Pair` is what a
  limiter keeps of it in the process: its mode (what is known of the limits), the calls in
  flight, the waiters (first come, first served), the AIMD window used while the server
  announces no limits, and the wakeup of a waiter held until a response comes;
- a :class:`Bucket`: holds up to the limit and refills at ``utilisation x limit / 60`` a
  second. The utilisation scales the pace, not the bucket: what the server says remains may
  go at once, the steady pace stays just under the limit. A response's ``remaining`` (less
  what was reserved after that request and is still in flight) lowers the level and never
  raises it, except the first time;
- *acquire*: wait until the pair can take a call, then take a :class:`Reservation` (one
  request, the call's token estimate) from it;
- *feedback*: learn from the response (limits, levels, 429s) and *settle* the reservation:
  once ``usage`` is known it is corrected to what the server charged (:func:`settlement`);
- *abandon*: the attempt ended without a response; *give back* what the server never saw.

tests/integration/test_shared_accounting.py runs the same events through both limiters and
compares the levels, and one FakeOpenAI scenario through both and compares their goodput.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, Final, Generic, TypeVar

from .._cost import charged_tokens
from .._http import HTTPResponse as Response
from .._http import StreamedResponse
from .._retry import never_reached
from ._common import TokenLimitExceededError
from ._info import BucketInfo

__all__ = [
    "COLD",
    "CUT",
    "FLOOR",
    "KNOWN",
    "MODE_NAMES",
    "UNANNOUNCED",
    "Bucket",
    "Pair",
    "Reservation",
    "settlement",
    "unsent",
    "when_usage_known",
]

# What a pair knows of its limits.
COLD: Final = 0  # nothing yet: at most cold_start in flight until the first response
KNOWN: Final = 1  # limits announced (or given): the buckets pace
UNANNOUNCED: Final = 2  # the server announces none: never slowed down, AIMD on 429s
MODE_NAMES: Final = {COLD: "cold", KNOWN: "known", UNANNOUNCED: "unannounced"}

#: The pace after a 429: this share of what it was, never under FLOOR x the utilisation.
CUT: Final = 0.5
FLOOR: Final = 0.1
#: An AIMD window grown past this is no limit any more: it goes.
MAX_WINDOW: Final = 10_000

W = TypeVar("W")
P = TypeVar("P", bound="Pair[Any]")


class Pair(Generic[W]):
    """What a limiter keeps in this process for one (key, model); waiters are ``W``s."""

    __slots__ = (
        "inflight",
        "mode",
        "model",
        "rate_limited",
        "waited",
        "waiters",
        "wakeup",
        "window",
    )

    def __init__(self, model: str | None, mode: int) -> None:
        self.model = model
        self.mode = mode
        self.inflight = 0
        self.window: float | None = None  # the AIMD concurrency window when nothing is announced
        self.waiters: deque[W] = deque()
        self.wakeup: asyncio.Future[None] | None = None  # a waiter held until a response comes
        self.rate_limited = 0
        self.waited = 0

    def check_cost(self, cost: int, limit: float | None) -> None:
        """Refuse a call that could never be sent: ``cost`` is over the whole token ``limit``."""
        if limit is not None and cost > limit:
            raise TokenLimitExceededError(cost, limit, self.model)

    def wake(self) -> None:
        """Let the waiter held for a response look again (one arrived, or a slot came back)."""
        wakeup = self.wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)
        self.wakeup = None

    def widen(self) -> None:
        """A success: the AIMD window, if any, grows by one over its size."""
        window = self.window
        if window is not None:
            window += 1.0 / window
            self.window = None if window > MAX_WINDOW else window

    def narrow(self) -> None:
        """A 429 while no limits are known: the window becomes half of what is in flight."""
        self.window = max(1.0, (self.inflight + 1) // 2)


class Reservation(Generic[P]):
    """What a call took from its pair: one request and ``cost`` tokens.

    ``issued_requests``/``issued_tokens`` are the pair's totals reserved with it, so a response
    can tell what was reserved after its request; ``mode`` is the pair's when it was taken;
    ``body`` is the request's JSON body, for settling with ``usage``.
    """

    __slots__ = ("body", "cost", "issued_requests", "issued_tokens", "mode", "pair")

    def __init__(
        self,
        pair: P,
        cost: int,
        issued_requests: float,
        issued_tokens: float,
        mode: int,
        body: Mapping[str, Any] | None,
    ) -> None:
        self.pair = pair
        self.cost = cost
        self.issued_requests = issued_requests
        self.issued_tokens = issued_tokens
        self.mode = mode
        self.body = body


class Bucket:
    """One continuously refilling bucket (requests or tokens) of a pair."""

    __slots__ = ("explicit", "issued", "level", "limit", "settled", "updated")

    def __init__(self, limit: float | None = None, *, now: float = 0.0) -> None:
        self.limit = limit  # per minute, None while unknown
        self.explicit = limit is not None
        self.level = limit or 0.0  # a given limit starts full, as the server's bucket does
        self.updated = now
        self.issued = 0.0  # total reserved so far, to discount what the server has not seen
        self.settled = 0.0  # total of the reservations whose fate is known (answered or not sent)

    def refill(self, now: float, scale: float) -> None:
        """Bring the level up to ``now``: at ``scale`` x limit / 60 a second, up to the limit."""
        limit = self.limit
        if limit is not None and now > self.updated:
            level = self.level + (now - self.updated) * limit * scale / 60.0
            self.level = level if level < limit else limit
        if now > self.updated:
            self.updated = now

    def wait_for(self, amount: float, scale: float) -> float:
        """Seconds until ``amount`` is available (0 if it is now); levels must be refilled."""
        if self.limit is None:
            return 0.0
        missing = amount - self.level
        if missing <= 0:
            return 0.0
        return missing * 60.0 / (self.limit * scale)

    def give(self, amount: float) -> None:
        """Give back ``amount`` (take it when negative), never above the limit."""
        limit = self.limit
        if limit is not None:
            self.level = min(limit, self.level + amount)

    def learn(self, info: BucketInfo, issued_then: float, first: bool) -> None:
        """Apply a response's ``remaining``, less what the server may not have seen of ours.

        That is what was reserved after the request (``issued_then`` is the total reserved
        with it) and is still in flight: reservations answered since were admitted, most
        likely before it (calls sent together come back in about the order they were
        admitted), so counting them again would halve a burst. The server's count may lag, so
        it only lowers the level. The ``first`` response of a pair sets it, less everything in
        flight (reserved before it too: the cold start's calls go together, and one admitted
        after it would otherwise be counted by nobody); saying nothing of what remains, it sets
        it full less that. Settle the response's own reservation first.
        """
        limit = self.limit
        if limit is None:
            return
        sent_since = self.issued - (self.settled if first else max(issued_then, self.settled))
        remaining = info.remaining_of(limit)
        if remaining is None:
            if first:
                self.level = limit - sent_since
            return
        estimate = remaining - sent_since
        if first or estimate < self.level:
            self.level = min(estimate, limit)


def unsent(exc: BaseException) -> bool:
    """Whether an attempt that ended with ``exc`` counts as never sent, its reservation given
    back: it was cancelled, or it surely never reached the server."""
    return isinstance(exc, asyncio.CancelledError) or never_reached(exc)


def settlement(cost: int, body: Mapping[str, Any] | None, usage: Mapping[str, Any]) -> float | None:
    """Tokens to give back (negative: to take) once ``usage`` says what a call was charged.

    OpenAI counts a request once, at admission, as the larger of its completion budget and
    ``usage.prompt_tokens``; the completion it then writes is not counted again, so settling
    with ``usage.total_tokens`` would charge it twice and halve the token rate. None when the
    usage says nothing of it (see :func:`aio_openai._cost.charged_tokens`).
    """
    if body is None:
        return None
    charged = charged_tokens(body, usage)
    return None if charged is None else float(cost - charged)


def when_usage_known(response: Response, settle: Callable[[Mapping[str, Any]], None]) -> None:
    """Call ``settle`` with the response's ``usage``: now, or when its stream reports it.

    A stream reports its usage (if at all: ``stream_options={"include_usage": True}``) in its
    last chunk; without one the estimate stands.
    """
    if isinstance(response, StreamedResponse):
        response.usage_hooks.append(settle)
        return
    data = response.json_or_none()
    usage = data.get("usage") if isinstance(data, dict) else None
    if isinstance(usage, dict):
        settle(usage)
