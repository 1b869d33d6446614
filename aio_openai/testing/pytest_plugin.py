"""pytest plugin providing the ``fake_openai`` fixture.

Registered through the ``pytest11`` entry point, so installing aio_openai makes the fixture
available in every test session; it needs nothing but pytest (no pytest-asyncio).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aio_openai.testing import FakeOpenAI

__all__ = ["fake_openai"]


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """Yield a :class:`~aio_openai.testing.FakeOpenAI` running in a thread of its own.

    It serves any event loop and synchronous code alike, accepts any non-empty API key, and is
    stopped after the test. Point a client at ``fake_openai.url``.
    """
    with FakeOpenAI().running_in_thread() as fake:
        yield fake
