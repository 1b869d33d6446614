"""Retries end to end: the real client against FakeOpenAI's faults over loopback.

Every row of the retry table (see :mod:`aio_openai._retry`) is checked on the wire: the final
result or typed error, the attempts the server saw, and the client's stats. Backoffs are
scaled down to milliseconds; nothing here sleeps to synchronise or asserts on timing.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any, Final

import attrs
import pytest

from aio_openai import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncOpenAI,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryBudget,
    RetryPolicy,
    UnprocessableEntityError,
)
from aio_openai._response import parse_json
from aio_openai.testing import FakeOpenAI

#: A key distinctive enough to be searched for in the logs.
KEY: Final = "sk-e2e-DISTINCTIVE-7f3a91c0d2"
#: Backoffs of at most 10 ms, so that every test is fast.
FAST: Final = RetryPolicy(initial_delay=0.001, max_delay=0.01)
MODEL_ROUTE: Final = "GET /v1/models/{model}"


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client on ``fake`` with the default budget and 2 retries, backoffs scaled down."""
    c = AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=FAST)
    try:
        yield c
    finally:
        await c.aclose()


def assert_attempts(fake: FakeOpenAI, client: AsyncOpenAI, attempts: int) -> None:
    """The server saw ``attempts`` requests, and the client counted as many."""
    assert len(fake.requests) == attempts
    assert fake.faults.seen == attempts
    assert client.stats.attempts == attempts


# -- retried: 429 rate limits -----------------------------------------------------------------


