"""What every rate limiter shares with the client: the protocol, key ids, settings, one error."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Protocol

from .._exceptions import OpenAIError
from .._http import Handler, Request
from .._http import HTTPResponse as Response

__all__ = ["LimiterSettings", "RateLimiterProtocol", "TokenLimitExceededError", "key_id"]


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


def key_id(api_key: str, organization: str | None) -> str:
    """A non-secret id for a key: the organization, or a short hash of the key."""
    if organization:
        return f"org:{organization}"
    return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:16]


class LimiterSettings:
    """The settings every limiter takes, checked the same way (ValueError naming the setting).

    ``rpm``/``tpm`` set the limits explicitly (then headers only lower the levels);
    ``utilisation`` is the share of an announced limit to aim at; ``cold_start`` how many calls
    of a pair may be in flight before the first response says what the limits are;
    ``recovery`` the share of the pace regained per success after a 429 cut it; ``max_wait``
    caps how long a 429's hint holds other calls back (the retry cap).
    """

    def __init__(
        self,
        *,
        rpm: float | None,
        tpm: float | None,
        utilisation: float,
        cold_start: int,
        recovery: float,
        max_wait: float,
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
