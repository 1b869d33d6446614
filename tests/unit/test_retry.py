"""The retry middleware with a scripted next handler, an injected sleep and clock.

No real sleeping: every wait the policy chooses is recorded and asserted exactly.
"""

from __future__ import annotations

import email.utils
import logging
from typing import Any

import aiohttp
import pytest
from support import FakeClock as Clock
from support import StubHandler as Script
from support import reply
from yarl import URL

from aio_openai import (
    APIConnectionError,
    APITimeoutError,
    Request,
    Response,
    RetryBudget,
    RetryPolicy,
    RetryStats,
)
from aio_openai._retry import make_retry_middleware


def make_request(method: str = "GET", **kw: Any) -> Request:
    return Request(
        method=method,
        url=URL("http://127.0.0.1:1/v1/models/gpt-4"),
        headers={},
        timeout=aiohttp.ClientTimeout(total=600),
        started=kw.pop("started", 1000.0),
        **kw,
    )


def error(status: int, code: str | None = None, message: str = "boom", type_: str = "x") -> Any:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def refuse(request: Request) -> Response:
    raise APIConnectionError(request=request)


def time_out(request: Request) -> Response:
    raise APITimeoutError(request)


def setup(
    clock: Clock, *, budget: RetryBudget | None = None, rand: float = 0.5, **policy: Any
) -> tuple[Any, RetryStats]:
    pol = RetryPolicy(sleep=clock.sleep, clock=clock, random=lambda: rand, **policy)
    stats = RetryStats()
    return make_retry_middleware(pol, budget, stats), stats


async def run(mw: Any, script: Script, request: Request | None = None) -> Response:
    return await mw(request or make_request(), script)  # type: ignore[no-any-return]


# -- what is retried ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503, 504, 520, 599])
async def test_retryable_statuses(status: int) -> None:
    clock = Clock()
    mw, stats = setup(clock)
    script = Script(reply(status, error(status)), reply(200))
    response = await run(mw, script)
    assert response.status == 200
    assert script.calls == 2
    assert response.attempts == 2
    assert stats.retries_by_cause[f"status_{status}"] == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_never_retried_statuses(status: int) -> None:
    clock = Clock()
    mw, stats = setup(clock)
    script = Script(reply(status, error(status)), reply(200))
    response = await run(mw, script)
    assert response.status == status
    assert script.calls == 1
    assert stats.retries == 0
    assert clock.sleeps == []


async def test_rate_limit_429_is_retried_and_no_body_too() -> None:
    clock = Clock()
    mw, stats = setup(clock)
    script = Script(reply(429, error(429, "rate_limit_exceeded")), reply(429, b""), reply(200))
    response = await run(mw, script)
    assert response.status == 200
    assert script.calls == 3
    assert stats.retries_by_cause["rate_limit"] == 2


@pytest.mark.parametrize(
    "body",
    [
        error(429, "insufficient_quota", "You exceeded your current quota", "insufficient_quota"),
        error(429, None, "quota", "insufficient_quota"),
        error(429, "rate_limit_exceeded", "Request too large for gpt-4 in organization org-x"),
    ],
)
async def test_billing_and_too_large_429_never_retried(body: Any) -> None:
    clock = Clock()
    mw, _ = setup(clock)
    script = Script(reply(429, body), reply(200))
    response = await run(mw, script)
    assert response.status == 429
    assert script.calls == 1


async def test_connection_errors_and_timeouts_are_retried() -> None:
    clock = Clock()
    mw, stats = setup(clock)
    script = Script(refuse, time_out, reply(200))
    response = await run(mw, script)
    assert response.status == 200
    assert script.attempts == [1, 2, 3]
    assert stats.retries_by_cause == {"connection": 1, "timeout": 1}


async def test_connection_error_raised_after_last_attempt() -> None:
    clock = Clock()
    mw, stats = setup(clock, max_retries=2)
    script = Script(refuse)
    with pytest.raises(APIConnectionError) as info:
        await run(mw, script)
    assert script.calls == 3
    assert info.value.request is not None and info.value.request.attempt == 3
    assert stats.gave_up["max_retries"] == 1