async def test_rate_limit_429_is_retried_after_the_hint(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(MODEL_ROUTE, status=429, times=2)  # "... Please try again in 20ms."
    model = await client.models.retrieve("gpt-4")
    assert model.id == "gpt-4"
    assert_attempts(fake, client, 3)
    assert client.stats.retries_by_cause == {"rate_limit": 2}
    assert client.stats.sleep_total == pytest.approx(0.040)


async def test_429_without_a_body_is_retried(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, status=429, body=b"")
    assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
    assert_attempts(fake, client, 2)
    assert client.stats.retries_by_cause == {"rate_limit": 1}
    assert client.stats.sleep_total <= FAST.initial_delay


async def test_rate_limits_exhausted_raise_rate_limit_error(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(MODEL_ROUTE, status=429, times=3)
    with pytest.raises(RateLimitError) as info:
        await client.models.retrieve("gpt-4")
    assert info.value.code == "rate_limit_exceeded"
    assert info.value.request_id == fake.requests[-1].request_id
    assert_attempts(fake, client, 3)
    assert client.stats.gave_up == {"max_retries": 1}


async def test_raw_response_and_error_know_the_attempts(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(MODEL_ROUTE, status=503)
    raw = await client.models.with_raw_response.retrieve("gpt-4")
    assert raw.retries_taken == 1
    assert raw.request_id == fake.requests[-1].request_id
    assert raw.parse().id == "gpt-4"
    fake.faults.push(MODEL_ROUTE, status=503, times=3)
    with pytest.raises(InternalServerError) as info:
        await client.models.retrieve("gpt-4")
    assert info.value.request is not None and info.value.request.attempt == 3


# -- retried: 408, 409, >= 500 ----------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503, 504, 520, 599])
async def test_retryable_status_then_success(
    fake: FakeOpenAI, client: AsyncOpenAI, status: int
) -> None:
    fake.faults.push(MODEL_ROUTE, status=status)
    assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
    assert_attempts(fake, client, 2)
    assert client.stats.retries_by_cause == {f"status_{status}": 1}
    assert client.stats.calls == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (408, APIStatusError),
        (409, ConflictError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (599, InternalServerError),
    ],
)
async def test_retryable_status_exhausted_raises_its_error(
    fake: FakeOpenAI, client: AsyncOpenAI, status: int, error: type[APIStatusError]
) -> None:
    fake.faults.push(MODEL_ROUTE, status=status, times=3)
    with pytest.raises(error) as info:
        await client.models.retrieve("gpt-4")
    assert type(info.value) is error
    assert info.value.status_code == status
    assert info.value.request_id == fake.requests[-1].request_id
    assert_attempts(fake, client, 3)
    assert client.stats.retries_by_cause == {f"status_{status}": 2}


# -- retried: connection errors and timeouts --------------------------------------------------


@pytest.mark.parametrize("kind", ["reset", "truncate"])
async def test_cut_connection_is_retried(fake: FakeOpenAI, client: AsyncOpenAI, kind: Any) -> None:
    fake.faults.push(MODEL_ROUTE, kind=kind, times=2)
    assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
    assert_attempts(fake, client, 3)
    assert client.stats.retries_by_cause == {"connection": 2}
    assert fake.faults.injected == {kind: 2}


@pytest.mark.parametrize("kind", ["reset", "truncate"])
async def test_cut_connection_exhausted_raises_connection_error(
    fake: FakeOpenAI, client: AsyncOpenAI, kind: Any
) -> None:
    fake.faults.push(MODEL_ROUTE, kind=kind, times=3)
    with pytest.raises(APIConnectionError) as info:
        await client.models.retrieve("gpt-4")
    assert type(info.value) is APIConnectionError
    assert_attempts(fake, client, 3)
    assert client.stats.retries_by_cause == {"connection": 2}


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_connection_refused_is_retried(clean_env: None) -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    async with AsyncOpenAI(api_key=KEY, base_url=url, retry_policy=FAST) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.models.retrieve("gpt-4")
        assert type(info.value) is APIConnectionError
        assert client.stats.attempts == 3
        assert client.stats.retries_by_cause == {"connection": 2}
        # a refused POST never reached the server: retried even with retry_post=False
        no_post = client.with_options(retry_policy=attrs.evolve(FAST, retry_post=False))
        with pytest.raises(APIConnectionError):
            await no_post.request("POST", "/things", parse_json, body={"a": 1})
        assert client.stats.attempts == 6


async def test_timeout_is_retried(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, kind="delay", delay=30.0)
    assert (await client.models.retrieve("gpt-4", timeout=0.1)).id == "gpt-4"
    assert_attempts(fake, client, 2)
    assert client.stats.retries_by_cause == {"timeout": 1}


async def test_timeouts_exhausted_raise_api_timeout_error(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(MODEL_ROUTE, kind="delay", delay=30.0, times=3)
    with pytest.raises(APITimeoutError):
        await client.models.retrieve("gpt-4", timeout=0.05)
    assert_attempts(fake, client, 3)
    assert client.stats.retries_by_cause == {"timeout": 2}
    assert fake.faults.injected == {"delay": 3}


# -- a 2xx whose body is not JSON -------------------------------------------------------------


async def test_invalid_json_get_is_retried(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, kind="invalid_json")
    assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
    assert_attempts(fake, client, 2)
    assert client.stats.retries_by_cause == {"invalid_json": 1}


async def test_invalid_json_delete_is_retried(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.add_model("ft:gpt-4:acme::1", owned_by="user-acme")
    fake.faults.push("DELETE /v1/models/{model}", kind="invalid_json")
    deleted = await client.models.delete("ft:gpt-4:acme::1")
    assert deleted.id == "ft:gpt-4:acme::1"
    assert deleted.deleted is True
    assert "ft:gpt-4:acme::1" not in fake.models
    assert_attempts(fake, client, 2)
    assert client.stats.retries_by_cause == {"invalid_json": 1}


async def test_invalid_json_get_exhausted_raises_validation_error(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(MODEL_ROUTE, kind="invalid_json", times=3)
    with pytest.raises(APIResponseValidationError) as info:
        await client.models.retrieve("gpt-4")
    assert info.value.status_code == 200
    assert info.value.request_id == fake.requests[-1].request_id
    assert_attempts(fake, client, 3)


async def test_invalid_json_post_raises_at_once(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push("POST /v1/things", kind="invalid_json")
    with pytest.raises(APIResponseValidationError) as info:
        await client.request("POST", "/things", parse_json, body={"a": 1})
    assert info.value.status_code == 200
    assert info.value.request_id is not None
    assert info.value.request_id == fake.requests[0].request_id
    assert_attempts(fake, client, 1)
    assert client.stats.retries == 0


# -- never retried ----------------------------------------------------------------------------


async def test_insufficient_quota_raises_at_once(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, kind="insufficient_quota", times=3)
    with pytest.raises(RateLimitError) as info:
        await client.models.retrieve("gpt-4")
    assert info.value.code == "insufficient_quota"
    assert info.value.type == "insufficient_quota"
    assert info.value.request_id == fake.requests[0].request_id
    assert_attempts(fake, client, 1)
    assert client.stats.retries == 0
    assert client.stats.sleep_total == 0


async def test_request_too_large_raises_at_once(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(
        MODEL_ROUTE,
        status=429,
        code="rate_limit_exceeded",
        error_type="tokens",
        message="Request too large for gpt-4 in organization org-x on tokens per min (TPM): "
        "Limit 10000, Requested 20000. Please try again in 20ms.",
        times=3,
    )
    with pytest.raises(RateLimitError) as info:
        await client.models.retrieve("gpt-4")
    assert info.value.message.startswith("Error code: 429 - Request too large")
    assert_attempts(fake, client, 1)
    assert client.stats.retries == 0


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
    ],
)
async def test_client_errors_are_never_retried(
    fake: FakeOpenAI, client: AsyncOpenAI, status: int, error: type[APIStatusError]
) -> None:
    fake.faults.push(MODEL_ROUTE, status=status, times=3)
    with pytest.raises(error) as info:
        await client.models.retrieve("gpt-4")
    assert info.value.status_code == status
    assert info.value.request_id == fake.requests[0].request_id
    assert_attempts(fake, client, 1)
    assert client.stats.retries == 0
    assert fake.faults.pending == 2


async def test_real_404_is_not_retried(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.models.retrieve("no-such-model")
    assert info.value.code == "model_not_found"
    assert_attempts(fake, client, 1)


# -- x-should-retry overrides the table -------------------------------------------------------


async def test_should_retry_false_stops_a_503(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, status=503, headers={"x-should-retry": "false"})
    with pytest.raises(InternalServerError):
        await client.models.retrieve("gpt-4")
    assert_attempts(fake, client, 1)
    assert client.stats.retries == 0


@pytest.mark.parametrize("kind", ["status", "insufficient_quota"])
async def test_should_retry_true_retries_a_client_error(
    fake: FakeOpenAI, client: AsyncOpenAI, kind: Any
) -> None:
    status = 400 if kind == "status" else None
    fake.faults.push(MODEL_ROUTE, kind=kind, status=status, headers={"x-should-retry": "true"})
    assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
    assert_attempts(fake, client, 2)
    assert client.stats.retries_by_cause == {f"status_{status or 429}": 1}


async def test_should_retry_false_stops_an_invalid_json_retry(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push(MODEL_ROUTE, kind="invalid_json", headers={"x-should-retry": "false"})
    with pytest.raises(APIResponseValidationError):
        await client.models.retrieve("gpt-4")
    assert_attempts(fake, client, 1)


# -- waits ------------------------------------------------------------------------------------


async def test_server_waits_are_honoured(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, status=503, headers={"retry-after-ms": "5"})
    fake.faults.push(MODEL_ROUTE, status=503, headers={"retry-after": "0.007"})
    fake.faults.push(MODEL_ROUTE, status=429)  # the "try again in 20ms" hint
    model = await client.models.retrieve("gpt-4", max_retries=3)
    assert model.id == "gpt-4"
    assert_attempts(fake, client, 4)
    assert client.stats.sleep_total == pytest.approx(0.005 + 0.007 + 0.020)
    assert client.stats.retries_by_cause == {"status_503": 2, "rate_limit": 1}


@pytest.mark.parametrize(
    "push",
    [
        {"status": 503, "headers": {"retry-after": "121"}},
        {"status": 429, "headers": {"retry-after-ms": "120001"}},
        {"status": 429, "message": "Rate limit reached. Please try again in 3m0s."},
    ],
)
async def test_a_wait_over_the_cap_fails_fast(
    fake: FakeOpenAI, client: AsyncOpenAI, push: dict[str, Any]
) -> None:
    fake.faults.push(MODEL_ROUTE, **push)
    with pytest.raises((InternalServerError, RateLimitError)) as info:
        await client.models.retrieve("gpt-4")
    assert info.value.status_code == push["status"]
    assert client.stats.sleep_total == 0
    assert client.stats.gave_up == {"wait_over_cap": 1}
    assert_attempts(fake, client, 1)


# -- POST: one idempotency key per call, retry_post ---------------------------------------------


async def test_post_attempts_share_one_idempotency_key(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push("POST /v1/things", status=503, times=2)
    # the third attempt reaches the server's router, which has no such route
    with pytest.raises(NotFoundError):
        await client.request("POST", "/things", parse_json, body={"a": 1})
    fake.faults.push("POST /v1/things", kind="reset")
    with pytest.raises(NotFoundError):
        await client.request("POST", "/things", parse_json, body={"a": 2})
    assert_attempts(fake, client, 5)
    keys = [r.headers.get("Idempotency-Key") for r in fake.requests]
    assert all(key and key.startswith("aio-openai-retry-") for key in keys)
    assert keys[0] == keys[1] == keys[2]
    assert keys[3] == keys[4]
    assert keys[0] != keys[3]
    assert [r.json for r in fake.requests] == [{"a": 1}] * 3 + [{"a": 2}] * 2


async def test_post_with_a_given_idempotency_key(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push("POST /v1/things", status=500)
    with pytest.raises(NotFoundError):
        await client.request(
            "POST", "/things", parse_json, body={}, options={"idempotency_key": "my-key-1"}
        )
    assert [r.headers.get("Idempotency-Key") for r in fake.requests] == ["my-key-1"] * 2


async def test_post_keeps_an_idempotency_key_given_in_any_case(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.faults.push("POST /v1/things", status=503)
    with pytest.raises(NotFoundError):
        await client.request(
            "POST",
            "/things",
            parse_json,
            body={},
            options={"extra_headers": {"idempotency-key": "my-key-2"}},
        )
    assert [r.headers.getall("Idempotency-Key") for r in fake.requests] == [["my-key-2"]] * 2


async def test_retry_post_false_stops_post_retries(fake: FakeOpenAI, clean_env: None) -> None:
    policy = attrs.evolve(FAST, retry_post=False)
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=policy) as client:
        fake.faults.push("POST /v1/things", status=503, times=3)
        with pytest.raises(InternalServerError):
            await client.request("POST", "/things", parse_json, body={"a": 1})
        assert_attempts(fake, client, 1)
        # a rate limit means the server did not act on it: still retried
        fake.faults.clear()
        fake.faults.push("POST /v1/things", status=429)
        with pytest.raises(NotFoundError):
            await client.request("POST", "/things", parse_json, body={"a": 1})
        assert_attempts(fake, client, 3)
        # GETs are not affected
        fake.faults.push(MODEL_ROUTE, status=503)
        assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
        assert_attempts(fake, client, 5)
        assert client.stats.retries_by_cause == {"rate_limit": 1, "status_503": 1}


@pytest.mark.parametrize("kind", ["reset", "truncate", "delay"])
async def test_retry_post_false_does_not_resend_a_post_that_may_have_arrived(
    fake: FakeOpenAI, clean_env: None, kind: Any
) -> None:
    policy = attrs.evolve(FAST, retry_post=False)
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=policy) as client:
        fake.faults.push("POST /v1/things", kind=kind, delay=30.0 if kind == "delay" else None)
        with pytest.raises(APIConnectionError):
            await client.request(
                "POST", "/things", parse_json, body={"a": 1}, options={"timeout": 0.1}
            )
        assert_attempts(fake, client, 1)


# -- per-call options ---------------------------------------------------------------------------


async def test_per_call_max_retries(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, status=503, times=10)
    with pytest.raises(InternalServerError):
        await client.models.retrieve("gpt-4", max_retries=5)
    assert_attempts(fake, client, 6)
    with pytest.raises(InternalServerError):
        await client.with_options(max_retries=0).models.retrieve("gpt-4")
    assert_attempts(fake, client, 7)  # with_options shares the stats
    fake.faults.clear()
    assert (await client.with_options(max_retries=0).models.retrieve("gpt-4")).id == "gpt-4"


async def test_per_call_retry_policy(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, status=503, times=4)
    policy = attrs.evolve(FAST, max_retries=4)
    assert (await client.models.retrieve("gpt-4", retry_policy=policy)).id == "gpt-4"
    assert_attempts(fake, client, 5)


async def test_deadline_stops_before_a_wait_past_it(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, status=503, headers={"retry-after": "5"}, times=50)
    with pytest.raises(InternalServerError):
        await client.models.retrieve("gpt-4", max_retries=50, deadline=1.0)
    assert_attempts(fake, client, 1)
    assert client.stats.gave_up == {"deadline": 1}
    assert client.stats.sleep_total == 0


async def test_deadline_bounds_a_hanging_call(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.faults.push(MODEL_ROUTE, kind="delay", delay=30.0, times=50)
    with pytest.raises(APITimeoutError):
        # the attempt timeout (600 s) is cut to what is left of the deadline
        await client.models.retrieve("gpt-4", max_retries=50, deadline=0.2)
    assert 1 <= len(fake.requests) <= 2
    assert client.stats.attempts == len(fake.requests)


# -- clean up, logging --------------------------------------------------------------------------


async def test_no_connection_or_task_left_after_aclose(
    fake_openai: FakeOpenAI, clean_env: None
) -> None:
    faults = fake_openai.faults
    faults.random(0.5, ["status_503", "reset", "truncate", "invalid_json"], seed=5)
    faults.push(MODEL_ROUTE, kind="delay", delay=30.0)
    client = AsyncOpenAI(api_key=KEY, base_url=fake_openai.url, retry_policy=FAST, timeout=1.0)
    session = client._pool.session()
    outcomes = await asyncio.gather(
        *(client.models.retrieve("gpt-4") for _ in range(40)), return_exceptions=True
    )
    models = [o for o in outcomes if not isinstance(o, BaseException)]
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert models and all(m.id == "gpt-4" for m in models)
    assert all(isinstance(e, APIError) for e in errors), errors
    assert fake_openai.faults.injected.total() > 20
    assert client.stats.attempts == faults.seen
    await client.aclose()
    assert session.closed
    assert session.connector is None or session.connector.closed
    assert client._pool.connections == 0
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert pending == []


async def test_each_retry_logged_at_info_without_the_key(
    fake: FakeOpenAI, client: AsyncOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    fake.faults.push(MODEL_ROUTE, status=503, headers={"retry-after-ms": "5"})
    fake.faults.push(MODEL_ROUTE, kind="reset")
    with caplog.at_level(logging.DEBUG):
        assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
        fake.faults.push(MODEL_ROUTE, status=500, times=3)
        with pytest.raises(InternalServerError):
            await client.models.retrieve("gpt-4")
    retries = [r for r in caplog.records if r.name == "aio_openai" and "Retrying" in r.message]
    assert [r.levelno for r in retries] == [logging.INFO] * 4
    first, second = retries[0].getMessage(), retries[1].getMessage()
    assert first.startswith("Retrying GET /v1/models/gpt-4 in 0.005s (attempt 2 of 3)")
    assert "status_503" in first
    assert f"request id {fake.requests[0].request_id}" in first
    assert "(attempt 3 of 3): connection" in second
    assert "status_500" in retries[2].getMessage()
    gave_up = [r for r in caplog.records if "Giving up" in r.getMessage()]
    assert len(gave_up) == 1
    assert "max_retries" in gave_up[0].getMessage()
    # the key appears nowhere: not in messages, arguments or tracebacks
    assert KEY not in caplog.text
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert KEY not in repr(record.args)
        assert KEY not in (record.exc_text or "")


# -- the retry budget in a total outage --------------------------------------------------------


async def outage(fake: FakeOpenAI, client: AsyncOpenAI, calls: int) -> int:
    """Make ``calls`` retrieves while every request fails with 503; the attempts the server saw."""
    fake.faults.random(1.0, ["status_503"])
    semaphore = asyncio.Semaphore(16)

    async def one() -> None:
        async with semaphore:
            with pytest.raises(InternalServerError):
                await client.models.retrieve("gpt-4")

    await asyncio.gather(*(one() for _ in range(calls)))
    assert fake.faults.injected["status_503"] == fake.faults.seen
    return fake.faults.seen


async def test_budget_bounds_attempts_in_a_total_outage(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    calls = 300
    attempts = await outage(fake, client, calls)
    assert client.max_retries == 2
    assert calls < attempts <= 1.5 * calls
    assert client.stats.attempts == attempts
    assert client.stats.gave_up["budget"] > 0


async def test_without_budget_every_call_retries_fully(fake: FakeOpenAI, clean_env: None) -> None:
    calls = 300
    async with AsyncOpenAI(
        api_key=KEY, base_url=fake.url, retry_policy=FAST, retry_budget=None
    ) as client:
        attempts = await outage(fake, client, calls)
        assert attempts == 3 * calls
        assert client.stats.gave_up == {"max_retries": calls}


async def test_shared_budget_across_with_options_copies(fake: FakeOpenAI, clean_env: None) -> None:
    budget = RetryBudget(ratio=0.0, capacity=3)
    async with AsyncOpenAI(
        api_key=KEY, base_url=fake.url, retry_policy=FAST, retry_budget=budget
    ) as client:
        other = client.with_options(max_retries=5)
        fake.faults.random(1.0, ["status_503"])
        with pytest.raises(InternalServerError):
            await other.models.retrieve("gpt-4")
        with pytest.raises(InternalServerError):
            await client.models.retrieve("gpt-4")
        # three tokens in all: 4 attempts for the first call, 1 for the second
        assert fake.faults.seen == 5
        assert budget.refused == 2
