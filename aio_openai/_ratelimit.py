"""The rate limiter: stay under the limits the server announces instead of bouncing off them.

A middleware inside retry, so every attempt takes its slot and every response feeds back.

- Two buckets, requests and tokens, per (API key or organization, model); calls that spend no
  tokens (models, assistants, runs) share the key's pair. Buckets hold up to the limit and
  refill continuously at ``utilisation x limit / 60`` per second (0.95 by default): what the
  server says remains may go at once, the steady pace stays just under the limit.
- Every response teaches: ``x-ratelimit-limit-*`` sets the limits, ``-remaining-*`` lowers the
  level (less what was sent after that request), ``-reset-*`` (Go durations) fills in when
  ``remaining`` is missing. Garbage ("-1", "0", missing) is ignored.
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
import hashlib
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import attrs

from ._cost import charged_tokens
from ._durations import parse_duration
from ._exceptions import OpenAIError
from ._http import Handler, Request, StreamedResponse
from ._http import HTTPResponse as Response
from ._response import error_body
from ._retry import never_reached, server_wait

__all__ = ["RateLimiter", "RateLimiterProtocol", "TokenLimitExceededError"]

COLD = 0
KNOWN = 1
UNANNOUNCED = 2
_MODE_NAMES = {COLD: "cold", KNOWN: "known", UNANNOUNCED: "unannounced"}


class RateLimiterProtocol(Protocol):
    """What AsyncOpenAI asks of a rate limiter (RateLimiter, RedisRateLimiter): a middleware.

    ``middleware(key_id)`` is called once per client with the non-secret id of its key
    (:func:`key_id`); the middleware it returns sits inside retry, so it sees every attempt.
    """

    def middleware(self, key_id: str) -> Callable[[Request, Handler], Awaitable[Response]]:
        """The middleware pacing the calls of the key identified by ``key_id``."""
        ...


class TokenLimitExceededError(OpenAIError, ValueError):
    """A single request is estimated to cost more tokens than the whole per-minute limit."""

    def __init__(self, cost: int, limit: float, model: str | None) -> None:
        super().__init__(
            f"This request is estimated at {cost} tokens, more than the token limit of"
            f" {int(limit)} per minute{f' for {model}' if model else ''}; it can never be sent."
            " Shorten the input or lower max_tokens."
        )
        self.cost = cost
        self.limit = limit
        self.model = model


def _positive_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        try:
            number = int(float(value))
        except ValueError:
            return None
    return number if number > 0 else None


def _non_negative_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


class Bucket:
    """One continuously refilling bucket (requests or tokens) of a pair."""

    __slots__ = ("explicit", "issued", "level", "limit", "updated")

    def __init__(self, limit: float | None = None, *, now: float = 0.0) -> None:
        self.limit = limit  # per minute, None while unknown
        self.explicit = limit is not None
        self.level = 0.0
        self.updated = now
        self.issued = 0.0  # total reserved so far, to discount what the server has not seen

    def refill(self, now: float, scale: float) -> None:
        """Bring the level up to ``now``: at ``scale`` x limit / 60 a second, up to the limit.

        The utilisation scales the pace, not the bucket: what the server says remains can be
        used at once, as the server itself allows.
        """
        limit = self.limit
        if limit is not None:
            level = self.level + (now - self.updated) * limit * scale / 60.0
            self.level = level if level < limit else limit
        self.updated = now

    def wait_for(self, amount: float, scale: float) -> float:
        """Seconds until ``amount`` is available (0 if it is now); levels must be refilled."""
        if self.limit is None:
            return 0.0
        missing = amount - self.level
        if missing <= 0:
            return 0.0
        return missing * 60.0 / (self.limit * scale)


@attrs.define(eq=False)
class _Ticket:
    """What a request took from its pair, to give back or reconcile."""

    pair: Pair
    cost: int
    issued_requests: float
    issued_tokens: float
    body: Mapping[str, Any] | None = None


class Pair:
    """The request and token buckets of one (key, model), with its waiters."""

    __slots__ = (
        "decreased_at",
        "inflight",
        "key",
        "mode",
        "not_before",
        "rate_limited",
        "requests",
        "scale",
        "target",
        "tokens",
        "waited",
        "waiters",
        "wakeup",
        "window",
    )

    def __init__(self, key: tuple[str, str | None], limiter: RateLimiter, now: float) -> None:
        self.key = key
        self.requests = Bucket(limiter.rpm, now=now)
        self.tokens = Bucket(limiter.tpm, now=now)
        self.target = limiter.utilisation
        self.scale = limiter.utilisation
        explicit = limiter.rpm is not None or limiter.tpm is not None
        self.mode = KNOWN if explicit else COLD
        if explicit:
            self.requests.level = limiter.rpm or 0
            self.tokens.level = limiter.tpm or 0
        self.inflight = 0
        self.not_before = 0.0
        self.window: float | None = None  # AIMD concurrency window when nothing is announced
        self.waiters: deque[asyncio.Future[None]] = deque()
        self.wakeup: asyncio.Future[None] | None = None
        self.rate_limited = 0
        self.waited = 0
        self.decreased_at = -1.0  # requests issued when the pace was last cut

    def delay(self, cost: int, now: float, cold_start: int) -> float | None:
        """Seconds to wait before ``cost`` can be taken: 0 now, None until a response comes."""
        if now < self.not_before:
            return self.not_before - now
        mode = self.mode
        if mode == KNOWN:
            self.requests.refill(now, self.scale)
            self.tokens.refill(now, self.scale)
            wait = self.requests.wait_for(1.0, self.scale)
            if cost:
                wait = max(wait, self.tokens.wait_for(cost, self.scale))
            return wait
        if mode == COLD:
            return 0.0 if self.inflight < cold_start else None
        window = self.window
        return 0.0 if window is None or self.inflight < window else None

    def take(self, request: Request, cost: int) -> _Ticket:
        """Reserve one request and ``cost`` tokens for ``request``."""
        if self.mode == KNOWN:
            self.requests.level -= 1.0
            self.tokens.level -= cost
        self.requests.issued += 1.0
        self.tokens.issued += cost
        self.inflight += 1
        return _Ticket(self, cost, self.requests.issued, self.tokens.issued, request.json_data)

    def wake(self) -> None:
        """Let the head waiter look again (a response arrived or a slot came back)."""
        wakeup = self.wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)
        self.wakeup = None

    def snapshot(self) -> dict[str, Any]:
        """The pair's state, for stats and debugging."""
        return {
            "mode": _MODE_NAMES[self.mode],
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


class RateLimiter:
    """Paces calls under the limits a server announces (see the module docstring).

    ``rpm``/``tpm`` set the limits explicitly (then headers only lower the levels);
    ``utilisation`` is the share of an announced limit to aim at; ``max_wait`` caps how long a
    429's hint holds other calls back (the retry cap); ``sleep`` and ``clock`` are for tests.
    Share one RateLimiter between clients of the same key to pace them together.
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
        if not 0 < utilisation <= 1:
            raise ValueError(f"utilisation must be in (0, 1], got {utilisation}")
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be > 0, got {value}")
        if cold_start < 1:
            raise ValueError(f"cold_start must be >= 1, got {cold_start}")
        self.rpm = rpm
        self.tpm = tpm
        self.utilisation = utilisation
        self.cold_start = cold_start
        self.recovery = recovery
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._pairs: dict[tuple[str, str | None], Pair] = {}

    def pair(self, key_id: str, model: str | None) -> Pair:
        """The bucket pair of (key, model), made on first use."""
        key = (key_id, model)
        pair = self._pairs.get(key)
        if pair is None:
            pair = self._pairs[key] = Pair(key, self, self._clock())
        return pair

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every pair's state, keyed "model" (or "*" for calls without one)."""
        return {(k[1] or "*"): p.snapshot() for k, p in self._pairs.items()}

    # -- the middleware ----------------------------------------------------------------------

    def middleware(self, key_id: str) -> Callable[[Request, Handler], Awaitable[Response]]:
        """The middleware for a client whose key (or organization) is identified by key_id."""

        async def rate_limit_middleware(request: Request, call_next: Handler) -> Response:
            pair = self.pair(key_id, request.model)
            ticket = await self.acquire(pair, request)
            try:
                response = await call_next(request)
            except BaseException as exc:
                self._abandon(ticket, exc)
                raise
            self.feedback(ticket, response)
            return response

        return rate_limit_middleware

    async def acquire(self, pair: Pair, request: Request) -> _Ticket:
        """Wait (first come, first served) until the pair can take this request; reserve it."""
        cost = request.token_cost
        limit = pair.tokens.limit
        if cost and limit is not None and cost > limit:
            raise TokenLimitExceededError(cost, limit, request.model)
        if not pair.waiters:
            now = self._clock() if pair.not_before or pair.mode == KNOWN else 0.0
            if pair.delay(cost, now, self.cold_start) == 0.0:
                return pair.take(request, cost)
        return await self._wait(pair, request, cost)

    async def _wait(self, pair: Pair, request: Request, cost: int) -> _Ticket:
        loop = asyncio.get_running_loop()
        me: asyncio.Future[None] = loop.create_future()
        pair.waiters.append(me)
        pair.waited += 1
        try:
            if pair.waiters[0] is not me:
                await me  # set when every waiter ahead has gone
            while True:
                limit = pair.tokens.limit
                if cost and limit is not None and cost > limit:
                    raise TokenLimitExceededError(cost, limit, request.model)
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

    def _abandon(self, ticket: _Ticket, exc: BaseException) -> None:
        """The attempt ended without a response: give back what the server never saw."""
        pair = ticket.pair
        pair.inflight -= 1
        if pair.mode == KNOWN and (isinstance(exc, asyncio.CancelledError) or never_reached(exc)):
            pair.requests.level += 1.0
            pair.tokens.level += ticket.cost
        pair.wake()

    def feedback(self, ticket: _Ticket, response: Response) -> None:
        """Learn from a response: limits, levels, 429s; reconcile the token estimate."""
        pair = ticket.pair
        pair.inflight -= 1
        headers = response.headers
        status = response.status
        if "x-ratelimit-limit-requests" in headers or "x-ratelimit-limit-tokens" in headers:
            self._learn(pair, ticket, response)
        elif pair.mode == COLD:
            pair.mode = UNANNOUNCED
        if status == 429:
            self._rate_limited(pair, ticket, response)
        elif status < 300:
            if pair.scale < pair.target:
                pair.scale = min(pair.target, pair.scale + self.recovery)
            window = pair.window
            if window is not None:
                window += 1.0 / window
                pair.window = None if window > 10_000 else window
            if ticket.cost:
                self._reconcile(pair, ticket, response)
        pair.wake()

    def _learn(self, pair: Pair, ticket: _Ticket, response: Response) -> None:
        headers = response.headers
        now = self._clock()
        was_cold = pair.mode != KNOWN
        pair.mode = KNOWN
        for bucket, kind, issued in (
            (pair.requests, "requests", ticket.issued_requests),
            (pair.tokens, "tokens", ticket.issued_tokens),
        ):
            limit = _positive_int(headers.get(f"x-ratelimit-limit-{kind}"))
            if limit is not None and not bucket.explicit:
                bucket.limit = float(limit)
            if bucket.limit is None:
                continue
            bucket.refill(now, pair.scale)
            remaining: float | None = _non_negative_int(
                headers.get(f"x-ratelimit-remaining-{kind}")
            )
            if remaining is None:
                reset = parse_duration(headers.get(f"x-ratelimit-reset-{kind}"))
                if reset is not None:
                    remaining = max(0.0, bucket.limit - reset * bucket.limit / 60.0)
            if remaining is None:
                if was_cold:
                    bucket.level = bucket.limit - (bucket.issued - issued)
                continue
            estimate = remaining - (bucket.issued - issued)
            if was_cold or estimate < bucket.level:
                bucket.level = min(estimate, bucket.limit)

    def _rate_limited(self, pair: Pair, ticket: _Ticket, response: Response) -> None:
        err = error_body(response.json_or_none())
        if err is not None and "insufficient_quota" in (err.get("code"), err.get("type")):
            return
        pair.rate_limited += 1
        now = self._clock()
        hint = server_wait(response)
        wait = min(self.max_wait, hint if hint is not None else 1.0)
        pair.not_before = max(pair.not_before, now + wait)
        if ticket.issued_requests > pair.decreased_at:
            # one cut per congestion event: 429s to requests sent before the cut don't count
            pair.scale = max(pair.target * 0.1, pair.scale * 0.5)
            pair.decreased_at = pair.requests.issued
        if pair.mode == KNOWN:
            kind = err.get("type") if err is not None else None
            bucket = pair.tokens if kind == "tokens" else pair.requests
            bucket.refill(now, pair.scale)
            bucket.level = min(bucket.level, 0.0)
        else:
            pair.window = max(1.0, math.floor((pair.inflight + 1) / 2))

    def _reconcile(self, pair: Pair, ticket: _Ticket, response: Response) -> None:
        """Give back (or take more of) the token estimate once ``usage`` tells the truth.

        A stream reports its usage (if at all: ``stream_options={"include_usage": True}``) in
        its last chunk, so the reconciliation waits for it; without it the estimate stands.
        """
        if isinstance(response, StreamedResponse):
            response.usage_hooks.append(lambda usage: self._settle(pair, ticket, usage))
            return
        data = response.json_or_none()
        usage = data.get("usage") if isinstance(data, dict) else None
        if isinstance(usage, dict):
            self._settle(pair, ticket, usage)

    def _settle(self, pair: Pair, ticket: _Ticket, usage: Mapping[str, Any]) -> None:
        """Correct the reservation to what the server charged (see charged_tokens)."""
        charged = charged_tokens(ticket.body, usage) if ticket.body is not None else None
        if charged is not None and pair.mode == KNOWN:
            pair.tokens.level += ticket.cost - charged
            pair.wake()


def key_id(api_key: str, organization: str | None) -> str:
    """A non-secret id for a key: the organization, or a short hash of the key."""
    if organization:
        return f"org:{organization}"
    return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:16]
