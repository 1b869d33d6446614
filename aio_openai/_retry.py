"""RetryPolicy and the retry middleware (tenacity), with a retry budget.

The first attempt runs without any retry machinery; tenacity is entered only after a
retryable failure, with its state built for that call alone.

What is retried: 408, 409, 429 ``rate_limit_exceeded`` (or no body), >= 500, connection
errors (refused, reset, disconnected, cut short), timeouts, and a 2xx GET/DELETE whose body
is not JSON. Never: 429 ``insufficient_quota`` or "Request too large", other 4xx. The
``x-should-retry`` header overrides both lists.

How long to wait: the server's word first (``retry-after-ms``, ``retry-after``, the "try
again in 644ms" hint of a 429), else full-jitter exponential backoff
``uniform(0, min(max_delay, initial_delay * 2**n))``. A hint over ``max_retry_after`` or past
the call's deadline fails at once with the error instead of sleeping.

WebSocket connections (``realtime.connect()`` and the like) follow the same rules: the opening
handshake is retried as a GET would be (a refusal with 401 or 403 never), and a connection that
closes is opened again only after a close code in ``RECONNECT_CLOSE_CODES`` (see
:func:`close_cause`), with the same backoff and budget.

The budget (a token bucket, as gRPC's retry throttling): every call adds ``ratio`` tokens up
to ``capacity``, every retry not caused by a rate limit spends one; it starts with
``initial`` tokens. With the defaults (0.4 a call, 20 at first, 100 at most) a 20 % random
failure rate (0.24 retries a call) does not run it dry, even when a burst of 128 calls fails
together, while in a total outage retries settle at 0.4 a call: from a fresh start
attempts <= 1.4 x calls + 20 (+ up to 100 saved during a long healthy stretch before).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable

import attrs
from tenacity import AsyncRetrying, RetryCallState

from ._chain import CALL_INFO
from ._durations import retry_after, try_again_hint
from ._exceptions import APIConnectionError, APITimeoutError, add_not_retried_note
from ._http import Handler, HTTPResponse, Request
from ._response import error_body

__all__ = [
    "RECONNECT_CLOSE_CODES",
    "RetryBudget",
    "RetryPolicy",
    "RetryStats",
    "close_cause",
    "make_retry_middleware",
]

log = logging.getLogger("aio_openai")

RATE_LIMIT = "rate_limit"
#: Why a call whose failed attempt read a one-shot upload body is not retried.
ONE_SHOT_BODY = (
    "its upload was read from a source that can be read only once (an async iterator or a"
    " file that cannot seek) and cannot be sent again; pass bytes, a path or a seekable file"
    " to have it retried"
)
_IDEMPOTENT = frozenset({"GET", "DELETE", "HEAD", "OPTIONS", "PUT"})


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a call is retried.

    - ``max_retries``: retries after the first attempt (``AsyncOpenAI(max_retries=)`` sets it).
    - ``initial_delay``, ``max_delay``: the full-jitter backoff bounds, in seconds.
    - ``max_retry_after``: the longest server-requested wait honoured; a longer one fails fast.
    - ``retry_post``: False retries POSTs only when they surely did not reach the server
      (429 rate limits, and connection errors whose ``never_sent`` is True: refused
      connections, failed DNS lookups and TLS handshakes, connect timeouts).
    - ``deadline``: default overall seconds for a call (attempts plus waits), None for none.
    - ``sleep``, ``random``, ``clock``: injectable for tests.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 120.0
    retry_post: bool = True
    deadline: float | None = None
    sleep: Callable[[float], Awaitable[None]] = attrs.field(
        default=asyncio.sleep, eq=False, repr=False
    )
    random: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)
    clock: Callable[[], float] = attrs.field(default=time.monotonic, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if self.initial_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("delays must be >= 0")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError(f"deadline must be > 0 seconds, got {self.deadline}")

    def backoff(self, retry_number: int) -> float:
        """The full-jitter wait before retry ``retry_number`` (0 for the first retry)."""
        ceiling = min(self.max_delay, self.initial_delay * 2.0**retry_number)
        return self.random() * ceiling


class RetryBudget:
    """A token bucket bounding retries to a share of calls (see the module docstring)."""

    __slots__ = ("capacity", "ratio", "refused", "tokens")

    def __init__(
        self, *, ratio: float = 0.4, capacity: float = 100.0, initial: float = 20.0
    ) -> None:
        if ratio < 0 or capacity < 1 or initial < 0:
            raise ValueError("ratio and initial must be >= 0 and capacity >= 1")
        self.ratio = ratio
        self.capacity = capacity
        self.tokens = min(initial, capacity)
        self.refused = 0

    def deposit(self) -> None:
        """A call started: add ``ratio`` tokens."""
        tokens = self.tokens + self.ratio
        self.tokens = tokens if tokens < self.capacity else self.capacity

    def withdraw(self) -> bool:
        """Spend one token for a retry; False (and counted) when the budget is spent."""
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        self.refused += 1
        return False


@attrs.define(kw_only=True)
class RetryStats:
    """Counters of one client (and its ``with_options`` copies)."""

    calls: int = 0
    retries: int = 0
    retries_by_cause: Counter[str] = attrs.field(factory=Counter)
    sleep_total: float = 0.0
    gave_up: Counter[str] = attrs.field(factory=Counter)

    @property
    def attempts(self) -> int:
        """Every attempt sent: calls plus retries."""
        return self.calls + self.retries


def _should_retry_header(response: HTTPResponse) -> bool | None:
    value = response.headers.get("x-should-retry")
    if value == "true":
        return True
    if value == "false":
        return False
    return None


def response_cause(request: Request, response: HTTPResponse) -> str | None:
    """Why this response is worth retrying, or None when it is final."""
    status = response.status
    override = _should_retry_header(response)
    if override is False:
        return None
    if 200 <= status < 300:
        if request.stream or (request.method not in _IDEMPOTENT and not override):
            return None
        return None if response.json_ok() else "invalid_json"
    if status == 429:
        err = error_body(response.json_or_none())
        if err is not None:
            code, kind = err.get("code"), err.get("type")
            message = err.get("message")
            if "insufficient_quota" in (code, kind):
                return None if override is None else "status_429"
            if isinstance(message, str) and message.startswith("Request too large"):
                return None if override is None else "status_429"
        return RATE_LIMIT
    if override or status in (408, 409) or status >= 500:
        return f"status_{status}"
    return None


def exception_cause(exc: BaseException) -> str | None:
    """Why this exception is worth retrying, or None."""
    if isinstance(exc, APITimeoutError):
        return "timeout"
    if isinstance(exc, APIConnectionError):
        return "connection"
    return None


#: The WebSocket close codes (RFC 6455 section 7.4.1, and the IANA registry) after which a
#: connection is opened again: the server is going away or restarting (1001, 1012), the
#: connection ended abnormally, without a close frame (1006) or a status (1005), the server
#: failed (1011) or asks to try again later (1013), a gateway failed (1014), the TLS layer
#: failed (1015). Every other code says the request or the session is done with: a normal
#: close (1000), a protocol error (1002), data the server cannot take (1003, 1007), a policy
#: violation (1008: a refused or expired session), a message too big (1009), a missing
#: extension (1010), and the registered (3000-3999: 3000 unauthorized, 3003 forbidden) and
#: private (4000-4999) codes, which services use for authentication and application errors.
RECONNECT_CLOSE_CODES: frozenset[int] = frozenset({1001, 1005, 1006, 1011, 1012, 1013, 1014, 1015})


def close_cause(code: int) -> str | None:
    """Why a WebSocket connection closed with ``code`` is worth opening again
    (``"close_1006"``), or None when the code says not to (see RECONNECT_CLOSE_CODES)."""
    return f"close_{code}" if code in RECONNECT_CLOSE_CODES else None


def never_reached(exc: BaseException | None) -> bool:
    """Whether a failed attempt surely never reached the server (``never_sent``: the
    connection, its TLS handshake or the DNS lookup failed, or connecting timed out)."""
    return isinstance(exc, APIConnectionError) and exc.never_sent


def server_wait(response: HTTPResponse, clock: Callable[[], float] = time.time) -> float | None:
    """The wait the server asked for: retry-after-ms, retry-after, or a 429 message hint."""
    wait = retry_after(response.headers, clock)
    if wait is None and response.status == 429:
        err = error_body(response.json_or_none())
        if err is not None:
            message = err.get("message")
            wait = try_again_hint(message if isinstance(message, str) else None)
    return wait


def make_retry_middleware(
    policy: RetryPolicy, budget: RetryBudget | None, stats: RetryStats
) -> Callable[[Request, Handler], Awaitable[HTTPResponse]]:
    """The retry middleware for a client whose default policy is ``policy``."""

    async def retry_middleware(request: Request, call_next: Handler) -> HTTPResponse:
        stats.calls += 1
        if budget is not None:
            budget.deposit()
        pol = request.retry_policy or policy
        if pol.deadline is not None or request.deadline is not None:
            return await _retry_loop(request, call_next, pol, None, None)
        try:
            response = await call_next(request)
        except APIConnectionError as exc:
            return await _retry_loop(request, call_next, pol, None, exc)
        if response.status < 300 and response_cause(request, response) is None:
            return response
        return await _retry_loop(request, call_next, pol, response, None)

    async def _retry_loop(
        request: Request,
        call_next: Handler,
        pol: RetryPolicy,
        first: HTTPResponse | None,
        first_exc: APIConnectionError | None,
    ) -> HTTPResponse:
        max_retries = pol.max_retries if request.max_retries is None else request.max_retries
        deadline_s = request.deadline if request.deadline is not None else pol.deadline
        deadline = None if deadline_s is None else request.started + deadline_s
        pending: list[tuple[HTTPResponse | None, APIConnectionError | None]] = (
            [(first, first_exc)] if (first or first_exc) else []
        )

        async def attempt() -> HTTPResponse:
            if pending:
                response, exc = pending.pop()
                if exc is not None:
                    raise exc
                assert response is not None
                return response
            if deadline is not None:
                remaining = deadline - pol.clock()
                if remaining <= 0:
                    raise_deadline(request)
                total = request.timeout.total
                if total is None or total > remaining:
                    request.timeout = attrs.evolve(request.timeout, total=remaining)
            return await call_next(request)

        def cause_of(state: RetryCallState) -> str | None:
            outcome = state.outcome
            assert outcome is not None
            if outcome.failed:
                exc = outcome.exception()
                return None if exc is None else exception_cause(exc)
            return response_cause(request, outcome.result())

        def should_retry(state: RetryCallState) -> bool:
            cause = cause_of(state)
            if cause is None:
                return False
            upload = request.upload
            if upload is not None and upload.started and not upload.replayable:
                request.not_retried = ONE_SHOT_BODY
                stats.gave_up["one_shot_body"] += 1
                return False
            if pol.retry_post or request.method in _IDEMPOTENT or cause == RATE_LIMIT:
                return True
            return never_reached(_outcome_exception(state))

        def wait(state: RetryCallState) -> float:
            outcome = state.outcome
            assert outcome is not None
            hinted = None if outcome.failed else server_wait(outcome.result())
            if hinted is not None:
                return hinted
            return pol.backoff(state.attempt_number - 1)

        def stop(state: RetryCallState) -> bool:
            cause = cause_of(state) or "unknown"
            upcoming = state.upcoming_sleep
            reason = None
            if state.attempt_number > max_retries:
                reason = "max_retries"
            elif upcoming > pol.max_retry_after:
                reason = "wait_over_cap"
            elif deadline is not None and pol.clock() + upcoming >= deadline:
                reason = "deadline"
            elif cause != RATE_LIMIT and budget is not None and not budget.withdraw():
                reason = "budget"
            if reason is not None:
                stats.gave_up[reason] += 1
                if reason != "max_retries" or max_retries:
                    log.info(
                        "Giving up on %s %s after %d attempt(s): %s (%s)",
                        request.method,
                        request.url.path,
                        state.attempt_number,
                        cause,
                        reason,
                    )
                return True
            return False

        def before_sleep(state: RetryCallState) -> None:
            cause = cause_of(state) or "unknown"
            upcoming = state.upcoming_sleep
            stats.retries += 1
            stats.retries_by_cause[cause] += 1
            stats.sleep_total += upcoming
            request.retry_sleep += upcoming
            request.attempt = state.attempt_number + 1
            outcome = state.outcome
            assert outcome is not None
            rid = None if outcome.failed else outcome.result().request_id
            log.info(
                "Retrying %s %s in %.3fs (attempt %d of %d): %s%s",
                request.method,
                request.url.path,
                upcoming,
                request.attempt,
                max_retries + 1,
                cause,
                f", request id {rid}" if rid else "",
            )

        def give_up(state: RetryCallState) -> HTTPResponse:
            outcome = state.outcome
            assert outcome is not None
            response: HTTPResponse = outcome.result()
            return response

        retrying = AsyncRetrying(
            sleep=pol.sleep,
            retry=should_retry,
            wait=wait,
            stop=stop,
            before_sleep=before_sleep,
            retry_error_callback=give_up,
            reraise=True,
        )
        try:
            response: HTTPResponse = await retrying(attempt)
        except APIConnectionError as exc:
            add_not_retried_note(exc, request)
            raise
        finally:
            info = CALL_INFO.get()
            if info is not None:
                info.retries += request.attempt - 1
        response.attempts = request.attempt
        response.retry_sleep = request.retry_sleep
        return response

    return retry_middleware


def _outcome_exception(state: RetryCallState) -> BaseException | None:
    outcome = state.outcome
    return outcome.exception() if outcome is not None and outcome.failed else None


def raise_deadline(request: Request) -> None:
    """The call's overall deadline passed."""
    raise APITimeoutError(request, message="Request deadline exceeded.")
