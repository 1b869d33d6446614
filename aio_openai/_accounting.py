"""The rate limiters' shared accounting: one set of rules for the local and the Redis limiter.

:class:`~aio_openai._ratelimit.RateLimiter` keeps its buckets in the process;
:class:`~aio_openai._redis_limiter.RedisRateLimiter` keeps the same buckets in Redis, where Lua
scripts apply the same rules atomically for every process. What both read from a response,
what both count a call as, their settings and the rules of a bucket are written here once:

- :class:`Signal`: the one pure value a response is parsed into (the ``x-ratelimit-*``
  headers, whether it was a 429 to react to, how long it asks to hold back and which bucket it
  names). Garbage ("-1", "0", missing) is None.
- :class:`Bucket`: holds up to the limit and refills at ``utilisation x limit / 60`` a second.
  The utilisation scales the pace, not the bucket: what the server says remains may go at
  once, the steady pace stays just under the limit. A response's ``remaining`` (less what was
  reserved after that request and is still in flight) lowers the level and never raises it,
  except the first time.
- :func:`settlement`: once ``usage`` is known a reservation is corrected to what the server
  charged, ``max(completion budget, usage.prompt_tokens)``: OpenAI counts a request once, at
  admission, as the larger of the two; the completion it then writes is not counted again, so
  settling with ``usage.total_tokens`` would charge it twice and halve the token rate.
- :func:`check_settings`: the settings both limiters take, checked the same way.

The Redis limiter's scripts (:mod:`aio_openai._redis_limiter`) restate :class:`Bucket` in Lua;
tests/integration/test_shared_accounting.py runs the same events through both and compares the
levels, and one FakeOpenAI scenario through both and compares their goodput.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from ._chain import Response, StreamedResponse
from ._cost import charged_tokens
from ._durations import parse_duration
from ._response import error_body
from ._retry import server_wait

__all__ = [
    "COLD",
    "KNOWN",
    "MODE_NAMES",
    "UNANNOUNCED",
    "Bucket",
    "BucketSignal",
    "Signal",
    "check_settings",
    "settlement",
    "when_usage_known",
]

# What a pair knows of its limits.
COLD: Final = 0  # nothing yet: at most cold_start in flight until the first response
KNOWN: Final = 1  # limits announced (or given): the buckets pace
UNANNOUNCED: Final = 2  # the server announces none: never slowed down, AIMD on 429s
MODE_NAMES: Final = {COLD: "cold", KNOWN: "known", UNANNOUNCED: "unannounced"}

# What a response was, for the limiter.
OTHER: Final = 0  # an error that says nothing of the pace (insufficient_quota included)
OK: Final = 1  # a success: the pace recovers, the token estimate is settled
RATE_LIMITED: Final = 2  # a 429 about the rate: hold back, cut the pace once per event

#: The pace after a 429: this share of what it was, never under FLOOR x the utilisation.
CUT: Final = 0.5
FLOOR: Final = 0.1
#: Seconds to hold back after a 429 that gives no hint.
DEFAULT_WAIT: Final = 1.0


def check_settings(
    *, rpm: float | None, tpm: float | None, utilisation: float, cold_start: int
) -> None:
    """Refuse settings no limiter can work with (ValueError naming the setting)."""
    if not 0 < utilisation <= 1:
        raise ValueError(f"utilisation must be in (0, 1], got {utilisation}")
    for name, value in (("rpm", rpm), ("tpm", tpm)):
        if value is not None and value <= 0:
            raise ValueError(f"{name} must be > 0, got {value}")
    if cold_start < 1:
        raise ValueError(f"cold_start must be >= 1, got {cold_start}")


def _count(value: str | None, least: int) -> int | None:
    """A header's whole number ("12", "12.0"), or None when missing, garbage or under ``least``."""
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        try:
            number = int(float(value))
        except (ValueError, OverflowError):
            return None
    return number if number >= least else None


@attrs.frozen(slots=True)
class BucketSignal:
    """What a response says of one bucket (requests or tokens); None where it says nothing."""

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None  # seconds until full, read only when ``remaining`` is missing

    def remaining_of(self, limit: float) -> float | None:
        """What remains of a bucket of ``limit``: ``remaining``, else what ``reset`` implies."""
        if self.remaining is not None:
            return float(self.remaining)
        if self.reset is not None:
            return max(0.0, limit - self.reset * limit / 60.0)
        return None


@attrs.frozen(slots=True)
class Signal:
    """What one response tells a rate limiter, parsed once for the local and the Redis one."""

    announced: bool = False  # an x-ratelimit-limit-* header was there
    requests: BucketSignal = BucketSignal()
    tokens: BucketSignal = BucketSignal()
    outcome: int = OTHER
    wait: float = 0.0  # RATE_LIMITED: seconds to hold the pair back (hint, or 1 s; capped)
    limited: str | None = None  # RATE_LIMITED: the bucket the 429 names ("tokens"/"requests")

    @classmethod
    def of(cls, response: Response, max_wait: float) -> Signal:
        """Parse ``response``; a 429's wait is capped at ``max_wait`` (the retry cap)."""
        headers = response.headers
        status = response.status
        announced = "x-ratelimit-limit-requests" in headers or "x-ratelimit-limit-tokens" in headers
        buckets = []
        for kind in ("requests", "tokens"):
            remaining = _count(headers.get(f"x-ratelimit-remaining-{kind}"), 0)
            buckets.append(
                BucketSignal(
                    limit=_count(headers.get(f"x-ratelimit-limit-{kind}"), 1),
                    remaining=remaining,
                    reset=(
                        parse_duration(headers.get(f"x-ratelimit-reset-{kind}"))
                        if remaining is None
                        else None
                    ),
                )
            )
        requests, tokens = buckets
        if status < 300:
            return cls(announced, requests, tokens, OK)
        if status != 429:
            return cls(announced, requests, tokens, OTHER)
        err = error_body(response.json_or_none())
        if err is not None and "insufficient_quota" in (err.get("code"), err.get("type")):
            return cls(announced, requests, tokens, OTHER)  # no pace fixes an empty account
        hint = server_wait(response)
        named = err.get("type") if err is not None else None
        return cls(
            announced,
            requests,
            tokens,
            RATE_LIMITED,
            wait=max(0.0, min(max_wait, hint if hint is not None else DEFAULT_WAIT)),
            limited=named if named in ("requests", "tokens") else None,
        )


class Bucket:
    """One continuously refilling bucket (requests or tokens) of a (key, model) pair."""

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
        """Return ``amount`` (take it when negative), never above the limit."""
        limit = self.limit
        if limit is not None:
            self.level = min(limit, self.level + amount)

    def learn(self, signal: BucketSignal, issued_then: float, first: bool) -> None:
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
        remaining = signal.remaining_of(limit)
        if remaining is None:
            if first:
                self.level = limit - sent_since
            return
        estimate = remaining - sent_since
        if first or estimate < self.level:
            self.level = min(estimate, limit)


def settlement(cost: int, body: Mapping[str, Any] | None, usage: Mapping[str, Any]) -> float | None:
    """Tokens to give back (negative: to take) once ``usage`` says what a call was charged.

    None when the usage says nothing of it (see :func:`aio_openai._cost.charged_tokens`).
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