async def test_invalid_json_2xx_retried_for_get_and_delete_not_post() -> None:
    for method, calls in (("GET", 2), ("DELETE", 2), ("POST", 1)):
        clock = Clock()
        mw, _ = setup(clock)
        script = Script(reply(200, b"{not json"), reply(200))
        response = await run(mw, script, make_request(method))
        assert script.calls == calls, method
        assert response.json_ok() is (method != "POST")


async def test_should_retry_header_overrides_table() -> None:
    clock = Clock()
    mw, _ = setup(clock)
    no = Script(reply(503, error(503), {"x-should-retry": "false"}), reply(200))
    assert (await run(mw, no)).status == 503
    assert no.calls == 1
    yes = Script(reply(400, error(400), {"x-should-retry": "true"}), reply(200))
    assert (await run(mw, yes)).status == 200
    assert yes.calls == 2
    quota = error(429, "insufficient_quota", "q", "insufficient_quota")
    forced = Script(reply(429, quota, {"x-should-retry": "true"}), reply(200))
    assert (await run(mw, forced)).status == 200


def never_sent(request: Request) -> Response:
    raise APIConnectionError(request=request, never_sent=True)


async def test_a_post_that_was_never_sent_is_retried_even_when_post_retries_are_off() -> None:
    clock = Clock()
    mw, stats = setup(clock, retry_post=False)
    script = Script(never_sent, reply(200))
    assert (await run(mw, script, make_request("POST"))).status == 200
    assert script.calls == 2 and stats.retries_by_cause == {"connection": 1}
    # a connection error that may have reached the server is not sent again
    script = Script(refuse, reply(200))
    with pytest.raises(APIConnectionError):
        await run(mw, script, make_request("POST"))
    assert script.calls == 1


async def test_post_retries_switched_off() -> None:
    clock = Clock()
    mw, _ = setup(clock, retry_post=False)
    script = Script(reply(503, error(503)), reply(200))
    assert (await run(mw, script, make_request("POST"))).status == 503
    assert script.calls == 1
    # a 429 rate limit means the server did not act: still retried
    script = Script(reply(429, error(429, "rate_limit_exceeded")), reply(200))
    assert (await run(mw, script, make_request("POST"))).status == 200
    # a GET is unaffected
    script = Script(reply(503, error(503)), reply(200))
    assert (await run(mw, script)).status == 200


# -- how long to wait -----------------------------------------------------------------------


async def test_retry_after_ms_then_retry_after_then_hint() -> None:
    clock = Clock()
    mw, _ = setup(clock, max_retries=4)
    hint = error(429, "rate_limit_exceeded", "Please try again in 644ms. Visit ...")
    script = Script(
        reply(503, error(503), {"retry-after-ms": "250", "retry-after": "9"}),
        reply(503, error(503), {"retry-after": "1.5"}),
        reply(429, hint),
        reply(429, error(429, "rate_limit_exceeded", "Please try again in 1m2s.")),
        reply(200),
    )
    await run(mw, script)
    assert clock.sleeps == pytest.approx([0.25, 1.5, 0.644, 62.0])


async def test_retry_after_http_date() -> None:
    clock = Clock()
    mw, _ = setup(clock)
    date = email.utils.formatdate(4_000_000_000, usegmt=True)  # far future: over the cap
    script = Script(reply(503, error(503), {"retry-after": date}), reply(200))
    assert (await run(mw, script)).status == 503
    assert clock.sleeps == []


async def test_hint_over_cap_fails_fast() -> None:
    clock = Clock()
    mw, stats = setup(clock, max_retry_after=120.0)
    script = Script(reply(429, error(429, "rate_limit_exceeded"), {"retry-after": "121"}))
    response = await run(mw, script)
    assert response.status == 429
    assert script.calls == 1
    assert clock.sleeps == []
    assert stats.gave_up["wait_over_cap"] == 1
    ok = Script(reply(429, error(429, "rate_limit_exceeded"), {"retry-after": "120"}), reply(200))
    assert (await run(mw, ok)).status == 200
    assert clock.sleeps == [120.0]


