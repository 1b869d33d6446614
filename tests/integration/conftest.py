"""Fixtures of the integration tests: a real redis-server of the test's own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis_server import RedisServer, require_redis


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
