"""FakeOpenAI's faults, seen on the wire with a plain aiohttp.ClientSession."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from aio_openai.testing import FakeOpenAI, Faults

KEY = "sk-test-faults-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
REQUEST_ID = re.compile(r"req_[0-9a-f]{32}")


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session, closed after the test."""
    async with aiohttp.ClientSession() as s:
        yield s


async def get(
    session: aiohttp.ClientSession,
    fake: FakeOpenAI,
    path: str = "/models/gpt-4",
    *,
    method: str = "GET",
    timeout: float | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any, bytes]:
    """Send one request; return (status, headers, body)."""
    async with session.request(
        method,
        fake.url + path,
        headers=AUTH if headers is None else headers,
        timeout=aiohttp.ClientTimeout(total=timeout),
    ) as response:
        return response.status, response.headers, await response.read()


def error_of(body: bytes) -> dict[str, Any]:
    """The ``error`` object of an OpenAI error body."""
    data = json.loads(body)
    assert set(data) == {"error"}
    error: dict[str, Any] = data["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return error


# -- each kind on the wire ------------------------------------------------------------------


async def test_status_fault_sends_error_body_and_headers(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push(
        "GET /v1/models/{model}",
        status=503,
        headers={"retry-after-ms": "5", "retry-after": "1", "x-should-retry": "true"},
    )
    status, headers, body = await get(session, fake)
    assert status == 503
    assert headers["Content-Type"].startswith("application/json")
    assert headers["retry-after-ms"] == "5"
    assert headers["retry-after"] == "1"
    assert headers["x-should-retry"] == "true"
    assert REQUEST_ID.fullmatch(headers["x-request-id"])
    assert headers["openai-version"] == "2020-10-01"
    error = error_of(body)
    assert error["type"] == "server_error"
    assert error["param"] is None
    # the fault is recorded, and the request log has the faulted attempt with the same id
    assert fake.faults.injected == {"status_503": 1}
    [entry] = fake.faults.log
    assert entry.label == "status_503"
    assert (entry.method, entry.path) == ("GET", "/v1/models/gpt-4")
    assert entry.route == "/v1/models/{model}"
    assert entry.request_id == headers["x-request-id"]
    assert [r.request_id for r in fake.requests] == [headers["x-request-id"]]
    # served once: the next request gets the model
    status, _, body = await get(session, fake)
    assert status == 200
    assert json.loads(body)["id"] == "gpt-4"


@pytest.mark.parametrize(
    ("status", "type_", "code"),
    [
        (400, "invalid_request_error", None),
        (401, "invalid_request_error", "invalid_api_key"),
        (403, "invalid_request_error", None),
        (404, "invalid_request_error", None),
        (408, "timeout", None),
        (409, "invalid_request_error", "conflict"),
        (422, "invalid_request_error", None),
        (429, "requests", "rate_limit_exceeded"),
        (500, "server_error", None),
        (502, "server_error", None),
        (503, "server_error", None),
        (504, "server_error", None),
        (418, "invalid_request_error", None),
        (529, "server_error", None),
    ],
)
async def test_status_fault_default_bodies(
    fake: FakeOpenAI, session: aiohttp.ClientSession, status: int, type_: str, code: str | None
) -> None:
    fake.faults.push(status=status)
    got, _, body = await get(session, fake)
    assert got == status
    error = error_of(body)
    assert (error["type"], error["code"]) == (type_, code)
    assert isinstance(error["message"], str) and error["message"]


async def test_429_default_message_carries_a_try_again_hint(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push(status=429)
    _, headers, body = await get(session, fake)
    message = error_of(body)["message"]
    assert message.startswith("Rate limit reached for requests")
    assert "Please try again in 20ms." in message
    assert "retry-after" not in headers


async def test_status_fault_overrides(fake: FakeOpenAI, session: aiohttp.ClientSession) -> None:
    fake.faults.push(
        status=429,
        code="rate_limit_exceeded",
        message="Request too large for gpt-4 in organization org-x on tokens per min (TPM).",
        error_type="tokens",
    )
    fake.faults.push(status=500, body={"error": {"message": "custom", "type": "t"}})
    fake.faults.push(status=502, body=b"<html>Bad Gateway</html>")
    _, _, body = await get(session, fake)
    error = error_of(body)
    assert error["message"].startswith("Request too large")
    assert (error["type"], error["code"]) == ("tokens", "rate_limit_exceeded")
    status, _, body = await get(session, fake)
    assert (status, json.loads(body)) == (500, {"error": {"message": "custom", "type": "t"}})
    status, _, body = await get(session, fake)
    assert (status, body) == (502, b"<html>Bad Gateway</html>")


async def test_insufficient_quota_body(fake: FakeOpenAI, session: aiohttp.ClientSession) -> None:
    fake.faults.push(kind="insufficient_quota")
    status, headers, body = await get(session, fake)
    assert status == 429
    assert REQUEST_ID.fullmatch(headers["x-request-id"])
    error = error_of(body)
    assert error["type"] == "insufficient_quota"
    assert error["code"] == "insufficient_quota"
    assert error["param"] is None
    assert error["message"].startswith(
        "You exceeded your current quota, please check your plan and billing details."
    )
    assert fake.faults.injected == {"insufficient_quota": 1}


async def test_reset_drops_the_connection_mid_response(
    fake: FakeOpenAI, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    fake.faults.push(kind="reset", times=3)
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            with pytest.raises(
                (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)
            ):
                await get(session, fake)
        status, _, body = await get(session, fake)
    assert status == 200
    assert json.loads(body)["id"] == "gpt-4"
    assert fake.faults.injected == {"reset": 3}
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_truncate_sends_less_than_content_length(
    fake: FakeOpenAI, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    fake.faults.push(kind="truncate")
    with caplog.at_level(logging.DEBUG), pytest.raises(aiohttp.ClientPayloadError) as info:
        await get(session, fake)
    assert "Not enough data" in str(info.value)
    assert (await get(session, fake))[0] == 200
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_truncate_headers_arrive(fake: FakeOpenAI, session: aiohttp.ClientSession) -> None:
    fake.faults.push(kind="truncate", body=b'{"id":"gpt-4"}')
    async with session.get(fake.url + "/models/gpt-4", headers=AUTH) as response:
        assert response.status == 200
        assert response.content_length == len(b'{"id":"gpt-4"}') + 1
        assert REQUEST_ID.fullmatch(response.headers["x-request-id"])
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()


async def test_invalid_json(fake: FakeOpenAI, session: aiohttp.ClientSession) -> None:
    fake.faults.push(kind="invalid_json")
    status, headers, body = await get(session, fake)
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert REQUEST_ID.fullmatch(headers["x-request-id"])
    with pytest.raises(ValueError):
        json.loads(body)
    assert fake.faults.injected == {"invalid_json": 1}


async def test_delay_makes_a_client_time_out(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push(kind="delay", delay=30.0)
    with pytest.raises(TimeoutError):
        await get(session, fake, timeout=0.05)
    assert fake.faults.injected == {"delay": 1}
    # the server is not held up: the next request is answered at once
    assert (await get(session, fake))[0] == 200


async def test_delay_then_answer_normally_or_with_status(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push(kind="delay", delay=0.001)
    fake.faults.push(kind="delay", delay=0.001, status=504)
    status, _, body = await get(session, fake)
    assert (status, json.loads(body)["id"]) == (200, "gpt-4")
    status, _, body = await get(session, fake)
    assert status == 504
    assert error_of(body)["type"] == "server_error"


# -- scripting: order, times, routes --------------------------------------------------------


async def test_scripted_faults_are_fifo_with_times(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push(status=503, times=2)
    fake.faults.push(status=500)
    fake.faults.push(kind="insufficient_quota")
    assert fake.faults.pending == 4
    statuses = [(await get(session, fake))[0] for _ in range(5)]
    assert statuses == [503, 503, 500, 429, 200]
    assert [e.label for e in fake.faults.log] == [
        "status_503",
        "status_503",
        "status_500",
        "insufficient_quota",
    ]
    assert fake.faults.pending == 0


async def test_route_matching(fake: FakeOpenAI, session: aiohttp.ClientSession) -> None:
    fake.faults.push("GET /v1/models/{model}", status=503)
    # another route, and another method on the same route, are unaffected
    assert (await get(session, fake, "/models"))[0] == 200
    assert (await get(session, fake, "/models/no-such", method="DELETE"))[0] == 404
    assert fake.faults.pending == 1
    assert (await get(session, fake, "/models/whisper-1"))[0] == 503
    # an exact path matches that path only
    fake.faults.push("GET /v1/models/gpt-4", status=502)
    assert (await get(session, fake, "/models/whisper-1"))[0] == 200
    assert (await get(session, fake, "/models/gpt-4"))[0] == 502
    # a path without a method matches any method
    fake.faults.push("/v1/models/{model}", status=500, times=2)
    assert (await get(session, fake, "/models/gpt-4"))[0] == 500
    assert (await get(session, fake, "/models/gpt-4", method="DELETE"))[0] == 500
    # "*" matches everything, unknown routes included (by their path too)
    fake.faults.push("*", status=504, times=2)
    assert (await get(session, fake, "/models"))[0] == 504
    assert (await get(session, fake, "/no/such/route", method="POST"))[0] == 504
    fake.faults.push("POST /v1/no/such/route", kind="invalid_json")
    status, _, body = await get(session, fake, "/no/such/route", method="POST")
    assert (status, body) == (200, b'{"id": "gpt-4", "obj')
    assert (await get(session, fake, "/no/such/route", method="POST"))[0] == 404


async def test_oldest_matching_fault_first(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push("GET /v1/models", status=500)
    fake.faults.push("*", status=503)
    # the list request skips nothing: the oldest matching fault is its own
    assert (await get(session, fake, "/models/gpt-4"))[0] == 503
    assert (await get(session, fake, "/models"))[0] == 500
    assert (await get(session, fake, "/models"))[0] == 200


async def test_faults_come_after_the_api_key_check(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push(status=503)
    status, _, _ = await get(session, fake, headers={})
    assert status == 401
    assert fake.faults.pending == 1
    assert fake.faults.seen == 0
    assert (await get(session, fake))[0] == 503
    assert fake.faults.seen == 1
    # both requests are in the request log
    assert len(fake.requests) == 2


async def test_faults_served_by_a_server_in_a_thread(fake_openai: FakeOpenAI) -> None:
    fake_openai.faults.push(status=503)
    async with aiohttp.ClientSession() as session:
        assert (await get(session, fake_openai))[0] == 503
        assert (await get(session, fake_openai))[0] == 200
    assert fake_openai.faults.injected == {"status_503": 1}


# -- random faults --------------------------------------------------------------------------


async def labels_of_a_run(
    fake: FakeOpenAI, session: aiohttp.ClientSession, seed: int, requests: int = 200
) -> tuple[list[str], list[int]]:
    """Set random faults with ``seed``, send ``requests`` GETs one by one; labels and statuses."""
    fake.faults.clear()
    fake.faults.reset_counters()
    fake.faults.random(0.3, {"status_503": 2, "status_500": 1, "reset": 1}, seed=seed)
    statuses = []
    for _ in range(requests):
        try:
            statuses.append((await get(session, fake))[0])
        except aiohttp.ClientError:
            statuses.append(-1)
    return [e.label for e in fake.faults.log], statuses


async def test_random_faults_repeat_with_the_same_seed(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    first = await labels_of_a_run(fake, session, seed=1234)
    again = await labels_of_a_run(fake, session, seed=1234)
    other = await labels_of_a_run(fake, session, seed=4321)
    assert first == again
    assert first != other
    labels, statuses = first
    assert set(labels) == {"status_503", "status_500", "reset"}
    expected = {"status_503": 503, "status_500": 500, "reset": -1}
    assert [s for s in statuses if s != 200] == [expected[label] for label in labels]


async def test_random_rate_and_weights_over_2000_requests(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.random(0.2, {"status_503": 3, "status_500": 1}, seed=99)
    semaphore = asyncio.Semaphore(32)

    async def one() -> int:
        async with semaphore:
            return (await get(session, fake))[0]

    statuses = await asyncio.gather(*(one() for _ in range(2000)))
    faulted = sum(1 for s in statuses if s != 200)
    # 400 expected, standard deviation about 18: a fixed seed, a generous band
    assert 330 <= faulted <= 470
    assert fake.faults.injected.total() == faulted
    assert fake.faults.seen == 2000
    share_503 = fake.faults.injected["status_503"] / faulted
    assert 0.65 <= share_503 <= 0.85
    assert statuses.count(503) == fake.faults.injected["status_503"]


async def test_random_on_one_route_and_list_of_kinds(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.random(1.0, ["status_502"], route="GET /v1/models")
    assert (await get(session, fake, "/models/gpt-4"))[0] == 200
    assert (await get(session, fake, "/models"))[0] == 502
    fake.faults.random(0.0)
    assert (await get(session, fake, "/models"))[0] == 200


async def test_scripted_faults_come_before_random_ones(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.random(1.0, ["status_500"])
    fake.faults.push(status=429)
    assert [(await get(session, fake))[0] for _ in range(3)] == [429, 500, 500]


async def test_random_delay_and_other_kinds(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.random(1.0, ["delay"], delay=0.001)
    assert (await get(session, fake))[0] == 200
    fake.faults.random(1.0, ["insufficient_quota"])
    assert error_of((await get(session, fake))[2])["code"] == "insufficient_quota"
    fake.faults.random(1.0, ["invalid_json"])
    assert (await get(session, fake))[2] == b'{"id": "gpt-4", "obj'
    fake.faults.random(1.0, ["truncate"])
    with pytest.raises(aiohttp.ClientPayloadError):
        await get(session, fake)
    assert fake.faults.injected == {
        "delay": 1,
        "insufficient_quota": 1,
        "invalid_json": 1,
        "truncate": 1,
    }


async def test_clear_removes_every_fault_and_keeps_counters(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.faults.push(status=503, times=5)
    fake.faults.random(1.0, ["status_500"])
    assert (await get(session, fake))[0] == 503
    fake.faults.clear()
    assert fake.faults.pending == 0
    assert [(await get(session, fake))[0] for _ in range(3)] == [200, 200, 200]
    assert fake.faults.injected == {"status_503": 1}
    assert fake.faults.seen == 4
    fake.faults.reset_counters()
    assert (fake.faults.injected, fake.faults.log, fake.faults.seen) == ({}, [], 0)


async def test_faults_survive_a_restart(session: aiohttp.ClientSession) -> None:
    fake = FakeOpenAI()
    fake.faults.push(status=503)
    async with fake:
        assert (await get(session, fake))[0] == 503
        fake.faults.push(status=500)
    await session.close()
    async with fake, aiohttp.ClientSession() as other:
        assert (await get(other, fake))[0] == 500
    assert fake.faults.injected == {"status_503": 1, "status_500": 1}


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "needs a status"),
        ({"status": 200}, "needs a status"),
        ({"status": 600}, "200..599"),
        ({"kind": "delay"}, "needs delay"),
        ({"kind": "delay", "delay": -1.0}, "needs delay"),
        ({"kind": "insufficient_quota", "status": 500}, "always a 429"),
        ({"kind": "explode"}, "unknown fault kind"),
        ({"status": 503, "times": 0}, "times"),
        ({"route": "models", "status": 503}, "route must be"),
        ({"route": "GET models", "status": 503}, "route must be"),
        ({"route": "G3T /v1/models", "status": 503}, "route must be"),
    ],
)
def test_push_rejects_bad_faults(kwargs: dict[str, Any], match: str) -> None:
    faults = Faults()
    with pytest.raises(ValueError, match=match):
        faults.push(**kwargs)
    assert faults.pending == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((1.5,), {}, "rate"),
        ((-0.1,), {}, "rate"),
        ((0.5, []), {}, "at least one"),
        ((0.5, {"status_503": 0}), {}, "weights"),
        ((0.5, ["status_99"]), {}, "200..599"),
        ((0.5, ["status_x"]), {}, "bad fault kind"),
        ((0.5, ["status"]), {}, "unknown fault kind"),
        ((0.5, ["boom"]), {}, "unknown fault kind"),
        ((0.5, ["delay"]), {}, "delay="),
    ],
)
def test_random_rejects_bad_settings(
    args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        Faults().random(*args, **kwargs)


def test_push_accepts_the_route_forms() -> None:
    faults = Faults()
    for route in ("*", "GET /v1/models/{model}", "/v1/models", "* /v1/models", "get /v1/models"):
        faults.push(route, status=503)
    assert faults.pending == 5
    assert faults.take("GET", "/v1/files", "/v1/files") is not None  # "*"
    assert faults.take("POST", "/v1/models", "/v1/models") is not None  # "/v1/models"
    assert faults.take("DELETE", "/v1/models", "/v1/models") is not None  # "* /v1/models"
    assert faults.take("POST", "/v1/models", "/v1/models") is None
    assert faults.take("GET", "/v1/models", "/v1/models") is not None  # "get" upper-cased
    assert faults.take("GET", "/v1/models/{model}", "/v1/models/x") is not None
    assert faults.pending == 0
    assert "scripted=0" in repr(faults)