async def test_full_jitter_backoff_bounds() -> None:
    for rand, expect in (
        (0.0, [0.0, 0.0, 0.0, 0.0, 0.0]),
        (0.999, [0.4995, 0.999, 1.998, 3.996, 7.992]),
    ):
        clock = Clock()
        mw, _ = setup(clock, rand=rand, max_retries=5)
        await run(mw, Script(refuse, refuse, refuse, refuse, refuse, reply(200)))
        assert clock.sleeps == pytest.approx(expect)
    clock = Clock()
    mw, _ = setup(clock, rand=1.0, max_retries=7, initial_delay=0.5, max_delay=8.0)
    await run(mw, Script(*([refuse] * 7), reply(200)))
    assert clock.sleeps == pytest.approx([0.5, 1, 2, 4, 8, 8, 8])


def test_backoff_formula_uses_uniform_full_range() -> None:
    values = iter([0.25, 0.75])
    pol = RetryPolicy(random=lambda: next(values))
    assert pol.backoff(3) == pytest.approx(0.25 * 4.0)
    assert pol.backoff(10) == pytest.approx(0.75 * 8.0)


async def test_deadline_bounds_attempts_and_sleeps() -> None:
    clock = Clock()
    mw, stats = setup(clock, rand=1.0, max_retries=10, deadline=2.0)
    script = Script(refuse)
    with pytest.raises(APIConnectionError):
        await run(mw, script)
    # waits 0.5, 1.0 fit (total 1.5); the next (2.0) would pass the deadline
    assert clock.sleeps == [0.5, 1.0]
    assert script.calls == 3
    assert stats.gave_up["deadline"] == 1


async def test_per_call_deadline_and_hint_past_deadline() -> None:
    clock = Clock()
    mw, _ = setup(clock)
    script = Script(reply(503, error(503), {"retry-after": "5"}), reply(200))
    response = await run(mw, script, make_request(deadline=3.0))
    assert response.status == 503
    assert clock.sleeps == []


async def test_deadline_shortens_the_attempt_timeout() -> None:
    clock = Clock()
    mw, _ = setup(clock, rand=1.0)
    seen: list[float | None] = []

    def record(request: Request) -> Response:
        seen.append(request.timeout.total)
        return reply(200)(request)

    await run(mw, Script(refuse, record), make_request(deadline=10.0))
    assert seen == [pytest.approx(9.5)]


async def test_per_call_max_retries_wins() -> None:
    clock = Clock()
    mw, _ = setup(clock, max_retries=2)
    script = Script(refuse)
    with pytest.raises(APIConnectionError):
        await run(mw, script, make_request(max_retries=5))
    assert script.calls == 6
    script = Script(refuse)
    with pytest.raises(APIConnectionError):
        await run(mw, script, make_request(max_retries=0))
    assert script.calls == 1


async def test_per_call_policy_wins() -> None:
    clock = Clock()
    mw, _ = setup(clock, max_retries=0)
    other = RetryPolicy(max_retries=1, sleep=clock.sleep, clock=clock, random=lambda: 0.0)
    script = Script(refuse, reply(200))
    assert (await run(mw, script, make_request(retry_policy=other))).status == 200


# -- budget, stats, logging -----------------------------------------------------------------


def test_budget_arithmetic() -> None:
    budget = RetryBudget(ratio=0.4, capacity=2)
    assert budget.withdraw() and budget.withdraw()
    assert not budget.withdraw()
    assert budget.refused == 1
    budget.deposit()
    budget.deposit()
    assert not budget.withdraw()  # 0.8 < 1
    budget.deposit()
    assert budget.withdraw()  # 1.2
    for _ in range(100):
        budget.deposit()
    assert budget.tokens == 2


async def test_budget_caps_attempts_in_a_total_outage() -> None:
    clock = Clock()
    budget = RetryBudget()
    mw, stats = setup(clock, budget=budget, rand=0.0)
    calls = 2000
    script = Script(refuse)
    for _ in range(calls):
        with pytest.raises(APIConnectionError):
            await run(mw, script)
    # without a budget this would be 3 attempts a call
    assert script.calls <= 1.5 * calls
    assert script.calls <= 1.4 * calls + budget.capacity
    assert stats.gave_up["budget"] > 0


