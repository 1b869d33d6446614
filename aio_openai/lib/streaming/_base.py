"""What the stream helpers share: the stream's life cycle and the manager that opens it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

from ..._response import APIResponse
from ..._streaming import AsyncStream

__all__ = ["HelperStream", "HelperStreamManager", "copy_json"]

E = TypeVar("E")


class _Closable(Protocol):
    async def close(self) -> None: ...


S = TypeVar("S", bound=_Closable)


def copy_json(value: Any) -> Any:
    """A copy of JSON data that the accumulation can change without touching what came."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


class HelperStream(Generic[E]):
    """A stream helper over an AsyncStream (``raw``) of the API's events: ``async for`` its
    events (``__anext__``, the subclass's), ``until_done()``, ``close()``, ``async with``."""

    def __init__(self, raw: AsyncStream[Any]) -> None:
        self._raw = raw

    @property
    def response(self) -> APIResponse[AsyncStream[Any]]:
        """The HTTP answer: ``status_code``, ``headers``, ``request_id``."""
        return self._raw.response

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> E:
        raise NotImplementedError

    async def until_done(self) -> Self:
        """Read the stream to its end (its events are dropped)."""
        async for _ in self:
            pass
        return self

    async def close(self) -> None:
        """Close the connection (released for reuse when the stream was read to its end)."""
        await self._raw.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class HelperStreamManager(Generic[S]):
    """What a ``stream()`` helper returns: ``async with`` it to send the request and get the
    stream; leaving the block closes the connection, read or not."""

    def __init__(self, open_stream: Callable[[], Awaitable[S]]) -> None:
        self._open = open_stream
        self._stream: S | None = None

    async def __aenter__(self) -> S:
        if self._stream is not None:
            raise RuntimeError("this stream manager was entered already; call stream() again")
        self._stream = await self._open()
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
