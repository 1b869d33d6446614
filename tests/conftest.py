"""Shared fixtures: a FakeOpenAI in the test's loop, a client on it, and aioresponses made to
work on aiohttp 3.14."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import aiohttp
import aioresponses.core
import pytest
from aiohttp.client_proto import ResponseHandler
from aioresponses import aioresponses as Aioresponses

from aio_openai import AsyncOpenAI
from aio_openai.testing import FakeOpenAI

#: The API key the ``client`` fixture sends.
TEST_API_KEY: Final = "sk-test-0123456789abcdef"

#: Environment variables AsyncOpenAI reads; ``clean_env`` removes them all.
OPENAI_ENV_VARS: Final = (
    "OPENAI_API_KEY",
    "OPENAI_ADMIN_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
)

#: Buffer limit of the stream readers of mocked responses: aioresponses uses 2**16, and a body
#: over twice the limit makes ``feed_data`` pause a protocol that has no transport (an
#: AssertionError), a line over the limit makes ``readline`` fail.
_MOCK_STREAM_LIMIT: Final = 2**30


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove every OPENAI_* variable the client reads, so the machine's environment is moot."""
    for name in OPENAI_ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    """A FakeOpenAI running in the test's event loop, stopped after the test."""
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """An AsyncOpenAI pointed at ``fake`` (closed before the server stops)."""
    c = AsyncOpenAI(api_key=TEST_API_KEY, base_url=fake.url)
    try:
        yield c
    finally:
        await c.aclose()


class _StubStreamWriter:
    """Stands in for the request's stream writer of a mocked response: nothing was sent."""

    output_size = 0


class _CompatClientResponse(aiohttp.ClientResponse):
    """A ClientResponse that aioresponses 0.7.9 can build on aiohttp >= 3.14."""

    def __init__(self, method: str, url: Any, *, stream_writer: Any = None, **kwargs: Any) -> None:
        if stream_writer is None:
            stream_writer = _StubStreamWriter()
        super().__init__(method, url, stream_writer=stream_writer, **kwargs)


def _stream_reader_factory(loop: asyncio.AbstractEventLoop | None = None) -> aiohttp.StreamReader:
    """aioresponses' own factory, with a limit large bodies and long lines fit in."""
    protocol = ResponseHandler(loop=loop)  # type: ignore[arg-type]
    return aiohttp.StreamReader(protocol, limit=_MOCK_STREAM_LIMIT, loop=loop)  # type: ignore[arg-type]


@pytest.fixture
def mock_http(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aioresponses]:
    """An active ``aioresponses`` mock of every aiohttp request, fixed for aiohttp 3.14.

    aioresponses 0.7.9 does not work on aiohttp 3.14 as released; rather than pin aiohttp
    down, this fixture patches its two breakages for the duration of the test:

    - aioresponses issue #289: ``ClientResponse.__init__`` now takes a required keyword
      ``stream_writer``, and with ``writer=None`` (which aioresponses passes) it reads
      ``stream_writer.output_size``. ``aioresponses.core.ClientResponse`` is replaced by a
      subclass that supplies a stub writer with ``output_size = 0`` when none is given.
    - aioresponses PR #292: its ``stream_reader_factory`` makes readers with a 64 KiB limit,
      so a body over twice that fails while being fed and a line over it fails ``readline``.
      ``aioresponses.core.stream_reader_factory`` is replaced by one with a 1 GiB limit.

    Mocks registered with an explicit ``response_class`` get no stub writer: subclass
    ``_CompatClientResponse`` for those. Drop this shim once aioresponses ships both fixes.
    """
    monkeypatch.setattr(aioresponses.core, "ClientResponse", _CompatClientResponse)
    monkeypatch.setattr(aioresponses.core, "stream_reader_factory", _stream_reader_factory)
    with Aioresponses() as mocked:
        yield mocked
