"""Rate limits of the fake server: request and token buckets per (API key, model).

Buckets start full and refill continuously at ``limit / 60`` per second, as OpenAI's do.
Every response under a configured limit carries the six ``x-ratelimit-*`` headers in OpenAI's
formats; a request over a limit gets a real-looking 429 (``type`` "requests" or "tokens",
``code`` "rate_limit_exceeded", "Please try again in 20ms." and ``retry-after-ms``).
Token costs are counted the documented way (:func:`aio_openai._cost.estimate_tokens`), on the
endpoints that spend tokens (moderations too: their models have token limits, and a body with
no model is counted against ``omni-moderation-latest``); other calls share the key's request
bucket (model None).
With no limit configured nothing is sent and nothing is refused, like a plain proxy.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from aio_openai._cost import estimate_tokens
from aio_openai.testing._http import json_error

__all__ = ["METERED_PATHS", "Limits", "format_duration"]

#: Endpoints whose body ``model`` names the bucket and whose tokens are counted, each with the
#: model a body that names none is counted against.
METERED_PATHS: Final[Mapping[str, str | None]] = {
    "/v1/chat/completions": None,
    "/v1/completions": None,
    "/v1/embeddings": None,
    "/v1/responses": None,
    "/v1/moderations": "omni-moderation-latest",
}

_HEADERS_KEY: Final = web.RequestKey("aio_openai_fake_ratelimit_headers", dict)


def format_duration(seconds: float) -> str:
    """A Go-style duration as OpenAI writes ``x-ratelimit-reset-*``: "20ms", "1s", "6m0s"."""
    if seconds < 1:
        return f"{max(0, math.ceil(seconds * 1000))}ms"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:.3f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{int(hours)}h{int(minutes)}m{text}"
    if minutes:
        return f"{int(minutes)}m{text}"
    return text


@attrs.define
class _Bucket:
    limit: float
    level: float
    updated: float

    def refill(self, now: float) -> None:
        self.level = min(self.limit, self.level + (now - self.updated) * self.limit / 60.0)
        self.updated = now

    def reset_in(self) -> float:
        """Seconds until the bucket is full again."""
        return (self.limit - self.level) * 60.0 / self.limit


@attrs.define
class _Config:
    rpm: float | None
    tpm: float | None
    initial: float


class Limits:
    """The fake's rate limits: configure with :meth:`set`, read counters after a run.

    ``accepted`` and ``rejected`` count requests under a limit; ``timeline`` holds one
    ``(seconds since the first limited request, accepted)`` pair per limited request when
    ``record_timeline`` is on (for plots).
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._configs: dict[str | None, _Config] = {}
        self._buckets: dict[tuple[str, str | None, str], _Bucket] = {}
        self.accepted = 0
        self.rejected: Counter[str] = Counter()
        self.record_timeline = False
        self.timeline: list[tuple[float, bool]] = []
        self._t0: float | None = None

    def set(
        self,
        *,
        rpm: float | None = None,
        tpm: float | None = None,
        model: str | None = None,
        initial: float = 1.0,
    ) -> None:
        """Limit requests and/or tokens per minute, for ``model`` or (None) for every call.

        A model's own setting wins over the default. Buckets start full, as OpenAI's do;
        ``initial`` (0 to 1) starts them partly empty, so a short test reaches the pacing.
        """
        if not 0 <= initial <= 1:
            raise ValueError(f"initial must be between 0 and 1, got {initial}")
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be > 0, got {value}")
        with self._lock:
            if rpm is None and tpm is None:
                self._configs.pop(model, None)
            else:
                self._configs[model] = _Config(rpm, tpm, initial)
            self._buckets.clear()

    def clear(self) -> None:
        """Remove every limit and reset the counters."""
        with self._lock:
            self._configs.clear()
            self._buckets.clear()
            self.accepted = 0
            self.rejected.clear()
            self.timeline.clear()
            self._t0 = None

    @property
    def active(self) -> bool:
        """Whether any limit is configured."""
        return bool(self._configs)

    def _bucket(
        self, key: str, model: str | None, kind: str, limit: float, initial: float, now: float
    ) -> _Bucket:
        bucket = self._buckets.get((key, model, kind))
        if bucket is None:
            bucket = self._buckets[(key, model, kind)] = _Bucket(limit, limit * initial, now)
        return bucket

    def admit(self, key: str, model: str | None, cost: int) -> tuple[dict[str, str], str | None]:
        """Take one request and ``cost`` tokens: the headers to send, and the exceeded kind."""
        config = self._configs.get(model) or self._configs.get(None)
        if config is None:
            return {}, None
        with self._lock:
            now = self._clock()
            if self._t0 is None:
                self._t0 = now
            rpm = config.rpm if config.rpm is not None else 1e9
            tpm = config.tpm if config.tpm is not None else 1e9
            requests = self._bucket(key, model, "requests", rpm, config.initial, now)
            tokens = self._bucket(key, model, "tokens", tpm, config.initial, now)
            requests.refill(now)
            tokens.refill(now)
            exceeded = None
            if requests.level < 1:
                exceeded = "requests"
            elif tokens.level < cost:
                exceeded = "tokens"
            else:
                requests.level -= 1
                tokens.level -= cost
            if exceeded is None:
                self.accepted += 1
            else:
                self.rejected[exceeded] += 1
            if self.record_timeline:
                self.timeline.append((now - self._t0, exceeded is None))
            headers = {
                "x-ratelimit-limit-requests": str(int(requests.limit)),
                "x-ratelimit-limit-tokens": str(int(tokens.limit)),
                "x-ratelimit-remaining-requests": str(max(0, math.floor(requests.level))),
                "x-ratelimit-remaining-tokens": str(max(0, math.floor(tokens.level))),
                "x-ratelimit-reset-requests": format_duration(requests.reset_in()),
                "x-ratelimit-reset-tokens": format_duration(tokens.reset_in()),
            }
            if exceeded == "requests":
                wait = (1 - requests.level) * 60.0 / requests.limit
                used, limit, asked, unit = requests.limit - requests.level, requests.limit, 1, "RPM"
            elif exceeded == "tokens":
                wait = (cost - tokens.level) * 60.0 / tokens.limit
                used, limit, asked, unit = tokens.limit - tokens.level, tokens.limit, cost, "TPM"
            else:
                return headers, None
        ms = max(1, math.ceil(wait * 1000))
        headers["retry-after-ms"] = str(ms)
        headers["retry-after"] = str(max(1, math.ceil(wait)))
        headers["_message"] = (
            f"Rate limit reached for {model or 'requests'} in organization org-fake on"
            f" {exceeded} per min ({unit}): Limit {int(limit)}, Used {int(used)},"
            f" Requested {asked}. Please try again in {format_duration(ms / 1000)}."
            " Visit https://platform.openai.com/account/rate-limits to learn more."
        )
        return headers, exceeded

    def middleware(self, key_of: Callable[[web.Request], str]) -> Middleware:
        """The aiohttp middleware enforcing these limits (after the key check)."""

        @web.middleware
        async def rate_limits(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self._configs:
                return await handler(request)
            model: str | None = None
            cost = 0
            if request.method == "POST" and request.path in METERED_PATHS:
                body = await _json_body(request)
                if isinstance(body, dict):
                    value = body.get("model")
                    model = value if isinstance(value, str) else METERED_PATHS[request.path]
                    cost = estimate_tokens(body)
            headers, exceeded = self.admit(key_of(request), model, cost)
            request[_HEADERS_KEY] = headers
            if exceeded is None:
                return await handler(request)
            message = headers.pop("_message")
            return json_error(429, message, type=exceeded, code="rate_limit_exceeded")

        return rate_limits

    @staticmethod
    async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
        """``on_response_prepare`` hook: the six headers on every limited response."""
        headers = request.get(_HEADERS_KEY)
        if headers:
            for name, value in headers.items():
                if not name.startswith("_"):
                    response.headers[name] = value


async def _json_body(request: web.Request) -> Any:
    try:
        return json.loads(await request.read())
    except ValueError:
        return None