async def test_budget_never_refuses_at_twenty_percent_random_failures() -> None:
    import random

    rng = random.Random(7)
    clock = Clock()
    budget = RetryBudget()
    mw, stats = setup(clock, budget=budget, rand=0.0)

    def flaky(request: Request) -> Response:
        if rng.random() < 0.2:
            raise APIConnectionError(request=request)
        return reply(200)(request)

    script = Script(flaky)
    outcomes = 0
    for _ in range(5000):
        try:
            await run(mw, script)
            outcomes += 1
        except APIConnectionError:
            outcomes += 1
    assert outcomes == 5000
    assert budget.refused == 0
    assert stats.gave_up["budget"] == 0
    assert stats.retries > 900  # about 0.24 a call: the budget was exercised


async def test_rate_limit_retries_do_not_draw_on_budget() -> None:
    clock = Clock()
    budget = RetryBudget(ratio=0.0, capacity=1)
    budget.tokens = 0
    mw, _ = setup(clock, budget=budget)
    script = Script(reply(429, error(429, "rate_limit_exceeded")), reply(200))
    assert (await run(mw, script)).status == 200
    assert budget.refused == 0
    script = Script(reply(503, error(503)), reply(200))
    assert (await run(mw, script)).status == 503
    assert budget.refused == 1


async def test_stats_and_response_know_attempts_and_sleep() -> None:
    clock = Clock()
    mw, stats = setup(clock, rand=1.0)
    response = await run(mw, Script(refuse, reply(503, error(503)), reply(200)))
    assert response.attempts == 3
    assert response.retry_sleep == pytest.approx(1.5)
    assert stats.calls == 1
    assert stats.retries == 2
    assert stats.attempts == 3
    assert stats.sleep_total == pytest.approx(1.5)
    await run(mw, Script(reply(200)))
    assert stats.calls == 2 and stats.attempts == 4


async def test_happy_path_does_not_enter_tenacity(monkeypatch: pytest.MonkeyPatch) -> None:
    import aio_openai._retry as retry_module

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("tenacity entered on the happy path")

    monkeypatch.setattr(retry_module, "AsyncRetrying", explode)
    mw, _ = setup(Clock())
    assert (await run(mw, Script(reply(200)))).status == 200
    with pytest.raises(AssertionError, match="tenacity entered"):
        await run(mw, Script(reply(503, error(503)), reply(200)))


async def test_each_retry_logged_at_info_with_cause_and_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    mw, _ = setup(clock, rand=1.0)
    with caplog.at_level(logging.INFO, logger="aio_openai"):
        await run(mw, Script(reply(503, error(503), {"x-request-id": "req_1"}), reply(200)))
    records = [r for r in caplog.records if r.name == "aio_openai"]
    assert len(records) == 1
    text = records[0].getMessage()
    assert records[0].levelno == logging.INFO
    assert "status_503" in text and "0.500s" in text and "req_1" in text
    assert "attempt 2 of 3" in text


async def test_should_retry_header_on_a_2xx_with_a_broken_body() -> None:
    clock = Clock()
    mw, _ = setup(clock)
    no = Script(reply(200, b"{oops", {"x-should-retry": "false"}), reply(200))
    assert not (await run(mw, no)).json_ok()
    assert no.calls == 1
    yes = Script(reply(200, b"{oops", {"x-should-retry": "true"}), reply(200))
    assert (await run(mw, yes, make_request("POST"))).json_ok()
    assert yes.calls == 2


def test_budget_absorbs_a_burst_of_concurrent_failures() -> None:
    budget = RetryBudget()
    for _ in range(128):  # a fan_out's first wave: every call deposits before any retry
        budget.deposit()
    assert all(budget.withdraw() for _ in range(int(128 * 0.2) + 1))
    assert budget.refused == 0
    fresh = RetryBudget()
    assert fresh.tokens == 20  # a fresh start saves nothing up for an outage
