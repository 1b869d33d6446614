"""RateLimitInfo: what one response tells a rate limiter, parsed once for both limiters.

A pure value made from a response's ``x-ratelimit-*`` headers and, for a 429, its body and
wait hints. :class:`~aio_openai.ratelimit._local.RateLimiter` applies it to the buckets it
keeps in the process; :class:`~aio_openai.ratelimit._redis.RedisRateLimiter` passes the same
fields to its feedback script. Garbage ("-1", "0", "inf", missing) is None.
"""

from __future__ import annotations

from typing import Final

import attrs

from .._durations import parse_duration
from .._http import HTTPResponse as Response
from .._response import error_body
from .._retry import server_wait

__all__ = ["DEFAULT_WAIT", "OK", "OTHER", "RATE_LIMITED", "BucketInfo", "RateLimitInfo"]

# What a response was, for a limiter.
OTHER: Final = 0  # an error that says nothing of the pace (insufficient_quota included)
OK: Final = 1  # a success: the pace recovers, the token estimate is settled
RATE_LIMITED: Final = 2  # a 429 about the rate: hold back, cut the pace once per event

#: Seconds to hold back after a 429 that gives no hint.
DEFAULT_WAIT: Final = 1.0


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
class BucketInfo:
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
class RateLimitInfo:
    """What one response tells a rate limiter (see the module docstring)."""

    announced: bool = False  # an x-ratelimit-limit-* header was there
    requests: BucketInfo = BucketInfo()
    tokens: BucketInfo = BucketInfo()
    outcome: int = OTHER
    wait: float = 0.0  # RATE_LIMITED: seconds to hold the pair back (hint, or 1 s; capped)
    limited: str | None = None  # RATE_LIMITED: the bucket the 429 names ("tokens"/"requests")

    @classmethod
    def from_response(cls, response: Response, max_wait: float) -> RateLimitInfo:
        """Parse ``response``; a 429's wait is capped at ``max_wait`` (the retry cap)."""
        headers = response.headers
        status = response.status
        announced = "x-ratelimit-limit-requests" in headers or "x-ratelimit-limit-tokens" in headers
        buckets = []
        for kind in ("requests", "tokens"):
            remaining = _count(headers.get(f"x-ratelimit-remaining-{kind}"), 0)
            buckets.append(
                BucketInfo(
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
