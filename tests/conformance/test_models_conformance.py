"""The Models API on the wire: every request the client sends and every answer FakeOpenAI gives
conform to OpenAI's published spec (both the v1-era and the newest fixture)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from aio_openai import APIStatusError, AsyncOpenAI
from aio_openai.testing import FakeOpenAI

from ._spec import validate_request, validate_response

VERSIONS = ("v1", "v2")


async def exchange(
    fake: FakeOpenAI, call: Callable[[], Awaitable[Any]]
) -> tuple[Any, int, dict[str, str], bytes]:
    """Run one raw call; return what was sent and what came back."""
    fake.requests.clear()
    try:
        raw = await call()
        status, headers, body = raw.status_code, dict(raw.headers), raw.content
    except APIStatusError as exc:
        status, headers, body = exc.status_code, dict(exc.headers), exc.response.content
    assert len(fake.requests) == 1
    return fake.requests[0], status, headers, body


def check(version: str, sent: Any, status: int, headers: dict[str, str], body: bytes) -> None:
    validate_request(version, sent.method, sent.raw_path, sent.headers, sent.body or None)
    validate_response(version, sent.method, sent.raw_path, status, headers, body)


@pytest.mark.parametrize("version", VERSIONS)
async def test_models_requests_and_responses_conform(
    version: str, fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    fake.add_model("ft:gpt-3.5-turbo:acme::abc123", owned_by="acme")
    raw = client.models.with_raw_response
    calls: list[tuple[Callable[[], Awaitable[Any]], int]] = [
        (lambda: raw.list(), 200),
        (lambda: raw.retrieve("gpt-4"), 200),
        (lambda: raw.retrieve("ft:gpt-3.5-turbo:acme::abc123"), 200),
        (lambda: raw.retrieve("no-such-model"), 404),
        (lambda: raw.delete("gpt-4"), 403),
        (lambda: raw.delete("ft:gpt-3.5-turbo:acme::abc123"), 200),
        (lambda: raw.delete("ft:gpt-3.5-turbo:acme::abc123"), 404),
    ]
    for call, expected in calls:
        sent, status, headers, body = await exchange(fake, call)
        assert status == expected
        check(version, sent, status, headers, body)


@pytest.mark.parametrize("version", VERSIONS)
async def test_auth_error_conforms(version: str, clean_env: None) -> None:
    async with FakeOpenAI(api_keys={"sk-right"}) as fake:
        client = AsyncOpenAI(api_key="sk-wrong", base_url=fake.url, max_retries=0)
        async with client:
            sent, status, headers, body = await exchange(
                fake, lambda: client.models.with_raw_response.retrieve("gpt-4")
            )
    assert status == 401
    check(version, sent, status, headers, body)


def test_the_checks_can_fail() -> None:
    with pytest.raises(AssertionError):
        validate_response("v1", "GET", "/v1/models/gpt-4", 200, {}, b'{"id": "gpt-4"}')
    with pytest.raises(AssertionError):
        validate_request("v1", "GET", "/v1/models/gpt-4", {}, None)  # no Authorization
