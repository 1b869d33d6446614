"""Fixtures of the integration tests: a client that makes one request per call, and a real
redis-server of the test's own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from redis_server import RedisServer, require_redis

from aio_openai import AsyncOpenAI
from aio_openai.testing import FakeOpenAI


@pytest.fixture
async def api(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client on ``fake`` that never retries: each call is one request, and an error
    answer is raised as it came."""
    client = AsyncOpenAI(api_key="sk-integration-0123456789", base_url=fake.url, max_retries=0)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A fresh redis-server on a free loopback port, stopped after the test.

    Skips the test when redis-server or the redis package is missing, and fails it instead
    when AIO_OPENAI_REQUIRE_REDIS=1 (as .ci/run sets it).
    """
    require_redis()
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()
