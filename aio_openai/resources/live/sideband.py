"""A sideband connection to a Live session: ``client.live.sideband.connect(session_id=...)``."""

from __future__ import annotations

from typing import Unpack

from ..._request import path_id
from ..._resource import APIResource
from ..._types import NOT_GIVEN, NotGiven
from ..._ws_connection import AsyncWebSocketConnectionManager, ConnectOptions, connect_method
from ..._ws_events import area
from .areas import AsyncSidebandSessionResource, AsyncSidebandTransportResource, LiveConnectionBase

__all__ = ["AsyncSidebandConnection", "AsyncSidebandConnectionManager", "Sideband"]


class AsyncSidebandConnection(LiveConnectionBase):
    """A sideband connection attached to a Live session."""

    session = area(AsyncSidebandSessionResource)
    transport = area(AsyncSidebandTransportResource)


class AsyncSidebandConnectionManager(AsyncWebSocketConnectionManager[AsyncSidebandConnection]):
    """What ``client.live.sideband.connect(...)`` returns."""

    connection_class = AsyncSidebandConnection
    default_max_queue_size = 2_097_152


class Sideband(APIResource):
    """``client.live.sideband``: ``connect``."""

    __slots__ = ()

    @connect_method
    def connect(
        self,
        *,
        session_id: str,
        graceful_close: bool | NotGiven = NOT_GIVEN,
        **options: Unpack[ConnectOptions],
    ) -> AsyncSidebandConnectionManager:
        """Attach to the Live session ``session_id`` over a WebSocket
        (``/live/sessions/{session_id}/attach``); ``async with`` the result."""
        path = f"/live/sessions/{path_id('session_id', session_id)}/attach"
        query = {} if graceful_close is NOT_GIVEN else {"graceful_close": graceful_close}
        return AsyncSidebandConnectionManager(self._client, path, query=query, **options)
