"""A fork of a Live session: ``client.live.forks.connect(session_id=...)``."""

from __future__ import annotations

from typing import Unpack

from ..._request import path_id
from ..._resource import APIResource
from ..._ws_connection import AsyncWebSocketConnectionManager, ConnectOptions, connect_method
from ..._ws_events import area
from .areas import AsyncLiveSessionResource, LiveConnectionBase

__all__ = ["AsyncForksConnection", "AsyncForksConnectionManager", "Forks"]


class AsyncForksConnection(LiveConnectionBase):
    """A connection to a fork of a Live session."""

    session = area(AsyncLiveSessionResource)


class AsyncForksConnectionManager(AsyncWebSocketConnectionManager[AsyncForksConnection]):
    """What ``client.live.forks.connect(...)`` returns."""

    connection_class = AsyncForksConnection
    default_max_queue_size = 2_097_152


class Forks(APIResource):
    """``client.live.forks``: ``connect``."""

    __slots__ = ()

    @connect_method
    def connect(
        self, *, session_id: str, **options: Unpack[ConnectOptions]
    ) -> AsyncForksConnectionManager:
        """Fork the Live session ``session_id`` over a WebSocket
        (``/live/sessions/{session_id}/fork``); ``async with`` the result."""
        path = f"/live/sessions/{path_id('session_id', session_id)}/fork"
        return AsyncForksConnectionManager(self._client, path, **options)
