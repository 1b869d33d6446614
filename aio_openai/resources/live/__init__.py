"""The Live API over WebSockets: ``client.live.connect()`` (a new session),
``client.live.sideband`` and ``client.live.forks``."""

from __future__ import annotations

from typing import Unpack

from ..._resource import APIResource
from ..._ws_connection import AsyncWebSocketConnectionManager, ConnectOptions, connect_method
from ..._ws_events import area
from .areas import AsyncLiveSessionResource, LiveConnectionBase
from .forks import AsyncForksConnection, AsyncForksConnectionManager, Forks
from .sideband import AsyncSidebandConnection, AsyncSidebandConnectionManager, Sideband

__all__ = [
    "AsyncForksConnection",
    "AsyncForksConnectionManager",
    "AsyncLiveConnection",
    "AsyncLiveConnectionManager",
    "AsyncSidebandConnection",
    "AsyncSidebandConnectionManager",
    "Forks",
    "Live",
    "Sideband",
]


class AsyncLiveConnection(LiveConnectionBase):
    """A Live session over one WebSocket."""

    session = area(AsyncLiveSessionResource)


class AsyncLiveConnectionManager(AsyncWebSocketConnectionManager[AsyncLiveConnection]):
    """What ``client.live.connect()`` returns."""

    connection_class = AsyncLiveConnection
    default_max_queue_size = 2_097_152


class Live(APIResource):
    """``client.live``: ``connect``, ``sideband`` and ``forks``."""

    __slots__ = ()

    @property
    def sideband(self) -> Sideband:
        """Sideband connections to a Live session: ``connect``."""
        return Sideband(self._client, raw=self._raw)

    @property
    def forks(self) -> Forks:
        """Forks of a Live session: ``connect``."""
        return Forks(self._client, raw=self._raw)

    @connect_method
    def connect(self, **options: Unpack[ConnectOptions]) -> AsyncLiveConnectionManager:
        """A new Live session over a WebSocket (``/live/sessions``); ``async with`` the
        result. The options are ConnectOptions'."""
        return AsyncLiveConnectionManager(self._client, "/live/sessions", **options)
